package sitl

import (
	"fmt"
	"math"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// Mission commands flown that gcs does not name.
const (
	cmdNavSplineWaypoint uint16 = 82
	cmdNavLast           uint16 = 95 // MAV_CMD_NAV_LAST: lower numbers are navigation commands
)

// autoState is the mission executive of AUTO mode, after ArduPilot's AP_Mission: one
// navigation command is flown at a time; the DO commands that follow it run as it starts;
// DO_JUMP is followed while looking for the next navigation command, counting per item.
type autoState struct {
	idx      int  // seq of the navigation command being flown (MISSION_CURRENT)
	loaded   bool // item holds the command at idx
	complete bool
	item     gcs.MissionItem // cached, so a new upload does not change the leg being flown
	phase    int
	reported bool // "Reached command" said for this item
	dest     target
	timer    time.Duration
	jumps    map[int]int // DO_JUMP seq -> jumps done
	circle   circleState
}

// Phases of a navigation command.
const (
	navGo   = 0 // flying to the item's position
	navStay = 1 // holding, circling or descending there
)

func isNavCommand(cmd uint16) bool { return cmd < cmdNavLast }

// autoEnter resumes the mission where it was, or starts it over once it is complete.
func (c *Copter) autoEnter() {
	a := &c.auto
	if a.complete || a.idx < 1 {
		c.autoStart(1)
		return
	}
	c.autoLoad(a.idx, true)
}

// autoStart runs the mission from seq with fresh jump counters (MISSION_START).
func (c *Copter) autoStart(seq int) {
	c.auto.jumps = map[int]int{}
	c.auto.complete = false
	c.paused = false
	c.autoLoad(max(seq, 1), true)
}

// autoArmed restarts a finished mission when the copter is armed in AUTO.
func (c *Copter) autoArmed() {
	if c.auto.complete || !c.auto.loaded {
		c.autoStart(1)
	}
}

// autoReset follows a new mission upload: jump counters start over, and unless a leg is
// being flown the mission will start from the beginning.
func (c *Copter) autoReset() {
	a := &c.auto
	a.jumps = map[int]int{}
	if c.mode == modeAuto && c.armed && a.loaded {
		return
	}
	a.loaded, a.complete, a.idx = false, false, 0
}

// missionStart is MISSION_START: AUTO from item first (or 1).
func (c *Copter) missionStart(first int) uint8 {
	if c.mode != modeAuto {
		if r := c.SetMode(modeAuto); r != resultAccepted {
			return r
		}
	} else if len(c.missions[gcs.MissionTypeMission]) < 2 {
		c.modeChangeFailed("AUTO", "no mission")
		return resultFailed
	}
	c.autoStart(first)
	return resultAccepted
}

// autoLoad finds the navigation command at or after seq and starts it. exec runs DO
// commands passed on the way (a fresh start, or after a jump).
func (c *Copter) autoLoad(seq int, exec bool) {
	a := &c.auto
	i := c.nextNav(seq, exec)
	if i < 0 {
		c.autoComplete()
		return
	}
	items := c.missions[gcs.MissionTypeMission]
	*a = autoState{idx: i, loaded: true, item: items[i], jumps: a.jumps}
	for j := i + 1; j < len(items) && !isNavCommand(items[j].Command) && items[j].Command != gcs.CmdDoJump; j++ {
		c.runDoItem(items[j])
	}
	c.startNav()
}

// nextNav returns the seq of the next navigation command from seq on, following DO_JUMPs
// (p1 target, p2 repeats, -1 forever), or -1 at the end of the mission.
func (c *Copter) nextNav(seq int, exec bool) int {
	a := &c.auto
	items := c.missions[gcs.MissionTypeMission]
	for guard := 0; seq < len(items) && guard < 4*len(items)+16; guard++ {
		it := items[seq]
		switch {
		case it.Command == gcs.CmdDoJump:
			to, repeat := int(it.Param1), int(it.Param2)
			if to >= 1 && to < len(items) && (repeat < 0 || a.jumps[seq] < repeat) {
				if repeat >= 0 {
					a.jumps[seq]++
				}
				seq, exec = to, true
				continue
			}
			seq++
		case isNavCommand(it.Command):
			return seq
		default:
			if exec {
				c.runDoItem(it)
			}
			seq++
		}
	}
	return -1
}

// runDoItem runs a DO command from the mission; ones the copter does not know are skipped,
// as ArduPilot does.
func (c *Copter) runDoItem(it gcs.MissionItem) {
	c.doCommand(it.Command, [7]float64{it.Param1, it.Param2, it.Param3, it.Param4, it.X, it.Y, it.Z}, it.Frame)
}

// startNav works out where the loaded command goes. Latitude and longitude 0 mean "here" and
// altitude 0 "this altitude", as in ArduCopter.
func (c *Copter) startNav() {
	a := &c.auto
	it := a.item
	a.dest = target{northM: c.kin.northM, eastM: c.kin.eastM, altMSLM: c.kin.altMSLM}
	if it.X != 0 || it.Y != 0 {
		a.dest.northM, a.dest.eastM = c.frame.toNE(orbPoint(it.X, it.Y))
	}
	if it.Z != 0 {
		a.dest.altMSLM = max(c.altFromFrame(it.Z, it.Frame), c.groundMSLM)
	}
	switch it.Command {
	case gcs.CmdNavTakeoff:
		a.dest.northM, a.dest.eastM = c.kin.northM, c.kin.eastM
	case gcs.CmdNavReturnToLaunch:
		c.rtlEnter()
	case gcs.CmdNavLand:
		a.dest.altMSLM = c.kin.altMSLM
		if it.X == 0 && it.Y == 0 {
			n, e, _ := c.stoppingPoint()
			a.dest.northM, a.dest.eastM = n, e
			a.phase = navStay
		}
	case gcs.CmdNavLoiterTurns:
		a.circle = c.circleFrom(a.dest, math.Abs(it.Param3), it.Param3 >= 0)
		a.dest = a.circle.edge()
	}
}

// autoGuidance flies the loaded command for one step.
func (c *Copter) autoGuidance(d time.Duration) (guidance, bool) {
	a := &c.auto
	it := a.item
	if !a.loaded || a.complete || c.paused {
		return c.gotoGuidance(c.hold), true
	}
	if c.landed {
		switch {
		case it.Command == gcs.CmdNavTakeoff:
			c.liftoff()
		case c.touchedDown && (it.Command == gcs.CmdNavLand || it.Command == gcs.CmdNavReturnToLaunch):
			c.navDone()
			return c.gotoGuidance(c.hold), false
		default:
			return c.gotoGuidance(c.hold), false // waypoints do not take off by themselves
		}
	}

	switch it.Command {
	case gcs.CmdNavTakeoff:
		if c.kin.altMSLM >= a.dest.altMSLM-0.5 {
			c.navDone()
		}
		return c.gotoGuidance(a.dest), true
	case gcs.CmdNavReturnToLaunch:
		return c.rtlGuidance(d), true
	case gcs.CmdNavLand:
		if a.phase == navStay {
			return c.landGuidance(a.dest), true
		}
		if c.arrived(a.dest) {
			a.phase = navStay
		}
		return c.gotoGuidance(a.dest), true
	case gcs.CmdNavLoiterTurns:
		if a.phase == navStay {
			g := c.circleGuidance(&a.circle, d.Seconds())
			if a.circle.turnedRad >= 2*math.Pi*math.Max(it.Param1, 0) {
				c.navDone()
			}
			return g, true
		}
		if c.arrived(a.dest) {
			a.phase = navStay
		}
		return c.gotoGuidance(a.dest), true
	case gcs.CmdNavWaypoint, cmdNavSplineWaypoint, gcs.CmdNavLoiterTime, gcs.CmdNavLoiterUnlim:
		return c.autoWaypoint(d), true
	}
	c.navDone() // a navigation command the copter cannot fly is skipped
	return c.gotoGuidance(c.hold), true
}

// autoWaypoint flies to a waypoint or loiter point and holds there for p1 seconds (or for
// ever, for LOITER_UNLIM).
func (c *Copter) autoWaypoint(d time.Duration) guidance {
	a := &c.auto
	g := c.gotoGuidance(a.dest)
	if a.phase == navGo {
		if !c.arrived(a.dest) {
			return g
		}
		a.phase = navStay
		a.timer = time.Duration(math.Max(a.item.Param1, 0) * float64(time.Second))
		if a.item.Command == gcs.CmdNavWaypoint || a.item.Command == cmdNavSplineWaypoint {
			c.reachedCommand() // ArduCopter reports a waypoint on arrival, before the hold
		}
	}
	if a.item.Command == gcs.CmdNavLoiterUnlim {
		return g
	}
	a.timer -= d
	if a.timer <= 0 {
		c.navDone()
	}
	return g
}

// arrived reports whether the copter is within WPNAV_RADIUS of t (and near its altitude).
func (c *Copter) arrived(t target) bool {
	r := c.wpRadius()
	return c.horizontalDist(t) <= r && math.Abs(t.altMSLM-c.kin.altMSLM) <= math.Max(r, 1)
}

func (c *Copter) reachedCommand() {
	if !c.auto.reported {
		c.auto.reported = true
		c.say(gcs.SeverityInfo, fmt.Sprintf("Reached command #%d", c.auto.idx))
	}
}

// navDone finishes the loaded command and moves on; an item without autocontinue pauses
// the mission until DO_PAUSE_CONTINUE, MISSION_START or a new current item.
func (c *Copter) navDone() {
	prev := c.auto.item
	c.reachedCommand()
	c.holdHere()
	c.autoLoad(c.auto.idx+1, false)
	if !prev.Autocontinue && !c.auto.complete {
		c.holdHere()
		c.paused = true
	}
}

// autoComplete ends the mission: the copter holds where it is, still in AUTO, and one that
// has landed disarms.
func (c *Copter) autoComplete() {
	a := &c.auto
	a.complete = true
	a.loaded = false
	c.say(gcs.SeverityInfo, "Mission complete")
	c.holdHere()
}
