package sitl

import (
	"fmt"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// ArduCopter flight modes (custom_mode numbers).
const (
	modeStabilize   uint32 = 0
	modeAcro        uint32 = 1
	modeAltHold     uint32 = 2
	modeAuto        uint32 = 3
	modeGuided      uint32 = 4
	modeLoiter      uint32 = 5
	modeRTL         uint32 = 6
	modeCircle      uint32 = 7
	modeLand        uint32 = 9
	modeDrift       uint32 = 11
	modeSport       uint32 = 13
	modeFlip        uint32 = 14
	modeAutotune    uint32 = 15
	modePosHold     uint32 = 16
	modeBrake       uint32 = 17
	modeThrow       uint32 = 18
	modeAvoidADSB   uint32 = 19
	modeGuidedNoGPS uint32 = 20
	modeSmartRTL    uint32 = 21
	modeFlowHold    uint32 = 22
	modeFollow      uint32 = 23
	modeZigZag      uint32 = 24
)

// copterModes names every mode ArduCopter knows and says which need a position estimate.
var copterModes = map[uint32]struct {
	name     string
	needsGPS bool
}{
	modeStabilize: {"STABILIZE", false}, modeAcro: {"ACRO", false}, modeAltHold: {"ALT_HOLD", false},
	modeAuto: {"AUTO", true}, modeGuided: {"GUIDED", true}, modeLoiter: {"LOITER", true},
	modeRTL: {"RTL", true}, modeCircle: {"CIRCLE", true}, modeLand: {"LAND", false},
	modeDrift: {"DRIFT", true}, modeSport: {"SPORT", false}, modeFlip: {"FLIP", false},
	modeAutotune: {"AUTOTUNE", false}, modePosHold: {"POSHOLD", true}, modeBrake: {"BRAKE", true},
	modeThrow: {"THROW", true}, modeAvoidADSB: {"AVOID_ADSB", true},
	modeGuidedNoGPS: {"GUIDED_NOGPS", false}, modeSmartRTL: {"SMARTRTL", true},
	modeFlowHold: {"FLOWHOLD", false}, modeFollow: {"FOLLOW", true}, modeZigZag: {"ZIGZAG", true},
}

// unarmableModes are the modes ArduCopter refuses to arm in (allows_arming false).
var unarmableModes = map[uint32]bool{
	modeRTL: true, modeSmartRTL: true, modeLand: true, modeCircle: true, modeFlip: true,
	modeAutotune: true, modeBrake: true, modeAvoidADSB: true,
}

// SetMode switches to an ArduPilot custom mode number, returning a MAV_RESULT. Modes that
// need a position estimate are refused before the GPS fix, with ArduCopter's explanation.
func (c *Copter) SetMode(customMode uint32) uint8 {
	m, ok := copterModes[customMode]
	if !ok {
		c.say(gcs.SeverityWarning, fmt.Sprintf("Unknown mode %d", customMode))
		return resultDenied
	}
	if m.needsGPS && !c.gpsFix() {
		c.modeChangeFailed(m.name, "requires position")
		return resultFailed
	}
	if customMode == modeAuto && len(c.missions[gcs.MissionTypeMission]) < 2 {
		c.modeChangeFailed(m.name, "no mission")
		return resultFailed
	}
	if customMode == c.mode {
		return resultAccepted
	}
	c.enterMode(customMode)
	return resultAccepted
}

func (c *Copter) modeChangeFailed(name, why string) {
	c.say(gcs.SeverityWarning, fmt.Sprintf("Mode change to %s failed: %s", name, why))
}

// enterMode runs a mode's init: each mode starts from where the copter would stop.
func (c *Copter) enterMode(m uint32) {
	c.mode = m
	c.speedOverride, c.climbOverride, c.sinkOverride = 0, 0, 0
	c.paused = false
	c.guidedYaw = nil
	c.orbiting = nil
	c.holdHere()
	switch m {
	case modeLand:
		c.land = c.hold
	case modeRTL, modeSmartRTL:
		c.rtlEnter()
	case modeCircle:
		c.circleEnterMode()
	case modeAuto:
		c.autoEnter()
	}
}

// holdHere makes the stopping point the hold target.
func (c *Copter) holdHere() {
	n, e, alt := c.stoppingPoint()
	c.hold = target{northM: n, eastM: e, altMSLM: max(alt, c.groundMSLM)}
}

// modeGuidance runs the current mode for one step and returns what it asks of the position
// controller; fly is false when the copter should stay where it is (on the ground).
func (c *Copter) modeGuidance(d time.Duration) (g guidance, fly bool) {
	switch c.mode {
	case modeAuto:
		return c.autoGuidance(d)
	case modeRTL, modeSmartRTL:
		return c.rtlGuidance(d), true
	case modeLand:
		return c.landGuidance(c.land), true
	case modeCircle:
		return c.circleGuidance(&c.circle, d.Seconds()), true
	}
	if c.mode == modeGuided && c.orbiting != nil {
		return c.orbitGuidance(d.Seconds()), true
	}
	// GUIDED and every mode a pilot would fly: with no pilot, hold position and altitude.
	g = c.gotoGuidance(c.hold)
	if c.mode == modeGuided && c.guidedYaw != nil {
		g.yawRad, g.holdYaw = *c.guidedYaw, true
	}
	return g, true
}

// cruiseSpeed is the horizontal speed for waypoints and GUIDED: DO_CHANGE_SPEED, else
// WPNAV_SPEED.
func (c *Copter) cruiseSpeed() float64 {
	if c.speedOverride > 0 {
		return c.speedOverride
	}
	return max(c.param("WPNAV_SPEED")/100, 0.2)
}

// gotoGuidance flies to t at cruise speed with the WPNAV climb and descent limits.
func (c *Copter) gotoGuidance(t target) guidance {
	climb := max(c.param("WPNAV_SPEED_UP")/100, 0.1)
	if c.climbOverride > 0 {
		climb = c.climbOverride
	}
	sink := max(c.param("WPNAV_SPEED_DN")/100, 0.1)
	if c.sinkOverride > 0 {
		sink = c.sinkOverride
	}
	return guidance{
		northM: t.northM, eastM: t.eastM, altMSLM: t.altMSLM,
		speedMps: c.cruiseSpeed(), climbMps: climb, sinkMps: sink,
	}
}

// landGuidance descends over t: LAND_SPEED_HIGH (or WPNAV_SPEED_DN) down to LAND_ALT_LOW,
// then LAND_SPEED to the ground.
func (c *Copter) landGuidance(t target) guidance {
	g := c.gotoGuidance(t)
	g.descend = true
	g.sinkMps = max(c.param("LAND_SPEED")/100, 0.1)
	if c.kin.altMSLM-c.groundMSLM > c.param("LAND_ALT_LOW")/100 {
		high := c.param("LAND_SPEED_HIGH")
		if high <= 0 {
			high = c.param("WPNAV_SPEED_DN")
		}
		g.sinkMps = max(high/100, g.sinkMps)
	}
	return g
}

// landingMode reports whether the current mode ends a flight by landing, after which
// ArduCopter disarms as soon as the land detector triggers.
func (c *Copter) landingMode() bool {
	switch c.mode {
	case modeLand, modeRTL, modeSmartRTL, modeAuto:
		return true
	}
	return false
}
