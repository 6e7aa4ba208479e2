package mavlink

import (
	"errors"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestMissionUpload(t *testing.T) {
	cases := []struct {
		name   string
		mtype  gcs.MissionType
		items  []gcs.MissionItem
		setup  func(v *apVehicle)
		result uint8 // MAV_MISSION_RESULT expected in a MissionRejectedError; 0 for success
	}{
		{"empty list", gcs.MissionTypeMission, testMission(0), nil, 0},
		{"one item", gcs.MissionTypeMission, testMission(1), nil, 0},
		{"500 items", gcs.MissionTypeMission, testMission(500), nil, 0},
		{"fence", gcs.MissionTypeFence, testMission(12), nil, 0},
		{"replaces a longer list", gcs.MissionTypeMission, testMission(5),
			func(v *apVehicle) { v.missions[0] = make([]common.MessageMissionItemInt, 9) }, 0},
		{"legacy vehicle asks with MISSION_REQUEST", gcs.MissionTypeRally, testMission(30),
			func(v *apVehicle) { v.legacy = true }, 0},
		{"no space", gcs.MissionTypeMission, testMission(50),
			func(v *apVehicle) { v.maxItems = 40 }, uint8(common.MAV_MISSION_NO_SPACE)},
		{"bad frame", gcs.MissionTypeMission, testMission(50),
			func(v *apVehicle) { v.rejectAt, v.rejectWith = 17, common.MAV_MISSION_UNSUPPORTED_FRAME }, uint8(common.MAV_MISSION_UNSUPPORTED_FRAME)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := newAPVehicle()
			if c.setup != nil {
				c.setup(v)
			}
			var last [2]int
			up := newMissionUpload(testVehicle, testGCS, c.mtype, c.items, func(d, n int) { last = [2]int{d, n} })
			err := newSimNet(t, cleanNet, 1, v).run(up, time.Minute)
			if c.result != 0 {
				var rej *MissionRejectedError
				require.ErrorAs(t, err, &rej)
				require.Equal(t, c.result, rej.Result)
				require.Equal(t, c.mtype, rej.Type)
				return
			}
			require.NoError(t, err)
			want := c.items
			if v.legacy {
				want = nil
				for i, it := range c.items {
					// The vehicle stores the float32 degrees as degE7 ints.
					f := fromMissionItemFloat(missionItemFloat(it, uint16(i), testVehicle, c.mtype))
					want = append(want, fromMissionItemInt(missionItemInt(f, uint16(i), testVehicle, c.mtype)))
				}
			}
			require.Equal(t, want, v.list(c.mtype))
			require.Equal(t, [2]int{len(c.items), len(c.items)}, last)
		})
	}
}

func TestMissionUploadLegacyGCS(t *testing.T) {
	// legacy answers even MISSION_REQUEST_INT with MISSION_ITEM.
	v := newAPVehicle()
	up := newMissionUpload(testVehicle, testGCS, gcs.MissionTypeMission, testMission(3), nil)
	up.legacy = true
	require.NoError(t, newSimNet(t, cleanNet, 1, v).run(up, time.Minute))
	require.Len(t, v.missions[0], 3)
}

// uploadFailure checks that a failed transfer says what happened in a form callers match.
func requireClearError(t *testing.T, err error) {
	t.Helper()
	var na *NoAnswerError
	var rej *MissionRejectedError
	var part *PartialTransferError
	var kept *ParamRejectedError
	require.True(t, errors.As(err, &na) || errors.As(err, &rej) || errors.As(err, &part) || errors.As(err, &kept),
		"unexpected error type %T: %v", err, err)
	require.NotEmpty(t, err.Error())
}

func TestMissionUploadLossy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		runs  int
		items int
	}{
		{"small lists", 200, 40},
		{"empty lists", 200, 0},
		{"500 items", 4, 500},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items := testMission(c.items)
			ok := 0
			for run := range c.runs {
				v := newAPVehicle()
				v.chatter = run%2 == 0
				v.setList(0, testMission(60)[50:]) // something else to replace
				up := newMissionUpload(testVehicle, testGCS, gcs.MissionTypeMission, items, nil)
				err := newSimNet(t, lossyNet, uint64(run), v).run(up, time.Hour)
				if err != nil {
					requireClearError(t, err)
					t.Logf("run %d: %v", run, err)
					continue
				}
				ok++
				require.Equal(t, items, v.list(0), "run %d: success with a wrong list", run)
			}
			t.Logf("%d of %d uploads succeeded at 20%% loss", ok, c.runs)
			require.GreaterOrEqual(t, ok, c.runs*9/10)
		})
	}
}

func TestMissionUploadIgnores(t *testing.T) {
	now := time.Now()
	items := testMission(2)
	up := newMissionUpload(testVehicle, testGCS, gcs.MissionTypeFence, items, nil)
	out := up.start(now)
	require.Len(t, out, 1)
	require.Equal(t, &common.MessageMissionCount{TargetSystem: 1, TargetComponent: 1, Count: 2, MissionType: 1}, out[0])

	ignored := []struct {
		name string
		msg  any
	}{
		{"request for the mission list", &common.MessageMissionRequestInt{TargetSystem: 255, TargetComponent: 190, Seq: 0, MissionType: 0}},
		{"request to another GCS", &common.MessageMissionRequestInt{TargetSystem: 254, TargetComponent: 190, Seq: 0, MissionType: 1}},
		{"request to another component", &common.MessageMissionRequestInt{TargetSystem: 255, TargetComponent: 191, Seq: 0, MissionType: 1}},
		{"request beyond the list", &common.MessageMissionRequestInt{TargetSystem: 255, TargetComponent: 190, Seq: 2, MissionType: 1}},
		{"early ACCEPTED (stale)", &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 0, MissionType: 1}},
		{"ACK of the mission list", &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 4, MissionType: 0}},
		{"ACK to another GCS", &common.MessageMissionAck{TargetSystem: 7, TargetComponent: 190, Type: 4, MissionType: 1}},
		{"duplicate-item complaint", &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 13, MissionType: 1}},
		{"heartbeat", &common.MessageHeartbeat{}},
	}
	for _, c := range ignored {
		out := up.handle(now, c.msg.(interface{ GetID() uint32 }))
		require.Empty(t, out, c.name)
		done, _ := up.finished()
		require.False(t, done, c.name)
	}

	// Broadcast target ids address everyone, us included.
	out = up.handle(now, &common.MessageMissionRequestInt{Seq: 0, MissionType: 1})
	require.Len(t, out, 1)
	require.Equal(t, uint16(0), out[0].(*common.MessageMissionItemInt).Seq)
	// A duplicated request is answered again, and an ACK before the last request is stale.
	out = up.handle(now, &common.MessageMissionRequestInt{TargetSystem: 255, TargetComponent: 190, Seq: 0, MissionType: 1})
	require.Len(t, out, 1)
	up.handle(now, &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, MissionType: 1})
	done, _ := up.finished()
	require.False(t, done)

	out = up.handle(now, &common.MessageMissionRequest{TargetSystem: 255, TargetComponent: 190, Seq: 1, MissionType: 1})
	require.IsType(t, &common.MessageMissionItem{}, out[0], "MISSION_REQUEST is answered with MISSION_ITEM")
	// ERROR after the last item is ArduPilot's answer to a duplicated last item: wait on.
	up.handle(now, &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 1, MissionType: 1})
	done, _ = up.finished()
	require.False(t, done)
	up.handle(now, &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 0, MissionType: 1})
	done, err := up.finished()
	require.True(t, done)
	require.NoError(t, err)
}

func TestMissionUploadSilence(t *testing.T) {
	v := newAPVehicle()
	net := newSimNet(t, netConf{loss: 1}, 1, v)
	start := net.now
	err := net.run(newMissionUpload(testVehicle, testGCS, 0, testMission(3), nil), time.Minute)
	var na *NoAnswerError
	require.ErrorAs(t, err, &na)
	require.Equal(t, "no answer from vehicle 1 to MISSION_COUNT after 6 tries (9s); is the link up?", err.Error())
	require.Equal(t, 9*time.Second, net.now.Sub(start))
}

// A vehicle that drops an upload half way and goes quiet is given the whole list again:
// the upload completes instead of failing on silence.
func TestMissionUploadRestartsAfterAbandon(t *testing.T) {
	v := newAPVehicle()
	v.abandonAt = 10
	net := newSimNet(t, netConf{}, 1, v)
	items := testMission(20)
	require.NoError(t, net.run(newMissionUpload(testVehicle, testGCS, 0, items, nil), time.Minute))
	require.Len(t, v.list(0), 20)
	require.False(t, v.deaf)
}

// A lost acceptance restarts the upload; the COUNTs lost before it do not count against the
// restarts: three lost COUNTs and then five lost acceptances in a row still end in a
// confirmed list; a vehicle that never confirms is reported as such.
func TestMissionUploadFinalAckLost(t *testing.T) {
	v := newAPVehicle()
	v.loseCounts, v.loseFinalAcks = 3, 5
	net := newSimNet(t, netConf{}, 1, v)
	items := testMission(10)
	require.NoError(t, net.run(newMissionUpload(testVehicle, testGCS, 0, items, nil), 5*time.Minute))
	require.Equal(t, items, v.list(0))

	v = newAPVehicle()
	v.loseFinalAcks = 1000
	net = newSimNet(t, netConf{}, 1, v)
	err := net.run(newMissionUpload(testVehicle, testGCS, 0, items, nil), 10*time.Minute)
	require.ErrorContains(t, err, "the vehicle never confirmed the upload")
}
