package sitl

import (
	"reflect"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"

	"github.com/vigil-gcs/vigil/gcs"
)

// peer is the system and component a message came from; replies are addressed to it.
type peer struct {
	sysID, compID uint8
}

// vehicleServer is the MAVLink face of one simulated vehicle: it steps the model, schedules
// its telemetry and runs its side of the protocols. It belongs to the Sim's owner goroutine.
type vehicleServer struct {
	sysID uint8
	model Vehicle
	out   *frameOut

	state     VehicleState
	prevState VehicleState
	rates     [3]float64 // roll, pitch, yaw rates in rad/s, from successive states

	heartbeatPeriod time.Duration // whatever the GCS asked for, the vehicle says it is alive
	nextHeartbeat   time.Time
	streams         streamSchedule
	params          paramSender
	uploads         [3]missionUpload // one per gcs.MissionType

	missionCurrent int
	homeSent       *gcs.Position
}

func newVehicleServer(sysID uint8, model Vehicle, out *frameOut, now time.Time, heartbeatPeriod time.Duration) *vehicleServer {
	v := &vehicleServer{
		sysID:           sysID,
		model:           model,
		out:             out,
		heartbeatPeriod: heartbeatPeriod,
		nextHeartbeat:   now,
		streams:         newStreamSchedule(),
	}
	v.state = model.State()
	v.prevState = v.state
	v.missionCurrent = v.state.MissionCurrent
	return v
}

// send queues a message from one of the vehicle's components.
func (v *vehicleServer) send(now time.Time, compID uint8, msg message.Message) {
	v.out.send(now, v.sysID, compID, msg)
}

// step advances the model by dt of simulated time and reports what changed.
func (v *vehicleServer) step(now time.Time, dt time.Duration) {
	v.model.Step(dt)
	v.prevState, v.state = v.state, v.model.State()
	if sec := (v.state.BootTime - v.prevState.BootTime).Seconds(); sec > 0 {
		v.rates = [3]float64{
			angleWrapPi(v.state.Attitude.RollRad-v.prevState.Attitude.RollRad) / sec,
			angleWrapPi(v.state.Attitude.PitchRad-v.prevState.Attitude.PitchRad) / sec,
			angleWrapPi(v.state.Attitude.YawRad-v.prevState.Attitude.YawRad) / sec,
		}
	}

	for _, st := range v.model.TakeStatusTexts() {
		v.send(now, mavCompAutopilot, statusTextMsg(st))
	}

	// ArduPilot reports each reached item, then the new current one. Leaving item 0 (home)
	// to start a mission reaches nothing.
	if cur := v.state.MissionCurrent; cur != v.missionCurrent {
		if cur > v.missionCurrent && v.missionCurrent > 0 {
			v.send(now, mavCompAutopilot, &common.MessageMissionItemReached{Seq: uint16(v.missionCurrent)})
		}
		v.missionCurrent = cur
		v.send(now, mavCompAutopilot, v.missionCurrentMsg())
	}

	if home, ok := v.home(); ok && (v.homeSent == nil || *v.homeSent != home) {
		v.homeSent = &home
		v.send(now, mavCompAutopilot, v.homePositionMsg(now))
	}
}

// tick sends what is due: the heartbeat, requested streams, transfer retries.
func (v *vehicleServer) tick(now time.Time) {
	if !now.Before(v.nextHeartbeat) {
		v.sendHeartbeat(now)
	}
	v.streams.due(now, func(id uint32) {
		if comp, msg := v.telemetry(now, id); msg != nil {
			v.send(now, comp, msg)
		}
	})
	for t := range v.uploads {
		v.uploads[t].tick(now, v, gcs.MissionType(t))
	}
}

func (v *vehicleServer) sendHeartbeat(now time.Time) {
	v.nextHeartbeat = now.Add(v.heartbeatPeriod)
	v.send(now, mavCompAutopilot, v.heartbeatMsg())
	if v.state.Winch != nil {
		v.send(now, mavCompWinch, winchHeartbeatMsg())
	}
}

// handle acts on one message addressed to this vehicle (or broadcast).
func (v *vehicleServer) handle(now time.Time, from peer, msg message.Message) {
	// Answer from the model as it is now, not as it was at the last step.
	v.state = v.model.State()

	switch m := msg.(type) {
	case *common.MessageCommandLong:
		v.handleCommandLong(now, from, m)
	case *common.MessageCommandInt:
		v.handleCommandInt(now, from, m)
	case *common.MessageSetMode:
		v.handleSetMode(now, from, m)
	case *common.MessageSetPositionTargetGlobalInt:
		v.handleSetPositionTarget(m)
	case *common.MessageRequestDataStream:
		v.streams.requestDataStream(now, uint8(m.ReqStreamId), m.ReqMessageRate, m.StartStop != 0)
	case *common.MessageTimesync:
		v.handleTimesync(now, from, m)

	case *common.MessageParamRequestList:
		v.params.start(v.model.Params())
	case *common.MessageParamRequestRead:
		v.handleParamRead(now, m)
	case *common.MessageParamSet:
		v.handleParamSet(now, m)

	case *common.MessageMissionCount:
		v.handleMissionCount(now, from, m)
	case *common.MessageMissionItemInt:
		v.handleMissionItem(now, from, gcs.MissionType(m.MissionType), int(m.Seq), missionItemFromInt(m))
	case *common.MessageMissionItem:
		v.handleMissionItem(now, from, gcs.MissionType(m.MissionType), int(m.Seq), missionItemFromFloat(m))
	case *common.MessageMissionRequestList:
		v.handleMissionRequestList(now, from, gcs.MissionType(m.MissionType))
	case *common.MessageMissionRequestInt:
		v.handleMissionRequest(now, from, gcs.MissionType(m.MissionType), int(m.Seq), true)
	case *common.MessageMissionRequest:
		v.handleMissionRequest(now, from, gcs.MissionType(m.MissionType), int(m.Seq), false)
	case *common.MessageMissionClearAll:
		v.handleMissionClearAll(now, from, gcs.MissionType(m.MissionType))
	case *common.MessageMissionSetCurrent:
		v.handleMissionSetCurrent(now, int(m.Seq))
	}
}

// targetSystem reads a message's target_system field, if it has one. Messages without one
// (HEARTBEAT, a MAVLink 1 TIMESYNC) concern every vehicle.
func targetSystem(msg message.Message) (uint8, bool) {
	rv := reflect.ValueOf(msg)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return 0, false
	}
	f := rv.Elem().FieldByName("TargetSystem")
	if !f.IsValid() || f.Kind() != reflect.Uint8 {
		return 0, false
	}
	return uint8(f.Uint()), true
}

// home returns the vehicle's home, once it has one.
func (v *vehicleServer) home() (gcs.Position, bool) {
	h := v.state.Home
	return h, h.Point[0] != 0 || h.Point[1] != 0
}
