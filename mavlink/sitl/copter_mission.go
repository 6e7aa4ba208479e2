package sitl

import (
	"slices"

	"github.com/vigil-gcs/vigil/gcs"
)

// MAV_MISSION_RESULT values.
const (
	missionAccepted    uint8 = 0
	missionError       uint8 = 1
	missionUnsupported uint8 = 3
)

// Mission returns the stored list of a mission type. Item 0 of the mission list is home,
// refreshed on every read as ArduPilot does; with nothing uploaded the list is just home.
func (c *Copter) Mission(t gcs.MissionType) []gcs.MissionItem {
	if t > gcs.MissionTypeRally {
		return nil
	}
	items := slices.Clone(c.missions[t])
	if t == gcs.MissionTypeMission {
		if len(items) == 0 {
			items = make([]gcs.MissionItem, 1)
		}
		items[0] = c.homeItem()
	}
	return items
}

// homeItem is item 0 as ArduPilot reports it: a waypoint at home, altitude MSL.
func (c *Copter) homeItem() gcs.MissionItem {
	return gcs.MissionItem{
		Frame:        gcs.FrameGlobal,
		Command:      gcs.CmdNavWaypoint,
		Autocontinue: true,
		X:            c.home.Point.Lat(),
		Y:            c.home.Point.Lon(),
		Z:            c.home.AltMSLM,
	}
}

// SetMission replaces a stored list after a complete upload and returns a
// MAV_MISSION_RESULT. A fence the copter cannot make sense of is refused whole.
func (c *Copter) SetMission(t gcs.MissionType, items []gcs.MissionItem) uint8 {
	switch t {
	case gcs.MissionTypeMission:
		c.missions[t] = slices.Clone(items)
		c.autoReset()
	case gcs.MissionTypeFence:
		zones, r := c.parseFence(items)
		if r != missionAccepted {
			return r
		}
		c.missions[t] = slices.Clone(items)
		c.fence.zones = zones
		c.fence.breached = 0
	case gcs.MissionTypeRally:
		for _, it := range items {
			if it.Command != gcs.CmdNavRallyPoint {
				return missionUnsupported
			}
		}
		c.missions[t] = slices.Clone(items)
	default:
		return missionUnsupported
	}
	return missionAccepted
}

// SetMissionCurrent makes seq the next mission item to fly; false if out of range. In AUTO
// the copter turns to it at once; otherwise AUTO resumes there.
func (c *Copter) SetMissionCurrent(seq int) bool {
	n := len(c.missions[gcs.MissionTypeMission])
	if seq < 0 || seq >= max(n, 1) {
		return false
	}
	if n < 2 {
		return seq == 0
	}
	seq = max(seq, 1) // item 0 is home and never flown
	c.auto.complete = false
	if c.mode == modeAuto {
		c.autoLoad(seq, true)
		return true
	}
	c.auto.idx = seq
	c.auto.loaded = false
	return true
}
