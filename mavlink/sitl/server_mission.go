package sitl

import (
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"

	"github.com/vigil-gcs/vigil/gcs"
)

// The vehicle side of the mission protocol, shared by missions, fences and rally points
// (told apart by mission_type, echoed in every message), with ArduPilot's timing.
const (
	// uploadRetryPeriod is how long the vehicle waits for a requested item before asking again.
	uploadRetryPeriod = time.Second
	// uploadTimeout ends an upload the GCS abandoned (ArduPilot: 8 s without an item).
	uploadTimeout = 8 * time.Second
	// mavMissionTypeAll is MAV_MISSION_TYPE_ALL, only valid for MISSION_CLEAR_ALL.
	mavMissionTypeAll = 255
)

// MAV_MISSION_RESULT values the server sends itself.
const (
	mavMissionAccepted        uint8 = 0
	mavMissionUnsupported     uint8 = 3
	mavMissionInvalidSequence uint8 = 13
	mavMissionCancelled       uint8 = 15
)

// missionUpload is the state of one list being received from the GCS, and of the last one
// completed, whose final ACK is sent again if the GCS repeats the last item (its copy of the
// ACK was lost).
type missionUpload struct {
	active      bool
	from        peer
	count       int
	items       []gcs.MissionItem
	lastRequest time.Time
	lastReceive time.Time

	doneCount  int // 0: no completed upload to re-acknowledge
	doneResult uint8
}

func (v *vehicleServer) handleMissionCount(now time.Time, from peer, m *common.MessageMissionCount) {
	t := gcs.MissionType(m.MissionType)
	if t > gcs.MissionTypeRally {
		v.sendMissionAck(now, from, uint8(m.MissionType), mavMissionUnsupported)
		return
	}
	u := &v.uploads[t]
	if m.Count == 0 {
		*u = missionUpload{}
		v.sendMissionAck(now, from, uint8(t), v.model.SetMission(t, nil))
		return
	}
	// A new COUNT restarts any upload in progress: most often it is the GCS retrying because
	// our first request was lost.
	*u = missionUpload{
		active:      true,
		from:        from,
		count:       int(m.Count),
		items:       make([]gcs.MissionItem, 0, m.Count),
		lastReceive: now,
	}
	v.requestItem(now, t)
}

// requestItem asks for the next item, always as MISSION_ITEM_INT like ArduPilot.
func (v *vehicleServer) requestItem(now time.Time, t gcs.MissionType) {
	u := &v.uploads[t]
	u.lastRequest = now
	v.send(now, mavCompAutopilot, &common.MessageMissionRequestInt{
		TargetSystem:    u.from.sysID,
		TargetComponent: u.from.compID,
		Seq:             uint16(len(u.items)),
		MissionType:     common.MAV_MISSION_TYPE(t),
	})
}

func (v *vehicleServer) handleMissionItem(now time.Time, from peer, t gcs.MissionType, seq int, it gcs.MissionItem) {
	if t > gcs.MissionTypeRally {
		return
	}
	u := &v.uploads[t]
	if !u.active {
		if u.doneCount > 0 && seq == u.doneCount-1 {
			v.sendMissionAck(now, from, uint8(t), u.doneResult)
		}
		return
	}
	u.lastReceive = now
	if seq != len(u.items) {
		// A duplicate or an item from the future: ask again for the one we need.
		v.requestItem(now, t)
		return
	}
	u.items = append(u.items, it)
	if len(u.items) < u.count {
		v.requestItem(now, t)
		return
	}

	result := v.model.SetMission(t, u.items)
	*u = missionUpload{doneCount: u.count, doneResult: result}
	if t == gcs.MissionTypeMission {
		v.state = v.model.State() // MISSION_CURRENT must count the new list
		v.missionCurrent = v.state.MissionCurrent
	}
	v.sendMissionAck(now, from, uint8(t), result)
}

// tick re-requests a late item and abandons an upload the GCS stopped answering.
func (u *missionUpload) tick(now time.Time, v *vehicleServer, t gcs.MissionType) {
	if !u.active {
		return
	}
	if now.Sub(u.lastReceive) > uploadTimeout {
		from := u.from
		*u = missionUpload{}
		v.sendMissionAck(now, from, uint8(t), mavMissionCancelled)
		return
	}
	if now.Sub(u.lastRequest) >= uploadRetryPeriod {
		v.requestItem(now, t)
	}
}

func (v *vehicleServer) handleMissionRequestList(now time.Time, from peer, t gcs.MissionType) {
	if t > gcs.MissionTypeRally {
		v.sendMissionAck(now, from, uint8(t), mavMissionUnsupported)
		return
	}
	v.send(now, mavCompAutopilot, &common.MessageMissionCount{
		TargetSystem:    from.sysID,
		TargetComponent: from.compID,
		Count:           uint16(len(v.model.Mission(t))),
		MissionType:     common.MAV_MISSION_TYPE(t),
	})
}

// handleMissionRequest sends one stored item, as MISSION_ITEM_INT or, to a GCS that asked
// with the legacy MISSION_REQUEST, as MISSION_ITEM.
func (v *vehicleServer) handleMissionRequest(now time.Time, from peer, t gcs.MissionType, seq int, asInt bool) {
	if t > gcs.MissionTypeRally {
		v.sendMissionAck(now, from, uint8(t), mavMissionUnsupported)
		return
	}
	items := v.model.Mission(t)
	if seq < 0 || seq >= len(items) {
		v.sendMissionAck(now, from, uint8(t), mavMissionInvalidSequence)
		return
	}
	if asInt {
		v.send(now, mavCompAutopilot, missionItemToInt(from, t, seq, items[seq]))
	} else {
		v.send(now, mavCompAutopilot, missionItemToFloat(from, t, seq, items[seq]))
	}
}

func (v *vehicleServer) handleMissionClearAll(now time.Time, from peer, t gcs.MissionType) {
	switch {
	case t == mavMissionTypeAll:
		result := mavMissionAccepted
		for tt := gcs.MissionTypeMission; tt <= gcs.MissionTypeRally; tt++ {
			if r := v.model.SetMission(tt, nil); r != mavMissionAccepted {
				result = r
			}
		}
		v.sendMissionAck(now, from, uint8(t), result)
	case t > gcs.MissionTypeRally:
		v.sendMissionAck(now, from, uint8(t), mavMissionUnsupported)
	default:
		v.uploads[t] = missionUpload{}
		v.sendMissionAck(now, from, uint8(t), v.model.SetMission(t, nil))
	}
}

func (v *vehicleServer) handleMissionSetCurrent(now time.Time, seq int) {
	v.setMissionCurrent(now, seq)
}

// setMissionCurrent moves the mission on and reports the new current item (or the unchanged
// one, when seq is out of range) without a MISSION_ITEM_REACHED: nothing was reached.
func (v *vehicleServer) setMissionCurrent(now time.Time, seq int) bool {
	ok := v.model.SetMissionCurrent(seq)
	if ok {
		v.state.MissionCurrent = seq
		v.missionCurrent = seq
	}
	v.send(now, mavCompAutopilot, v.missionCurrentMsg())
	return ok
}

func (v *vehicleServer) sendMissionAck(now time.Time, to peer, t, result uint8) {
	v.send(now, mavCompAutopilot, &common.MessageMissionAck{
		TargetSystem:    to.sysID,
		TargetComponent: to.compID,
		Type:            common.MAV_MISSION_RESULT(result),
		MissionType:     common.MAV_MISSION_TYPE(t),
	})
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// missionItemFromInt converts a MISSION_ITEM_INT: degE7 for global frames, plain integers otherwise.
func missionItemFromInt(m *common.MessageMissionItemInt) gcs.MissionItem {
	it := gcs.MissionItem{
		Frame: uint8(m.Frame), Command: uint16(m.Command),
		Current: m.Current != 0, Autocontinue: m.Autocontinue != 0,
		Param1: float64(m.Param1), Param2: float64(m.Param2), Param3: float64(m.Param3), Param4: float64(m.Param4),
		X: float64(m.X), Y: float64(m.Y), Z: float64(m.Z),
	}
	if it.IsGlobal() {
		it.X, it.Y = it.X/1e7, it.Y/1e7
	}
	return it
}

func missionItemFromFloat(m *common.MessageMissionItem) gcs.MissionItem {
	return gcs.MissionItem{
		Frame: uint8(m.Frame), Command: uint16(m.Command),
		Current: m.Current != 0, Autocontinue: m.Autocontinue != 0,
		Param1: float64(m.Param1), Param2: float64(m.Param2), Param3: float64(m.Param3), Param4: float64(m.Param4),
		X: float64(m.X), Y: float64(m.Y), Z: float64(m.Z),
	}
}

func missionItemToInt(to peer, t gcs.MissionType, seq int, it gcs.MissionItem) *common.MessageMissionItemInt {
	x, y := int32(math.Round(it.X)), int32(math.Round(it.Y))
	if it.IsGlobal() {
		x, y = degE7(it.X), degE7(it.Y)
	}
	return &common.MessageMissionItemInt{
		TargetSystem: to.sysID, TargetComponent: to.compID,
		Seq: uint16(seq), Frame: common.MAV_FRAME(it.Frame), Command: common.MAV_CMD(it.Command),
		Current: boolByte(it.Current), Autocontinue: boolByte(it.Autocontinue),
		Param1: float32(it.Param1), Param2: float32(it.Param2), Param3: float32(it.Param3), Param4: float32(it.Param4),
		X: x, Y: y, Z: float32(it.Z),
		MissionType: common.MAV_MISSION_TYPE(t),
	}
}

func missionItemToFloat(to peer, t gcs.MissionType, seq int, it gcs.MissionItem) *common.MessageMissionItem {
	return &common.MessageMissionItem{
		TargetSystem: to.sysID, TargetComponent: to.compID,
		Seq: uint16(seq), Frame: common.MAV_FRAME(it.Frame), Command: common.MAV_CMD(it.Command),
		Current: boolByte(it.Current), Autocontinue: boolByte(it.Autocontinue),
		Param1: float32(it.Param1), Param2: float32(it.Param2), Param3: float32(it.Param3), Param4: float32(it.Param4),
		X: float32(it.X), Y: float32(it.Y), Z: float32(it.Z),
		MissionType: common.MAV_MISSION_TYPE(t),
	}
}
