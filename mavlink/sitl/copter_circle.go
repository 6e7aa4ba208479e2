package sitl

import "math"

// circleState is an orbit around a centre, for CIRCLE mode and NAV_LOITER_TURNS.
type circleState struct {
	center    target
	radiusM   float64
	cw        bool    // clockwise seen from above
	angle     float64 // of the copter around the centre, from north
	turnedRad float64 // total angle flown
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
// centre. The rate is CIRCLE_RATE, limited so the turn stays within half WPNAV_ACCEL and the
// speed within cruise speed.
func (c *Copter) circleGuidance(s *circleState, dt float64) guidance {
	r := math.Max(s.radiusM, 0)
	omega := deg2rad(math.Abs(c.param("CIRCLE_RATE")))
	if r > 0.5 {
		accel := math.Max(c.param("WPNAV_ACCEL")/100, 0.5)
		omega = math.Min(omega, math.Min(math.Sqrt(0.5*accel/r), c.cruiseSpeed()/r))
	}
	if !s.cw {
		omega = -omega
	}
	s.angle = wrapPi(s.angle + omega*dt)
	s.turnedRad += math.Abs(omega * dt)
	sa, ca := math.Sincos(s.angle)
	g := c.gotoGuidance(target{
		northM:  s.center.northM + r*ca,
		eastM:   s.center.eastM + r*sa,
		altMSLM: s.center.altMSLM,
	})
	g.ffNorth, g.ffEast = -omega*r*sa, omega*r*ca
	g.yawRad, g.holdYaw = wrapPi(s.angle+math.Pi), true
	if r <= 0.5 {
		g.yawRad = wrapPi(c.kin.yaw + omega*dt) // spin in place
	}
	return g
}
