package track

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newTracker(t testing.TB, conf Tracker) *Tracker {
	tr := conf
	require.NoError(t, tr.Initialize())
	return &tr
}

// noisyDet is a detection of the box of centre c and size w×h whose edges are off by
// Gaussian noise of sigma pixels.
func noisyDet(rng *rand.Rand, c Vec, w, h, sigma float64, class string) Detection {
	n := func() float64 { return rng.NormFloat64() * sigma }
	return Detection{
		Box:   Box{Min: Vec{c.X - w/2 + n(), c.Y - h/2 + n()}, Max: Vec{c.X + w/2 + n(), c.Y + h/2 + n()}},
		Class: class,
		Score: 0.8,
	}
}

// frameTimes are n capture times from t0: every 1/fps seconds, or, with jitter, with gaps
// drawn between one and jitter frame periods (frames skipped by a busy detector).
func frameTimes(rng *rand.Rand, n int, fps float64, jitter int) []time.Time {
	out := make([]time.Time, n)
	at := t0
	for i := range out {
		out[i] = at
		step := 1
		if jitter > 1 {
			step = 1 + rng.IntN(jitter)
		}
		at = at.Add(time.Duration(float64(step) * float64(time.Second) / fps))
	}
	return out
}

func byID(us []TrackUpdate) map[uint64]TrackUpdate {
	m := map[uint64]TrackUpdate{}
	for _, u := range us {
		m[u.ID] = u
	}
	return m
}

func dist(a, b Vec) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

func TestTrackerConstantVelocity(t *testing.T) {
	for _, c := range []struct {
		name   string
		fps    float64
		jitter int
		w, h   float64
		noise  float64 // of each edge, px
		vel    Vec
		class  string
	}{
		{"a walker at 30 fps", 30, 1, 30, 60, 1.5, Vec{90, -25}, "person"},
		{"a walker at 5 fps", 5, 1, 30, 60, 1.5, Vec{90, -25}, "person"},
		{"a walker at 30 fps with frames skipped irregularly", 30, 4, 30, 60, 1.5, Vec{90, -25}, "person"},
		// 15 m/s seen at 0.3 m a pixel: 5 box sizes a second, 10 px between frames.
		{"a small fast car at 5 fps", 5, 1, 14, 8, 0.5, Vec{50, 0}, "car"},
		{"a small fast car at 30 fps", 30, 1, 14, 8, 0.5, Vec{-30, 25}, "car"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(c.fps)))
			tr := newTracker(t, Tracker{})
			vel := c.vel
			times := frameTimes(rng, 100, c.fps, c.jitter)
			ids := map[uint64]bool{}
			confirmedAt := -1
			var rawErr, smoothErr float64
			var last TrackUpdate
			var hitAt []int
			for i, at := range times {
				sec := at.Sub(t0).Seconds()
				truth := Vec{200 + vel.X*sec, 400 + vel.Y*sec}
				var dets []Detection
				detected := rng.Float64() >= 0.2
				if detected {
					dets = []Detection{noisyDet(rng, truth, c.w, c.h, c.noise, c.class)}
					hitAt = append(hitAt, i)
				}
				us, err := tr.Update(at, nil, dets)
				require.NoError(t, err)
				if confirmedAt < 0 && len(us) > 0 {
					confirmedAt = i
				}
				if confirmedAt < 0 {
					continue
				}
				require.Len(t, us, 1, "frame %d: the confirmed track is reported every frame", i)
				u := us[0]
				ids[u.ID] = true
				if detected {
					require.Equal(t, StateTracked, u.State)
					require.Zero(t, u.Unseen)
				} else {
					require.Equal(t, StateLost, u.State)
					require.Positive(t, u.Unseen)
				}
				require.Equal(t, at, u.At)
				if i >= 20 && detected {
					rawErr += dist(dets[0].Box.Center(), truth)
					smoothErr += dist(u.Box.Center(), truth)
				}
				last = u
			}
			require.Len(t, ids, 1, "one id through the whole run")
			// Confirmed at the first run of three consecutive detections.
			firstRun := -1
			for k := 2; k < len(hitAt) && firstRun < 0; k++ {
				if hitAt[k-2] == hitAt[k]-2 {
					firstRun = hitAt[k]
				}
			}
			require.Equal(t, firstRun, confirmedAt)
			hits := 0
			for _, i := range hitAt {
				if i >= confirmedAt-2 {
					hits++
				}
			}
			require.Less(t, smoothErr, rawErr, "the filtered box is closer to the truth than the detections")
			// Within a fifth, plus a fifth of the box's size a second for slow objects.
			require.Less(t, dist(last.VelocityPxPerS, vel), 0.2*math.Hypot(vel.X, vel.Y)+0.2*math.Sqrt(c.w*c.h),
				"velocity %v", last.VelocityPxPerS)
			require.Equal(t, c.class, last.Class)
			require.InDelta(t, 0.8, last.Score, 1e-12)
			// Confirmed at its third consecutive detection: it began two frames earlier and
			// has had every detection since.
			require.Equal(t, last.At.Sub(times[confirmedAt-2]), last.Age)
			require.Equal(t, hits, last.Hits)
		})
	}
}

func TestTrackerCrossing(t *testing.T) {
	type object struct{ start, vel Vec }
	for _, c := range []struct {
		name   string
		a, b   object
		fps    float64
		miss   float64
		hidden time.Duration // b is not detected this long around the crossing
	}{
		// An X: both cross (500, 300) at t = 2 s, their boxes fully overlapping.
		{"X crossing", object{Vec{300, 200}, Vec{100, 50}}, object{Vec{300, 400}, Vec{100, -50}}, 30, 0, 0},
		{"X crossing with 20% missed detections", object{Vec{300, 200}, Vec{100, 50}}, object{Vec{300, 400}, Vec{100, -50}}, 30, 0.2, 0},
		{"X crossing, one hidden behind the other", object{Vec{300, 200}, Vec{100, 50}}, object{Vec{300, 400}, Vec{100, -50}}, 30, 0, 300 * time.Millisecond},
		{"X crossing at 5 fps", object{Vec{300, 200}, Vec{100, 50}}, object{Vec{300, 400}, Vec{100, -50}}, 5, 0, 0},
		{"head-on", object{Vec{300, 300}, Vec{120, 0}}, object{Vec{780, 305}, Vec{-120, 0}}, 30, 0, 0},
		{"head-on, one hidden", object{Vec{300, 300}, Vec{120, 0}}, object{Vec{780, 305}, Vec{-120, 0}}, 30, 0, 200 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, uint64(c.fps)))
			tr := newTracker(t, Tracker{})
			objectOf := map[uint64]int{} // track id → 0 for a, 1 for b
			crossing := 2 * time.Second
			for _, at := range frameTimes(rng, int(4*c.fps), c.fps, 1) {
				sec := at.Sub(t0).Seconds()
				truth := [2]Vec{}
				var dets []Detection
				for k, o := range []object{c.a, c.b} {
					truth[k] = Vec{o.start.X + o.vel.X*sec, o.start.Y + o.vel.Y*sec}
					hidden := k == 1 && (at.Sub(t0)-crossing).Abs() <= c.hidden/2
					if !hidden && rng.Float64() >= c.miss {
						dets = append(dets, noisyDet(rng, truth[k], 30, 60, 1, "person"))
					}
				}
				rng.Shuffle(len(dets), func(i, j int) { dets[i], dets[j] = dets[j], dets[i] })
				us, err := tr.Update(at, nil, dets)
				require.NoError(t, err)
				if dist(truth[0], truth[1]) < 30 {
					continue // too close to tell who is who
				}
				for _, u := range us {
					k := 0
					if dist(u.Box.Center(), truth[1]) < dist(u.Box.Center(), truth[0]) {
						k = 1
					}
					require.Less(t, dist(u.Box.Center(), truth[k]), 15.0, "track %d is on an object", u.ID)
					if prev, ok := objectOf[u.ID]; ok {
						require.Equal(t, prev, k, "track %d swapped objects at %v", u.ID, at.Sub(t0))
					}
					objectOf[u.ID] = k
				}
			}
			require.Len(t, objectOf, 2, "two tracks, one per object")
		})
	}
}

func TestTrackerFlickerNeverConfirmed(t *testing.T) {
	for _, c := range []struct {
		name    string
		pattern string // per frame: 'x' detected, '.' not
	}{
		{"one hit", "x........."},
		{"two hits", "xx........"},
		{"two hits, a miss, two hits", "xx.xx....."},
		{"hits every other frame", "x.x.x.x.x.x.x.x."},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 5))
			tr := newTracker(t, Tracker{})
			realID := uint64(0)
			for i, at := range frameTimes(rng, 3*len(c.pattern), 30, 1) {
				// A real object, always seen, and the flicker elsewhere; and each frame a
				// false detection at a random place, never twice at the same one (it may
				// fall near the last one, and must still not make a track).
				dets := []Detection{noisyDet(rng, Vec{200, 200}, 40, 40, 0.5, "car")}
				if c.pattern[i%len(c.pattern)] == 'x' {
					dets = append(dets, noisyDet(rng, Vec{800, 500}, 30, 30, 0.5, "person"))
				}
				clutter := Vec{100 + rng.Float64()*500, 300 + rng.Float64()*400} // away from both
				dets = append(dets, noisyDet(rng, clutter, 20, 20, 0, "motion"))
				us, err := tr.Update(at, nil, dets)
				require.NoError(t, err)
				for _, u := range us {
					require.Less(t, dist(u.Box.Center(), Vec{200, 200}), 5.0, "only the real object is a track: %+v", u)
					if realID == 0 {
						realID = u.ID
					}
					require.Equal(t, realID, u.ID)
				}
			}
			require.NotZero(t, realID)
			require.Equal(t, 1, tr.Alive())
		})
	}
}

func TestTrackerRemoval(t *testing.T) {
	for _, c := range []struct {
		name      string
		maxUnseen time.Duration
		fps       float64
	}{
		{"default 5 s at 10 fps", 0, 10},
		{"2 s at 5 fps", 2 * time.Second, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newTracker(t, Tracker{MaxUnseen: c.maxUnseen})
			limit := tr.MaxUnseen
			period := time.Duration(float64(time.Second) / c.fps)
			det := []Detection{{Box: boxAt(Vec{300, 300}, 40, 40), Class: "car", Score: 0.9}}
			var seen time.Time
			var id uint64
			for i := range 5 {
				seen = t0.Add(time.Duration(i) * period)
				us, err := tr.Update(seen, nil, det)
				require.NoError(t, err)
				if i >= 2 {
					require.Len(t, us, 1)
					id = us[0].ID
				}
			}
			removed := false
			for at := seen.Add(period); at.Sub(seen) <= limit+3*period; at = at.Add(period) {
				us, err := tr.Update(at, nil, nil)
				require.NoError(t, err)
				switch unseen := at.Sub(seen); {
				case unseen <= limit:
					require.Len(t, us, 1, "kept %v after its last detection", unseen)
					require.Equal(t, StateLost, us[0].State)
					require.Equal(t, unseen, us[0].Unseen)
					require.Equal(t, id, us[0].ID)
					require.InDelta(t, 300, us[0].Box.Center().X, 1e-9, "a still object stays put")
				case !removed:
					require.Len(t, us, 1)
					require.Equal(t, StateRemoved, us[0].State, "removed once unseen for more than %v", limit)
					require.Equal(t, id, us[0].ID)
					require.Equal(t, 0, tr.Alive())
					removed = true
				default:
					require.Empty(t, us, "reported removed once")
				}
			}
			require.True(t, removed)
			us, err := tr.Update(seen.Add(limit+4*period), nil, det)
			require.NoError(t, err)
			require.Empty(t, us, "back after removal: a new tentative track")
		})
	}
}

func TestTrackerComesBack(t *testing.T) {
	for _, c := range []struct {
		name   string
		vel    Vec
		hidden time.Duration
	}{
		{"a parked car hidden 4 s", Vec{}, 4 * time.Second},
		{"a walker behind a tree for 1 s", Vec{40, 10}, time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(9, 9))
			tr := newTracker(t, Tracker{})
			ids := map[uint64]bool{}
			for _, at := range frameTimes(rng, 150, 15, 1) {
				sec := at.Sub(t0).Seconds()
				var dets []Detection
				if sec < 3 || sec >= 3+c.hidden.Seconds() {
					dets = []Detection{noisyDet(rng, Vec{400 + c.vel.X*sec, 300 + c.vel.Y*sec}, 40, 70, 1, "person")}
				}
				us, err := tr.Update(at, nil, dets)
				require.NoError(t, err)
				for _, u := range us {
					ids[u.ID] = true
				}
			}
			require.Len(t, ids, 1, "the same id after the gap")
		})
	}
}

func TestTrackerDuplicateDetections(t *testing.T) {
	for _, c := range []struct {
		name   string
		second Box
		tracks int
	}{
		{"two detectors, one object", boxAt(Vec{302, 298}, 44, 76), 1},
		{"two people side by side", boxAt(Vec{330, 300}, 40, 80), 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newTracker(t, Tracker{})
			var us []TrackUpdate
			for i := range 10 {
				var err error
				us, err = tr.Update(t0.Add(time.Duration(i)*100*time.Millisecond), nil, []Detection{
					{Box: boxAt(Vec{300, 300}, 40, 80), Class: "motion", Score: 0.5},
					{Box: c.second, Class: "person", Score: 0.7},
				})
				require.NoError(t, err)
			}
			require.Len(t, us, c.tracks)
		})
	}
}

func TestTrackerClassAndScore(t *testing.T) {
	for _, c := range casesClassVote {
		if c.size != 10 || len(c.dets) == 0 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			tr := newTracker(t, Tracker{ConfirmHits: 1})
			var us []TrackUpdate
			for i, d := range c.dets {
				var err error
				us, err = tr.Update(t0.Add(time.Duration(i)*100*time.Millisecond), nil,
					[]Detection{{Box: boxAt(Vec{300, 300}, 40, 40), Class: d.class, Score: d.score}})
				require.NoError(t, err)
			}
			require.Len(t, us, 1)
			require.Equal(t, c.wantClass, us[0].Class)
			require.InDelta(t, c.wantScore, us[0].Score, 1e-12)
		})
	}
}

func TestTrackerConfig(t *testing.T) {
	tr := &Tracker{}
	require.NoError(t, tr.Initialize())
	require.Equal(t, 3, tr.ConfirmHits)
	require.Equal(t, 5*time.Second, tr.MaxUnseen)
	require.Equal(t, 10, tr.History)
	for _, c := range []struct {
		name string
		conf Tracker
		err  string
	}{
		{"negative hits", Tracker{ConfirmHits: -1}, "ConfirmHits -1: must be at least 1"},
		{"negative unseen", Tracker{MaxUnseen: -time.Second}, "MaxUnseen -1s: must be positive"},
		{"negative tentative unseen", Tracker{TentativeMaxUnseen: -time.Second}, "TentativeMaxUnseen -1s: must not be negative"},
		{"negative history", Tracker{History: -2}, "History -2: must be at least 1"},
		{"NaN score", Tracker{MinScore: math.NaN()}, "MinScore NaN: must be finite"},
		{"area ratio below 1", Tracker{MaxAreaRatio: 0.5}, "MaxAreaRatio 0.5: must be at least 1"},
		{"duplicate IoU above 1", Tracker{DuplicateIoU: 1.5}, "DuplicateIoU 1.5: must be in (0, 1]"},
		{"negative noise", Tracker{MeasurementNoise: -0.1}, "MeasurementNoise -0.1: must be positive and finite"},
		{"NaN distance", Tracker{MaxDistance: math.NaN()}, "MaxDistance NaN: must be positive and finite"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.EqualError(t, c.conf.Initialize(), c.err)
		})
	}
}

func TestTrackerBadInput(t *testing.T) {
	var uninit Tracker
	_, err := uninit.Update(t0, nil, nil)
	require.ErrorIs(t, err, ErrNotInitialized)
	_, err = uninit.Predict(t0, nil)
	require.ErrorIs(t, err, ErrNotInitialized)

	good := []Detection{{Box: boxAt(Vec{300, 300}, 40, 40), Class: "car", Score: 0.9}}
	nan := math.NaN()
	for _, c := range []struct {
		name  string
		after time.Duration
		ego   *Homography
		dets  []Detection
		err   string
	}{
		{"time went back", -time.Millisecond, nil, good,
			"frame captured before the previous processed frame: 2026-11-23 10:00:00.399 +0000 UTC is 1ms before 2026-11-23 10:00:00.4 +0000 UTC"},
		{"NaN homography", 100 * time.Millisecond, &Homography{1, 0, nan, 0, 1, 0, 0, 0, 1}, good,
			"bad ego-motion homography: element 2 is NaN"},
		{"singular homography", 100 * time.Millisecond, &Homography{1, 2, 3, 2, 4, 6, 0, 0, 1}, good, "bad ego-motion homography: singular matrix"},
		{"a zoom of 200", 100 * time.Millisecond, &Homography{200, 0, 0, 0, 200, 0, 0, 0, 1}, good,
			"bad ego-motion homography: it scales the picture's area by 4e+04, not a camera's motion between frames"},
		{"empty box", 100 * time.Millisecond, nil, append([]Detection{good[0]}, Detection{Box: boxAt(Vec{1, 1}, 0, 5)}),
			"detection 1: box {{1 -1.5} {1 3.5}} is empty or not finite"},
		{"NaN score", 100 * time.Millisecond, nil, []Detection{{Box: good[0].Box, Score: nan}}, "detection 0: score NaN is not finite"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newTracker(t, Tracker{})
			for i := range 5 {
				_, err := tr.Update(t0.Add(time.Duration(i)*100*time.Millisecond), nil, good)
				require.NoError(t, err)
			}
			last := t0.Add(400 * time.Millisecond)
			before, err := tr.Predict(last.Add(100*time.Millisecond), nil)
			require.NoError(t, err)
			_, err = tr.Update(last.Add(c.after), c.ego, c.dets)
			require.EqualError(t, err, c.err)
			var de *DetectionError
			require.Equal(t, strings.HasPrefix(c.err, "detection"), errors.As(err, &de), "a typed DetectionError")
			after, err := tr.Predict(last.Add(100*time.Millisecond), nil)
			require.NoError(t, err)
			require.Equal(t, before, after, "a refused frame changes nothing")
			us, err := tr.Update(last.Add(100*time.Millisecond), nil, good)
			require.NoError(t, err)
			require.Len(t, us, 1)
			require.Equal(t, uint64(1), us[0].ID, "the tracker goes on")
		})
	}
}

func TestTrackerReportTentative(t *testing.T) {
	tr := newTracker(t, Tracker{ReportTentative: true})
	det := []Detection{{Box: boxAt(Vec{300, 300}, 40, 40), Class: "car", Score: 0.9}}
	var states []State
	for i, dets := range [][]Detection{det, det, nil, det, det, det} {
		us, err := tr.Update(t0.Add(time.Duration(i)*100*time.Millisecond), nil, dets)
		require.NoError(t, err)
		for _, u := range us {
			states = append(states, u.State)
			require.Equal(t, uint64(1+i/3), u.ID, "a new track after the miss")
		}
	}
	require.Equal(t, []State{StateTentative, StateTentative, StateTentative, StateTentative, StateTracked}, states)
}

// TestTrackerSlowDetector: a detector that runs on every third of the frames given to Update
// (people at 10 per second, Update at 30). Its objects become tracks only when tentative
// tracks may wait for it; a flicker of two hits still does not.
func TestTrackerSlowDetector(t *testing.T) {
	for _, c := range []struct {
		name      string
		wait      time.Duration
		hits      int // detections of the object, one every third frame
		confirmed bool
	}{
		{"tentative tracks die at the first miss", 0, 10, false},
		{"tentative tracks wait for the detector", 150 * time.Millisecond, 10, true},
		{"waiting, two hits are still a flicker", 150 * time.Millisecond, 2, false},
		{"waiting less than the detector's period", 60 * time.Millisecond, 10, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newTracker(t, Tracker{TentativeMaxUnseen: c.wait})
			confirmed := false
			for k := range 30 {
				var dets []Detection
				if k%3 == 0 && k/3 < c.hits {
					dets = []Detection{{Box: boxAt(Vec{300 + float64(k), 300}, 30, 60), Class: "person", Score: 0.7}}
				}
				us, err := tr.Update(t0.Add(time.Duration(k)*time.Second/30), nil, dets)
				require.NoError(t, err)
				if len(us) > 0 {
					confirmed = true
					require.Equal(t, uint64(1), us[0].ID)
				}
			}
			require.Equal(t, c.confirmed, confirmed)
		})
	}
}

// TestTrackerMotionAndPeople: the motion detector (unclassified) sees a walker every frame
// and the people detector, with a slightly different box, every third frame. One track, a
// person, with the people detector's score.
func TestTrackerMotionAndPeople(t *testing.T) {
	tr := newTracker(t, Tracker{})
	var us []TrackUpdate
	for k := range 30 {
		c := Vec{300 + 2*float64(k), 300}
		dets := []Detection{{Box: boxAt(c, 36, 70), Score: 0.3}}
		if k%3 == 0 {
			dets = append(dets, Detection{Box: boxAt(Vec{c.X + 1, c.Y - 1}, 34, 66), Class: "person", Score: 0.6 + 0.01*float64(k/3)})
		}
		var err error
		us, err = tr.Update(t0.Add(time.Duration(k)*time.Second/30), nil, dets)
		require.NoError(t, err)
		require.LessOrEqual(t, len(us), 1)
		if k == 2 {
			require.Len(t, us, 1, "confirmed by the motion detections")
			require.Equal(t, "person", us[0].Class, "the people detection of frame 0 counts")
			require.InDelta(t, 0.6, us[0].Score, 1e-9)
		}
	}
	require.Len(t, us, 1)
	require.Equal(t, uint64(1), us[0].ID)
	require.Equal(t, "person", us[0].Class)
	// Ten person scores 0.60 … 0.69: the median is 0.645.
	require.InDelta(t, 0.645, us[0].Score, 1e-9)
}

// TestTrackerMinScore: five detections at 0.4, then at 0.9. With MinScore 0.7 the track is
// confirmed when the median of its last ten scores reaches it: at frame 10, when the ten are
// four 0.4 and six 0.9 (at frame 9 the median of five and five is 0.65).
func TestTrackerMinScore(t *testing.T) {
	for _, c := range []struct {
		name        string
		minScore    float64
		confirmedAt int
	}{
		{"hits alone", 0, 2},
		{"median score 0.7", 0.7, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newTracker(t, Tracker{MinScore: c.minScore})
			first := -1
			for k := range 16 {
				score := 0.4
				if k >= 5 {
					score = 0.9
				}
				us, err := tr.Update(t0.Add(time.Duration(k)*100*time.Millisecond), nil,
					[]Detection{{Box: boxAt(Vec{300, 300}, 40, 40), Class: "car", Score: score}})
				require.NoError(t, err)
				if len(us) > 0 && first < 0 {
					first = k
				}
			}
			require.Equal(t, c.confirmedAt, first)
		})
	}
}
