package sitl

import (
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// TestSimServesCopter flies the real copter model through the server the way a GCS would:
// streams, GUIDED, arm, take off, and a full parameter pull.
func TestSimServesCopter(t *testing.T) {
	t.Parallel()
	copter := NewCopter(CopterConfig{Home: fakeHome, GPSDelay: -1, Seed: 1})
	_, addr := startSim(t, func(s *Sim) { s.Speedup = 10 }, SimVehicle{SysID: 3, Model: copter})
	p := newTestPeer(t, gomavlib.EndpointTCPClient{Address: addr}, nil)

	hb := waitMsg[*common.MessageHeartbeat](p, 3, 2*time.Second, nil)
	require.Equal(t, common.MAV_TYPE_QUADROTOR, hb.Type)
	require.Equal(t, common.MAV_AUTOPILOT_ARDUPILOTMEGA, hb.Autopilot)

	command := func(cmd common.MAV_CMD, params ...float32) common.MAV_RESULT {
		t.Helper()
		m := &common.MessageCommandLong{TargetSystem: 3, TargetComponent: 1, Command: cmd}
		ps := []*float32{&m.Param1, &m.Param2, &m.Param3, &m.Param4, &m.Param5, &m.Param6, &m.Param7}
		for i, v := range params {
			*ps[i] = v
		}
		p.send(m)
		return waitMsg(p, 3, time.Second, func(a *common.MessageCommandAck) bool { return a.Command == cmd }).Result
	}

	p.send(&common.MessageRequestDataStream{TargetSystem: 3, ReqStreamId: common.MAV_DATA_STREAM_POSITION, ReqMessageRate: 10, StartStop: 1})
	p.send(&common.MessageSetMode{TargetSystem: 3, BaseMode: common.MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, CustomMode: 4})
	ack := waitMsg(p, 3, time.Second, func(a *common.MessageCommandAck) bool { return a.Command == 11 })
	require.Equal(t, common.MAV_RESULT_ACCEPTED, ack.Result)

	// The copter may need a few simulated seconds (EKF, prearm) before it arms.
	var res common.MAV_RESULT
	for try := 0; try < 20; try++ {
		if res = command(common.MAV_CMD_COMPONENT_ARM_DISARM, 1); res == common.MAV_RESULT_ACCEPTED {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.Equal(t, common.MAV_RESULT_ACCEPTED, res)
	require.Equal(t, common.MAV_RESULT_ACCEPTED, command(common.MAV_CMD_NAV_TAKEOFF, 0, 0, 0, 0, 0, 0, 10))

	gp := waitMsg(p, 3, 5*time.Second, func(m *common.MessageGlobalPositionInt) bool { return m.RelativeAlt > 8000 })
	t.Logf("climbing through %.1f m", float64(gp.RelativeAlt)/1000)

	// The model belongs to the Sim's goroutine now: learn the count from the wire.
	n := -1
	p.drain()
	start := time.Now()
	p.send(&common.MessageParamRequestList{TargetSystem: 3, TargetComponent: 1})
	seen := map[uint16]bool{}
	p.waitFor(3*time.Second, "the copter's parameter list", func(fr *gomavlib.EventFrame) bool {
		if m, ok := fr.Message().(*common.MessageParamValue); ok && fr.SystemID() == 3 {
			if n < 0 {
				n = int(m.ParamCount)
			}
			require.Equal(t, uint16(n), m.ParamCount)
			seen[m.ParamIndex] = true
		}
		return len(seen) == n
	})
	t.Logf("copter: %d parameters in %v", n, time.Since(start))

	items := testItems(gcs.MissionTypeMission, 5)
	p.send(&common.MessageMissionCount{TargetSystem: 3, TargetComponent: 1, Count: uint16(len(items))})
	for {
		fr := p.waitFor(2*time.Second, "mission request or ack", func(fr *gomavlib.EventFrame) bool {
			switch fr.Message().(type) {
			case *common.MessageMissionRequestInt, *common.MessageMissionAck:
				return fr.SystemID() == 3
			}
			return false
		})
		if a, ok := fr.Message().(*common.MessageMissionAck); ok {
			require.Equal(t, common.MAV_MISSION_ACCEPTED, a.Type)
			break
		}
		req := fr.Message().(*common.MessageMissionRequestInt)
		p.send(missionItemToInt(peer{sysID: 3, compID: 1}, 0, int(req.Seq), items[req.Seq]))
	}
}
