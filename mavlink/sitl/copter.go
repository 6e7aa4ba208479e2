package sitl

import (
	"math"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// maxSubstep bounds one physics step, so a Sim that steps coarsely still flies smoothly.
const maxSubstep = 50 * time.Millisecond

// CopterConfig configures a simulated ArduCopter.
type CopterConfig struct {
	// Home is where the copter boots, on the ground (AltRelM 0). Required.
	Home gcs.Position
	// GPSDelay is the simulated time until a 3D fix. It defaults to 4 seconds; a negative
	// value gives a fix at boot.
	GPSDelay time.Duration
	// Camera describes the attached camera; nil means none.
	Camera *gcs.CameraInfo
	// WindMps and WindFromDeg set a steady wind; gusts of ±30 % come from Seed.
	WindMps, WindFromDeg float64
	// Seed makes gusts (and so whole flights) repeatable.
	Seed int64
	// ExtraParams adds that many synthetic parameters (SIM_EXTRA_0001 …) so benchmarks can
	// pull parameter lists as long as a real vehicle's.
	ExtraParams int
}

// Copter is a simulated ArduCopter 4.x quadcopter: flight modes, arming, missions, fence,
// battery, gimbal and parameters, stepped by simulated time. It implements Vehicle.
type Copter struct {
	conf       CopterConfig
	params     paramTable
	frame      localFrame
	groundMSLM float64 // the ground is flat, at the boot home's altitude

	now time.Duration

	kin     kinematics
	armed   bool
	landed  bool
	falling bool // disarmed in the air
	// touchedDown is set when a flight ends on the ground, so landing modes disarm promptly.
	touchedDown bool
	landedFor   time.Duration // armed on the ground this long

	mode       uint32
	home       gcs.Position
	homeLocked bool // DO_SET_HOME fixes home; otherwise arming moves it

	hold          target   // hold modes and GUIDED
	guidedYaw     *float64 // DO_REPOSITION heading
	speedOverride float64  // DO_CHANGE_SPEED, m/s; 0 means WPNAV_SPEED
	climbOverride float64
	sinkOverride  float64
	paused        bool // DO_PAUSE_CONTINUE in AUTO
	circle        circleState
	orbiting      *orbitState // DO_ORBIT, a GUIDED submode
	land          target
	rtl           rtlState
	auto          autoState

	missions [3][]gcs.MissionItem
	fence    fenceState
	battery  battery
	gimbal   gimbal
	wind     wind
	trigger  cameraTrigger

	statusTexts
}

// target is a point the copter flies to or holds, in the local frame.
type target struct {
	northM, eastM, altMSLM float64
}

var _ Vehicle = (*Copter)(nil)

// NewCopter returns a copter on the ground at conf.Home, disarmed and waiting for GPS.
func NewCopter(conf CopterConfig) *Copter {
	if conf.GPSDelay == 0 {
		conf.GPSDelay = 4 * time.Second
	}
	c := &Copter{
		conf:       conf,
		params:     newParamTable(conf.ExtraParams),
		frame:      newLocalFrame(conf.Home.Point),
		groundMSLM: conf.Home.AltMSLM,
		landed:     true,
		mode:       modeStabilize,
		wind:       newWind(conf.WindMps, conf.WindFromDeg, conf.Seed),
		gimbal:     newGimbal(),
	}
	c.home = gcs.Position{Point: conf.Home.Point, AltMSLM: conf.Home.AltMSLM}
	c.kin.altMSLM = c.groundMSLM
	c.auto.jumps = map[int]int{}
	return c
}

// Step advances the simulation by dt of simulated time.
func (c *Copter) Step(dt time.Duration) {
	for dt > 0 {
		sub := min(dt, maxSubstep)
		c.step(sub)
		dt -= sub
	}
}

func (c *Copter) step(d time.Duration) {
	dt := d.Seconds()
	c.now += d
	c.wind.step(dt)

	switch {
	case c.falling:
		if c.fall(dt) {
			c.falling = false
			c.landed = true
			c.settle()
		}
	case c.armed:
		g, fly := c.modeGuidance(d)
		if fly && !c.landed {
			if c.fly(dt, g) {
				c.touchdown()
			}
		}
	}
	if c.landed {
		c.settle()
	}

	c.stepGimbal(dt)
	c.stepBattery(d)
	c.stepFence()
	c.stepAutoDisarm(d)
	c.stepTrigger()
}

// touchdown ends a flight: the land detector sees the copter on the ground.
func (c *Copter) touchdown() {
	c.landed = true
	c.touchedDown = true
	c.landedFor = 0
	c.settle()
}

// liftoff starts a flight from the ground.
func (c *Copter) liftoff() {
	c.landed = false
	c.touchedDown = false
	c.landedFor = 0
}

// flying reports whether the copter is airborne (what ArduCopter calls !land_complete).
func (c *Copter) flying() bool { return !c.landed }

// gpsFix reports whether the GPS has its 3D fix yet.
func (c *Copter) gpsFix() bool { return c.conf.GPSDelay < 0 || c.now >= c.conf.GPSDelay }

// position returns where the copter is.
func (c *Copter) position() gcs.Position {
	return gcs.Position{
		Point:   c.frame.toPoint(c.kin.northM, c.kin.eastM),
		AltMSLM: c.kin.altMSLM,
		AltRelM: c.kin.altMSLM - c.home.AltMSLM,
	}
}

// State is a snapshot of everything the telemetry streams report.
func (c *Copter) State() VehicleState {
	k := c.kin
	s := VehicleState{
		BootTime:     c.now,
		Type:         gcs.VehicleQuadrotor,
		CustomMode:   c.mode,
		Armed:        c.armed,
		SystemStatus: c.systemStatus(),
		Landed:       c.landed,
		Position:     c.position(),
		Attitude:     gcs.Attitude{RollRad: k.roll, PitchRad: k.pitch, YawRad: k.yaw},
		Velocity:     gcs.Velocity{NorthMps: k.velN, EastMps: k.velE, DownMps: -k.velUp},
		AirspeedMps:  math.Hypot(k.velN-c.wind.northMps, k.velE-c.wind.eastMps),
		ThrottlePct:  c.throttlePct(),
		Home:         c.home,
		Battery:      c.batteryState(),
		EKFHealthy:   c.gpsFix(),
		PrearmOK:     c.prearmFailure() == "",

		MissionCurrent: c.auto.idx,
		MissionCount:   max(len(c.missions[gcs.MissionTypeMission]), 1), // home is always item 0

		Gimbal:       c.gimbalAttitude(),
		ROI:          c.roiPosition(),
		Camera:       c.conf.Camera,
		WindNorthMps: c.wind.northMps,
		WindEastMps:  c.wind.eastMps,
		Fence:        c.fenceReport(),
	}
	s.Home.AltRelM = 0
	if c.gpsFix() {
		s.GPS = gcs.GPS{FixType: 3, Satellites: 12, HDOP: 0.8}
	} else {
		s.GPS = gcs.GPS{FixType: 0, Satellites: 0, HDOP: 99.99}
	}
	return s
}

// systemStatus is MAV_STATE: standby on the ground disarmed, active when armed, critical
// while a failsafe holds.
func (c *Copter) systemStatus() uint8 {
	switch {
	case !c.armed:
		return 3
	case c.battery.level > battOK:
		return 5
	}
	return 4
}

// throttlePct is the collective throttle: MOT_THST_HOVER in a hover, scaled by thrust.
func (c *Copter) throttlePct() int {
	if !c.armed || c.landed {
		return 0
	}
	hover := c.param("MOT_THST_HOVER")
	if hover <= 0 {
		hover = 0.35
	}
	return int(math.Round(clamp(100*hover*c.thrustRatio(), 0, 100)))
}
