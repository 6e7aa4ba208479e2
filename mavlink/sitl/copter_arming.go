package sitl

import (
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// landDetectDelay is how long ArduCopter's land detector takes to be sure after touchdown;
// landing modes disarm then.
const landDetectDelay = time.Second

// arm arms the motors after ArduCopter's pre-arm checks; force skips them.
func (c *Copter) arm(force bool) uint8 {
	if c.armed {
		return resultAccepted
	}
	if !force {
		if why := c.prearmFailure(); why != "" {
			c.say(gcs.SeverityCritical, "PreArm: "+why)
			return resultFailed
		}
		if unarmableModes[c.mode] {
			c.say(gcs.SeverityCritical, "Arm: Mode not armable")
			return resultFailed
		}
	}
	if c.falling || !c.landed {
		c.say(gcs.SeverityCritical, "Arm: vehicle is not landed")
		return resultFailed
	}
	c.armed = true
	c.landedFor = 0
	c.touchedDown = false
	if !c.homeLocked {
		p := c.position()
		c.home = gcs.Position{Point: p.Point, AltMSLM: p.AltMSLM}
	}
	c.holdHere()
	if c.mode == modeAuto {
		c.autoArmed()
	}
	return resultAccepted
}

// prearmFailure is the first pre-arm check that fails, in ArduPilot's words, or "".
func (c *Copter) prearmFailure() string {
	if c.param("ARMING_CHECK") == 0 {
		return ""
	}
	switch {
	case !c.gpsFix():
		return "Need 3D Fix"
	case c.battery.level >= battCritical:
		return "Battery 1 below minimum arming voltage"
	case c.fenceEnabled() && c.fenceBreaches() != 0:
		return "Fence: vehicle outside fence"
	}
	return ""
}

// disarmCommand disarms on the ground; in the air only when forced, and then it falls.
func (c *Copter) disarmCommand(force bool) uint8 {
	if !c.armed {
		return resultAccepted
	}
	if c.flying() && !force {
		c.say(gcs.SeverityCritical, "Disarm: vehicle is flying")
		return resultFailed
	}
	c.disarm()
	return resultAccepted
}

// disarm stops the motors; a copter still in the air falls.
func (c *Copter) disarm() {
	c.armed = false
	c.landedFor = 0
	c.say(gcs.SeverityInfo, "Disarming motors")
	if c.flying() {
		c.falling = true
	}
}

// stepAutoDisarm disarms a copter left armed on the ground: after DISARM_DELAY seconds (0
// never), or as soon as the land detector is sure when a landing mode has just landed.
func (c *Copter) stepAutoDisarm(d time.Duration) {
	if !c.armed || !c.landed {
		c.landedFor = 0
		return
	}
	c.landedFor += d
	limit := time.Duration(c.param("DISARM_DELAY") * float64(time.Second))
	if c.touchedDown && c.landingMode() {
		limit = landDetectDelay
	}
	if limit > 0 && c.landedFor >= limit {
		c.disarm()
	}
}
