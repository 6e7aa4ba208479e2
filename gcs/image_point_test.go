package gcs

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// Geotagging a pixel and projecting the ground point back must land on the same pixel, and
// projecting a ground point then geotagging its pixel on the same ground point: the
// simulated camera draws with ImagePoint and the station measures with Geotag.
func TestImagePointInvertsGeotag(t *testing.T) {
	cam := Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 70}
	home := orb.Point{149.16523, -35.363261}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		p := Pose{
			Position: Position{Point: OffsetNE(home, rng.Float64()*400-200, rng.Float64()*400-200), AltMSLM: 584 + 30 + rng.Float64()*250},
			Attitude: Attitude{RollRad: rng.NormFloat64() * 0.1, PitchRad: rng.NormFloat64() * 0.1, YawRad: rng.Float64() * 2 * math.Pi},
		}
		g := GimbalAttitude{PitchRad: -math.Pi/2 + rng.Float64()*1.2, YawRad: rng.Float64() - 0.5, EarthFrame: i%3 == 0, BodyFrame: i%3 == 1}
		u, v := rng.Float64()*1280, rng.Float64()*720
		gp, err := Geotag(p, g, cam, u, v, FlatGround{AltMSLM: 584})
		if err != nil {
			continue // above the horizon or out of range: nothing to invert
		}
		pu, pv, ok := ImagePoint(p, g, cam, Position{Point: gp.Point, AltMSLM: gp.AltMSLM})
		require.True(t, ok)
		require.InDelta(t, u, pu, 1e-3, "case %d", i)
		require.InDelta(t, v, pv, 1e-3, "case %d", i)
	}
}

func TestImagePointBehindTheCamera(t *testing.T) {
	cam := Camera{WidthPx: 640, HeightPx: 480, HFOVDeg: 60}
	p := Pose{Position: Position{Point: orb.Point{149, -35}, AltMSLM: 100}}
	looksNorth := GimbalAttitude{EarthFrame: true}
	_, _, ok := ImagePoint(p, looksNorth, cam, Position{Point: OffsetNE(p.Position.Point, -50, 0), AltMSLM: 100})
	require.False(t, ok, "a point south of a north-looking camera is not in its image")
	u, v, ok := ImagePoint(p, looksNorth, cam, Position{Point: OffsetNE(p.Position.Point, 50, 0), AltMSLM: 100})
	require.True(t, ok)
	require.InDelta(t, 320, u, 1e-6)
	require.InDelta(t, 240, v, 1e-6)
}
