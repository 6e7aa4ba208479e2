package sitl

import "math"

// circleState is an orbit around a centre, for CIRCLE mode, NAV_LOITER_TURNS and DO_ORBIT.
type circleState struct {
	center    target
	radiusM   float64
	cw        bool    // clockwise seen from above
	angle     float64 // of the copter around the centre, from north
	turnedRad float64 // total angle flown
	speedMps  float64 // tangential speed asked for (DO_ORBIT); 0 means CIRCLE_RATE
	rateRad   float64 // angular speed reached so far, rad/s: the orbit point speeds up smoothly
}

// circleFrom starts an orbit of center at the point of the circle nearest the copter (due
// north of the centre when the copter is over it).
func (c *Copter) circleFrom(center target, radiusM float64, cw bool) circleState {
	dn, de := c.kin.northM-center.northM, c.kin.eastM-center.eastM
	ang := math.Atan2(de, dn)
	if math.Hypot(dn, de) < 0.1 {
		ang = 0
	}
	return circleState{center: center, radiusM: radiusM, cw: cw, angle: ang}
}

// edge is the point of the circle at the current angle, at the centre's altitude.
func (s *circleState) edge() target {
	r := math.Max(s.radiusM, 0)
	sa, ca := math.Sincos(s.angle)
	return target{northM: s.center.northM + r*ca, eastM: s.center.eastM + r*sa, altMSLM: s.center.altMSLM}
}

// circleEnterMode orbits a centre CIRCLE_RADIUS ahead of the copter, as ArduCopter does.
func (c *Copter) circleEnterMode() {
	r := c.param("CIRCLE_RADIUS") / 100
	sy, cy := math.Sincos(c.kin.yaw)
	c.circle = circleState{
		center: target{
			northM:  c.hold.northM + r*cy,
			eastM:   c.hold.eastM + r*sy,
			altMSLM: c.hold.altMSLM,
		},
		radiusM: r,
		cw:      c.param("CIRCLE_RATE") >= 0,
		angle:   math.Atan2(-sy, -cy),
	}
}

// circleGuidance moves the orbit point on by the angular rate and chases it, facing the
// centre. The rate is CIRCLE_RATE (or the asked tangential speed), limited so the turn stays
// within half WPNAV_ACCEL and the speed within cruise speed; like ArduCopter's AC_Circle it
// ramps up to that rate, here within the other half of WPNAV_ACCEL, so the copter starting
// from a hover stays on the circle.
func (c *Copter) circleGuidance(s *circleState, dt float64) guidance {
	r := math.Max(s.radiusM, 0)
	omega := deg2rad(math.Abs(c.param("CIRCLE_RATE")))
	if s.speedMps > 0 && r > 0.5 {
		omega = s.speedMps / r
	}
	if r > 0.5 {
		accel := math.Max(c.param("WPNAV_ACCEL")/100, 0.5)
		omega = math.Min(omega, math.Min(math.Sqrt(0.5*accel/r), c.cruiseSpeed()/r))
		s.rateRad = math.Min(s.rateRad+0.5*accel/r*dt, omega)
		omega = s.rateRad
	}
	if !s.cw {
		omega = -omega
	}
	s.angle = wrapPi(s.angle + omega*dt)
	s.turnedRad += math.Abs(omega * dt)
	sa, ca := math.Sincos(s.angle)
	g := c.gotoGuidance(s.edge())
	g.ffNorth, g.ffEast = -omega*r*sa, omega*r*ca
	g.yawRad, g.holdYaw = wrapPi(s.angle+math.Pi), true
	if r <= 0.5 {
		g.yawRad = wrapPi(c.kin.yaw + omega*dt) // spin in place
	}
	return g
}
