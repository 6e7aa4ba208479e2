package sitl

import (
	"math"

	"github.com/vigil-gcs/vigil/gcs"
)

// MAV_RESULT values.
const (
	resultAccepted    uint8 = 0
	resultDenied      uint8 = 2
	resultUnsupported uint8 = 3
	resultFailed      uint8 = 4
)

// Commands the copter executes that gcs does not name.
const (
	cmdConditionYaw        uint16 = 115
	cmdDoSetMode           uint16 = 176
	cmdDoReposition        uint16 = 192
	cmdDoPauseContinue     uint16 = 193
	cmdDoFenceEnable       uint16 = 207
	cmdDoSetMissionCurrent uint16 = 224
	cmdMissionStart        uint16 = 300
	cmdComponentArmDisarm  uint16 = 400
)

// Magic numbers in ARM_DISARM param 2.
const (
	forceArmMagic    = 2989
	forceDisarmMagic = 21196
)

// Command executes a COMMAND_LONG or COMMAND_INT and returns a MAV_RESULT. Refusals queue a
// STATUSTEXT that says why.
func (c *Copter) Command(cmd uint16, p [7]float64, frame uint8) uint8 {
	switch cmd {
	case cmdComponentArmDisarm:
		if p[0] == 1 {
			return c.arm(p[1] == forceArmMagic)
		}
		return c.disarmCommand(p[1] == forceDisarmMagic)
	case gcs.CmdNavTakeoff:
		return c.takeoff(p[6])
	case cmdDoSetMode:
		if int(p[0])&1 == 0 {
			c.say(gcs.SeverityWarning, "Mode change failed: custom mode flag not set")
			return resultDenied
		}
		return c.SetMode(uint32(p[1]))
	case gcs.CmdNavLand:
		return c.SetMode(modeLand)
	case gcs.CmdNavReturnToLaunch:
		return c.SetMode(modeRTL)
	case cmdDoReposition:
		return c.reposition(p, frame)
	case cmdDoOrbit:
		return c.orbit(p, frame)
	case cmdDoPauseContinue:
		return c.pauseContinue(p[0] != 0)
	case cmdConditionYaw:
		return c.conditionYaw(p)
	case cmdMissionStart:
		return c.missionStart(int(p[0]))
	case cmdDoSetMissionCurrent:
		if !c.SetMissionCurrent(int(p[0])) {
			c.say(gcs.SeverityWarning, "Mission: no such item")
			return resultFailed
		}
		return resultAccepted
	}
	if r, ok := c.doCommand(cmd, p, frame); ok {
		return r
	}
	return resultUnsupported
}

// doCommand runs the DO_ commands a GCS may send and a mission may hold; ok is false for a
// command it does not know.
func (c *Copter) doCommand(cmd uint16, p [7]float64, frame uint8) (result uint8, ok bool) {
	switch cmd {
	case gcs.CmdDoChangeSpeed:
		c.changeSpeed(int(p[0]), p[1])
	case gcs.CmdDoSetHome:
		return c.setHome(p, frame), true
	case gcs.CmdDoSetCamTriggDist:
		c.setTriggerDistance(p[0], p[2] == 1)
	case cmdDoFenceEnable:
		c.params.set("FENCE_ENABLE", math.Min(p[0], 1))
	default:
		if c.gimbal.command(cmd, p, c.frame, func(alt float64) float64 { return c.altFromFrame(alt, frame) }) {
			break
		}
		return resultUnsupported, false
	}
	return resultAccepted, true
}

// altFromFrame converts a command altitude to metres MSL: MSL for global frames, above home
// for relative and terrain frames (the simulated ground is flat).
func (c *Copter) altFromFrame(alt float64, frame uint8) float64 {
	switch frame {
	case gcs.FrameGlobal, 5: // GLOBAL, GLOBAL_INT
		return alt
	}
	return c.home.AltMSLM + alt
}

// takeoff climbs to altRelM above home; ArduCopter takes off by command only in GUIDED.
func (c *Copter) takeoff(altRelM float64) uint8 {
	switch {
	case c.mode != modeGuided:
		c.say(gcs.SeverityWarning, "Takeoff: mode must be GUIDED")
		return resultFailed
	case !c.armed:
		c.say(gcs.SeverityWarning, "Takeoff: motors not armed")
		return resultFailed
	case c.flying():
		c.say(gcs.SeverityWarning, "Takeoff: already flying")
		return resultFailed
	case !(altRelM > 0):
		c.say(gcs.SeverityWarning, "Takeoff: altitude must be above home")
		return resultFailed
	}
	c.hold = target{northM: c.kin.northM, eastM: c.kin.eastM, altMSLM: c.home.AltMSLM + altRelM}
	c.liftoff()
	return resultAccepted
}

// reposition is DO_REPOSITION: fly to a point in GUIDED (switching to it if p2 bit 0 asks).
func (c *Copter) reposition(p [7]float64, frame uint8) uint8 {
	if c.mode != modeGuided {
		if int(p[1])&1 == 0 {
			c.say(gcs.SeverityWarning, "Reposition: mode must be GUIDED")
			return resultFailed
		}
		if r := c.SetMode(modeGuided); r != resultAccepted {
			return r
		}
	}
	if !c.armed || !c.flying() {
		c.say(gcs.SeverityWarning, "Reposition: vehicle is not flying")
		return resultFailed
	}
	t := target{northM: c.kin.northM, eastM: c.kin.eastM, altMSLM: c.kin.altMSLM}
	if !math.IsNaN(p[4]) && !math.IsNaN(p[5]) && (p[4] != 0 || p[5] != 0) {
		t.northM, t.eastM = c.frame.toNE(orbPoint(p[4], p[5]))
	}
	if !math.IsNaN(p[6]) {
		t.altMSLM = max(c.altFromFrame(p[6], frame), c.groundMSLM)
	}
	if p[0] > 0 {
		c.speedOverride = p[0]
	}
	c.guidedYaw = nil
	c.orbiting = nil // a new position target ends an orbit
	if !math.IsNaN(p[3]) && p[3] != 0 {
		y := deg2rad(p[3])
		c.guidedYaw = &y
	}
	c.hold = t
	return resultAccepted
}

// changeSpeed is DO_CHANGE_SPEED: type 0/1 horizontal, 2 climb, 3 descent; -2 restores the
// default, other negative speeds leave it unchanged.
func (c *Copter) changeSpeed(kind int, mps float64) {
	if mps == -2 {
		mps = 0
	} else if mps < 0 {
		return
	}
	switch kind {
	case 2:
		c.climbOverride = mps
	case 3:
		c.sinkOverride = mps
	default:
		c.speedOverride = mps
	}
}

// setHome is DO_SET_HOME: p1 = 1 (or no position) uses the current position. Home set by
// command stays put when the copter is armed again.
func (c *Copter) setHome(p [7]float64, frame uint8) uint8 {
	if p[0] == 1 || (p[4] == 0 && p[5] == 0) {
		pos := c.position()
		c.home = gcs.Position{Point: pos.Point, AltMSLM: pos.AltMSLM}
	} else {
		alt := p[6]
		if frame != gcs.FrameGlobal && frame != 5 {
			alt += c.home.AltMSLM
		}
		c.home = gcs.Position{Point: orbPoint(p[4], p[5]), AltMSLM: alt}
	}
	c.homeLocked = true
	return resultAccepted
}

// pauseContinue is DO_PAUSE_CONTINUE: in AUTO a pause brakes and holds, continue resumes.
func (c *Copter) pauseContinue(resume bool) uint8 {
	if c.mode != modeAuto && c.mode != modeGuided {
		c.say(gcs.SeverityWarning, "Pause: mode must be AUTO or GUIDED")
		return resultFailed
	}
	if resume {
		c.paused = false
		return resultAccepted
	}
	c.holdHere()
	c.orbiting = nil
	c.paused = c.mode == modeAuto
	return resultAccepted
}

// conditionYaw is CONDITION_YAW: p1 angle, p3 direction (-1 ccw), p4 1 = relative.
func (c *Copter) conditionYaw(p [7]float64) uint8 {
	if c.mode != modeGuided || !c.flying() {
		c.say(gcs.SeverityWarning, "Yaw: mode must be GUIDED and flying")
		return resultFailed
	}
	y := deg2rad(p[0])
	if p[3] != 0 {
		if p[2] < 0 {
			y = -y
		}
		y += c.kin.yaw
	}
	y = wrapPi(y)
	c.guidedYaw = &y
	return resultAccepted
}
