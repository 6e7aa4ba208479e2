package gcs

import "math"

// DefaultHFOVDeg is the horizontal field of view assumed for a camera that has not
// described itself: a common wide lens of drone cameras.
const DefaultHFOVDeg = 69

// FrameCamera is the camera model for a vehicle's video frames of w×h pixels: the camera
// the vehicle described (info, from CAMERA_INFORMATION and VIDEO_STREAM_INFORMATION) or,
// when it did not or described it badly, def (a DefaultHFOVDeg lens when def has neither a
// field of view nor a focal length). A model made for another resolution is scaled to the
// frames': the lens, and so its field of view, does not change with the stream's size.
func FrameCamera(info *CameraInfo, def Camera, w, h int) Camera {
	cam := def
	if cam.HFOVDeg == 0 && cam.FocalLengthMM == 0 {
		cam.HFOVDeg = DefaultHFOVDeg
	}
	if info != nil {
		if c, err := CameraFromInfo(*info); err == nil {
			cam = c
		}
	}
	if w <= 0 || h <= 0 || (cam.WidthPx == w && cam.HeightPx == h) {
		return cam
	}
	hfovDeg := cam.HFOVDeg
	if hfovDeg == 0 && cam.FocalLengthMM > 0 && cam.SensorWidthMM > 0 {
		hfovDeg = 2 * math.Atan(cam.SensorWidthMM/2/cam.FocalLengthMM) * 180 / math.Pi
	}
	return Camera{WidthPx: w, HeightPx: h, HFOVDeg: hfovDeg, K1: cam.K1, K2: cam.K2}
}
