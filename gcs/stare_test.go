package gcs

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The stare's angles, handed to the geotag maths as an earth-framed gimbal, put the image
// centre on the point, whatever the balloon's heading and sway.
func TestStareAimsTheCentreAtThePoint(t *testing.T) {
	cam := Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 60}
	ground := FlatGround{AltMSLM: monitorHome.AltMSLM}
	balloon := Pose{
		Position: Position{Point: OffsetNE(monitorHome.Point, 40, -10), AltMSLM: monitorHome.AltMSLM + 145},
		Attitude: Attitude{RollRad: 0.05, PitchRad: 0.08, YawRad: 2.5},
	}
	cases := []struct {
		name          string
		northM, eastM float64
		pitchDeg      float64
		yawDeg        float64
	}{
		// 145 m down, 145 m east of the balloon: 45° down, due east.
		{"45° east", 40, 135, -45, 90},
		{"straight below", 40, -10, -90, 0},
		{"far south-west", -600, -650, -9.1017, 225},
		{"north", 340, -10, -25.80, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target := Position{Point: OffsetNE(monitorHome.Point, tc.northM, tc.eastM), AltMSLM: monitorHome.AltMSLM}
			aim, err := Stare{Target: target}.Aim(time.Time{}, balloon)
			require.NoError(t, err)
			require.InDelta(t, tc.pitchDeg, aim.PitchDeg, 0.01)
			require.InDelta(t, tc.yawDeg, aim.YawDeg, 0.01)
			g := GimbalAttitude{PitchRad: aim.PitchDeg * math.Pi / 180, YawRad: aim.YawDeg * math.Pi / 180, EarthFrame: true}
			hit, err := Geotag(balloon, g, cam, 640, 360, ground)
			require.NoError(t, err)
			require.Less(t, DistanceM(hit.Point, target.Point), 0.01)
		})
	}
}

// With a lead the stare aims from where the drifting balloon will be.
func TestStareLeadsTheDrift(t *testing.T) {
	p := Pose{
		Position: Position{Point: monitorHome.Point, AltMSLM: monitorHome.AltMSLM + 100},
		Velocity: Velocity{EastMps: 2, DownMps: 1},
	}
	target := Position{Point: OffsetNE(monitorHome.Point, 0, 100), AltMSLM: monitorHome.AltMSLM}
	aim, err := Stare{Target: target, Lead: 5 * time.Second}.Aim(time.Time{}, p)
	require.NoError(t, err)
	// In 5 s: 10 m east and 5 m down, so 90 m to go and 95 m down.
	require.InDelta(t, -math.Atan2(95, 90)*180/math.Pi, aim.PitchDeg, 0.01)
	require.InDelta(t, 90, aim.YawDeg, 0.01)
}

func TestStareRefusesWhatItCannotSee(t *testing.T) {
	p := Pose{Position: Position{Point: monitorHome.Point, AltMSLM: monitorHome.AltMSLM + 150}}
	cases := []struct {
		name   string
		target Position
		is     error
		text   string
	}{
		{"above the camera", Position{Point: OffsetNE(monitorHome.Point, 500, 0), AltMSLM: monitorHome.AltMSLM + 200}, ErrAboveHorizon,
			"the camera cannot see it: ray above the horizon: the point is 50 m above the camera, 500 m away"},
		{"level with the camera", Position{Point: OffsetNE(monitorHome.Point, 0, 500), AltMSLM: monitorHome.AltMSLM + 150}, ErrAboveHorizon,
			"the camera cannot see it: ray above the horizon: the point is 0 m above the camera, 500 m away"},
		{"out of range", Position{Point: OffsetNE(monitorHome.Point, 6000, 0), AltMSLM: monitorHome.AltMSLM}, ErrOutOfRange,
			"the camera cannot see it: ground point out of range: the point is 6002 m away, farther than 5000 m"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Stare{Target: tc.target}.Aim(time.Time{}, p)
			require.EqualError(t, err, tc.text)
			require.True(t, errors.Is(err, ErrCannotSee))
			require.True(t, errors.Is(err, tc.is))
		})
	}
}
