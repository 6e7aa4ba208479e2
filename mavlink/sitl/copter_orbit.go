package sitl

import (
	"math"

	"github.com/vigil-gcs/vigil/gcs"
)

// cmdDoOrbit is MAV_CMD_DO_ORBIT.
const cmdDoOrbit uint16 = 34

// orbitEdgeM is how far from the circle the copter may be and start orbiting at once; further
// away it flies to the circle's edge first (ArduCopter's Guided orbit, PR #32434), and starts
// round once it has slowed onto it (within orbitArriveM).
const (
	orbitEdgeM   = 3
	orbitArriveM = 1
)

// ORBIT_YAW_BEHAVIOUR values.
const (
	orbitYawFaceCentre   = 0
	orbitYawHoldInitial  = 1
	orbitYawUncontrolled = 2
	orbitYawTangent      = 3
	orbitYawRC           = 4
)

// orbitState is a DO_ORBIT in GUIDED: the circle, whether the copter is still on its way to
// it, how it points its nose, and the angle to fly before holding (0 = forever).
type orbitState struct {
	circle      circleState
	approaching bool
	yawMode     int
	initialYaw  float64
	totalRad    float64
}

// orbit is MAV_CMD_DO_ORBIT: p1 radius (positive clockwise; NaN CIRCLE_RADIUS), p2 tangential
// speed (NaN or ≤ 0: CIRCLE_RATE within cruise speed), p3 ORBIT_YAW_BEHAVIOUR, p4 angle to
// orbit in radians (0 or NaN: forever), x/y the centre (NaN: where the copter is), z its
// altitude (NaN: the copter's). ArduCopter runs it as a GUIDED submode while flying.
func (c *Copter) orbit(p [7]float64, frame uint8) uint8 {
	switch {
	case c.mode != modeGuided:
		c.say(gcs.SeverityWarning, "Orbit: mode must be GUIDED")
		return resultDenied
	case !c.armed || !c.flying():
		c.say(gcs.SeverityWarning, "Orbit: vehicle is not flying")
		return resultDenied
	}
	center := target{northM: c.kin.northM, eastM: c.kin.eastM, altMSLM: c.kin.altMSLM}
	if lat, lon := p[4], p[5]; validLatLon(lat, lon) {
		center.northM, center.eastM = c.frame.toNE(orbPoint(lat, lon))
	}
	if !math.IsNaN(p[6]) {
		center.altMSLM = max(c.altFromFrame(p[6], frame), c.groundMSLM+1)
	}
	radiusM, cw := math.Abs(p[0]), p[0] >= 0
	if math.IsNaN(p[0]) {
		radiusM, cw = c.param("CIRCLE_RADIUS")/100, c.param("CIRCLE_RATE") >= 0
	}
	yawMode := orbitYawFaceCentre
	if !math.IsNaN(p[2]) {
		yawMode = int(p[2])
	}
	if yawMode < orbitYawFaceCentre || yawMode > orbitYawRC {
		c.say(gcs.SeverityWarning, "Orbit: unknown yaw behaviour")
		return resultDenied
	}
	o := orbitState{
		circle:     c.circleFrom(center, radiusM, cw),
		yawMode:    yawMode,
		initialYaw: c.kin.yaw,
	}
	if v := p[1]; v > 0 {
		o.circle.speedMps = v
	}
	if t := p[3]; t > 0 {
		o.totalRad = t
	}
	o.approaching = c.horizontalDist(o.circle.edge()) > orbitEdgeM
	c.guidedYaw = nil
	c.orbiting = &o
	return resultAccepted
}

// validLatLon reports whether a command's x/y name a place: not NaN, not the INT32_MAX a
// COMMAND_INT sends for "none", not 0/0.
func validLatLon(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) && math.Abs(lat) <= 90 && math.Abs(lon) <= 180 &&
		(lat != 0 || lon != 0)
}

// orbitGuidance flies the orbit for one step: to the edge, then round; after the asked angle
// it holds where it is, as a finished GUIDED command does.
func (c *Copter) orbitGuidance(dt float64) guidance {
	o := c.orbiting
	if o.approaching {
		edge := o.circle.edge()
		if c.horizontalDist(edge) > orbitArriveM {
			return c.gotoGuidance(edge)
		}
		o.approaching = false
		speed := o.circle.speedMps
		o.circle = c.circleFrom(o.circle.center, o.circle.radiusM, o.circle.cw)
		o.circle.speedMps = speed
	}
	g := c.circleGuidance(&o.circle, dt)
	switch o.yawMode {
	case orbitYawHoldInitial, orbitYawRC: // no sticks in the simulator: RC holds too
		g.yawRad = o.initialYaw
	case orbitYawUncontrolled:
		g.yawRad = c.kin.yaw
	case orbitYawTangent:
		turn := math.Pi / 2
		if !o.circle.cw {
			turn = -turn
		}
		g.yawRad = wrapPi(o.circle.angle + turn)
	}
	if o.totalRad > 0 && o.circle.turnedRad >= o.totalRad {
		c.orbiting = nil
		c.holdHere()
	}
	return g
}
