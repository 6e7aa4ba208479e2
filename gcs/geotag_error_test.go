package gcs

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// angleDiffDeg is the difference between two axis orientations, which repeat every 180°.
func angleDiffDeg(a, b float64) float64 {
	return math.Abs(math.Remainder(a-b, 180))
}

var casesGeotagError = []struct {
	name           string
	pose           Pose
	gimbal         GimbalAttitude
	sigmas         Sigmas
	major, minor   float64 // metres, within 10 %
	orientationDeg float64 // checked when the ellipse is not a circle
	weak           bool
}{
	{
		// REFERENCE: 1° of attitude error at 100 m is 1.75 m straight down.
		name: "1° attitude, straight down", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false),
		sigmas: Sigmas{AttitudeDeg: 1}, major: 1.75, minor: 1.75,
	},
	{
		// REFERENCE: 3.5 m at 45° (height · δ / cos²) along the line of sight. Across it,
		// the tilt moves it height · δ and the heading error horizontal distance · δ.
		name: "1° attitude, 45° off nadir looking north", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-45, 0, false),
		sigmas: Sigmas{AttitudeDeg: 1}, major: 3.5, minor: math.Sqrt2 * 1.75, orientationDeg: 0,
	},
	{
		name: "1° attitude, 45° off nadir looking east", pose: geotagPose(0, 0, 90), gimbal: gimbalDeg(-45, 0, false),
		sigmas: Sigmas{AttitudeDeg: 1}, major: 3.5, minor: math.Sqrt2 * 1.75, orientationDeg: 90,
	},
	{
		name: "1° attitude, earth-frame gimbal 45° off nadir looking north-east", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-45, 45, true),
		sigmas: Sigmas{AttitudeDeg: 1}, major: 3.5, minor: math.Sqrt2 * 1.75, orientationDeg: 45,
	},
	{
		// Straight down, gimbal yaw turns the image about the point: only pitch moves it.
		name: "1° gimbal, straight down", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false),
		sigmas: Sigmas{GimbalDeg: 1}, major: 1.75, minor: 0, orientationDeg: 0,
	},
	{
		name: "2 m of altitude, 45° off nadir", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-45, 0, false),
		sigmas: Sigmas{AltitudeM: 2}, major: 2, minor: 0, orientationDeg: 0,
	},
	{
		name: "2 m of altitude, straight down", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false),
		sigmas: Sigmas{AltitudeM: 2}, major: 0, minor: 0,
	},
	{
		// 20 m/s north-east × 50 ms = 1 m along the velocity.
		name: "50 ms of timing at 20 m/s", gimbal: gimbalDeg(-90, 0, false),
		pose: func() Pose {
			p := geotagPose(0, 0, 0)
			p.Velocity = Velocity{NorthMps: 20 / math.Sqrt2, EastMps: 20 / math.Sqrt2}
			return p
		}(),
		sigmas: Sigmas{TimingS: 0.05}, major: 1, minor: 0, orientationDeg: 45,
	},
	{
		name: "far oblique is weak", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-20, 0, false),
		sigmas: Sigmas{AttitudeDeg: 1}, major: 100 * geotagDeg(1) / math.Pow(math.Cos(geotagDeg(70)), 2),
		minor: math.Hypot(100, 100*math.Tan(geotagDeg(70))) * geotagDeg(1), orientationDeg: 0, weak: true,
	},
	{
		name: "defaults straight down", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false),
		sigmas: DefaultSigmas(), major: math.Sqrt(2) * 1.75, minor: 1.75, orientationDeg: 0,
	},
}

func TestGeotagError(t *testing.T) {
	for _, tc := range casesGeotagError {
		t.Run(tc.name, func(t *testing.T) {
			e, err := GeotagError(tc.pose, tc.gimbal, geotagCam, 500, 400, geotagGround, tc.sigmas)
			require.NoError(t, err)
			require.InDelta(t, tc.major, e.SemiMajorM, 0.1*tc.major+1e-6, "semi-major")
			if tc.minor > 0 {
				require.InDelta(t, tc.minor, e.SemiMinorM, 0.1*tc.minor, "semi-minor")
			} else {
				require.Less(t, e.SemiMinorM, 0.05*tc.major+1e-6, "semi-minor")
			}
			if tc.major-tc.minor > 0.1*tc.major {
				require.Less(t, angleDiffDeg(tc.orientationDeg, e.OrientationDeg), 1.0, "orientation %g", e.OrientationDeg)
			}
			require.GreaterOrEqual(t, e.OrientationDeg, 0.0)
			require.Less(t, e.OrientationDeg, 180.0)
			require.Equal(t, tc.weak, e.Weak)
		})
	}
}

func TestGeotagErrorWeak(t *testing.T) {
	t.Run("semi-major over 50 m", func(t *testing.T) {
		// 55° off nadir (not weak by angle) from 1000 m: 1000 · 0.0175 / cos²55° ≈ 53 m.
		p := geotagPose(0, 0, 0)
		p.Position.AltMSLM = 1584
		e, err := GeotagError(p, gimbalDeg(-35, 0, false), geotagCam, 500, 400, geotagGround, Sigmas{AttitudeDeg: 1})
		require.NoError(t, err)
		require.Greater(t, e.SemiMajorM, 50.0)
		require.True(t, e.Weak)
	})
	t.Run("a sigma would take the ray out of range", func(t *testing.T) {
		// 1.2° below the horizon: 4775 m away, +1° of tilt takes it past 5 km.
		e, err := GeotagError(geotagPose(0, 0, 0), gimbalDeg(-1.2, 0, false), geotagCam, 500, 400, geotagGround, Sigmas{AttitudeDeg: 1})
		require.NoError(t, err)
		require.True(t, e.Weak)
	})
}

func TestGeotagErrorErrors(t *testing.T) {
	t.Run("point itself fails", func(t *testing.T) {
		_, err := GeotagError(geotagPose(0, 0, 0), gimbalDeg(10, 0, false), geotagCam, 500, 400, geotagGround, DefaultSigmas())
		require.ErrorIs(t, err, ErrAboveHorizon)
	})
	t.Run("negative sigma", func(t *testing.T) {
		_, err := GeotagError(geotagPose(0, 0, 0), gimbalDeg(-90, 0, false), geotagCam, 500, 400, geotagGround, Sigmas{AltitudeM: -1})
		require.ErrorContains(t, err, "sigmas must not be negative")
	})
	t.Run("both sides fail", func(t *testing.T) {
		// 1.2° below the horizon, 100 m up: 200 m higher is too far, 200 m lower is below
		// the ground.
		_, err := Geotagger{MaxRangeM: 5000}.GeotagError(geotagPose(0, 0, 0), gimbalDeg(-1.2, 0, false), geotagCam, 500, 400, geotagGround, Sigmas{AltitudeM: 200})
		require.ErrorIs(t, err, ErrOutOfRange)
		require.ErrorContains(t, err, "altitude")
	})
}

func TestEllipseFromCov(t *testing.T) {
	for _, tc := range []struct {
		name             string
		nn, ne, ee       float64
		major, minor, or float64
	}{
		{"north-south", 4, 0, 1, 2, 1, 0},
		{"east-west", 1, 0, 9, 3, 1, 90},
		{"north-east", 2.5, 1.5, 2.5, 2, 1, 45},
		{"north-west", 2.5, -1.5, 2.5, 2, 1, 135},
		{"nothing", 0, 0, 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := ellipseFromCov(tc.nn, tc.ne, tc.ee)
			require.InDelta(t, tc.major, e.SemiMajorM, 1e-9)
			require.InDelta(t, tc.minor, e.SemiMinorM, 1e-9)
			require.InDelta(t, tc.or, e.OrientationDeg, 1e-9)
		})
	}
}
