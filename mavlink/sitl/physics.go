package sitl

import (
	"math"
)

const gravity = 9.80665

// dragCoef is the horizontal drag per unit of airspeed squared (1/m): at 10 m/s of airspeed a
// copter leans about 15 degrees just to hold its speed, as small quadcopters do.
const dragCoef = 0.027

// windPushGain is how much of the wind leaks past the position controller as a velocity
// error; the controller pulls it back, leaving the small hold error a real copter shows.
const windPushGain = 0.1

// guidance is what a flight mode asks of the position controller for one step.
type guidance struct {
	northM, eastM float64 // horizontal target, metres from the local origin
	ffNorth       float64 // feed-forward velocity of a moving target (circles), m/s
	ffEast        float64
	speedMps      float64 // horizontal speed limit
	altMSLM       float64 // altitude target
	climbMps      float64 // climb speed limit
	sinkMps       float64 // descent speed limit (positive)
	descend       bool    // ignore altMSLM and sink at sinkMps until touchdown (landing)
	yawRad        float64
	holdYaw       bool // face yawRad rather than the direction of travel
}

// kinematics is the copter's physical state in the local frame.
type kinematics struct {
	northM, eastM, altMSLM float64
	velN, velE, velUp      float64
	accN, accE, accUp      float64 // last commanded acceleration, for attitude and throttle
	roll, pitch, yaw       float64
}

// fly advances the airborne copter one step toward g. A kinematic controller with speed and
// acceleration limits is all a GCS can tell apart from ArduCopter's position controller, and it
// never oscillates at the step sizes the Sim uses. It reports touchdown.
func (c *Copter) fly(dt float64, g guidance) (touchdown bool) {
	k := &c.kin
	accel := c.param("WPNAV_ACCEL") / 100
	if accel <= 0 {
		accel = 2.5
	}
	accelZ := c.param("WPNAV_ACCEL_Z") / 100
	if accelZ <= 0 {
		accelZ = 1
	}
	angleMax := deg2rad(clamp(c.param("ANGLE_MAX")/100, 10, 80))

	// Horizontal: a braking curve to the target plus the target's own motion.
	dn, de := g.northM-k.northM, g.eastM-k.eastM
	dist := math.Hypot(dn, de)
	wantN, wantE := g.ffNorth, g.ffEast
	if dist > 1e-6 {
		s := math.Min(g.speedMps, math.Min(math.Sqrt(2*0.8*accel*dist), 2*dist))
		wantN += dn / dist * s
		wantE += de / dist * s
	}
	aN, aE := (wantN-k.velN)/dt, (wantE-k.velE)/dt
	if a := math.Hypot(aN, aE); a > accel {
		aN, aE = aN*accel/a, aE*accel/a
	}

	// Vertical: the same braking curve, or a fixed sink rate when landing.
	var wantUp float64
	if g.descend {
		wantUp = -g.sinkMps
	} else {
		dz := g.altMSLM - k.altMSLM
		s := math.Min(math.Sqrt(2*0.8*accelZ*math.Abs(dz)), 2*math.Abs(dz))
		if dz > 0 {
			wantUp = math.Min(s, g.climbMps)
		} else {
			wantUp = -math.Min(s, g.sinkMps)
		}
	}
	aUp := clamp((wantUp-k.velUp)/dt, -accelZ, accelZ)

	k.velN += aN * dt
	k.velE += aE * dt
	k.velUp += aUp * dt
	windN, windE := c.wind.northMps, c.wind.eastMps
	k.northM += (k.velN + windPushGain*windN) * dt
	k.eastM += (k.velE + windPushGain*windE) * dt
	k.altMSLM += k.velUp * dt
	k.accN, k.accE, k.accUp = aN, aE, aUp

	// Yaw: face where we are asked to go, at the 90°/s a GCS sees from ArduCopter.
	yawStep := deg2rad(90) * dt
	switch {
	case g.holdYaw:
		k.yaw = approachAngle(k.yaw, g.yawRad, yawStep)
	case math.Hypot(wantN-g.ffNorth, wantE-g.ffEast) > 1 || math.Hypot(g.ffNorth, g.ffEast) > 1:
		k.yaw = approachAngle(k.yaw, math.Atan2(wantE, wantN), yawStep)
	}
	c.updateAttitude(dt, angleMax)

	if k.altMSLM <= c.groundMSLM && wantUp <= 0 {
		k.altMSLM = c.groundMSLM
		return true
	}
	if k.altMSLM < c.groundMSLM {
		k.altMSLM = c.groundMSLM
		k.velUp = math.Max(k.velUp, 0)
	}
	return false
}

// updateAttitude leans the copter so its thrust gives the commanded acceleration and cancels
// the drag of the relative wind: tilt = atan(a/g) in the body frame (ArduPilot's
// accel_to_lean_angles), limited to ANGLE_MAX and smoothed over a fifth of a second.
func (c *Copter) updateAttitude(dt, angleMax float64) {
	k := &c.kin
	airN, airE := k.velN-c.wind.northMps, k.velE-c.wind.eastMps
	air := math.Hypot(airN, airE)
	thrN := k.accN + dragCoef*air*airN
	thrE := k.accE + dragCoef*air*airE
	sy, cy := math.Sincos(k.yaw)
	fwd := thrN*cy + thrE*sy
	right := -thrN*sy + thrE*cy
	pitch := clamp(math.Atan(-fwd/gravity), -angleMax, angleMax)
	roll := clamp(math.Atan(right*math.Cos(pitch)/gravity), -angleMax, angleMax)
	f := math.Min(1, dt/0.2)
	k.pitch += (pitch - k.pitch) * f
	k.roll += (roll - k.roll) * f
}

// fall is a disarmed copter in the air: gravity and drag until it hits the ground.
func (c *Copter) fall(dt float64) (touchdown bool) {
	k := &c.kin
	k.velUp -= gravity * dt
	k.velN *= 1 - math.Min(1, 0.3*dt)
	k.velE *= 1 - math.Min(1, 0.3*dt)
	k.northM += k.velN * dt
	k.eastM += k.velE * dt
	k.altMSLM += k.velUp * dt
	k.accN, k.accE, k.accUp = 0, 0, -gravity
	if k.altMSLM <= c.groundMSLM {
		k.altMSLM = c.groundMSLM
		return true
	}
	return false
}

// settle puts the copter at rest on the ground.
func (c *Copter) settle() {
	k := &c.kin
	k.velN, k.velE, k.velUp = 0, 0, 0
	k.accN, k.accE, k.accUp = 0, 0, 0
	k.roll, k.pitch = 0, 0
	k.altMSLM = c.groundMSLM
}

// thrustRatio is thrust over weight: 1 in a hover, more when climbing or leaning.
func (c *Copter) thrustRatio() float64 {
	k := &c.kin
	return math.Hypot(math.Hypot(k.accN, k.accE), gravity+k.accUp) / gravity
}

// stoppingPoint is where the copter comes to rest if it brakes now, so hold modes do not
// overshoot and fly back.
func (c *Copter) stoppingPoint() (northM, eastM, altMSLM float64) {
	k := &c.kin
	accel := math.Max(c.param("WPNAV_ACCEL")/100, 0.5)
	accelZ := math.Max(c.param("WPNAV_ACCEL_Z")/100, 0.5)
	v := math.Hypot(k.velN, k.velE)
	return k.northM + k.velN*v/(2*accel), k.eastM + k.velE*v/(2*accel),
		k.altMSLM + k.velUp*math.Abs(k.velUp)/(2*accelZ)
}
