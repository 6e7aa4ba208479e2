package sitl

import (
	"math"

	"github.com/vigil-gcs/vigil/gcs"
)

// gimbalManagerYawLock is GIMBAL_MANAGER_FLAGS_YAW_LOCK: the yaw is relative to north.
const gimbalManagerYawLock = 16

// Gimbal limits and rate, as a typical ISR gimbal and ArduPilot's MNT1_ defaults.
const (
	gimbalPitchMinDeg = -90
	gimbalPitchMaxDeg = 30
	gimbalRateDegPS   = 60
)

// gimbal is a two-axis camera gimbal. It points where it was told, or stares at the region
// of interest, slewing at a fixed rate.
type gimbal struct {
	pitch, yawBody float64 // current angles, radians; yaw relative to the vehicle's heading
	wantPitch      float64
	wantYaw        float64 // relative to the vehicle, or to north when earthFrame
	earthFrame     bool    // yaw locked to north (ROI or YAW_LOCK)
	roi            *roiPoint
}

// roiPoint is the region of interest: where it is and its altitude MSL.
type roiPoint struct {
	pos     gcs.Position
	northM  float64
	eastM   float64
	altMSLM float64
}

func newGimbal() gimbal {
	p := deg2rad(-45) // looking ahead and down, as a GCS expects at boot
	return gimbal{pitch: p, wantPitch: p}
}

// setROI makes the gimbal stare at a point (DO_SET_ROI_LOCATION).
func (c *Copter) setROI(latDeg, lonDeg, altMSLM float64) {
	pt := orbPoint(latDeg, lonDeg)
	n, e := c.frame.toNE(pt)
	c.gimbal.roi = &roiPoint{northM: n, eastM: e, altMSLM: altMSLM,
		pos: gcs.Position{Point: pt, AltMSLM: altMSLM}}
}

// clearROI ends staring at the region of interest; the gimbal goes back to its default
// (ahead and down), as ArduPilot's mount returns to its default mode.
func (c *Copter) clearROI() {
	if c.gimbal.roi == nil {
		return
	}
	def := newGimbal()
	c.gimbal.roi = nil
	c.gimbal.wantPitch, c.gimbal.wantYaw, c.gimbal.earthFrame = def.wantPitch, 0, false
}

// pointGimbal sets angles in degrees (DO_MOUNT_CONTROL, DO_GIMBAL_MANAGER_PITCHYAW) and ends
// any ROI; NaN leaves an axis as it is.
func (c *Copter) pointGimbal(pitchDeg, yawDeg float64, earthFrame bool) {
	g := &c.gimbal
	g.roi = nil
	if !math.IsNaN(pitchDeg) {
		g.wantPitch = deg2rad(clamp(pitchDeg, gimbalPitchMinDeg, gimbalPitchMaxDeg))
	}
	if !math.IsNaN(yawDeg) {
		g.wantYaw = wrapPi(deg2rad(yawDeg))
		g.earthFrame = earthFrame
	}
}

// stepGimbal slews toward the wanted angles; with a ROI the wanted angles are recomputed
// from the vehicle's position every step.
func (c *Copter) stepGimbal(dt float64) {
	g := &c.gimbal
	if r := g.roi; r != nil {
		dn, de := r.northM-c.kin.northM, r.eastM-c.kin.eastM
		dz := r.altMSLM - c.kin.altMSLM
		g.wantPitch = clamp(math.Atan2(dz, math.Hypot(dn, de)), deg2rad(gimbalPitchMinDeg), deg2rad(gimbalPitchMaxDeg))
		g.earthFrame = true
		if math.Hypot(dn, de) > 0.5 {
			g.wantYaw = math.Atan2(de, dn)
		}
	}
	wantBody := g.wantYaw
	if g.earthFrame {
		wantBody = wrapPi(g.wantYaw - c.kin.yaw)
	}
	step := deg2rad(gimbalRateDegPS) * dt
	g.pitch = approach(g.pitch, g.wantPitch, step)
	g.yawBody = approachAngle(g.yawBody, wantBody, step)
}

// gimbalAttitude reports the gimbal in the frame it is being steered in, as
// GIMBAL_DEVICE_ATTITUDE_STATUS does.
func (c *Copter) gimbalAttitude() gcs.GimbalAttitude {
	g := c.gimbal
	a := gcs.GimbalAttitude{PitchRad: g.pitch, YawRad: g.yawBody, EarthFrame: g.earthFrame}
	if g.earthFrame {
		a.YawRad = wrapPi(g.yawBody + c.kin.yaw)
	}
	return a
}

// roiPosition is the region of interest, if one is set.
func (c *Copter) roiPosition() *gcs.Position {
	if c.gimbal.roi == nil {
		return nil
	}
	p := c.gimbal.roi.pos
	p.AltRelM = p.AltMSLM - c.home.AltMSLM
	return &p
}
