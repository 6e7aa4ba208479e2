package gcs

import "errors"

// ErrListUnsupported is matched (errors.Is) by a vehicle's refusal of a whole list type: an
// autopilot without geofences or rally points.
var ErrListUnsupported = errors.New("the vehicle does not support this list")

// MissionType tells the three lists that share the mission protocol apart (MAV_MISSION_TYPE).
type MissionType uint8

// Mission types.
const (
	MissionTypeMission MissionType = 0
	MissionTypeFence   MissionType = 1
	MissionTypeRally   MissionType = 2
)

func (t MissionType) String() string {
	switch t {
	case MissionTypeMission:
		return "mission"
	case MissionTypeFence:
		return "fence"
	case MissionTypeRally:
		return "rally"
	}
	return "unknown"
}

// MAVLink frames (MAV_FRAME) used by mission items.
const (
	FrameGlobal            uint8 = 0 // altitude above mean sea level
	FrameMission           uint8 = 2 // not a position: x, y, z are plain parameters
	FrameGlobalRelativeAlt uint8 = 3 // altitude above home
	FrameGlobalTerrainAlt  uint8 = 10
)

// Mission commands (MAV_CMD) Vigil generates or the simulator flies.
const (
	CmdNavWaypoint               uint16 = 16
	CmdNavLoiterUnlim            uint16 = 17
	CmdNavLoiterTurns            uint16 = 18
	CmdNavLoiterTime             uint16 = 19
	CmdNavReturnToLaunch         uint16 = 20
	CmdNavLand                   uint16 = 21
	CmdNavTakeoff                uint16 = 22
	CmdDoJump                    uint16 = 177
	CmdDoChangeSpeed             uint16 = 178
	CmdDoSetHome                 uint16 = 179
	CmdDoSetROI                  uint16 = 201
	CmdDoSetCamTriggDist         uint16 = 206
	CmdDoMountControl            uint16 = 205
	CmdDoSetROILocation          uint16 = 195
	CmdDoSetROINone              uint16 = 197
	CmdDoGimbalManagerPitchYaw   uint16 = 1000
	CmdNavFenceReturnPoint       uint16 = 5000
	CmdNavFencePolygonVertexIncl uint16 = 5001
	CmdNavFencePolygonVertexExcl uint16 = 5002
	CmdNavFenceCircleIncl        uint16 = 5003
	CmdNavFenceCircleExcl        uint16 = 5004
	CmdNavRallyPoint             uint16 = 5100
)

// MissionItem is one item as it travels in the mission protocol (MISSION_ITEM_INT) and in
// .waypoints files. For global frames X is latitude and Y longitude in degrees and Z the
// altitude in metres; for FrameMission they are plain parameters 5-7. ArduPilot keeps home in
// item 0 of the mission list, and Vigil keeps that convention: the list is exactly what the
// vehicle holds.
type MissionItem struct {
	Frame        uint8
	Command      uint16
	Current      bool
	Autocontinue bool
	Param1       float64
	Param2       float64
	Param3       float64
	Param4       float64
	X            float64
	Y            float64
	Z            float64
}

// IsGlobal reports whether X and Y are latitude and longitude.
func (it MissionItem) IsGlobal() bool {
	switch it.Frame {
	case 0, 3, 5, 6, 10, 11:
		return true
	}
	return false
}
