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
	c.gimbal.setROI(c.frame, latDeg, lonDeg, altMSLM)
}

// clearROI ends staring at the region of interest.
func (c *Copter) clearROI() { c.gimbal.clearROI() }

// pointGimbal sets angles in degrees and ends any ROI.
func (c *Copter) pointGimbal(pitchDeg, yawDeg float64, earthFrame bool) {
	c.gimbal.point(pitchDeg, yawDeg, earthFrame)
}

// stepGimbal slews the gimbal from the copter's position and heading.
func (c *Copter) stepGimbal(dt float64) {
	c.gimbal.step(dt, c.kin.northM, c.kin.eastM, c.kin.altMSLM, c.kin.yaw)
}

// gimbalAttitude reports the gimbal as GIMBAL_DEVICE_ATTITUDE_STATUS does.
func (c *Copter) gimbalAttitude() gcs.GimbalAttitude { return c.gimbal.attitude(c.kin.yaw) }

// roiPosition is the region of interest, if one is set.
func (c *Copter) roiPosition() *gcs.Position { return c.gimbal.roiPosition(c.home.AltMSLM) }

// setROI makes the gimbal stare at a point (DO_SET_ROI_LOCATION).
func (g *gimbal) setROI(frame localFrame, latDeg, lonDeg, altMSLM float64) {
	pt := orbPoint(latDeg, lonDeg)
	n, e := frame.toNE(pt)
	g.roi = &roiPoint{northM: n, eastM: e, altMSLM: altMSLM,
		pos: gcs.Position{Point: pt, AltMSLM: altMSLM}}
}

// clearROI ends staring at the region of interest; the gimbal goes back to its default
// (ahead and down), as ArduPilot's mount returns to its default mode.
func (g *gimbal) clearROI() {
	if g.roi == nil {
		return
	}
	def := newGimbal()
	g.roi = nil
	g.wantPitch, g.wantYaw, g.earthFrame = def.wantPitch, 0, false
}

// point sets angles in degrees (DO_MOUNT_CONTROL, DO_GIMBAL_MANAGER_PITCHYAW) and ends any
// ROI; NaN leaves an axis as it is.
func (g *gimbal) point(pitchDeg, yawDeg float64, earthFrame bool) {
	g.roi = nil
	if !math.IsNaN(pitchDeg) {
		g.wantPitch = deg2rad(clamp(pitchDeg, gimbalPitchMinDeg, gimbalPitchMaxDeg))
	}
	if !math.IsNaN(yawDeg) {
		g.wantYaw = wrapPi(deg2rad(yawDeg))
		g.earthFrame = earthFrame
	}
}

// command runs the gimbal commands a GCS or a mission sends; ok is false for others.
// roiAltMSLM converts the ROI's altitude (p7) from the command's frame.
func (g *gimbal) command(cmd uint16, p [7]float64, frame localFrame, roiAltMSLM func(alt float64) float64) (ok bool) {
	switch cmd {
	case gcs.CmdDoSetROI, gcs.CmdDoSetROILocation:
		if p[4] == 0 && p[5] == 0 {
			g.clearROI() // ArduPilot: a ROI at 0,0 cancels it
			break
		}
		g.setROI(frame, p[4], p[5], roiAltMSLM(p[6]))
	case gcs.CmdDoSetROINone:
		g.clearROI()
	case gcs.CmdDoMountControl:
		g.point(p[0], p[2], false)
	case gcs.CmdDoGimbalManagerPitchYaw:
		g.point(p[0], p[1], int(p[4])&gimbalManagerYawLock != 0)
	default:
		return false
	}
	return true
}

// step slews toward the wanted angles from a mount at (northM, eastM, altMSLM) on a
// vehicle heading yawRad; with a ROI the wanted angles are recomputed every step.
func (g *gimbal) step(dt, northM, eastM, altMSLM, yawRad float64) {
	if r := g.roi; r != nil {
		dn, de := r.northM-northM, r.eastM-eastM
		dz := r.altMSLM - altMSLM
		g.wantPitch = clamp(math.Atan2(dz, math.Hypot(dn, de)), deg2rad(gimbalPitchMinDeg), deg2rad(gimbalPitchMaxDeg))
		g.earthFrame = true
		if math.Hypot(dn, de) > 0.5 {
			g.wantYaw = math.Atan2(de, dn)
		}
	}
	wantBody := g.wantYaw
	if g.earthFrame {
		wantBody = wrapPi(g.wantYaw - yawRad)
	}
	step := deg2rad(gimbalRateDegPS) * dt
	g.pitch = approach(g.pitch, g.wantPitch, step)
	g.yawBody = approachAngle(g.yawBody, wantBody, step)
}

// attitude reports the gimbal in the frame it is being steered in, as
// GIMBAL_DEVICE_ATTITUDE_STATUS does, on a vehicle heading yawRad.
func (g *gimbal) attitude(yawRad float64) gcs.GimbalAttitude {
	a := gcs.GimbalAttitude{PitchRad: g.pitch, YawRad: g.yawBody, EarthFrame: g.earthFrame}
	if g.earthFrame {
		a.YawRad = wrapPi(g.yawBody + yawRad)
	}
	return a
}

// roiPosition is the region of interest, if one is set.
func (g *gimbal) roiPosition(homeAltMSLM float64) *gcs.Position {
	if g.roi == nil {
		return nil
	}
	p := g.roi.pos
	p.AltRelM = p.AltMSLM - homeAltMSLM
	return &p
}
