package gcs

import (
	"fmt"
	"math"
)

// PixelAim returns where to point a vehicle's gimbal so that what is now seen at image point
// (u, v) comes to the centre of the picture: the direction of that pixel's ray, from the
// vehicle's attitude att, the gimbal's attitude g and the camera model cam. Pitch is above
// the horizon (negative looks down); yaw is clockwise from the vehicle's nose, in
// (-180°, 180°], as the gimbal is commanded with its yaw in the vehicle's frame.
//
// The camera does not move when the gimbal turns, so the object lands on the centre
// exactly, whatever its distance. Straight up or down, where yaw means nothing, the gimbal
// keeps the yaw it has. An invalid camera is an error wrapping ErrCameraInvalid.
func PixelAim(att Attitude, g GimbalAttitude, cam Camera, u, v float64) (pitchDeg, yawDeg float64, err error) {
	in, err := cam.intrinsics()
	if err != nil {
		return 0, 0, err
	}
	if math.IsNaN(u) || math.IsNaN(v) || math.IsInf(u, 0) || math.IsInf(v, 0) {
		return 0, 0, fmt.Errorf("pixel (%v, %v) is not a point of the picture", u, v)
	}
	r := cameraToNED(att, g)
	d := r.apply(in.ray(u, v))
	horiz := math.Hypot(d[0], d[1])
	pitchDeg = math.Atan2(-d[2], horiz) * 180 / math.Pi
	var earthYawRad float64
	if horiz > 1e-9 {
		earthYawRad = math.Atan2(d[1], d[0])
	} else {
		// Straight down (or up): keep the heading the camera has, where the top of its
		// picture points (the nose, for a gimbal at pitch -90° and yaw 0°).
		top := r.apply([3]float64{0, 0, -1})
		earthYawRad = att.YawRad
		if math.Hypot(top[0], top[1]) > 1e-9 {
			earthYawRad = math.Atan2(top[1], top[0])
		}
	}
	yawDeg = math.Remainder((earthYawRad-att.YawRad)*180/math.Pi, 360)
	if yawDeg == -180 {
		yawDeg = 180
	}
	return pitchDeg, yawDeg, nil
}
