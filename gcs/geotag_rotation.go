package gcs

import "math"

// rot3 is a rotation matrix: apply turns a vector given in the inner frame (body, camera)
// into the outer one (NED).
type rot3 [3][3]float64

// rotZYX is the body→NED rotation for ZYX Euler angles as MAVLink's ATTITUDE reports them:
// yaw about down (clockwise from north seen from above), then pitch about the new right
// axis (positive nose up), then roll about the new forward axis (positive right wing down).
// R = Rz(yaw)·Ry(pitch)·Rx(roll).
func rotZYX(rollRad, pitchRad, yawRad float64) rot3 {
	sr, cr := math.Sincos(rollRad)
	sp, cp := math.Sincos(pitchRad)
	sy, cy := math.Sincos(yawRad)
	return rot3{
		{cp * cy, sr*sp*cy - cr*sy, cr*sp*cy + sr*sy},
		{cp * sy, sr*sp*sy + cr*cy, cr*sp*sy - sr*cy},
		{-sp, sr * cp, cr * cp},
	}
}

// rotAbout is a right-handed rotation by angleRad about axis 0 (north), 1 (east) or
// 2 (down) of the outer frame.
func rotAbout(axis int, angleRad float64) rot3 {
	switch axis {
	case 0:
		return rotZYX(angleRad, 0, 0)
	case 1:
		return rotZYX(0, angleRad, 0)
	default:
		return rotZYX(0, 0, angleRad)
	}
}

func (a rot3) mul(b rot3) rot3 {
	var m rot3
	for i := range 3 {
		for j := range 3 {
			m[i][j] = a[i][0]*b[0][j] + a[i][1]*b[1][j] + a[i][2]*b[2][j]
		}
	}
	return m
}

func (a rot3) apply(v [3]float64) [3]float64 {
	return [3]float64{
		a[0][0]*v[0] + a[0][1]*v[1] + a[0][2]*v[2],
		a[1][0]*v[0] + a[1][1]*v[1] + a[1][2]*v[2],
		a[2][0]*v[0] + a[2][1]*v[1] + a[2][2]*v[2],
	}
}

// cameraToNED is the camera's orientation in NED: the rotation taking a ray in the camera
// frame (x forward, y right, z down) to north, east, down.
//
// The gimbal's angles are ZYX Euler angles like the vehicle's; all zero is a camera looking
// along the vehicle's nose, pitch -90° looks straight down with the top of the image
// towards the nose. Three frames, as MAVLink's gimbal protocol v2 and fixed mounts use them:
//   - BodyFrame: a camera fixed to the airframe; its angles are relative to the body, so the
//     camera is the vehicle's whole attitude times the mount: R = R(vehicle)·R(mount).
//   - neither flag (GIMBAL_DEVICE_FLAGS_YAW_IN_VEHICLE_FRAME): a stabilised gimbal holds roll
//     and pitch against the horizon and only its yaw follows the vehicle's heading, so only
//     the vehicle's yaw is applied. Applying its roll and pitch too would count them twice.
//   - EarthFrame (YAW_IN_EARTH_FRAME): the angles are absolute (yaw from north) and the
//     vehicle's attitude is not used.
func cameraToNED(att Attitude, g GimbalAttitude) rot3 {
	gimbal := rotZYX(g.RollRad, g.PitchRad, g.YawRad)
	switch {
	case g.EarthFrame:
		return gimbal
	case g.BodyFrame:
		return rotZYX(att.RollRad, att.PitchRad, att.YawRad).mul(gimbal)
	}
	return rotZYX(0, 0, att.YawRad).mul(gimbal)
}

// CameraToNED is the camera's orientation in north-east-down for a vehicle attitude and a
// gimbal attitude, as geotagging uses it (see cameraToNED): rows are N, E, D, columns the
// camera's forward, right and down axes. A simulated camera renders with it.
func CameraToNED(att Attitude, g GimbalAttitude) [3][3]float64 { return cameraToNED(att, g) }

// ImagePoint returns where the point pt appears in a frame taken from pose p with the gimbal
// at g: the inverse of Geotag. ok is false when pt is behind the camera (or the camera is
// invalid); (u, v) may be outside the image.
func ImagePoint(p Pose, g GimbalAttitude, cam Camera, pt Position) (u, v float64, ok bool) {
	n, e := NorthEastM(p.Position.Point, pt.Point)
	ned := [3]float64{n, e, p.Position.AltMSLM - pt.AltMSLM}
	r := cameraToNED(p.Attitude, g)
	var c [3]float64 // R is orthonormal: its transpose takes NED to the camera frame
	for i := range 3 {
		c[i] = r[0][i]*ned[0] + r[1][i]*ned[1] + r[2][i]*ned[2]
	}
	return cam.Project(c)
}
