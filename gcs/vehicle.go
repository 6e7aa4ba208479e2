package gcs

import (
	"time"

	"github.com/paulmach/orb"
)

// VehicleType is MAVLink's MAV_TYPE as the vehicle reports it in HEARTBEAT.
type VehicleType uint8

// Vehicle types Vigil treats specially (MAV_TYPE values).
const (
	VehicleFixedWing   VehicleType = 1
	VehicleQuadrotor   VehicleType = 2
	VehicleGroundRover VehicleType = 10
	VehicleHexarotor   VehicleType = 13
	VehicleOctorotor   VehicleType = 14
	VehicleAirship     VehicleType = 7
	VehicleFreeBalloon VehicleType = 8
)

// Autopilot is MAVLink's MAV_AUTOPILOT.
type Autopilot uint8

// Autopilots whose flight modes Vigil can name.
const (
	AutopilotGeneric   Autopilot = 0
	AutopilotArduPilot Autopilot = 3
	AutopilotPX4       Autopilot = 12
	AutopilotInvalid   Autopilot = 8 // sent by non-flight-controller components
)

// Position is a geodetic position with both altitudes MAVLink reports.
type Position struct {
	Point   orb.Point // {lon, lat} in degrees
	AltMSLM float64   // metres above mean sea level
	AltRelM float64   // metres above home
}

// Attitude is the vehicle's orientation (ZYX Euler angles, NED frame).
type Attitude struct {
	RollRad, PitchRad, YawRad float64
}

// Velocity is the vehicle's velocity in the local NED frame.
type Velocity struct {
	NorthMps, EastMps, DownMps float64
}

// Battery is the state of the main battery. RemainingPct is -1 when unknown.
type Battery struct {
	VoltageV     float64
	CurrentA     float64
	RemainingPct int
}

// GPS is the state of the primary GNSS receiver.
type GPS struct {
	FixType    int // GPS_FIX_TYPE: 0-1 no fix, 2 2D, 3 3D, 4 DGPS, 5 RTK float, 6 RTK fixed
	Satellites int
	HDOP       float64
}

// Severity is a STATUSTEXT severity (MAV_SEVERITY): 0 emergency … 7 debug.
type Severity uint8

// Severities, as in MAV_SEVERITY.
const (
	SeverityEmergency Severity = iota
	SeverityAlert
	SeverityCritical
	SeverityError
	SeverityWarning
	SeverityNotice
	SeverityInfo
	SeverityDebug
)

var severityNames = [...]string{"EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"}

func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return "UNKNOWN"
}

// StatusText is one message the vehicle said, with the GCS time it arrived.
type StatusText struct {
	Time     time.Time
	Severity Severity
	Text     string
}

// GimbalAttitude is the camera mount's orientation. A stabilised gimbal (MAVLink gimbal v2)
// holds roll and pitch against the horizon; its yaw is relative to north when EarthFrame is
// true, otherwise to the vehicle's heading. BodyFrame marks a camera fixed to the airframe,
// whose angles are all relative to the vehicle's body.
type GimbalAttitude struct {
	Time       time.Time
	RollRad    float64
	PitchRad   float64
	YawRad     float64
	EarthFrame bool
	BodyFrame  bool
}

// CameraInfo is what the vehicle's camera says about itself (CAMERA_INFORMATION and
// VIDEO_STREAM_INFORMATION).
type CameraInfo struct {
	Vendor, Model    string
	FocalLengthMM    float64
	SensorWidthMM    float64
	SensorHeightMM   float64
	ResolutionH      int
	ResolutionV      int
	VideoURI         string
	VideoHFOVDeg     float64
	VideoResolutionH int
	VideoResolutionV int
}

// LinkStats counts what arrived on one link (or from one vehicle on it).
type LinkStats struct {
	Packets     uint64
	Lost        uint64 // frames missing from the sequence numbers
	Bytes       uint64
	BytesPerSec float64
	ParseErrors uint64
}

// LossPct is the percentage of frames lost, judged by MAVLink sequence numbers.
func (s LinkStats) LossPct() float64 {
	if s.Packets+s.Lost == 0 {
		return 0
	}
	return 100 * float64(s.Lost) / float64(s.Packets+s.Lost)
}

// Vehicle is a snapshot of everything the station knows about one vehicle. Vehicles are
// identified by their MAVLink system id; a vehicle seen on two links is one vehicle.
type Vehicle struct {
	SysID     uint8
	CompID    uint8 // the autopilot's component id
	Type      VehicleType
	Autopilot Autopilot

	Connected     bool      // false once no HEARTBEAT arrived for the lost timeout
	FirstSeen     time.Time // GCS time
	LastHeartbeat time.Time // GCS time

	Mode         string // human name ("GUIDED"), or "Mode(N)" when unknown
	CustomMode   uint32
	Armed        bool
	SystemStatus string // MAV_STATE name: STANDBY, ACTIVE, CRITICAL, ...

	Position       Position
	PositionValid  bool
	Attitude       Attitude
	Velocity       Velocity
	GroundSpeedMps float64
	HeadingDeg     float64
	Battery        Battery
	GPS            GPS
	Home           *Position
	MissionCurrent int
	MissionCount   int

	EKFHealthy    bool
	PrearmHealthy bool // from SYS_STATUS MAV_SYS_STATUS_PREARM_CHECK, when reported

	StatusTexts []StatusText // most recent last, bounded
	Gimbal      *GimbalAttitude
	Camera      *CameraInfo

	// Winch, TetherPower and Wind are set once the vehicle reports them (a tethered
	// aerostat's winch component, tether power converter and wind estimate).
	Winch       *Winch
	TetherPower *TetherPower
	Wind        *Wind
	// Fence is the geofence's state, once the vehicle reports it (fence enabled).
	Fence *FenceStatus

	Links []string // names of the links this vehicle is heard on, most recent first
	Stats LinkStats
}
