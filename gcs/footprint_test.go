package gcs

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCameraFootprint(t *testing.T) {
	// Corners north/east of the camera: top-left, top-right, bottom-right, bottom-left.
	for _, tc := range []struct {
		name    string
		pose    Pose
		gimbal  GimbalAttitude
		corners [4][2]float64
		clipped [4]bool
	}{
		{
			// fx = 500 px: the 1000×800 image spans ±100 m east and ±80 m north at 100 m.
			name: "nadir heading north", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false),
			corners: [4][2]float64{{80, -100}, {80, 100}, {-80, 100}, {-80, -100}},
		},
		{
			name: "nadir heading east", pose: geotagPose(0, 0, 90), gimbal: gimbalDeg(-90, 0, false),
			corners: [4][2]float64{{100, 80}, {-100, 80}, {-100, -80}, {100, -80}},
		},
		{
			// The top edge is 38.66° above the optical axis: 10° down, the top corners are
			// above the horizon and clipped 5 km away in their rays' compass directions.
			name: "looking ahead, 10° down", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-10, 0, false),
			corners: func() [4][2]float64 {
				// The corner rays (1, ±1, ∓0.8) in the camera frame, pitched down 10°.
				s, c := math.Sincos(geotagDeg(-10))
				var out [4][2]float64
				for i, r := range [4][3]float64{{1, -1, -0.8}, {1, 1, -0.8}, {1, 1, 0.8}, {1, -1, 0.8}} {
					north, east, down := c*r[0]+s*r[2], r[1], -s*r[0]+c*r[2]
					if down > 0 {
						out[i] = [2]float64{100 * north / down, 100 * east / down}
					} else {
						h := math.Hypot(north, east)
						out[i] = [2]float64{5000 * north / h, 5000 * east / h}
					}
				}
				return out
			}(),
			clipped: [4]bool{true, true, false, false},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := CameraFootprint(tc.pose, tc.gimbal, geotagCam, geotagGround)
			require.NoError(t, err)
			for i, c := range f.Corners {
				n, e := NorthEastM(geotagHome, c)
				require.InDelta(t, tc.corners[i][0], n, 0.01, "corner %d north", i)
				require.InDelta(t, tc.corners[i][1], e, 0.01, "corner %d east", i)
			}
			require.Equal(t, tc.clipped, f.Clipped)
			ring := f.Ring()
			require.Len(t, ring, 5)
			require.True(t, ring.Closed())
		})
	}
}

func TestCameraFootprintNadirRectangle(t *testing.T) {
	// A nadir camera's footprint is a rectangle 2·h·tan(HFOV/2) wide with the image's aspect.
	cam := Camera{WidthPx: 1920, HeightPx: 1080, HFOVDeg: 70}
	f, err := CameraFootprint(geotagPose(0, 0, 0), gimbalDeg(-90, 0, false), cam, geotagGround)
	require.NoError(t, err)
	width := 2 * 100 * math.Tan(geotagDeg(35))
	height := width * 1080 / 1920
	require.InDelta(t, width, DistanceM(f.Corners[0], f.Corners[1]), 0.01)
	require.InDelta(t, height, DistanceM(f.Corners[1], f.Corners[2]), 0.01)
	require.InDelta(t, width, DistanceM(f.Corners[2], f.Corners[3]), 0.01)
	require.InDelta(t, height, DistanceM(f.Corners[3], f.Corners[0]), 0.01)
	require.InDelta(t, math.Hypot(width, height), DistanceM(f.Corners[0], f.Corners[2]), 0.01)
}

func TestCameraFootprintErrors(t *testing.T) {
	t.Run("invalid camera", func(t *testing.T) {
		_, err := CameraFootprint(geotagPose(0, 0, 0), gimbalDeg(-90, 0, false), Camera{}, geotagGround)
		require.ErrorIs(t, err, ErrCameraInvalid)
	})
	t.Run("below ground", func(t *testing.T) {
		_, err := CameraFootprint(geotagPose(0, 0, 0), gimbalDeg(-90, 0, false), geotagCam, FlatGround{AltMSLM: 1000})
		require.ErrorIs(t, err, ErrBelowGround)
		require.ErrorContains(t, err, "footprint corner 0")
	})
	t.Run("looking up", func(t *testing.T) {
		// All corners above the horizon: all clipped, not an error.
		f, err := CameraFootprint(geotagPose(0, 0, 0), gimbalDeg(60, 0, false), geotagCam, geotagGround)
		require.NoError(t, err)
		require.Equal(t, [4]bool{true, true, true, true}, f.Clipped)
	})
}
