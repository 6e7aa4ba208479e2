package track

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// then is the homography that applies a, then b.
func (a Homography) then(b Homography) Homography {
	var m Homography
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				m[i*3+j] += b[i*3+k] * a[k*3+j]
			}
		}
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// discBox is the box a detector draws around a round object of radius r (in the first
// frame's pixels) at q, seen in a frame that frame 0 maps to by g: the circle becomes, to
// first order, an ellipse whose bounding box has half-sizes r·|row of the Jacobian|.
func discBox(g Homography, q Vec, r float64) Box {
	c, _ := g.Apply(q)
	j, _ := g.Jacobian(q)
	return boxAt(c, 2*r*math.Hypot(j[0], j[1]), 2*r*math.Hypot(j[2], j[3]))
}

func TestTrackerEgoMotion(t *testing.T) {
	type object struct {
		start, vel Vec // in the first frame's pixels and pixels per second
	}
	static := object{start: Vec{1100, 300}}
	for _, c := range []struct {
		name    string
		ego     Homography // the camera's motion between processed frames
		fps     float64
		frames  int
		objects []object
		hidden  [2]int // frames [from, to) without any detection…
		// …during which the camera moves by hiddenEgo, when set, instead of ego.
		hiddenEgo *Homography
	}{
		{"pan 15 px a frame", translation(-15, 0), 30, 60,
			[]object{static, {Vec{1000, 500}, Vec{60, 20}}}, [2]int{}, nil},
		{"pan at 10 processed fps, 45 px a frame", translation(-45, 10), 10, 20,
			[]object{{start: Vec{1200, 300}}, {Vec{1100, 450}, Vec{-30, 0}}}, [2]int{}, nil},
		{"turn 1.5° a frame while climbing", similarity(1.5*math.Pi/180, 0.995, Vec{640, 360}), 30, 60,
			[]object{{start: Vec{900, 360}}, {Vec{640, 200}, Vec{40, 0}}}, [2]int{}, nil},
		{"turn with perspective", similarity(1*math.Pi/180, 1.004, Vec{640, 360}).then(
			Homography{1, 0.004, -3, -0.004, 1, 2, 1e-5, -1e-5, 1}), 15, 30,
			[]object{{start: Vec{800, 500}}, {Vec{400, 300}, Vec{0, 30}}}, [2]int{}, nil},
		// Nothing is detected for 1.2 s while the camera turns 54° and zooms in by 43 %:
		// the tracks coast through the turn on their transformed velocities and sizes.
		{"coasting through a turn while descending", similarity(3*math.Pi/180, 1, Vec{640, 360}), 15, 45,
			[]object{{start: Vec{800, 360}}, {Vec{640, 250}, Vec{60, 0}}}, [2]int{15, 33},
			ptr(similarity(3*math.Pi/180, 1.02, Vec{640, 360}))},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(c.frames)))
			tr := newTracker(t, Tracker{})
			times := frameTimes(rng, c.frames+1, c.fps, 1)
			const radius = 20
			truth := func(k int, g Homography) []Box {
				out := make([]Box, len(c.objects))
				for i, o := range c.objects {
					sec := times[k].Sub(t0).Seconds()
					out[i] = discBox(g, Vec{o.start.X + o.vel.X*sec, o.start.Y + o.vel.Y*sec}, radius)
				}
				return out
			}
			g := IdentityHomography() // first frame → current frame
			objectOf := map[uint64]int{}
			var last []TrackUpdate
			egoAt := func(k int) *Homography {
				if c.hiddenEgo != nil && k >= c.hidden[0] && k < c.hidden[1] {
					return c.hiddenEgo
				}
				return &c.ego
			}
			for k := range c.frames {
				var ego *Homography
				if k > 0 {
					ego = egoAt(k)
					g = g.then(*ego)
				}
				var dets []Detection
				for _, b := range truth(k, g) {
					hidden := k >= c.hidden[0] && k < c.hidden[1]
					if k < 3 || !hidden && rng.Float64() >= 0.1 {
						dets = append(dets, noisyDet(rng, b.Center(), b.Width(), b.Height(), 0.5, "car"))
					}
				}
				us, err := tr.Update(times[k], ego, dets)
				require.NoError(t, err)
				boxes := truth(k, g)
				for _, u := range us {
					i := 0
					for j := range boxes {
						if dist(u.Box.Center(), boxes[j].Center()) < dist(u.Box.Center(), boxes[i].Center()) {
							i = j
						}
					}
					minIoU := 0.7
					if k >= c.hidden[0] && k <= c.hidden[1] {
						minIoU = 0.5 // coasting unseen, or just back
					}
					require.Greater(t, u.Box.IoU(boxes[i]), minIoU, "frame %d: track %d on its object", k, u.ID)
					if prev, ok := objectOf[u.ID]; ok {
						require.Equal(t, prev, i)
					}
					objectOf[u.ID] = i
				}
				last = us

				// Where does the tracker expect its tracks in the next frame?
				if k >= 5 {
					next := g.then(*egoAt(k + 1))
					pred, err := tr.Predict(times[k+1], egoAt(k+1))
					require.NoError(t, err)
					// One frame ahead the prediction lands on the object; coasting unseen
					// through the camera's motion, it still overlaps it well.
					minIoU := 0.8
					if k+1 > c.hidden[0] && k+1 <= c.hidden[1]+2 {
						minIoU = 0.6 // unseen, or just back
					}
					for _, p := range pred {
						if i, ok := objectOf[p.ID]; ok {
							require.Greater(t, p.Box.IoU(truth(k+1, next)[i]), minIoU,
								"frame %d: track %d's prediction lands on its next detection", k, p.ID)
						}
					}
				}
			}
			require.Len(t, objectOf, len(c.objects), "one track per object through the camera's motion")
			for _, u := range last {
				o := c.objects[objectOf[u.ID]]
				// The object's velocity seen in the last frame: its motion on the ground
				// through the Jacobian of first frame → last frame.
				sec := times[c.frames-1].Sub(t0).Seconds()
				j, _ := g.Jacobian(Vec{o.start.X + o.vel.X*sec, o.start.Y + o.vel.Y*sec})
				want := Vec{j[0]*o.vel.X + j[1]*o.vel.Y, j[2]*o.vel.X + j[3]*o.vel.Y}
				// Within a fifth, plus a fifth of the 40 px object a second.
				require.Less(t, dist(u.VelocityPxPerS, want), 0.2*math.Hypot(want.X, want.Y)+8,
					"track %d: velocity %v, want %v", u.ID, u.VelocityPxPerS, want)
			}
		})
	}
}

// TestTrackerEgoMotionMatters checks that the ego-motion is what keeps a parked car still:
// given the same detections without it, the tracker reports the camera's motion as the
// car's.
func TestTrackerEgoMotionMatters(t *testing.T) {
	ego := translation(-15, 0)
	for _, c := range []struct {
		name     string
		ego      *Homography
		wantVelX float64
	}{
		{"with ego-motion", &ego, 0},
		{"without", nil, -450},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newTracker(t, Tracker{})
			var us []TrackUpdate
			for k := range 30 {
				var err error
				us, err = tr.Update(t0.Add(time.Duration(k)*time.Second/30), c.ego,
					[]Detection{{Box: boxAt(Vec{1000 - 15*float64(k), 300}, 40, 40), Class: "car", Score: 0.9}})
				require.NoError(t, err)
			}
			require.Len(t, us, 1)
			require.InDelta(t, c.wantVelX, us[0].VelocityPxPerS.X, 10)
		})
	}
}

// TestTrackerCarriedOutOfView checks that a track the camera's motion carries a million
// pixels away, where no picture will ever bring it back, is removed at once, with the last
// box it had.
func TestTrackerCarriedOutOfView(t *testing.T) {
	tr := newTracker(t, Tracker{})
	det := []Detection{{Box: boxAt(Vec{300, 300}, 40, 40), Class: "car", Score: 0.9}}
	for k := range 3 {
		_, err := tr.Update(t0.Add(time.Duration(k)*100*time.Millisecond), nil, det)
		require.NoError(t, err)
	}
	fling := translation(-9e4, 0)
	var removed []TrackUpdate
	for k := 3; k < 20 && removed == nil; k++ {
		us, err := tr.Update(t0.Add(time.Duration(k)*100*time.Millisecond), &fling, nil)
		require.NoError(t, err)
		require.Len(t, us, 1)
		if us[0].State == StateRemoved {
			removed = us
			require.Equal(t, 14, k, "removed at the frame that takes it past a million pixels")
		}
	}
	require.NotNil(t, removed)
	// At frame 14 the centre would be at 300 − 12·90,000; its last box was at frame 13.
	require.InDelta(t, 300-11*9e4, removed[0].Box.Center().X, 1e-6, "its last box")
	require.Equal(t, 0, tr.Alive())
}
