package gcs

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPixelAim(t *testing.T) {
	cam := Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 69}
	fx := 640 / math.Tan(69.0/2*math.Pi/180)
	deg := func(d float64) float64 { return d * math.Pi / 180 }
	for _, c := range []struct {
		name       string
		att        Attitude
		g          GimbalAttitude
		u, v       float64
		pitch, yaw float64
	}{
		{"the centre keeps the gimbal where it is", Attitude{YawRad: deg(45)}, GimbalAttitude{PitchRad: deg(-30), YawRad: deg(10)}, 640, 360, -30, 10},
		{"right of the centre yaws right", Attitude{}, GimbalAttitude{}, 640 + fx*math.Tan(deg(20)), 360, 0, 20},
		{"left of the centre yaws left", Attitude{YawRad: deg(-100)}, GimbalAttitude{}, 640 - fx*math.Tan(deg(30)), 360, 0, -30},
		{"below the centre pitches down", Attitude{}, GimbalAttitude{PitchRad: deg(-10)}, 640, 360 + fx*math.Tan(deg(15)), -25, 0},
		{"a gimbal locked to north, relative to the nose", Attitude{YawRad: deg(45)}, GimbalAttitude{YawRad: deg(90), EarthFrame: true}, 640, 360, 0, 45},
		{"yaw wraps the short way", Attitude{YawRad: deg(170)}, GimbalAttitude{YawRad: deg(-170), EarthFrame: true}, 640, 360, 0, 20},
		{"straight down keeps the heading", Attitude{YawRad: deg(80)}, GimbalAttitude{PitchRad: deg(-90), YawRad: deg(30)}, 640, 360, -90, 30},
		{"a fixed camera on a banked airframe", Attitude{RollRad: deg(20)}, GimbalAttitude{PitchRad: deg(-90), BodyFrame: true}, 640, 360, -70, -90},
	} {
		t.Run(c.name, func(t *testing.T) {
			pitch, yaw, err := PixelAim(c.att, c.g, cam, c.u, c.v)
			require.NoError(t, err)
			require.InDelta(t, c.pitch, pitch, 1e-6)
			require.InDelta(t, c.yaw, yaw, 1e-6)
		})
	}
}

// Pointing a stabilised gimbal where PixelAim says puts the picture's centre on the ray of
// the pixel that was clicked, whatever the vehicle's and the gimbal's attitude.
func TestPixelAimCentresThePixel(t *testing.T) {
	cam := Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 80, K1: -0.1}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		att := Attitude{RollRad: rng.NormFloat64() * 0.2, PitchRad: rng.NormFloat64() * 0.2, YawRad: rng.Float64()*2*math.Pi - math.Pi}
		g := GimbalAttitude{PitchRad: -rng.Float64() * math.Pi / 2, YawRad: rng.Float64() - 0.5, EarthFrame: i%3 == 0, BodyFrame: i%3 == 1}
		u, v := rng.Float64()*1280, rng.Float64()*720
		pitch, yaw, err := PixelAim(att, g, cam, u, v)
		require.NoError(t, err)
		require.True(t, yaw > -180 && yaw <= 180, "yaw %g", yaw)
		want := cameraToNED(att, g).apply(cam.Ray(u, v))
		aimed := GimbalAttitude{PitchRad: pitch * math.Pi / 180, YawRad: yaw * math.Pi / 180}
		got := cameraToNED(att, aimed).apply([3]float64{1, 0, 0})
		for k := range 3 {
			require.InDelta(t, want[k], got[k], 1e-9, "case %d", i)
		}
	}
}

func TestPixelAimErrors(t *testing.T) {
	_, _, err := PixelAim(Attitude{}, GimbalAttitude{}, Camera{WidthPx: 640}, 1, 1)
	require.ErrorIs(t, err, ErrCameraInvalid)
	_, _, err = PixelAim(Attitude{}, GimbalAttitude{}, Camera{WidthPx: 640, HeightPx: 480, HFOVDeg: 60}, math.NaN(), 1)
	require.ErrorContains(t, err, "not a point of the picture")
}

func TestFrameCamera(t *testing.T) {
	video := &CameraInfo{VideoResolutionH: 1920, VideoResolutionV: 1080, VideoHFOVDeg: 80}
	sensor := &CameraInfo{FocalLengthMM: 4.5, SensorWidthMM: 6.17, ResolutionH: 4000, ResolutionV: 3000}
	for _, c := range []struct {
		name    string
		info    *CameraInfo
		def     Camera
		w, h    int
		wantFOV float64
	}{
		{"nothing known: the default lens", nil, Camera{}, 640, 360, DefaultHFOVDeg},
		{"the station's default", nil, Camera{HFOVDeg: 50}, 640, 360, 50},
		{"the video's field of view, scaled to the frames", video, Camera{}, 640, 360, 80},
		{"a focal length and sensor width", sensor, Camera{}, 1280, 720, 2 * math.Atan(6.17/2/4.5) * 180 / math.Pi},
		{"a camera that described itself badly", &CameraInfo{VideoResolutionH: 640}, Camera{}, 640, 360, DefaultHFOVDeg},
	} {
		t.Run(c.name, func(t *testing.T) {
			cam := FrameCamera(c.info, c.def, c.w, c.h)
			require.Equal(t, c.w, cam.WidthPx)
			require.Equal(t, c.h, cam.HeightPx)
			fx, _, cx, cy, err := cam.Intrinsics()
			require.NoError(t, err)
			require.InDelta(t, c.wantFOV, 2*math.Atan(float64(c.w)/2/fx)*180/math.Pi, 1e-9)
			require.Equal(t, float64(c.w)/2, cx)
			require.Equal(t, float64(c.h)/2, cy)
		})
	}
	same := FrameCamera(video, Camera{}, 1920, 1080)
	require.Equal(t, Camera{WidthPx: 1920, HeightPx: 1080, HFOVDeg: 80}, same, "at its own resolution the model is the vehicle's")
}
