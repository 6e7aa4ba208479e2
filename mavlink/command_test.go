package mavlink

import (
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

var (
	gcsID     = target{sys: 255, comp: 190}
	vehicleID = target{sys: 1, comp: 1}
	t0        = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

func ack(cmd uint16, r common.MAV_RESULT) *common.MessageCommandAck {
	return &common.MessageCommandAck{Command: common.MAV_CMD(cmd), Result: r, TargetSystem: 255, TargetComponent: 190}
}

func TestCommandExchange(t *testing.T) {
	arm := Command{ID: cmdArmDisarm, Params: [7]float64{1}, Action: "arm"}
	request := Command{ID: cmdRequestMessage, Params: [7]float64{242}, Idempotent: true, Action: "request home"}

	type step struct {
		at  time.Duration // since start; a nil msg means "the deadline passed"
		msg message.Message
	}
	for _, ca := range []struct {
		name   string
		cmd    Command
		steps  []step
		result gcs.CommandResult
		reason string
		err    string
		sends  int
	}{
		{"accepted", arm, []step{{100 * time.Millisecond, ack(400, common.MAV_RESULT_ACCEPTED)}}, gcs.CommandAccepted, "", "", 1},
		{"denied with reason before ack", arm, []step{
			{50 * time.Millisecond, &common.MessageStatustext{Severity: common.MAV_SEVERITY_CRITICAL, Text: "PreArm: Need 3D Fix"}},
			{60 * time.Millisecond, ack(400, common.MAV_RESULT_FAILED)},
		}, gcs.CommandFailed, "PreArm: Need 3D Fix", "vehicle 1 refused arm: PreArm: Need 3D Fix", 1},
		{"reason after ack", arm, []step{
			{60 * time.Millisecond, ack(400, common.MAV_RESULT_DENIED)},
			{90 * time.Millisecond, &common.MessageStatustext{Severity: common.MAV_SEVERITY_WARNING, Text: "Arm: Throttle too high"}},
		}, gcs.CommandDenied, "Arm: Throttle too high", "denied arm: Arm: Throttle too high", 1},
		{"refusal without reason", arm, []step{
			{60 * time.Millisecond, ack(400, common.MAV_RESULT_UNSUPPORTED)}, {400 * time.Millisecond, nil},
		}, gcs.CommandUnsupported, "", "vehicle 1 does not support arm", 1},
		{"ack for another command ignored", arm, []step{
			{10 * time.Millisecond, ack(22, common.MAV_RESULT_ACCEPTED)}, {3 * time.Second, nil},
		}, gcs.CommandNoAnswer, "", "no answer from vehicle 1 to arm in 3s", 1},
		{"ack for another GCS ignored", arm, []step{
			{10 * time.Millisecond, &common.MessageCommandAck{Command: 400, TargetSystem: 254, TargetComponent: 190}}, {3 * time.Second, nil},
		}, gcs.CommandNoAnswer, "", "no answer", 1},
		{"actuating never retried", arm, []step{{3 * time.Second, nil}}, gcs.CommandNoAnswer, "", "no answer from vehicle 1 to arm", 1},
		{"idempotent retried then answered", request, []step{
			{3 * time.Second, nil}, {3100 * time.Millisecond, ack(512, common.MAV_RESULT_ACCEPTED)},
		}, gcs.CommandAccepted, "", "", 2},
		{"idempotent gives up after 3 tries", request, []step{
			{3 * time.Second, nil}, {6 * time.Second, nil}, {9 * time.Second, nil},
		}, gcs.CommandNoAnswer, "", "(3 tries)", 3},
		{"in progress extends the wait", arm, []step{
			{2 * time.Second, ack(400, common.MAV_RESULT_IN_PROGRESS)},
			{4500 * time.Millisecond, ack(400, common.MAV_RESULT_ACCEPTED)},
		}, gcs.CommandAccepted, "", "", 1},
	} {
		t.Run(ca.name, func(t *testing.T) {
			ex := newCommandExchange(ca.cmd, gcsID, vehicleID)
			sends := len(ex.start(t0))
			for _, s := range ca.steps {
				now := t0.Add(s.at)
				if s.msg == nil {
					require.False(t, now.Before(ex.deadline()), "deadline %v not reached at %v", ex.deadline().Sub(t0), s.at)
					sends += len(ex.tick(now))
				} else {
					sends += len(ex.handle(now, s.msg))
				}
			}
			done, err := ex.finished()
			require.True(t, done)
			require.Equal(t, ca.result, ex.reply.Result)
			require.Equal(t, ca.reason, ex.reply.Reason)
			require.Equal(t, ca.sends, sends)
			if ca.err == "" {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, ca.err)
			}
		})
	}
}

func TestCommandIntCarriesDegE7(t *testing.T) {
	ex := newCommandExchange(Command{ID: cmdDoReposition, Int: true, Frame: 3, Params: [7]float64{4: -35.3632611, 5: 149.1652299, 6: 20}}, gcsID, vehicleID)
	m := ex.start(t0)[0].(*common.MessageCommandInt)
	require.Equal(t, int32(-353632611), m.X)
	require.Equal(t, int32(1491652299), m.Y)
	require.Equal(t, common.MAV_FRAME(3), m.Frame)
}
