// Package sitl is Vigil's built-in simulator: simulated autopilots that speak MAVLink over
// real sockets the way ArduPilot does, so the same GCS code flies them, ArduPilot SITL and
// real vehicles unchanged.
//
// The package has two halves that meet in this file: a Vehicle model (copter.go and friends:
// physics, flight modes, missions, parameters, all pure and stepped by simulated time) and the
// Sim server (sim.go and friends: sockets, telemetry streams, the MAVLink protocols and link
// impairment) that owns the models and feeds them what the GCS asks.
package sitl

import (
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// Vehicle is a simulated autopilot as the Sim server sees it. Implementations are not safe for
// concurrent use: the Sim calls them from one goroutine per vehicle.
type Vehicle interface {
	// Step advances the simulation by dt of simulated time.
	Step(dt time.Duration)

	// State is a snapshot of everything the telemetry streams report.
	State() VehicleState

	// Command executes a COMMAND_LONG or COMMAND_INT (params 5-7 already converted to degrees
	// for global frames) and returns a MAV_RESULT. A refusal also queues a STATUSTEXT that
	// explains it, as ArduPilot does ("PreArm: GPS not healthy" / "Arm: ...").
	Command(cmd uint16, p [7]float64, frame uint8) (result uint8)

	// SetMode switches to an ArduPilot custom mode number, returning a MAV_RESULT.
	SetMode(customMode uint32) (result uint8)

	// Mission returns the stored list of a mission type (item 0 of the mission list is home,
	// refreshed on read as ArduPilot does).
	Mission(t gcs.MissionType) []gcs.MissionItem
	// SetMission replaces a stored list after a complete upload; it returns a MAV_MISSION_RESULT
	// (0 accepted) so a list the vehicle cannot hold can be refused.
	SetMission(t gcs.MissionType, items []gcs.MissionItem) (result uint8)
	// SetMissionCurrent makes seq the next mission item to fly; false if out of range.
	SetMissionCurrent(seq int) bool

	// Params lists every parameter in a stable order (index = position).
	Params() []gcs.Param
	// SetParam stores a value; false for an unknown name.
	SetParam(name string, value float64) (gcs.Param, bool)

	// TakeStatusTexts returns and clears the messages the vehicle wants to say.
	TakeStatusTexts() []gcs.StatusText
}

// VehicleState is what the telemetry streams report about a simulated vehicle.
type VehicleState struct {
	BootTime     time.Duration // simulated time since boot (time_boot_ms)
	Type         gcs.VehicleType
	CustomMode   uint32
	Armed        bool
	SystemStatus uint8 // MAV_STATE: 3 standby, 4 active, 5 critical
	Landed       bool

	Position    gcs.Position // AltRelM is above home
	Attitude    gcs.Attitude
	Velocity    gcs.Velocity
	AirspeedMps float64
	ThrottlePct int

	Home gcs.Position

	Battery    gcs.Battery
	GPS        gcs.GPS
	EKFHealthy bool
	PrearmOK   bool

	MissionCurrent int // seq of the item being flown
	MissionCount   int

	Gimbal gcs.GimbalAttitude // EarthFrame per GIMBAL_DEVICE_ATTITUDE_STATUS flags
	// ROI is the point the camera stares at, if one is set.
	ROI *gcs.Position

	// Camera is set when a camera is attached; VideoURI then names its RTSP stream.
	Camera *gcs.CameraInfo

	// WindNorthMps and WindEastMps are the simulated wind.
	WindNorthMps, WindEastMps float64

	// Winch is set on a tethered vehicle: its winch component (169) then heartbeats, takes
	// MAV_CMD_DO_WINCH and reports WINCH_STATUS.
	Winch *gcs.Winch
	// TetherPower is set when power comes up a tether (GENERATOR_STATUS).
	TetherPower *gcs.TetherPower
	// Fence is set while the geofence is enabled (FENCE_STATUS).
	Fence *FenceReport
}

// FenceReport is what FENCE_STATUS carries.
type FenceReport struct {
	Breached   bool
	Breaches   int
	LastBreach int // FENCE_BREACH: 0 none, 2 maximum altitude, 3 boundary
	LastTime   time.Duration
}
