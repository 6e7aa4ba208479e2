package gcs

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// Geotag tests fly over ArduPilot SITL's home (CMAC, Canberra), 100 m above flat ground.
var (
	geotagHome   = orb.Point{149.165230, -35.363261}
	geotagGround = FlatGround{AltMSLM: 584}
	// geotagCam has fx = fy = 500 px: the right edge is 45° right, the top edge 38.66° up.
	geotagCam = Camera{WidthPx: 1000, HeightPx: 800, HFOVDeg: 90}
)

func geotagDeg(d float64) float64 { return d * math.Pi / 180 }

func geotagPose(rollDeg, pitchDeg, yawDeg float64) Pose {
	return Pose{
		Position: Position{Point: geotagHome, AltMSLM: 684, AltRelM: 100},
		Attitude: Attitude{RollRad: geotagDeg(rollDeg), PitchRad: geotagDeg(pitchDeg), YawRad: geotagDeg(yawDeg)},
	}
}

func bodyFixed(g GimbalAttitude) GimbalAttitude {
	g.BodyFrame = true
	return g
}

func gimbalDeg(pitchDeg, yawDeg float64, earth bool) GimbalAttitude {
	return GimbalAttitude{PitchRad: geotagDeg(pitchDeg), YawRad: geotagDeg(yawDeg), EarthFrame: earth}
}

var casesGeotag = []struct {
	name                string
	pose                Pose
	gimbal              GimbalAttitude
	u, v                float64
	northM, eastM       float64 // from the camera
	rangeM, offNadirDeg float64
}{
	{
		name: "nadir, centre pixel lands straight below",
		pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false), u: 500, v: 400,
		northM: 0, eastM: 0, rangeM: 100, offNadirDeg: 0,
	},
	{
		name: "nadir, right edge is east (top of the image towards the nose)",
		pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false), u: 1000, v: 400,
		northM: 0, eastM: 100, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		name: "nadir, top-right corner is north-east at the field of view",
		pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false), u: 1000, v: 0,
		northM: 80, eastM: 100, rangeM: math.Sqrt(100*100 + 80*80 + 100*100), offNadirDeg: math.Atan(math.Hypot(80, 100)/100) * 180 / math.Pi,
	},
	{
		name: "nadir, bottom-left corner is south-west",
		pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false), u: 0, v: 800,
		northM: -80, eastM: -100, rangeM: math.Sqrt(100*100 + 80*80 + 100*100), offNadirDeg: math.Atan(math.Hypot(80, 100)/100) * 180 / math.Pi,
	},
	{
		name: "nadir, vehicle heading east turns the image",
		pose: geotagPose(0, 0, 90), gimbal: gimbalDeg(-90, 0, false), u: 1000, v: 400,
		northM: -100, eastM: 0, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		name: "45° down looking north",
		pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-45, 0, false), u: 500, v: 400,
		northM: 100, eastM: 0, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		name: "45° down, vehicle heading east",
		pose: geotagPose(0, 0, 90), gimbal: gimbalDeg(-45, 0, false), u: 500, v: 400,
		northM: 0, eastM: 100, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		name: "45° down, gimbal yawed 90° right of the nose",
		pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-45, 90, false), u: 500, v: 400,
		northM: 0, eastM: 100, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		name: "45° down, gimbal yaw adds to the vehicle's",
		pose: geotagPose(0, 0, 90), gimbal: gimbalDeg(-45, 90, false), u: 500, v: 400,
		northM: -100, eastM: 0, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		// Right wing down swings the belly, and a camera fixed under it, to the left (west).
		name: "positive roll: body-fixed nadir camera looks west",
		pose: geotagPose(10, 0, 0), gimbal: bodyFixed(gimbalDeg(-90, 0, false)), u: 500, v: 400,
		northM: 0, eastM: -100 * math.Tan(geotagDeg(10)), rangeM: 100 / math.Cos(geotagDeg(10)), offNadirDeg: 10,
	},
	{
		// Nose up swings the belly forward (north).
		name: "positive pitch: body-fixed nadir camera looks ahead",
		pose: geotagPose(0, 10, 0), gimbal: bodyFixed(gimbalDeg(-90, 0, false)), u: 500, v: 400,
		northM: 100 * math.Tan(geotagDeg(10)), eastM: 0, rangeM: 100 / math.Cos(geotagDeg(10)), offNadirDeg: 10,
	},
	{
		name: "positive roll heading east: body-fixed nadir camera looks north",
		pose: geotagPose(10, 0, 90), gimbal: bodyFixed(gimbalDeg(-90, 0, false)), u: 500, v: 400,
		northM: 100 * math.Tan(geotagDeg(10)), eastM: 0, rangeM: 100 / math.Cos(geotagDeg(10)), offNadirDeg: 10,
	},
	{
		// A stabilised gimbal (MAVLink v2 vehicle frame) holds the horizon: roll and pitch
		// of the vehicle do not move its view, only the heading does.
		name: "stabilised gimbal ignores the vehicle's roll and pitch",
		pose: geotagPose(10, 8, 0), gimbal: gimbalDeg(-45, 0, false), u: 500, v: 400,
		northM: 100, eastM: 0, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		name: "stabilised gimbal follows the vehicle's heading",
		pose: geotagPose(5, -5, 90), gimbal: gimbalDeg(-45, 0, false), u: 500, v: 400,
		northM: 0, eastM: 100, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		name: "earth-frame gimbal ignores the vehicle's yaw",
		pose: geotagPose(0, 0, 90), gimbal: gimbalDeg(-45, 0, true), u: 500, v: 400,
		northM: 100, eastM: 0, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
	{
		name: "earth-frame gimbal ignores the vehicle's roll and pitch",
		pose: geotagPose(15, -10, 200), gimbal: gimbalDeg(-45, 90, true), u: 500, v: 400,
		northM: 0, eastM: 100, rangeM: 100 * math.Sqrt2, offNadirDeg: 45,
	},
}

func TestGeotag(t *testing.T) {
	for _, tc := range casesGeotag {
		t.Run(tc.name, func(t *testing.T) {
			gp, err := Geotag(tc.pose, tc.gimbal, geotagCam, tc.u, tc.v, geotagGround)
			require.NoError(t, err)
			n, e := NorthEastM(geotagHome, gp.Point)
			require.InDelta(t, tc.northM, n, 0.01, "north")
			require.InDelta(t, tc.eastM, e, 0.01, "east")
			require.InDelta(t, 584, gp.AltMSLM, 1e-6)
			require.InDelta(t, tc.rangeM, gp.RangeM, 0.01)
			require.InDelta(t, tc.offNadirDeg, gp.OffNadirDeg, 1e-6)
		})
	}
}

// rampGround rises northM·slope metres going north of geotagHome.
type rampGround struct{ slope float64 }

func (r rampGround) HeightAt(pt orb.Point) (float64, bool) {
	n, _ := NorthEastM(geotagHome, pt)
	return 584 + r.slope*n, true
}

// noGround has no terrain more than a few metres from geotagHome.
type noGround struct{}

func (noGround) HeightAt(pt orb.Point) (float64, bool) {
	n, e := NorthEastM(geotagHome, pt)
	return 584, math.Hypot(n, e) < 10
}

func TestGeotagTerrain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		slope  float64
		northM float64
	}{
		// Looking 45° down to the north: the ray descends 1 m per metre north, the ground
		// rises slope m per metre, so they meet at 100 / (1 + slope).
		{"rising", 0.1, 100 / 1.1},
		{"steeply rising", 0.5, 100 / 1.5},
		{"falling", -0.2, 100 / 0.8},
		// Steeper than the ray: MAVProxy's repeated level intersections alone diverge.
		{"steeper than the ray", 2, 100 / 3.0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gp, err := Geotag(geotagPose(0, 0, 0), gimbalDeg(-45, 0, false), geotagCam, 500, 400, rampGround{tc.slope})
			require.NoError(t, err)
			n, e := NorthEastM(geotagHome, gp.Point)
			require.InDelta(t, tc.northM, n, 0.05)
			require.InDelta(t, 0, e, 1e-6)
			require.InDelta(t, 584+tc.slope*tc.northM, gp.AltMSLM, 0.05)
		})
	}
}

// waveGround is rolling terrain: 20 m high waves 190 m long running north-east.
type waveGround struct{}

func (waveGround) HeightAt(pt orb.Point) (float64, bool) {
	n, e := NorthEastM(geotagHome, pt)
	return 584 + 20*math.Sin((n+e)/30), true
}

func TestGeotagRollingTerrain(t *testing.T) {
	for _, pitchDeg := range []float64{-90, -70, -45, -30} {
		t.Run(fmt.Sprintf("%g°", pitchDeg), func(t *testing.T) {
			gp, err := Geotag(geotagPose(0, 0, 30), gimbalDeg(pitchDeg, 0, false), geotagCam, 500, 400, waveGround{})
			require.NoError(t, err)
			h, _ := waveGround{}.HeightAt(gp.Point)
			require.InDelta(t, h, gp.AltMSLM, terrainTolM, "on the terrain")
			n, e := NorthEastM(geotagHome, gp.Point)
			horiz := (684 - gp.AltMSLM) / math.Tan(geotagDeg(-pitchDeg))
			require.InDelta(t, horiz*math.Cos(geotagDeg(30)), n, 0.01, "on the ray")
			require.InDelta(t, horiz*math.Sin(geotagDeg(30)), e, 0.01, "on the ray")
		})
	}
}

func TestGeotagErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		gt     Geotagger
		pose   Pose
		gimbal GimbalAttitude
		cam    Camera
		v      float64
		ground Ground
		target error
		msg    string
	}{
		{
			name: "looking up", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(10, 0, false), cam: geotagCam, v: 400,
			ground: geotagGround, target: ErrAboveHorizon, msg: "it points 10.0° above the horizon",
		},
		{
			name: "looking level", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(0, 0, false), cam: geotagCam, v: 400,
			ground: geotagGround, target: ErrAboveHorizon, msg: "0.0° above the horizon",
		},
		{
			name: "top row of a camera 20° down", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-20, 0, false), cam: geotagCam, v: 0,
			ground: geotagGround, target: ErrAboveHorizon,
		},
		{
			name: "vehicle pitched up past a body-fixed camera's depression", pose: geotagPose(0, 15, 0), gimbal: bodyFixed(gimbalDeg(-10, 0, false)), cam: geotagCam, v: 400,
			ground: geotagGround, target: ErrAboveHorizon,
		},
		{
			// 100 m / sin(1°) = 5730 m
			name: "1° below the horizon is too far", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-1, 0, false), cam: geotagCam, v: 400,
			ground: geotagGround, target: ErrOutOfRange, msg: "5730 m away, farther than 5000 m",
		},
		{
			name: "a shorter range", gt: Geotagger{MaxRangeM: 120}, pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-45, 0, false), cam: geotagCam, v: 400,
			ground: geotagGround, target: ErrOutOfRange, msg: "141 m away, farther than 120 m",
		},
		{
			name: "camera below the ground", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false), cam: geotagCam, v: 400,
			ground: FlatGround{AltMSLM: 700}, target: ErrBelowGround, msg: "16.0 m below",
		},
		{
			name: "no terrain where it looks", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-45, 0, false), cam: geotagCam, v: 400,
			ground: noGround{}, target: ErrNoTerrain, msg: "141 m from the camera",
		},
		{
			name: "invalid camera", pose: geotagPose(0, 0, 0), gimbal: gimbalDeg(-90, 0, false), cam: Camera{WidthPx: 640, HeightPx: 480}, v: 400,
			ground: geotagGround, target: ErrCameraInvalid,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.gt.Geotag(tc.pose, tc.gimbal, tc.cam, 500, tc.v, tc.ground)
			require.ErrorIs(t, err, tc.target)
			require.ErrorContains(t, err, tc.msg)
		})
	}

	t.Run("a longer range accepts it", func(t *testing.T) {
		gp, err := Geotagger{MaxRangeM: 10000}.Geotag(geotagPose(0, 0, 0), gimbalDeg(-1, 0, false), geotagCam, 500, 400, geotagGround)
		require.NoError(t, err)
		n, _ := NorthEastM(geotagHome, gp.Point)
		require.InDelta(t, 100/math.Tan(geotagDeg(1)), n, 0.1)
	})
}

// TestGeotagMatchesProject checks Geotag against the camera model run forwards: a ground
// point projected into the image of a rolled, yawed vehicle with a distorting lens must be
// geotagged back onto itself.
func TestGeotagMatchesProject(t *testing.T) {
	cam := Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 82, K1: -0.12, K2: 0.02}
	pose := geotagPose(7, -4, 33)
	g := gimbalDeg(-50, -20, false)
	rot := cameraToNED(pose.Attitude, g)
	for _, ne := range [][2]float64{{60, 20}, {40, 60}, {90, 50}, {30, 10}} {
		// The ray from the camera to the point, in NED, turned into the camera frame with the
		// transpose of rot.
		d := [3]float64{ne[0], ne[1], 100}
		var rc [3]float64
		for i := range 3 {
			rc[i] = rot[0][i]*d[0] + rot[1][i]*d[1] + rot[2][i]*d[2]
		}
		u, v, ok := cam.Project(rc)
		require.True(t, ok)
		gp, err := Geotag(pose, g, cam, u, v, geotagGround)
		require.NoError(t, err)
		n, e := NorthEastM(geotagHome, gp.Point)
		require.InDelta(t, ne[0], n, 0.01)
		require.InDelta(t, ne[1], e, 0.01)
	}
}

func BenchmarkGeotag(b *testing.B) {
	cam := Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 82, K1: -0.12, K2: 0.02}
	pose := geotagPose(3, -2, 45)
	g := gimbalDeg(-60, 10, false)
	for b.Loop() {
		if _, err := Geotag(pose, g, cam, 900, 500, geotagGround); err != nil {
			b.Fatal(err)
		}
	}
}
