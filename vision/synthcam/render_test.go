package synthcam

import (
	"image"
	"image/color"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

var testHome = gcs.Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}

// newTestWorld is one world shared by the tests (read-only once built): generating one
// takes seconds under the race detector.
var newTestWorld = func() func(testing.TB) *World {
	var once sync.Once
	var w *World
	return func(testing.TB) *World {
		once.Do(func() { w = NewWorld(WorldConfig{Origin: testHome, Seed: 7, People: 10, Vehicles: 4, Texels: 1024}) })
		return w
	}
}()

func TestWorldIsDeterministic(t *testing.T) {
	a := NewWorld(WorldConfig{Origin: testHome, Seed: 3, People: 3, Vehicles: 2, Texels: 512})
	b := NewWorld(WorldConfig{Origin: testHome, Seed: 3, People: 3, Vehicles: 2, Texels: 512})
	c := NewWorld(WorldConfig{Origin: testHome, Seed: 4, People: 3, Vehicles: 2, Texels: 512})
	require.Equal(t, a.tex.levels[0].Y, b.tex.levels[0].Y)
	require.NotEqual(t, a.tex.levels[0].Y, c.tex.levels[0].Y)
	at := time.Unix(1_800_000_000, 0)
	for i := range a.Targets {
		require.Equal(t, a.TruthAt(a.Targets[i], at), b.TruthAt(b.Targets[i], at))
	}
}

func TestTargetsMoveAtTheirSpeed(t *testing.T) {
	w := newTestWorld(t)
	at := time.Unix(1_800_000_000, 0)
	for _, tg := range w.Targets {
		e0, n0, _ := tg.PositionAt(at)
		e1, n1, _ := tg.PositionAt(at.Add(100 * time.Millisecond))
		d := math.Hypot(e1-e0, n1-n0)
		// Turning a corner in 0.1 s shortens the straight-line distance a little.
		require.InDelta(t, tg.SpeedMps*0.1, d, tg.SpeedMps*0.1*0.5, "target %d (%s)", tg.ID, tg.Class)
	}
}

// A target rendered from straight above appears where ImagePoint (the inverse of geotagging)
// puts its true position, in its own colour.
func TestRenderDrawsTargetsWhereGeometrySaysTheyAre(t *testing.T) {
	w := newTestWorld(t)
	cam := gcs.Camera{WidthPx: 640, HeightPx: 360, HFOVDeg: 60}
	at := time.Unix(1_800_000_000, 0)
	nadir := gcs.GimbalAttitude{PitchRad: -math.Pi / 2}
	img := image.NewYCbCr(image.Rect(0, 0, 640, 360), image.YCbCrSubsampleRatio420)
	seen := 0
	for _, tg := range w.Targets {
		if tg.Class != ClassVehicle {
			continue
		}
		truth := w.TruthAt(tg, at)
		// Hover 60 m over the vehicle, offset so it is not at the exact centre.
		pose := gcs.Pose{Position: gcs.Position{Point: gcs.OffsetNE(truth.Point, 5, -8), AltMSLM: testHome.AltMSLM + 60},
			Attitude: gcs.Attitude{YawRad: 0.3}}
		require.NoError(t, w.Render(img, cam, pose, nadir, at))
		u, v, ok := gcs.ImagePoint(pose, nadir, cam, truth)
		require.True(t, ok)
		px, py := int(u), int(v)
		require.Equal(t, tg.colour.y, img.Y[py*img.YStride+px], "vehicle %d drawn at its projected position", tg.ID)
		seen++
	}
	require.Positive(t, seen)
}

func TestRenderSkyAboveTheHorizon(t *testing.T) {
	w := newTestWorld(t)
	cam := gcs.Camera{WidthPx: 320, HeightPx: 240, HFOVDeg: 60}
	img := image.NewYCbCr(image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio420)
	pose := gcs.Pose{Position: gcs.Position{Point: testHome.Point, AltMSLM: testHome.AltMSLM + 50}}
	level := gcs.GimbalAttitude{} // looking at the horizon
	require.NoError(t, w.Render(img, cam, pose, level, time.Unix(0, 0)))
	require.Equal(t, skyColour.y, img.Y[10*img.YStride+100], "top half is sky")
	require.NotEqual(t, skyColour.y, img.Y[230*img.YStride+100], "bottom half is ground")
}

func TestRenderRejectsAMismatchedFrame(t *testing.T) {
	w := newTestWorld(t)
	img := image.NewYCbCr(image.Rect(0, 0, 100, 100), image.YCbCrSubsampleRatio420)
	err := w.Render(img, gcs.Camera{WidthPx: 320, HeightPx: 240, HFOVDeg: 60}, gcs.Pose{}, gcs.GimbalAttitude{}, time.Time{})
	require.Error(t, err)
}

func TestTimecodeRoundTrip(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 640, 360), image.YCbCrSubsampleRatio420)
	at := time.UnixMilli(1_800_000_123_456)
	StampTimecode(img, at)
	got, ok := ReadTimecode(img)
	require.True(t, ok)
	require.True(t, at.Equal(got))
	img.Y[4*img.YStride+4] ^= 0xff // flip the first bit
	_, ok = ReadTimecode(img)
	require.False(t, ok, "a damaged timecode is not misread")
}

// An orthophoto draped over a box renders where the box is: looking straight down at the
// box's centre shows the image's centre.
func TestImageWorld(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for y := range 256 {
		for x := range 256 {
			c := color.RGBA{40, 40, 40, 255}
			if x >= 96 && x < 160 && y >= 96 && y < 160 {
				c = color.RGBA{250, 250, 250, 255} // a white square in the middle
			}
			src.Set(x, y, c)
		}
	}
	sw, ne := orb.Point{149.160, -35.368}, orb.Point{149.170, -35.358}
	w, err := NewImageWorld(src, sw, ne, 584, 3, 1)
	require.NoError(t, err)
	require.Len(t, w.Targets, 3)
	cam := gcs.Camera{WidthPx: 320, HeightPx: 240, HFOVDeg: 30}
	img := image.NewYCbCr(image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio420)
	pose := gcs.Pose{Position: gcs.Position{Point: orb.Point{149.165, -35.363}, AltMSLM: 584 + 300}}
	require.NoError(t, w.Render(img, cam, pose, gcs.GimbalAttitude{PitchRad: -math.Pi / 2, EarthFrame: true}, time.Unix(0, 0)))
	require.Greater(t, img.Y[120*img.YStride+160], uint8(200), "the white square is under the camera")

	_, err = NewImageWorld(image.NewRGBA(image.Rect(0, 0, 10, 10)), sw, ne, 0, 0, 1)
	require.ErrorContains(t, err, "too small")
	_, err = NewImageWorld(src, ne, sw, 0, 0, 1)
	require.ErrorContains(t, err, "south-west corner")
}
