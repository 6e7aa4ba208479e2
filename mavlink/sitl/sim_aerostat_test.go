package sitl

import (
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"
)

// The aerostat's MAVLink face: an airship autopilot (component 1) and a winch component
// (169) with its own heartbeat, which takes DO_WINCH, acknowledges from itself, says why it
// refuses from itself, and reports WINCH_STATUS and the tether's GENERATOR_STATUS.
func TestSimAerostatWinchComponent(t *testing.T) {
	t.Parallel()
	_, addr := startSim(t, nil,
		SimVehicle{SysID: 1, Model: NewAerostat(AerostatConfig{Home: testHome, LineM: 80})},
		SimVehicle{SysID: 2, Model: newFixedCopter(t)})
	p := newTestPeer(t, gomavlib.EndpointTCPClient{Address: addr}, nil)

	ap := p.waitFor(2*time.Second, "airship heartbeat", func(fr *gomavlib.EventFrame) bool {
		hb, ok := fr.Message().(*common.MessageHeartbeat)
		return ok && fr.SystemID() == 1 && fr.ComponentID() == mavCompAutopilot && hb.Type == common.MAV_TYPE_AIRSHIP
	}).Message().(*common.MessageHeartbeat)
	require.Equal(t, common.MAV_AUTOPILOT_ARDUPILOTMEGA, ap.Autopilot)
	require.Equal(t, uint32(aerostatModeLoiter), ap.CustomMode)
	w := p.waitFor(2*time.Second, "winch heartbeat", func(fr *gomavlib.EventFrame) bool {
		_, ok := fr.Message().(*common.MessageHeartbeat)
		return ok && fr.SystemID() == 1 && fr.ComponentID() == mavCompWinch
	}).Message().(*common.MessageHeartbeat)
	require.Equal(t, common.MAV_TYPE_WINCH, w.Type)
	require.Equal(t, common.MAV_AUTOPILOT_INVALID, w.Autopilot, "not taken for a second autopilot")

	winch := func(sys uint8, action, lengthM, rateMps float32) {
		p.send(&common.MessageCommandLong{TargetSystem: sys, TargetComponent: mavCompWinch,
			Command: common.MAV_CMD_DO_WINCH, Param1: 1, Param2: action, Param3: lengthM, Param4: rateMps})
	}
	isAck := func(fr *gomavlib.EventFrame) bool {
		a, ok := fr.Message().(*common.MessageCommandAck)
		return ok && a.Command == common.MAV_CMD_DO_WINCH
	}

	winch(1, float32(common.WINCH_RATE_CONTROL), 0, 3)
	text := p.waitFor(time.Second, "refusal reason", isMsg[*common.MessageStatustext](1))
	require.Equal(t, uint8(mavCompWinch), text.ComponentID())
	require.Equal(t, "Winch: rate 3.00 m/s over the 2.0 m/s limit", text.Message().(*common.MessageStatustext).Text)
	fr := p.waitFor(time.Second, "winch ack", isAck)
	require.Equal(t, uint8(mavCompWinch), fr.ComponentID())
	require.Equal(t, common.MAV_RESULT_DENIED, fr.Message().(*common.MessageCommandAck).Result)
	require.Equal(t, uint8(peerSysID), fr.Message().(*common.MessageCommandAck).TargetSystem)

	winch(1, float32(common.WINCH_RELATIVE_LENGTH_CONTROL), 20, 1)
	fr = p.waitFor(time.Second, "winch ack", isAck)
	require.Equal(t, common.MAV_RESULT_ACCEPTED, fr.Message().(*common.MessageCommandAck).Result)

	// A copter has no winch: a command to its component 169 meets silence.
	p.drain()
	winch(2, float32(common.WINCH_HOLD), 0, 0)
	require.Empty(t, p.collect(300*time.Millisecond, isAck))

	p.send(&common.MessageRequestDataStream{TargetSystem: 1, TargetComponent: 1,
		ReqStreamId: common.MAV_DATA_STREAM_EXTRA3, ReqMessageRate: 10, StartStop: 1})
	fr = p.waitFor(2*time.Second, "moving winch", func(fr *gomavlib.EventFrame) bool {
		m, ok := fr.Message().(*common.MessageWinchStatus)
		return ok && fr.SystemID() == 1 && m.Status&common.MAV_WINCH_STATUS_MOVING != 0
	})
	require.Equal(t, uint8(mavCompWinch), fr.ComponentID())
	ws := fr.Message().(*common.MessageWinchStatus)
	require.Greater(t, ws.LineLength, float32(80))
	require.Greater(t, ws.Speed, float32(0), "paying out")
	require.InDelta(t, (600-0.5*ws.LineLength)/gravityMps2, ws.Tension, 0.5, "calm: lift less the line's weight")
	gen := p.waitFor(time.Second, "tether power", isMsg[*common.MessageGeneratorStatus](1))
	require.Equal(t, uint8(mavCompWinch), gen.ComponentID())
	require.NotZero(t, gen.Message().(*common.MessageGeneratorStatus).Status&common.MAV_GENERATOR_STATUS_FLAG_GENERATING)
	p.waitFor(time.Second, "wind", isMsg[*ardupilotmega.MessageWind](1))
}
