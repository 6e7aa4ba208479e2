package sitl

import (
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"

	"github.com/vigil-gcs/vigil/gcs"
)

// MAV_CMD values the server answers itself; every other command goes to the model.
const (
	mavCmdGetMessageInterval  uint16 = 510
	mavCmdSetMessageInterval  uint16 = 511
	mavCmdRequestMessage      uint16 = 512
	mavCmdRequestCapabilities uint16 = 520
	mavCmdDoSetMissionCurrent uint16 = 224
	mavCmdDoReposition        uint16 = 192
	commandSetModeMessageID   uint16 = 11 // ArduPilot acks SET_MODE with the message id as command
)

// MAV_RESULT values.
const (
	mavResultAccepted    uint8 = 0
	mavResultDenied      uint8 = 2
	mavResultUnsupported uint8 = 3
	mavResultFailed      uint8 = 4
)

// multirotorModeGuided is ArduCopter's GUIDED custom mode, the only one that takes position targets.
const multirotorModeGuided = 4

func (v *vehicleServer) handleCommandLong(now time.Time, from peer, m *common.MessageCommandLong) {
	p := [7]float64{
		float64(m.Param1), float64(m.Param2), float64(m.Param3), float64(m.Param4),
		float64(m.Param5), float64(m.Param6), float64(m.Param7),
	}
	// ArduPilot reads the positions in a COMMAND_LONG as relative to home. A retry
	// (confirmation > 0) is handled like the first send: the GCS retries only idempotent ones.
	v.command(now, from, uint16(m.Command), p, gcs.FrameGlobalRelativeAlt, m.TargetComponent)
}

func (v *vehicleServer) handleCommandInt(now time.Time, from peer, m *common.MessageCommandInt) {
	frame := uint8(m.Frame)
	x, y := float64(m.X), float64(m.Y)
	if (gcs.MissionItem{Frame: frame}).IsGlobal() {
		x, y = x/1e7, y/1e7
	}
	p := [7]float64{
		float64(m.Param1), float64(m.Param2), float64(m.Param3), float64(m.Param4),
		x, y, float64(m.Z),
	}
	v.command(now, from, uint16(m.Command), p, frame, m.TargetComponent)
}

// command runs one COMMAND_LONG/COMMAND_INT and acknowledges it from the component it was
// addressed to.
func (v *vehicleServer) command(now time.Time, from peer, cmd uint16, p [7]float64, frame, targetComp uint8) {
	ackComp := uint8(mavCompAutopilot)
	switch targetComp {
	case mavCompCamera:
		if v.state.Camera == nil {
			return // no camera component on this vehicle: silence, as on a real link
		}
		ackComp = mavCompCamera
	case mavCompGimbal:
		ackComp = mavCompGimbal
	case mavCompWinch:
		if v.state.Winch == nil {
			return // no winch on this vehicle: silence
		}
		ackComp = mavCompWinch
	}
	// A component says why it refused from itself, so a GCS listening to it hears it.
	textComp := uint8(mavCompAutopilot)
	if ackComp == mavCompWinch {
		textComp = mavCompWinch
	}

	var result uint8
	var reply func()
	switch cmd {
	case mavCmdSetMessageInterval:
		result = mavResultDenied
		if v.streams.setInterval(now, uint32(p[0]), p[1]) {
			result = mavResultAccepted
		}
	case mavCmdGetMessageInterval:
		id := uint32(p[0])
		iv := int32(-1)
		if d := v.streams.interval(id); d > 0 {
			iv = int32(d / time.Microsecond)
		}
		result = mavResultAccepted
		reply = func() {
			v.send(now, mavCompAutopilot, &common.MessageMessageInterval{MessageId: uint16(id), IntervalUs: iv})
		}
	case mavCmdRequestMessage:
		result, reply = v.requestMessage(now, uint32(p[0]))
	case mavCmdRequestCapabilities:
		result, reply = v.requestMessage(now, msgAutopilotVersion)
	case mavCmdDoSetMissionCurrent:
		result = mavResultDenied
		if v.setMissionCurrent(now, int(p[0])) {
			result = mavResultAccepted
		}
	default:
		result = v.model.Command(cmd, p, frame)
		// ArduPilot says why before it acks, so a GCS has the reason when the refusal lands.
		for _, st := range v.model.TakeStatusTexts() {
			v.send(now, textComp, statusTextMsg(st))
		}
	}

	v.send(now, ackComp, &common.MessageCommandAck{
		Command:         common.MAV_CMD(cmd),
		Result:          common.MAV_RESULT(result),
		TargetSystem:    from.sysID,
		TargetComponent: from.compID,
	})
	if reply != nil {
		reply()
	}
}

// requestMessage answers MAV_CMD_REQUEST_MESSAGE: the result and a function sending the
// message after the ack. Unknown ids fail, as ArduPilot's do.
func (v *vehicleServer) requestMessage(now time.Time, id uint32) (uint8, func()) {
	st := v.state
	var comp uint8 = mavCompAutopilot
	var msg message.Message
	switch id {
	case msgAutopilotVersion:
		msg = v.autopilotVersionMsg()
	case msgCameraInformation:
		if st.Camera != nil {
			comp, msg = mavCompCamera, cameraInformationMsg(st)
		}
	case msgVideoStreamInfo:
		if st.Camera != nil {
			comp, msg = mavCompCamera, videoStreamInformationMsg(st.Camera)
		}
	case msgGimbalDeviceInfo:
		comp, msg = mavCompGimbal, gimbalDeviceInformationMsg(st)
	default:
		comp, msg = v.telemetry(now, id)
	}
	if msg == nil {
		return mavResultFailed, nil
	}
	return mavResultAccepted, func() { v.send(now, comp, msg) }
}

func (v *vehicleServer) handleSetMode(now time.Time, from peer, m *common.MessageSetMode) {
	result := mavResultUnsupported // ArduPilot cannot map a bare base_mode to a flight mode
	if m.BaseMode&baseModeCustom != 0 {
		result = v.model.SetMode(m.CustomMode)
		for _, st := range v.model.TakeStatusTexts() {
			v.send(now, mavCompAutopilot, statusTextMsg(st))
		}
	}
	v.send(now, mavCompAutopilot, &common.MessageCommandAck{
		Command:         common.MAV_CMD(commandSetModeMessageID),
		Result:          common.MAV_RESULT(result),
		TargetSystem:    from.sysID,
		TargetComponent: from.compID,
	})
}

// Position-target type mask bits (POSITION_TARGET_TYPEMASK).
const (
	typeMaskIgnorePosition = 1 | 2 | 4
	typeMaskIgnoreYaw      = 1024
)

// handleSetPositionTarget flies to a SET_POSITION_TARGET_GLOBAL_INT position in GUIDED, as a
// reposition; ArduCopter ignores position targets in other modes and never acks them.
func (v *vehicleServer) handleSetPositionTarget(m *common.MessageSetPositionTargetGlobalInt) {
	if !isMultirotor(v.state.Type) || v.state.CustomMode != multirotorModeGuided {
		return
	}
	if m.TypeMask&typeMaskIgnorePosition != 0 {
		return // velocity or acceleration control: not simulated
	}
	yawDeg := math.NaN()
	if m.TypeMask&typeMaskIgnoreYaw == 0 {
		yawDeg = float64(m.Yaw) * 180 / math.Pi
	}
	p := [7]float64{-1, 0, 0, yawDeg, float64(m.LatInt) / 1e7, float64(m.LonInt) / 1e7, float64(m.Alt)}
	v.model.Command(mavCmdDoReposition, p, uint8(m.CoordinateFrame))
}

// handleTimesync answers a TIMESYNC request (tc1 == 0) with the vehicle's boot time.
func (v *vehicleServer) handleTimesync(now time.Time, from peer, m *common.MessageTimesync) {
	if m.Tc1 != 0 {
		return // an answer to a request of ours: the simulator sends none
	}
	v.send(now, mavCompAutopilot, &common.MessageTimesync{
		Tc1:             int64(v.state.BootTime),
		Ts1:             m.Ts1,
		TargetSystem:    from.sysID,
		TargetComponent: from.compID,
	})
}
