package gcs

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

var casesCameraIntrinsics = []struct {
	name           string
	cam            Camera
	fx, fy, cx, cy float64
}{
	{
		name: "field of view 90°",
		cam:  Camera{WidthPx: 1000, HeightPx: 800, HFOVDeg: 90},
		fx:   500, fy: 500, cx: 500, cy: 400,
	},
	{
		name: "field of view 60°",
		cam:  Camera{WidthPx: 1920, HeightPx: 1080, HFOVDeg: 60},
		fx:   960 / math.Tan(math.Pi/6), fy: 960 / math.Tan(math.Pi/6), cx: 960, cy: 540,
	},
	{
		name: "focal length and sensor, square pixels",
		cam:  Camera{WidthPx: 4000, HeightPx: 3000, FocalLengthMM: 4.5, SensorWidthMM: 6.17},
		fx:   4.5 * 4000 / 6.17, fy: 4.5 * 4000 / 6.17, cx: 2000, cy: 1500,
	},
	{
		name: "focal length and sensor height",
		cam:  Camera{WidthPx: 4000, HeightPx: 3000, FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.8},
		fx:   4.5 * 4000 / 6.17, fy: 4.5 * 3000 / 4.8, cx: 2000, cy: 1500,
	},
	{
		name: "field of view wins over the sensor",
		cam:  Camera{WidthPx: 1000, HeightPx: 800, HFOVDeg: 90, FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.8},
		fx:   500, fy: 500, cx: 500, cy: 400,
	},
	{
		name: "calibrated principal point",
		cam:  Camera{WidthPx: 1000, HeightPx: 800, HFOVDeg: 90, CxPx: 510.5, CyPx: 395},
		fx:   500, fy: 500, cx: 510.5, cy: 395,
	},
}

func TestCameraIntrinsics(t *testing.T) {
	for _, tc := range casesCameraIntrinsics {
		t.Run(tc.name, func(t *testing.T) {
			fx, fy, cx, cy, err := tc.cam.Intrinsics()
			require.NoError(t, err)
			require.InDelta(t, tc.fx, fx, 1e-9)
			require.InDelta(t, tc.fy, fy, 1e-9)
			require.InDelta(t, tc.cx, cx, 1e-9)
			require.InDelta(t, tc.cy, cy, 1e-9)
		})
	}
}

func TestCameraIntrinsicsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cam  Camera
		msg  string
	}{
		{"no size", Camera{HFOVDeg: 90}, "width and height must be positive, got 0×0 px"},
		{"negative height", Camera{WidthPx: 640, HeightPx: -1, HFOVDeg: 90}, "got 640×-1 px"},
		{"nothing about the lens", Camera{WidthPx: 640, HeightPx: 480}, "needs either a horizontal field of view or a positive focal length and sensor width"},
		{"focal length without sensor", Camera{WidthPx: 640, HeightPx: 480, FocalLengthMM: 4}, "needs either"},
		{"field of view 180°", Camera{WidthPx: 640, HeightPx: 480, HFOVDeg: 180}, "between 0° and 180°, got 180°"},
		{"negative field of view", Camera{WidthPx: 640, HeightPx: 480, HFOVDeg: -60}, "between 0° and 180°"},
		{"NaN field of view", Camera{WidthPx: 640, HeightPx: 480, HFOVDeg: math.NaN()}, "HFOVDeg must be a finite number"},
		{"infinite K1", Camera{WidthPx: 640, HeightPx: 480, HFOVDeg: 60, K1: math.Inf(1)}, "K1 must be a finite number"},
		{"negative sensor height", Camera{WidthPx: 640, HeightPx: 480, FocalLengthMM: 4, SensorWidthMM: 6, SensorHeightMM: -4}, "sensor height must not be negative"},
		{"principal point outside", Camera{WidthPx: 640, HeightPx: 480, HFOVDeg: 60, CxPx: 700, CyPx: 240}, "principal point (700, 240) is outside the 640×480 px image"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, _, err := tc.cam.Intrinsics()
			require.ErrorIs(t, err, ErrCameraInvalid)
			require.ErrorContains(t, err, tc.msg)
			require.Equal(t, [3]float64{}, tc.cam.Ray(1, 1))
			_, _, ok := tc.cam.Project([3]float64{1, 0, 0})
			require.False(t, ok)
		})
	}
}

func TestCameraFromInfo(t *testing.T) {
	for _, tc := range []struct {
		name string
		info CameraInfo
		want Camera
	}{
		{
			name: "video stream with field of view",
			info: CameraInfo{FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.55, ResolutionH: 4000, ResolutionV: 3000,
				VideoHFOVDeg: 82, VideoResolutionH: 1280, VideoResolutionV: 720},
			want: Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 82},
		},
		{
			name: "video resolution, sensor lens",
			info: CameraInfo{FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.55, ResolutionH: 4000, ResolutionV: 3000,
				VideoResolutionH: 1280, VideoResolutionV: 720},
			want: Camera{WidthPx: 1280, HeightPx: 720, FocalLengthMM: 4.5, SensorWidthMM: 6.17},
		},
		{
			name: "sensor only",
			info: CameraInfo{FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.55, ResolutionH: 4000, ResolutionV: 3000},
			want: Camera{WidthPx: 4000, HeightPx: 3000, FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.55},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CameraFromInfo(tc.info)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}

	t.Run("nothing usable", func(t *testing.T) {
		_, err := CameraFromInfo(CameraInfo{Vendor: "Siyi", ResolutionH: 1920, ResolutionV: 1080, VideoResolutionH: 1280, VideoResolutionV: 720})
		require.ErrorIs(t, err, ErrCameraInvalid)
		require.ErrorContains(t, err, "neither a video resolution with a field of view nor a focal length with a sensor width")
	})
	t.Run("sensor without resolution", func(t *testing.T) {
		_, err := CameraFromInfo(CameraInfo{FocalLengthMM: 4.5, SensorWidthMM: 6.17})
		require.ErrorIs(t, err, ErrCameraInvalid)
		require.ErrorContains(t, err, "width and height must be positive")
	})
}

func TestCameraRay(t *testing.T) {
	cam := Camera{WidthPx: 1000, HeightPx: 800, HFOVDeg: 90}
	for _, tc := range []struct {
		name string
		u, v float64
		want [3]float64 // before normalising
	}{
		{"centre is the optical axis", 500, 400, [3]float64{1, 0, 0}},
		{"right edge is 45° right", 1000, 400, [3]float64{1, 1, 0}},
		{"left edge is 45° left", 0, 400, [3]float64{1, -1, 0}},
		{"top edge is up (negative z)", 500, 0, [3]float64{1, 0, -0.8}},
		{"bottom-right corner", 1000, 800, [3]float64{1, 1, 0.8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cam.Ray(tc.u, tc.v)
			n := math.Sqrt(tc.want[0]*tc.want[0] + tc.want[1]*tc.want[1] + tc.want[2]*tc.want[2])
			for i := range 3 {
				require.InDelta(t, tc.want[i]/n, got[i], 1e-12)
			}
		})
	}
}

func TestCameraProjectInvertsRay(t *testing.T) {
	for _, tc := range []struct {
		name string
		cam  Camera
	}{
		{"no distortion", Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 82}},
		{"barrel distortion", Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 82, K1: -0.12, K2: 0.02}},
		{"strong barrel distortion", Camera{WidthPx: 1920, HeightPx: 1080, HFOVDeg: 90, K1: -0.3, K2: 0.08}},
		{"pincushion distortion", Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 60, K1: 0.15}},
		{"off-centre principal point, non-square pixels", Camera{WidthPx: 4000, HeightPx: 3000, FocalLengthMM: 4.5,
			SensorWidthMM: 6.17, SensorHeightMM: 4.8, CxPx: 2010, CyPx: 1490, K1: -0.05}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, h := float64(tc.cam.WidthPx), float64(tc.cam.HeightPx)
			for i := 0; i <= 8; i++ {
				for j := 0; j <= 8; j++ {
					u, v := w*float64(i)/8, h*float64(j)/8
					ray := tc.cam.Ray(u, v)
					require.InDelta(t, 1, math.Sqrt(ray[0]*ray[0]+ray[1]*ray[1]+ray[2]*ray[2]), 1e-12)
					gu, gv, ok := tc.cam.Project(ray)
					require.True(t, ok, "(%g, %g)", u, v)
					require.InDelta(t, u, gu, 1e-6, "u of (%g, %g)", u, v)
					require.InDelta(t, v, gv, 1e-6, "v of (%g, %g)", u, v)
				}
			}
		})
	}
}

func TestCameraProjectDistorts(t *testing.T) {
	// Barrel distortion pulls off-axis points towards the centre.
	plain := Camera{WidthPx: 1000, HeightPx: 800, HFOVDeg: 90}
	barrel := plain
	barrel.K1 = -0.1
	ray := [3]float64{1, 0.5, 0}
	u, _, ok := plain.Project(ray)
	require.True(t, ok)
	require.InDelta(t, 750, u, 1e-9)
	u, _, ok = barrel.Project(ray)
	require.True(t, ok)
	require.InDelta(t, 500+500*0.5*(1-0.1*0.25), u, 1e-9)
}

func TestCameraProjectRejects(t *testing.T) {
	cam := Camera{WidthPx: 1000, HeightPx: 800, HFOVDeg: 90, K1: -0.3}
	for _, tc := range []struct {
		name string
		ray  [3]float64
	}{
		{"behind", [3]float64{-1, 0, 0}},
		{"in the image plane", [3]float64{0, 1, 0}},
		{"NaN", [3]float64{math.NaN(), 0, 0}},
		// 1 - 3·0.3·r² < 0 beyond r ≈ 1.05: the model folds back there.
		{"where the distortion folds back", [3]float64{1, 1.2, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, ok := cam.Project(tc.ray)
			require.False(t, ok)
		})
	}
}
