package sitl

import (
	"bytes"
	"math"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

func TestSimValidate(t *testing.T) {
	t.Parallel()
	ep := []gomavlib.EndpointConf{gomavlib.EndpointTCPServer{Address: "127.0.0.1:0"}}
	fv := newFakeVehicle(0)
	cases := []struct {
		name string
		sim  Sim
	}{
		{"no endpoint", Sim{Vehicles: []SimVehicle{{SysID: 1, Model: fv}}}},
		{"no vehicle", Sim{Endpoints: ep}},
		{"no model", Sim{Endpoints: ep, Vehicles: []SimVehicle{{SysID: 1}}}},
		{"sysid 0", Sim{Endpoints: ep, Vehicles: []SimVehicle{{SysID: 0, Model: fv}}}},
		{"duplicate sysid", Sim{Endpoints: ep, Vehicles: []SimVehicle{{SysID: 1, Model: fv}, {SysID: 1, Model: fv}}}},
		{"bad loss", Sim{Endpoints: ep, Vehicles: []SimVehicle{{SysID: 1, Model: fv}}, Impairment: Impairment{Loss: 1.5}}},
	}
	for _, ca := range cases {
		t.Run(ca.name, func(t *testing.T) {
			s := ca.sim
			require.Error(t, s.Initialize())
			s.Close() // harmless after a failed Initialize
		})
	}
}

func TestSimHeartbeat(t *testing.T) {
	t.Parallel()
	fv, gcsPeer := startFakeSim(t, 0, nil)
	fv.with(func(f *fakeVehicle) { f.state.CustomMode = 5 })

	hb := waitMsg(gcsPeer, 1, 2*time.Second, func(m *common.MessageHeartbeat) bool { return m.CustomMode == 5 })
	require.Equal(t, common.MAV_TYPE_QUADROTOR, hb.Type)
	require.Equal(t, common.MAV_AUTOPILOT_ARDUPILOTMEGA, hb.Autopilot)
	require.NotZero(t, hb.BaseMode&common.MAV_MODE_FLAG_CUSTOM_MODE_ENABLED)
	require.NotZero(t, hb.BaseMode&common.MAV_MODE_FLAG_GUIDED_ENABLED, "LOITER is a guided mode")
	require.Zero(t, hb.BaseMode&common.MAV_MODE_FLAG_SAFETY_ARMED)
	require.Equal(t, common.MAV_STATE_STANDBY, hb.SystemStatus)

	fv.with(func(f *fakeVehicle) { f.state.Armed = true })
	hb = waitMsg(gcsPeer, 1, 2*time.Second, func(m *common.MessageHeartbeat) bool {
		return m.BaseMode&common.MAV_MODE_FLAG_SAFETY_ARMED != 0
	})
	require.Equal(t, uint32(5), hb.CustomMode)
}

func TestSimStreams(t *testing.T) {
	t.Parallel()
	_, gcsPeer := startFakeSim(t, 0, func(s *Sim) { s.Speedup = 10 })
	waitMsg[*common.MessageHeartbeat](gcsPeer, 1, 2*time.Second, nil)

	// Like ArduPilot, nothing streams to a GCS that did not ask.
	require.Empty(t, gcsPeer.collect(200*time.Millisecond, isMsg[*common.MessageAttitude](1)))

	gcsPeer.send(&common.MessageRequestDataStream{
		TargetSystem: 1, TargetComponent: 1, ReqStreamId: common.MAV_DATA_STREAM_EXTRA1,
		ReqMessageRate: 20, StartStop: 1,
	})
	frames := gcsPeer.collect(500*time.Millisecond, func(fr *gomavlib.EventFrame) bool {
		switch fr.Message().(type) {
		case *common.MessageAttitude, *common.MessageGimbalDeviceAttitudeStatus:
			return true
		}
		return false
	})
	var att, gimbal int
	for _, fr := range frames {
		if g, ok := fr.Message().(*common.MessageGimbalDeviceAttitudeStatus); ok {
			gimbal++
			require.Equal(t, uint8(mavCompGimbal), fr.ComponentID())
			require.NotZero(t, g.Flags&common.GIMBAL_DEVICE_FLAGS_YAW_IN_EARTH_FRAME)
			require.NotZero(t, g.Flags&common.GIMBAL_DEVICE_FLAGS_YAW_LOCK)
			wantQ := eulerToQuat(0, -0.5, 0.25)
			require.InDeltaSlice(t, wantQ[:], g.Q[:], 1e-6)
		} else {
			att++
		}
	}
	t.Logf("EXTRA1 at 20 Hz: %d ATTITUDE, %d GIMBAL_DEVICE_ATTITUDE_STATUS in 0.5 s", att, gimbal)
	require.InDelta(t, 10, att, 2.5, "speedup must not change the real-time stream rate")
	require.InDelta(t, 10, gimbal, 2.5)

	// SET_MESSAGE_INTERVAL overrides the stream rate for one message.
	gcsPeer.send(&common.MessageCommandLong{
		TargetSystem: 1, TargetComponent: 1, Command: common.MAV_CMD_SET_MESSAGE_INTERVAL,
		Param1: 30, Param2: 20000,
	})
	ack := waitMsg(gcsPeer, 1, time.Second, func(m *common.MessageCommandAck) bool {
		return m.Command == common.MAV_CMD_SET_MESSAGE_INTERVAL
	})
	require.Equal(t, common.MAV_RESULT_ACCEPTED, ack.Result)
	n := len(gcsPeer.collect(400*time.Millisecond, isMsg[*common.MessageAttitude](1)))
	t.Logf("ATTITUDE at 50 Hz: %d in 0.4 s", n)
	require.InDelta(t, 20, n, 5)

	gcsPeer.send(&common.MessageCommandLong{
		TargetSystem: 1, TargetComponent: 1, Command: common.MAV_CMD_SET_MESSAGE_INTERVAL,
		Param1: 30, Param2: -1,
	})
	waitMsg[*common.MessageCommandAck](gcsPeer, 1, time.Second, nil)
	gcsPeer.collect(50*time.Millisecond, isMsg[*common.MessageAttitude](1)) // in flight
	require.Empty(t, gcsPeer.collect(200*time.Millisecond, isMsg[*common.MessageAttitude](1)))

	// A message the simulator cannot send is refused.
	gcsPeer.send(&common.MessageCommandLong{
		TargetSystem: 1, TargetComponent: 1, Command: common.MAV_CMD_SET_MESSAGE_INTERVAL,
		Param1: 9999, Param2: 1000,
	})
	ack = waitMsg[*common.MessageCommandAck](gcsPeer, 1, time.Second, nil)
	require.Equal(t, common.MAV_RESULT_DENIED, ack.Result)
}

func TestSimCommands(t *testing.T) {
	t.Parallel()
	fv, gcsPeer := startFakeSim(t, 0, nil)

	arm := &common.MessageCommandLong{
		TargetSystem: 1, TargetComponent: 1, Command: common.MAV_CMD_COMPONENT_ARM_DISARM, Param1: 1,
	}

	// A refused arm is explained in a STATUSTEXT that arrives before the ack.
	fv.with(func(f *fakeVehicle) { f.state.PrearmOK = false })
	gcsPeer.send(arm)
	fr := gcsPeer.waitFor(time.Second, "STATUSTEXT or ack", func(fr *gomavlib.EventFrame) bool {
		switch fr.Message().(type) {
		case *common.MessageStatustext, *common.MessageCommandAck:
			return true
		}
		return false
	})
	require.Equal(t, "PreArm: GPS not healthy", fr.Message().(*common.MessageStatustext).Text)
	ack := waitMsg[*common.MessageCommandAck](gcsPeer, 1, time.Second, nil)
	require.Equal(t, common.MAV_RESULT_FAILED, ack.Result)

	fv.with(func(f *fakeVehicle) { f.state.PrearmOK = true })
	arm.Confirmation = 1 // a GCS retry is handled like the first send
	gcsPeer.send(arm)
	ack = waitMsg[*common.MessageCommandAck](gcsPeer, 1, time.Second, nil)
	require.Equal(t, common.MAV_CMD_COMPONENT_ARM_DISARM, ack.Command)
	require.Equal(t, common.MAV_RESULT_ACCEPTED, ack.Result)
	require.Equal(t, uint8(peerSysID), ack.TargetSystem)
	require.Equal(t, uint8(peerCompID), ack.TargetComponent)
	fv.with(func(f *fakeVehicle) { require.True(t, f.state.Armed) })

	// COMMAND_INT positions arrive in degrees.
	gcsPeer.send(&common.MessageCommandInt{
		TargetSystem: 1, TargetComponent: 1, Frame: common.MAV_FRAME_GLOBAL_RELATIVE_ALT,
		Command: common.MAV_CMD_DO_REPOSITION, Param1: -1, Param4: float32(math.NaN()),
		X: 473977419, Y: 85455939, Z: 30,
	})
	ack = waitMsg[*common.MessageCommandAck](gcsPeer, 1, time.Second, nil)
	require.Equal(t, common.MAV_CMD_DO_REPOSITION, ack.Command)
	fv.with(func(f *fakeVehicle) {
		c := f.commands[len(f.commands)-1]
		require.Equal(t, uint16(192), c.cmd)
		require.Equal(t, gcs.FrameGlobalRelativeAlt, c.frame)
		require.InDelta(t, 47.3977419, c.p[4], 1e-9)
		require.InDelta(t, 8.5455939, c.p[5], 1e-9)
		require.Equal(t, 30.0, c.p[6])
	})

	// SET_MODE is acked as command 11, and the heartbeat follows.
	gcsPeer.send(&common.MessageSetMode{
		TargetSystem: 1, BaseMode: common.MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, CustomMode: 4,
	})
	ack = waitMsg[*common.MessageCommandAck](gcsPeer, 1, time.Second, nil)
	require.Equal(t, common.MAV_CMD(11), ack.Command)
	require.Equal(t, common.MAV_RESULT_ACCEPTED, ack.Result)
	waitMsg(gcsPeer, 1, 2*time.Second, func(m *common.MessageHeartbeat) bool { return m.CustomMode == 4 })
}

func TestSimRequestMessage(t *testing.T) {
	t.Parallel()
	cam := &gcs.CameraInfo{
		Vendor: "Vigil", Model: "SimCam", FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.55,
		ResolutionH: 1920, ResolutionV: 1080, VideoURI: "rtsp://127.0.0.1:8554/cam", VideoHFOVDeg: 70,
		VideoResolutionH: 1280, VideoResolutionV: 720,
	}
	fv, gcsPeer := startFakeSim(t, 0, nil)
	fv.with(func(f *fakeVehicle) { f.state.Camera = cam })

	request := func(id float32, comp uint8) common.MAV_RESULT {
		t.Helper()
		gcsPeer.send(&common.MessageCommandLong{
			TargetSystem: 1, TargetComponent: comp, Command: common.MAV_CMD_REQUEST_MESSAGE, Param1: id,
		})
		return waitMsg[*common.MessageCommandAck](gcsPeer, 1, time.Second, nil).Result
	}

	require.Equal(t, common.MAV_RESULT_ACCEPTED, request(148, 1))
	av := waitMsg[*common.MessageAutopilotVersion](gcsPeer, 1, time.Second, nil)
	for _, c := range []common.MAV_PROTOCOL_CAPABILITY{
		common.MAV_PROTOCOL_CAPABILITY_MISSION_INT, common.MAV_PROTOCOL_CAPABILITY_COMMAND_INT,
		common.MAV_PROTOCOL_CAPABILITY_PARAM_FLOAT, common.MAV_PROTOCOL_CAPABILITY_MAVLINK2,
		common.MAV_PROTOCOL_CAPABILITY_MISSION_FENCE, common.MAV_PROTOCOL_CAPABILITY_MISSION_RALLY,
	} {
		require.NotZero(t, av.Capabilities&c, c.String())
	}

	require.Equal(t, common.MAV_RESULT_ACCEPTED, request(242, 1))
	home := waitMsg[*common.MessageHomePosition](gcsPeer, 1, time.Second, nil)
	require.Equal(t, int32(473977419), home.Latitude)
	require.Equal(t, int32(488000), home.Altitude)

	require.Equal(t, common.MAV_RESULT_ACCEPTED, request(259, 100))
	fr := gcsPeer.waitFor(time.Second, "CAMERA_INFORMATION", isMsg[*common.MessageCameraInformation](1))
	require.Equal(t, uint8(mavCompCamera), fr.ComponentID())
	ci := fr.Message().(*common.MessageCameraInformation)
	require.Equal(t, "SimCam", string(bytes.TrimRight(ci.ModelName[:], "\x00")))
	require.Equal(t, float32(4.5), ci.FocalLength)

	require.Equal(t, common.MAV_RESULT_ACCEPTED, request(269, 100))
	vs := waitMsg[*common.MessageVideoStreamInformation](gcsPeer, 1, time.Second, nil)
	require.Equal(t, cam.VideoURI, vs.Uri)
	require.Equal(t, uint16(70), vs.Hfov)

	require.Equal(t, common.MAV_RESULT_ACCEPTED, request(30, 1)) // any streamable message, once
	waitMsg[*common.MessageAttitude](gcsPeer, 1, time.Second, nil)

	require.Equal(t, common.MAV_RESULT_FAILED, request(12345, 1))
}

func TestSimTimesync(t *testing.T) {
	t.Parallel()
	fv, gcsPeer := startFakeSim(t, 0, nil)
	// The vehicle's clock starts with its first step; a request before it would be
	// answered with a boot time of zero.
	require.Eventually(t, func() bool {
		var booted bool
		fv.with(func(f *fakeVehicle) { booted = f.state.BootTime > 0 })
		return booted
	}, time.Second, 5*time.Millisecond)

	gcsPeer.send(&common.MessageTimesync{Tc1: 0, Ts1: 123456789, TargetSystem: 1, TargetComponent: 1})
	ts := waitMsg[*common.MessageTimesync](gcsPeer, 1, time.Second, nil)
	require.Equal(t, int64(123456789), ts.Ts1)
	require.Positive(t, ts.Tc1)
	fv.with(func(f *fakeVehicle) { require.LessOrEqual(t, ts.Tc1, int64(f.state.BootTime)) })
	require.Equal(t, uint8(peerSysID), ts.TargetSystem)

	// An answer (tc1 != 0) is not a request.
	gcsPeer.send(&common.MessageTimesync{Tc1: 5, Ts1: 1})
	require.Empty(t, gcsPeer.collect(200*time.Millisecond, isMsg[*common.MessageTimesync](1)))
}

// freeUDPAddr finds a loopback UDP port that is free right now.
func freeUDPAddr(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	addr := pc.LocalAddr().String()
	require.NoError(t, pc.Close())
	return addr
}

func TestSimTwoVehiclesOneSocket(t *testing.T) {
	t.Parallel()
	v1, v2 := newFakeVehicle(0), newFakeVehicle(0)
	addr := freeUDPAddr(t)
	s := &Sim{
		Endpoints:  []gomavlib.EndpointConf{gomavlib.EndpointUDPServer{Address: addr}},
		Vehicles:   []SimVehicle{{SysID: 1, Model: v1}, {SysID: 2, Model: v2}},
		StepPeriod: 10 * time.Millisecond,
	}
	require.NoError(t, s.Initialize())
	t.Cleanup(s.Close)

	gcsPeer := newTestPeer(t, gomavlib.EndpointUDPClient{Address: addr}, nil)
	// A UDP server learns of a GCS from its first packet, as ArduPilot's UDP ports do.
	gcsPeer.send(&common.MessageHeartbeat{Type: common.MAV_TYPE_GCS, Autopilot: common.MAV_AUTOPILOT_INVALID})

	seen := map[uint8]bool{}
	gcsPeer.waitFor(3*time.Second, "heartbeats from systems 1 and 2", func(fr *gomavlib.EventFrame) bool {
		if _, ok := fr.Message().(*common.MessageHeartbeat); ok {
			require.Equal(t, uint8(mavCompAutopilot), fr.ComponentID())
			seen[fr.SystemID()] = true
		}
		return seen[1] && seen[2]
	})

	gcsPeer.send(&common.MessageCommandLong{
		TargetSystem: 2, TargetComponent: 1, Command: common.MAV_CMD_COMPONENT_ARM_DISARM, Param1: 1,
	})
	acks := gcsPeer.collect(300*time.Millisecond, func(fr *gomavlib.EventFrame) bool {
		_, ok := fr.Message().(*common.MessageCommandAck)
		return ok
	})
	require.Len(t, acks, 1)
	require.Equal(t, uint8(2), acks[0].SystemID())
	v1.with(func(f *fakeVehicle) { require.False(t, f.state.Armed) })
	v2.with(func(f *fakeVehicle) { require.True(t, f.state.Armed) })

	// Broadcast (target 0) reaches both.
	gcsPeer.send(&common.MessageCommandLong{
		TargetSystem: 0, TargetComponent: 0, Command: common.MAV_CMD_COMPONENT_ARM_DISARM, Param1: 1,
	})
	acks = gcsPeer.collect(300*time.Millisecond, func(fr *gomavlib.EventFrame) bool {
		_, ok := fr.Message().(*common.MessageCommandAck)
		return ok
	})
	require.Len(t, acks, 2)
	require.ElementsMatch(t, []uint8{1, 2}, []uint8{acks[0].SystemID(), acks[1].SystemID()})
}

func TestSimSigning(t *testing.T) {
	t.Parallel()
	key := frame.NewV2Key(bytes.Repeat([]byte{0x4f}, 32))
	fv := newFakeVehicle(0)
	s, addr := startSim(t, func(s *Sim) { s.SigningKey = key }, SimVehicle{SysID: 1, Model: fv})

	arm := &common.MessageCommandLong{
		TargetSystem: 1, TargetComponent: 1, Command: common.MAV_CMD_COMPONENT_ARM_DISARM, Param1: 1,
	}

	unsigned := newTestPeer(t, gomavlib.EndpointTCPClient{Address: addr}, nil)
	waitMsg[*common.MessageHeartbeat](unsigned, 1, 2*time.Second, nil)
	unsigned.send(arm)
	require.Empty(t, unsigned.collect(500*time.Millisecond, isMsg[*common.MessageCommandAck](1)))
	fv.with(func(f *fakeVehicle) { require.False(t, f.state.Armed) })
	require.NotZero(t, atomic.LoadUint64(&s.parseErrs), "the unsigned frame is refused")

	// A peer with the key only accepts signed frames, so every frame it gets proves signing.
	signed := newTestPeer(t, gomavlib.EndpointTCPClient{Address: addr}, key)
	waitMsg[*common.MessageHeartbeat](signed, 1, 2*time.Second, nil)
	signed.send(arm)
	ack := waitMsg[*common.MessageCommandAck](signed, 1, time.Second, nil)
	require.Equal(t, common.MAV_RESULT_ACCEPTED, ack.Result)
	fv.with(func(f *fakeVehicle) { require.True(t, f.state.Armed) })
}

func TestSimStatusTextAndMissionReached(t *testing.T) {
	t.Parallel()
	fv, gcsPeer := startFakeSim(t, 0, nil)

	fv.with(func(f *fakeVehicle) {
		f.texts = append(f.texts, gcs.StatusText{Severity: gcs.SeverityInfo, Text: "Mission: 1 WP"})
		f.missions[0] = append(f.missions[0], f.homeItem(), f.homeItem(), f.homeItem())
		f.state.MissionCurrent = 1
	})
	st := waitMsg[*common.MessageStatustext](gcsPeer, 1, time.Second, nil)
	require.Equal(t, "Mission: 1 WP", st.Text)
	require.Equal(t, common.MAV_SEVERITY_INFO, st.Severity)
	cur := waitMsg[*common.MessageMissionCurrent](gcsPeer, 1, time.Second, nil)
	require.Equal(t, uint16(1), cur.Seq)
	require.Equal(t, uint16(3), cur.Total, "total excludes home")

	fv.with(func(f *fakeVehicle) { f.state.MissionCurrent = 2 })
	fr := gcsPeer.waitFor(time.Second, "MISSION_ITEM_REACHED", func(fr *gomavlib.EventFrame) bool {
		switch fr.Message().(type) {
		case *common.MessageMissionItemReached, *common.MessageMissionCurrent:
			return true
		}
		return false
	})
	require.Equal(t, uint16(1), fr.Message().(*common.MessageMissionItemReached).Seq, "reached comes first")
	cur = waitMsg[*common.MessageMissionCurrent](gcsPeer, 1, time.Second, nil)
	require.Equal(t, uint16(2), cur.Seq)
}

// TestSimCloseStopsEverything is not parallel, so no other test's goroutines come and go.
func TestSimCloseStopsEverything(t *testing.T) {
	before := runtime.NumGoroutine()

	s, addr := startSim(t, func(s *Sim) { s.Impairment.Latency = 10 * time.Millisecond }, SimVehicle{SysID: 1, Model: newFakeVehicle(10)})
	gcsNode := &gomavlib.Node{
		Endpoints:        []gomavlib.EndpointConf{gomavlib.EndpointTCPClient{Address: addr}},
		Dialect:          ardupilotmega.Dialect,
		OutVersion:       gomavlib.V2,
		OutSystemID:      peerSysID,
		HeartbeatDisable: true,
	}
	require.NoError(t, gcsNode.Initialize())
	for evt := range gcsNode.Events() {
		if fr, ok := evt.(*gomavlib.EventFrame); ok {
			if _, ok := fr.Message().(*common.MessageHeartbeat); ok {
				break
			}
		}
	}
	go func() {
		for range gcsNode.Events() { //nolint:revive // drained until Close
		}
	}()
	gcsNode.Close()
	s.Close()
	s.Close() // twice is harmless

	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("goroutines before %d, after %d:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
