package sitl

import (
	"math"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// rtlPhase is where a return-to-launch is, as in ArduCopter's ModeRTL.
type rtlPhase int

const (
	rtlClimb rtlPhase = iota
	rtlReturn
	rtlLoiter
	rtlDescend // RTL_ALT_FINAL > 0: descend and hover there
	rtlLand
)

// rtlState is one return-to-launch: climb to RTL_ALT, fly back, loiter, land.
type rtlState struct {
	phase  rtlPhase
	climb  target // over the point where RTL started, at the return altitude
	dest   target // over home or the nearest rally point, at the return altitude
	loiter time.Duration
}

// rtlEnter plans the return from where the copter stops now.
func (c *Copter) rtlEnter() {
	n, e, alt := c.stoppingPoint()
	retAlt := c.home.AltMSLM + c.param("RTL_ALT")/100
	if c.param("RTL_ALT") <= 0 || alt > retAlt {
		retAlt = max(alt, c.groundMSLM)
	}
	dn, de := c.rtlDestination()
	c.rtl = rtlState{
		phase: rtlClimb,
		climb: target{northM: n, eastM: e, altMSLM: retAlt},
		dest:  target{northM: dn, eastM: de, altMSLM: retAlt},
	}
}

// rtlDestination is home, or the nearest rally point when any are stored (ArduPilot returns
// to rally points when it has them).
func (c *Copter) rtlDestination() (northM, eastM float64) {
	northM, eastM = c.frame.toNE(c.home.Point)
	best := math.Inf(1)
	for _, it := range c.missions[gcs.MissionTypeRally] {
		if it.Command != gcs.CmdNavRallyPoint {
			continue
		}
		n, e := c.frame.toNE(orbPoint(it.X, it.Y))
		if d := math.Hypot(n-c.kin.northM, e-c.kin.eastM); d < best {
			best, northM, eastM = d, n, e
		}
	}
	return northM, eastM
}

// rtlGuidance runs the return for one step.
func (c *Copter) rtlGuidance(d time.Duration) guidance {
	r := &c.rtl
	speed := c.param("RTL_SPEED") / 100
	switch r.phase {
	case rtlClimb:
		if c.kin.altMSLM >= r.climb.altMSLM-0.5 {
			r.phase = rtlReturn
		}
		return c.gotoGuidance(r.climb)
	case rtlReturn:
		g := c.gotoGuidance(r.dest)
		if speed > 0 {
			g.speedMps = speed
		}
		if c.horizontalDist(r.dest) <= c.wpRadius() && math.Hypot(c.kin.velN, c.kin.velE) < 1 {
			r.phase = rtlLoiter
			r.loiter = time.Duration(c.param("RTL_LOIT_TIME")) * time.Millisecond
		}
		return g
	case rtlLoiter:
		r.loiter -= d
		if r.loiter <= 0 {
			r.phase = rtlLand
			if c.param("RTL_ALT_FINAL") > 0 {
				r.phase = rtlDescend
			}
		}
		return c.gotoGuidance(r.dest)
	case rtlDescend:
		t := r.dest
		t.altMSLM = c.home.AltMSLM + c.param("RTL_ALT_FINAL")/100
		return c.gotoGuidance(t)
	}
	return c.landGuidance(r.dest)
}

// horizontalDist is the ground distance from the copter to t.
func (c *Copter) horizontalDist(t target) float64 {
	return math.Hypot(t.northM-c.kin.northM, t.eastM-c.kin.eastM)
}

// wpRadius is WPNAV_RADIUS in metres.
func (c *Copter) wpRadius() float64 { return max(c.param("WPNAV_RADIUS")/100, 0.1) }
