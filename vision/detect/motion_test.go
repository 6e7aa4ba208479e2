package detect

import (
	"image"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

var testHome = gcs.Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}

// flight renders frames of the simulated world from a camera at 80 m whose yaw turns at
// yawRateDeg per frame, looking 60° down, with the world's vehicles driving.
type flight struct {
	world *synthcam.World
	cam   gcs.Camera
	t0    time.Time
	over  orb.Point // where the camera hovers
}

// worlds caches generated worlds: generating one takes seconds under the race detector.
var (
	worldsMu sync.Mutex
	worlds   = map[int]*synthcam.World{}
)

func newFlight(t testing.TB, vehicles int) *flight {
	worldsMu.Lock()
	w := worlds[vehicles]
	if w == nil {
		w = synthcam.NewWorld(synthcam.WorldConfig{Origin: testHome, Seed: 11, Vehicles: vehicles, Texels: 1024})
		worlds[vehicles] = w
	}
	worldsMu.Unlock()
	return &flight{
		world: w,
		cam:   gcs.Camera{WidthPx: 640, HeightPx: 360, HFOVDeg: 69},
		t0:    time.Unix(1_800_000_000, 0),
		over:  testHome.Point,
	}
}

// hoverNear moves the camera 45 m south of the first target's position at the start, so
// that looking north 60° down it sees the target.
func (f *flight) hoverNear() {
	f.over = gcs.OffsetNE(f.world.TruthAt(f.world.Targets[0], f.t0).Point, -45, 0)
}

func (f *flight) pose(i int, yawRateDeg float64) (gcs.Pose, gcs.GimbalAttitude, time.Time) {
	at := f.t0.Add(time.Duration(i) * time.Second / 30)
	p := gcs.Pose{
		Position: gcs.Position{Point: f.over, AltMSLM: testHome.AltMSLM + 80},
		Attitude: gcs.Attitude{YawRad: float64(i) * yawRateDeg * math.Pi / 180},
	}
	return p, gcs.GimbalAttitude{PitchRad: -60 * math.Pi / 180}, at
}

func (f *flight) frame(t testing.TB, i int, yawRateDeg float64) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, 640, 360), image.YCbCrSubsampleRatio420)
	p, g, at := f.pose(i, yawRateDeg)
	require.NoError(t, f.world.Render(img, f.cam, p, g, at))
	return img
}

// A camera turning 1° per frame (30°/s) over a world with no moving targets reports almost no
// motion: the background is warped by the ego-motion. The few stray boxes (a high-contrast
// edge the warp misplaces) are scattered: none persists three frames running at the same
// ground spot, so none would become a confirmed track.
func TestMotionIgnoresTheCamerasOwnMotion(t *testing.T) {
	f := newFlight(t, 0)
	m := &Motion{}
	defer m.Close()
	boxes := 0
	type chained struct {
		box image.Rectangle
		run int
	}
	var prev []chained
	for i := range 60 {
		grey, err := Grey(f.frame(t, i, 1))
		require.NoError(t, err)
		res, err := m.Detect(grey)
		grey.Close()
		require.NoError(t, err)
		if i > 0 {
			require.NotNil(t, res.EgoMotion, "frame %d: ego-motion estimated", i)
			require.False(t, res.Recalibrated, "frame %d", i)
		}
		var cur []chained
		for _, b := range res.Boxes {
			c := chained{box: b, run: 1}
			for _, p := range prev {
				x, y := res.EgoMotion.Apply(float64(p.box.Min.X+p.box.Max.X)/2, float64(p.box.Min.Y+p.box.Max.Y)/2)
				if image.Pt(int(x), int(y)).In(b.Inset(-6)) {
					c.run = max(c.run, p.run+1)
				}
			}
			require.Less(t, c.run, 3, "frame %d: a stray box persists at %v", i, b)
			cur = append(cur, c)
		}
		prev = cur
		if i >= 5 {
			boxes += len(res.Boxes)
		}
	}
	require.LessOrEqual(t, boxes, 11, "at most one stray box per five frames")
}

// The estimated ego-motion moves a ground point to where the next frame shows it.
func TestMotionEgoMotionMatchesGeometry(t *testing.T) {
	f := newFlight(t, 0)
	m := &Motion{}
	defer m.Close()
	var last MotionResult
	for i := range 2 {
		grey, _ := Grey(f.frame(t, i, 2))
		res, err := m.Detect(grey)
		grey.Close()
		require.NoError(t, err)
		last = res
	}
	require.NotNil(t, last.EgoMotion)
	// A ground point seen at the image centre in frame 0...
	p0, g0, _ := f.pose(0, 2)
	gp, err := gcs.Geotag(p0, g0, f.cam, 320, 180, gcs.FlatGround{AltMSLM: testHome.AltMSLM})
	require.NoError(t, err)
	p1, g1, _ := f.pose(1, 2)
	u1, v1, ok := gcs.ImagePoint(p1, g1, f.cam, gcs.Position{Point: gp.Point, AltMSLM: gp.AltMSLM})
	require.True(t, ok)
	x, y := last.EgoMotion.Apply(320, 180)
	require.InDelta(t, u1, x, 2, "x")
	require.InDelta(t, v1, y, 2, "y")
}

// Moving vehicles are found while the camera turns: each motion box covers where the
// geometry puts a vehicle.
func TestMotionFindsMovingVehiclesFromATurningCamera(t *testing.T) {
	f := newFlight(t, 4)
	f.hoverNear()
	m := &Motion{}
	defer m.Close()
	hits, visible := 0, 0
	for i := range 45 {
		grey, _ := Grey(f.frame(t, i, 0.5))
		res, err := m.Detect(grey)
		grey.Close()
		require.NoError(t, err)
		if i < 10 {
			continue
		}
		p, g, at := f.pose(i, 0.5)
		for _, tg := range f.world.Targets {
			u, v, ok := gcs.ImagePoint(p, g, f.cam, f.world.TruthAt(tg, at))
			if !ok || u < 20 || v < 20 || u > 620 || v > 340 {
				continue
			}
			visible++
			for _, b := range res.Boxes {
				if image.Pt(int(u), int(v)).In(b.Inset(-4)) {
					hits++
					break
				}
			}
		}
	}
	require.Positive(t, visible, "the test flight sees vehicles")
	require.GreaterOrEqual(t, float64(hits)/float64(visible), 0.9, "%d of %d vehicle sightings in a motion box", hits, visible)
}
