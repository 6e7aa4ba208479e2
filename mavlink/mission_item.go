package mavlink

import (
	"fmt"
	"math"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/vigil-gcs/vigil/gcs"
)

// missionItemInt encodes an item as MISSION_ITEM_INT: latitude and longitude of global frames
// travel as degrees × 10⁷ (about 1 cm), anything else as a plain integer.
func missionItemInt(it gcs.MissionItem, seq uint16, to target, t gcs.MissionType) *common.MessageMissionItemInt {
	scale := 1.0
	if it.IsGlobal() {
		scale = 1e7
	}
	return &common.MessageMissionItemInt{
		TargetSystem: to.sys, TargetComponent: to.comp, Seq: seq,
		Frame: common.MAV_FRAME(it.Frame), Command: common.MAV_CMD(it.Command),
		Current: boolByte(it.Current), Autocontinue: boolByte(it.Autocontinue),
		Param1: float32(it.Param1), Param2: float32(it.Param2),
		Param3: float32(it.Param3), Param4: float32(it.Param4),
		X: int32(math.Round(it.X * scale)), Y: int32(math.Round(it.Y * scale)), Z: float32(it.Z),
		MissionType: common.MAV_MISSION_TYPE(t),
	}
}

// missionItemFloat encodes an item as the legacy MISSION_ITEM, whose float32 degrees are only
// good to about a metre: used only for autopilots that ask with MISSION_REQUEST.
func missionItemFloat(it gcs.MissionItem, seq uint16, to target, t gcs.MissionType) *common.MessageMissionItem {
	return &common.MessageMissionItem{
		TargetSystem: to.sys, TargetComponent: to.comp, Seq: seq,
		Frame: common.MAV_FRAME(it.Frame), Command: common.MAV_CMD(it.Command),
		Current: boolByte(it.Current), Autocontinue: boolByte(it.Autocontinue),
		Param1: float32(it.Param1), Param2: float32(it.Param2),
		Param3: float32(it.Param3), Param4: float32(it.Param4),
		X: float32(it.X), Y: float32(it.Y), Z: float32(it.Z),
		MissionType: common.MAV_MISSION_TYPE(t),
	}
}

func fromMissionItemInt(m *common.MessageMissionItemInt) gcs.MissionItem {
	it := gcs.MissionItem{
		Frame: uint8(m.Frame), Command: uint16(m.Command),
		Current: m.Current != 0, Autocontinue: m.Autocontinue != 0,
		Param1: float64(m.Param1), Param2: float64(m.Param2),
		Param3: float64(m.Param3), Param4: float64(m.Param4),
		X: float64(m.X), Y: float64(m.Y), Z: float64(m.Z),
	}
	if it.IsGlobal() {
		it.X /= 1e7
		it.Y /= 1e7
	}
	return it
}

func fromMissionItemFloat(m *common.MessageMissionItem) gcs.MissionItem {
	return gcs.MissionItem{
		Frame: uint8(m.Frame), Command: uint16(m.Command),
		Current: m.Current != 0, Autocontinue: m.Autocontinue != 0,
		Param1: float64(m.Param1), Param2: float64(m.Param2),
		Param3: float64(m.Param3), Param4: float64(m.Param4),
		X: float64(m.X), Y: float64(m.Y), Z: float64(m.Z),
	}
}

// missionItemOf decodes either item message with its sequence number and list type.
func missionItemOf(msg message.Message) (seq uint16, t gcs.MissionType, it gcs.MissionItem, ok bool) {
	switch m := msg.(type) {
	case *common.MessageMissionItemInt:
		return m.Seq, gcs.MissionType(m.MissionType), fromMissionItemInt(m), true
	case *common.MessageMissionItem:
		return m.Seq, gcs.MissionType(m.MissionType), fromMissionItemFloat(m), true
	}
	return 0, 0, gcs.MissionItem{}, false
}

// checkMissionItems rejects what the wire cannot carry, before anything is sent: a list
// longer than a uint16 sequence number, coordinates off the globe or beyond an int32.
func checkMissionItems(items []gcs.MissionItem) error {
	if len(items) > math.MaxUint16 {
		return fmt.Errorf("a mission list holds at most %d items, not %d", math.MaxUint16, len(items))
	}
	for i, it := range items {
		switch {
		case it.IsGlobal() && !(math.Abs(it.X) <= 90):
			return fmt.Errorf("mission item %d: latitude %g is not between -90 and 90 degrees", i, it.X)
		case it.IsGlobal() && !(math.Abs(it.Y) <= 180):
			return fmt.Errorf("mission item %d: longitude %g is not between -180 and 180 degrees", i, it.Y)
		case !it.IsGlobal() && !(math.Abs(it.X) <= math.MaxInt32 && math.Abs(it.Y) <= math.MaxInt32):
			return fmt.Errorf("mission item %d: x %g or y %g does not fit the protocol's 32-bit integers", i, it.X, it.Y)
		}
	}
	return nil
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
