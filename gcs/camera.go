package gcs

import (
	"errors"
	"fmt"
	"math"
)

// ErrCameraInvalid is returned, wrapped in a sentence saying what is wrong, when a Camera
// cannot be turned into a pinhole model: geotagging with a guessed camera would put
// detections in confidently wrong places, so it refuses instead.
var ErrCameraInvalid = errors.New("camera model invalid")

// Camera is a pinhole camera with radial distortion, enough to turn a pixel of a video frame
// into a direction and back.
//
// Image coordinates (u, v) are continuous pixels: u to the right, v down, with the top-left
// corner of the image at (0, 0) and the bottom-right one at (WidthPx, HeightPx), so the
// centre of pixel (i, j) is at (i+0.5, j+0.5). Corners and edges are then exact, which is
// what a footprint needs.
//
// The camera frame is REFERENCE's: x forward along the optical axis, y right, z down, so
// that a camera on a level vehicle with its gimbal at zero sees with the vehicle's own axes.
type Camera struct {
	// WidthPx and HeightPx are the size of the frames being geotagged (the video stream's,
	// which is often smaller than the sensor's).
	WidthPx, HeightPx int

	// HFOVDeg is the horizontal field of view across WidthPx. When set it wins over the
	// focal length and sensor size, and pixels are taken to be square.
	HFOVDeg float64

	// FocalLengthMM and SensorWidthMM give the focal length in pixels when HFOVDeg is not
	// set: fx = FocalLengthMM · WidthPx / SensorWidthMM. SensorHeightMM gives fy the same
	// way; when it is 0 pixels are taken to be square.
	FocalLengthMM, SensorWidthMM, SensorHeightMM float64

	// CxPx and CyPx are the principal point from a calibration. Both 0 means the centre of
	// the image (WidthPx/2, HeightPx/2), which is as good as any guess without one.
	CxPx, CyPx float64

	// K1 and K2 are the radial distortion coefficients of the Brown (OpenCV) model on
	// normalised coordinates: distorted = undistorted · (1 + K1·r² + K2·r⁴). 0 is a
	// distortion-free lens.
	K1, K2 float64
}

// Intrinsics returns the focal lengths and principal point in pixels, or an error wrapping
// ErrCameraInvalid saying what is missing or out of range.
func (c Camera) Intrinsics() (fx, fy, cx, cy float64, err error) {
	in, err := c.intrinsics()
	return in.fx, in.fy, in.cx, in.cy, err
}

// CameraFromInfo builds a Camera from what the vehicle reported. The video stream's
// resolution and horizontal field of view are preferred, because video frames are what gets
// geotagged and the stream may be scaled or cropped from the sensor. Without a video field
// of view, the sensor's focal length and width are used with the video resolution (assuming
// the stream spans the sensor's full width, and square pixels since 16:9 video from a 4:3
// sensor is cropped vertically), or with the sensor's own resolution when there is no video
// resolution either.
func CameraFromInfo(info CameraInfo) (Camera, error) {
	var c Camera
	videoRes := info.VideoResolutionH > 0 && info.VideoResolutionV > 0
	switch {
	case videoRes && info.VideoHFOVDeg > 0:
		c = Camera{WidthPx: info.VideoResolutionH, HeightPx: info.VideoResolutionV, HFOVDeg: info.VideoHFOVDeg}
	case info.FocalLengthMM > 0 && info.SensorWidthMM > 0 && videoRes:
		c = Camera{WidthPx: info.VideoResolutionH, HeightPx: info.VideoResolutionV,
			FocalLengthMM: info.FocalLengthMM, SensorWidthMM: info.SensorWidthMM}
	case info.FocalLengthMM > 0 && info.SensorWidthMM > 0:
		c = Camera{WidthPx: info.ResolutionH, HeightPx: info.ResolutionV,
			FocalLengthMM: info.FocalLengthMM, SensorWidthMM: info.SensorWidthMM, SensorHeightMM: info.SensorHeightMM}
	default:
		return Camera{}, fmt.Errorf("%w: the vehicle reported neither a video resolution with a field of view nor a focal length with a sensor width", ErrCameraInvalid)
	}
	if _, err := c.intrinsics(); err != nil {
		return Camera{}, err
	}
	return c, nil
}

// Ray returns the unit direction, in the camera frame (x forward, y right, z down), of the
// light that reached image point (u, v), with the lens distortion removed. It returns the
// zero vector when the camera is invalid (Intrinsics says why).
func (c Camera) Ray(u, v float64) [3]float64 {
	in, err := c.intrinsics()
	if err != nil {
		return [3]float64{}
	}
	return in.ray(u, v)
}

// Project returns where a direction in the camera frame lands in the image, with the lens
// distortion applied, as a simulated camera renders it. ok is false when the direction is
// not in front of the camera, when it is so far off-axis that the distortion model folds
// back on itself (a point there would wrongly appear inside the image), or when the camera
// is invalid. (u, v) may be outside the image.
func (c Camera) Project(rayCam [3]float64) (u, v float64, ok bool) {
	in, err := c.intrinsics()
	if err != nil {
		return 0, 0, false
	}
	return in.project(rayCam)
}

// cameraIntrinsics is a validated Camera reduced to what the pixel maths needs.
type cameraIntrinsics struct {
	fx, fy, cx, cy float64
	k1, k2         float64
}

func (c Camera) intrinsics() (cameraIntrinsics, error) {
	w, h := float64(c.WidthPx), float64(c.HeightPx)
	if c.WidthPx <= 0 || c.HeightPx <= 0 {
		return cameraIntrinsics{}, fmt.Errorf("%w: the width and height must be positive, got %d×%d px", ErrCameraInvalid, c.WidthPx, c.HeightPx)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"HFOVDeg", c.HFOVDeg}, {"FocalLengthMM", c.FocalLengthMM}, {"SensorWidthMM", c.SensorWidthMM},
		{"SensorHeightMM", c.SensorHeightMM}, {"CxPx", c.CxPx}, {"CyPx", c.CyPx}, {"K1", c.K1}, {"K2", c.K2},
	} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return cameraIntrinsics{}, fmt.Errorf("%w: %s must be a finite number, got %v", ErrCameraInvalid, f.name, f.v)
		}
	}

	in := cameraIntrinsics{k1: c.K1, k2: c.K2}
	switch {
	case c.HFOVDeg != 0:
		if c.HFOVDeg < 0 || c.HFOVDeg >= 180 {
			return cameraIntrinsics{}, fmt.Errorf("%w: the horizontal field of view must be between 0° and 180°, got %g°", ErrCameraInvalid, c.HFOVDeg)
		}
		in.fx = w / 2 / math.Tan(c.HFOVDeg/2*math.Pi/180)
		in.fy = in.fx
	case c.FocalLengthMM > 0 && c.SensorWidthMM > 0:
		in.fx = c.FocalLengthMM * w / c.SensorWidthMM
		in.fy = in.fx
		if c.SensorHeightMM < 0 {
			return cameraIntrinsics{}, fmt.Errorf("%w: the sensor height must not be negative, got %g mm", ErrCameraInvalid, c.SensorHeightMM)
		}
		if c.SensorHeightMM > 0 {
			in.fy = c.FocalLengthMM * h / c.SensorHeightMM
		}
	default:
		return cameraIntrinsics{}, fmt.Errorf("%w: it needs either a horizontal field of view or a positive focal length and sensor width (got %g mm and %g mm)",
			ErrCameraInvalid, c.FocalLengthMM, c.SensorWidthMM)
	}

	in.cx, in.cy = c.CxPx, c.CyPx
	if in.cx == 0 && in.cy == 0 {
		in.cx, in.cy = w/2, h/2
	}
	if in.cx < 0 || in.cx > w || in.cy < 0 || in.cy > h {
		return cameraIntrinsics{}, fmt.Errorf("%w: the principal point (%g, %g) is outside the %d×%d px image", ErrCameraInvalid, in.cx, in.cy, c.WidthPx, c.HeightPx)
	}
	return in, nil
}

const (
	// undistortMaxIter bounds the fixed-point iterations that remove distortion. Each one
	// shrinks the error by about 2·|K1|·r², so a strong lens (K1 = -0.3) at the image corner
	// still converges to well under a thousandth of a pixel.
	undistortMaxIter = 50
	undistortTol     = 1e-12 // in normalised coordinates; ~1e-9 px
)

func (in cameraIntrinsics) ray(u, v float64) [3]float64 {
	x, y := (u-in.cx)/in.fx, (v-in.cy)/in.fy
	if in.k1 != 0 || in.k2 != 0 {
		x, y = in.undistort(x, y)
	}
	n := math.Sqrt(1 + x*x + y*y)
	return [3]float64{1 / n, x / n, y / n}
}

// undistort inverts the radial model by fixed-point iteration, as OpenCV's
// undistortPoints does: undistorted = distorted / (1 + K1·r² + K2·r⁴), with r taken from
// the previous guess.
func (in cameraIntrinsics) undistort(xd, yd float64) (x, y float64) {
	x, y = xd, yd
	for range undistortMaxIter {
		r2 := x*x + y*y
		f := 1 + in.k1*r2 + in.k2*r2*r2
		if f <= 0 { // far outside where the model means anything; keep the last guess
			break
		}
		nx, ny := xd/f, yd/f
		done := math.Abs(nx-x) < undistortTol && math.Abs(ny-y) < undistortTol
		x, y = nx, ny
		if done {
			break
		}
	}
	return x, y
}

func (in cameraIntrinsics) project(r [3]float64) (u, v float64, ok bool) {
	if !(r[0] > 0) {
		return 0, 0, false
	}
	x, y := r[1]/r[0], r[2]/r[0]
	r2 := x*x + y*y
	// Past the radius where d(r·(1+K1r²+K2r⁴))/dr turns negative, farther-off-axis points
	// land nearer the centre: the model no longer describes the lens.
	if 1+3*in.k1*r2+5*in.k2*r2*r2 <= 0 {
		return 0, 0, false
	}
	f := 1 + in.k1*r2 + in.k2*r2*r2
	return in.cx + in.fx*x*f, in.cy + in.fy*y*f, true
}
