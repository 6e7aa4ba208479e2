package gcs

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var fusionT0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// sighting is a located detection northM/eastM from geotagHome with a circular error of
// sigmaM, at t0 + at.
type sighting struct {
	sysID         uint8
	track         int64
	class         string
	at            time.Duration
	northM, eastM float64
	sigmaM        float64
}

func (s sighting) detection() Detection {
	class := s.class
	if class == "" {
		class = "person"
	}
	sys := s.sysID
	if sys == 0 {
		sys = 1
	}
	return Detection{
		Time: fusionT0.Add(s.at), SysID: sys, Stream: "main", TrackID: s.track, Class: class, Score: 0.8,
		Located: true,
		Ground:  GroundPoint{Point: OffsetNE(geotagHome, s.northM, s.eastM), AltMSLM: 584},
		Error:   Ellipse{SemiMajorM: s.sigmaM, SemiMinorM: s.sigmaM},
	}
}

type fusedTarget struct {
	id            int64
	northM, eastM float64
	errorM        float64
	sightings     int
	tracks        int
}

func TestFusion(t *testing.T) {
	for _, tc := range []struct {
		name      string
		driftMps  float64
		minErrorM float64
		sightings []sighting
		want      []fusedTarget
	}{
		{
			// Weights 1/2² and 1/4²: north = (0·0.25 + 10·0.0625) / 0.3125 = 2 m, and the
			// variance 1 / 0.3125 = 3.2 m², a radius of 1.789 m.
			name:     "same track: inverse-variance weighted",
			driftMps: -1,
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{track: 1, northM: 10, sigmaM: 4},
			},
			want: []fusedTarget{{id: 1, northM: 2, errorM: math.Sqrt(3.2), sightings: 2, tracks: 1}},
		},
		{
			// Four equal sightings: 2 / √4 = 1 m.
			name:     "the error shrinks as sightings add up",
			driftMps: -1,
			sightings: []sighting{
				{track: 1, sigmaM: 2}, {track: 1, at: time.Second, sigmaM: 2},
				{track: 1, at: 2 * time.Second, sigmaM: 2}, {track: 1, at: 3 * time.Second, sigmaM: 2},
			},
			want: []fusedTarget{{id: 1, errorM: 1, sightings: 4, tracks: 1}},
		},
		{
			// A target can drift 0.5 m/s: after 10 s its variance is 4 + 5² = 29 m², and the
			// new sighting (4 m²) pulls it 29/33 of the way: 8.788 m; variance 29·4/33.
			name: "a target drifts: newer sightings weigh more",
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{track: 1, at: 10 * time.Second, northM: 10, sigmaM: 2},
			},
			want: []fusedTarget{{id: 1, northM: 10 * 29.0 / 33, errorM: math.Sqrt(29.0 * 4 / 33), sightings: 2, tracks: 1}},
		},
		{
			// Gate: 3² / (4 + 4 + 0.5²) = 1.09, well inside 9.21; equal weights meet halfway.
			name:     "a new track nearby joins the target",
			driftMps: -1,
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{track: 2, at: time.Second, eastM: 3, sigmaM: 2},
			},
			want: []fusedTarget{{id: 1, eastM: 1.5, errorM: math.Sqrt(2), sightings: 2, tracks: 2}},
		},
		{
			name:     "another vehicle's sighting in the same frame joins",
			driftMps: -1,
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{sysID: 2, track: 1, eastM: 1, sigmaM: 2},
			},
			want: []fusedTarget{{id: 1, eastM: 0.5, errorM: math.Sqrt(2), sightings: 2, tracks: 2}},
		},
		{
			// Two people side by side, tracked in one stream: never one target.
			name: "two tracks of one frame stay apart",
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{track: 2, eastM: 1, sigmaM: 2},
				{track: 1, at: time.Second, sigmaM: 2},
				{track: 2, at: time.Second, eastM: 1, sigmaM: 2},
			},
			want: []fusedTarget{
				{id: 1, errorM: math.Sqrt(1 / (1/(4+0.25) + 1/4.0)), sightings: 2, tracks: 1},
				{id: 2, eastM: 1, errorM: math.Sqrt(1 / (1/(4+0.25) + 1/4.0)), sightings: 2, tracks: 1},
			},
		},
		{
			// Gate: 20² / 8.25 = 48.5.
			name: "a new track far away is a new target",
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{track: 2, northM: 20, sigmaM: 2},
			},
			want: []fusedTarget{
				{id: 1, errorM: 2, sightings: 1, tracks: 1},
				{id: 2, northM: 20, errorM: 2, sightings: 1, tracks: 1},
			},
		},
		{
			name: "another class is another target",
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{track: 2, class: "car", sigmaM: 2},
			},
			want: []fusedTarget{
				{id: 1, errorM: 2, sightings: 1, tracks: 1},
				{id: 2, errorM: 2, sightings: 1, tracks: 1},
			},
		},
		{
			name: "a target not seen for longer than the window takes no new track",
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{track: 2, at: 61 * time.Second, sigmaM: 2},
			},
			want: []fusedTarget{
				{id: 1, errorM: 2, sightings: 1, tracks: 1},
				{id: 2, errorM: 2, sightings: 1, tracks: 1},
			},
		},
		{
			name:     "the nearest of two targets in the gate wins",
			driftMps: -1,
			sightings: []sighting{
				{track: 1, sigmaM: 2},
				{track: 2, eastM: 6, sigmaM: 2},
				{sysID: 2, track: 7, eastM: 4, sigmaM: 2},
			},
			want: []fusedTarget{
				{id: 1, errorM: 2, sightings: 1, tracks: 1},
				{id: 2, eastM: 5, errorM: math.Sqrt(2), sightings: 2, tracks: 2},
			},
		},
		{
			name:     "the radius has a floor",
			driftMps: -1, minErrorM: 1.5,
			sightings: []sighting{{track: 1, sigmaM: 2}, {track: 1, sigmaM: 2}, {track: 1, sigmaM: 2}},
			want:      []fusedTarget{{id: 1, errorM: 1.5, sightings: 3, tracks: 1}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &Fusion{DriftMps: tc.driftMps, MinErrorM: tc.minErrorM}
			for _, s := range tc.sightings {
				_, _, err := f.Add(s.detection())
				require.NoError(t, err)
			}
			got := f.Targets()
			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				n, e := NorthEastM(geotagHome, got[i].Point)
				require.Equal(t, w.id, got[i].ID)
				require.InDelta(t, w.northM, n, 1e-3, "north")
				require.InDelta(t, w.eastM, e, 1e-3, "east")
				require.InDelta(t, w.errorM, got[i].ErrorM, 1e-3, "error radius")
				require.Equal(t, w.sightings, got[i].Sightings)
				require.Len(t, got[i].Tracks, w.tracks)
			}
		})
	}
}

// Two vehicles see one object from directions 90° apart: each sighting is long along its
// line of sight (10 m) and narrow across it (1 m), and together they pin it down in both
// axes. North: (0·1/100 + 5·1/1) / (1/100 + 1) = 4.950 m; east, the other way round,
// 0.0495 m; variance 1 / 1.01 in each axis.
func TestFusionCrossingEllipses(t *testing.T) {
	var f Fusion
	a := sighting{track: 1}.detection()
	a.Error = Ellipse{SemiMajorM: 10, SemiMinorM: 1, OrientationDeg: 0} // long north-south
	b := sighting{sysID: 2, track: 1, northM: 5, eastM: 5}.detection()
	b.Error = Ellipse{SemiMajorM: 10, SemiMinorM: 1, OrientationDeg: 90} // long east-west
	_, created, err := f.Add(a)
	require.NoError(t, err)
	require.True(t, created)
	tg, created, err := f.Add(b)
	require.NoError(t, err)
	require.False(t, created)
	n, e := NorthEastM(geotagHome, tg.Point)
	require.InDelta(t, 5/1.01, n, 1e-3)
	require.InDelta(t, 0.05/1.01, e, 1e-3)
	require.InDelta(t, 1/1.01, tg.Cov.NN, 1e-6)
	require.InDelta(t, 1/1.01, tg.Cov.EE, 1e-6)
	require.InDelta(t, 0, tg.Cov.NE, 1e-9)
	require.InDelta(t, math.Sqrt(1/1.01), tg.ErrorM, 1e-6)
}

func TestFusionBookkeeping(t *testing.T) {
	var f Fusion
	d1 := sighting{track: 1, at: 2 * time.Second, sigmaM: 30}.detection()
	d1.Error.Weak, d1.Score, d1.Snapshot, d1.ID = true, 0.6, "a.jpg", 11
	d2 := sighting{track: 1, at: 5 * time.Second, sigmaM: 30}.detection()
	d2.Error.Weak, d2.Score, d2.Snapshot, d2.ID = true, 0.9, "b.jpg", 12
	d3 := sighting{track: 1, at: 1 * time.Second, sigmaM: 3}.detection() // late, not weak
	d3.Score, d3.Snapshot, d3.ID = 0.7, "c.jpg", 13

	tg, created, err := f.Add(d1)
	require.NoError(t, err)
	require.True(t, created)
	require.True(t, tg.Weak, "only weak sightings so far")
	tg, _, _ = f.Add(d2)
	require.True(t, tg.Weak)
	tg, created, _ = f.Add(d3)
	require.False(t, created)
	require.False(t, tg.Weak)
	require.Equal(t, fusionT0.Add(time.Second), tg.FirstSeen)
	require.Equal(t, fusionT0.Add(5*time.Second), tg.LastSeen)
	require.Equal(t, 3, tg.Sightings)
	require.Equal(t, 0.9, tg.BestScore)
	require.Equal(t, "b.jpg", tg.Snapshot)
	require.Equal(t, int64(12), tg.BestDetection)
	require.Equal(t, []TrackKey{{SysID: 1, Stream: "main", TrackID: 1}}, tg.Tracks)

	got, ok := f.Target(tg.ID)
	require.True(t, ok)
	require.Equal(t, tg, got)
	_, ok = f.Target(99)
	require.False(t, ok)
}

func TestFusionErrors(t *testing.T) {
	var f Fusion
	d := sighting{track: 4}.detection()
	d.Located = false
	_, _, err := f.Add(d)
	require.ErrorIs(t, err, ErrNotLocated)

	d = sighting{track: 4, sigmaM: 0}.detection()
	_, _, err = f.Add(d)
	require.ErrorContains(t, err, "error ellipse 0 × 0 m is not usable")

	d = sighting{track: 4, sigmaM: math.NaN()}.detection()
	_, _, err = f.Add(d)
	require.Error(t, err)
	require.Empty(t, f.Targets(), "nothing was fused")
}

// The same sightings in the same order give the same targets; restored targets keep
// taking their tracks and new targets get new IDs.
func TestFusionDeterministicAndRestore(t *testing.T) {
	var in []Detection
	for i := range 60 {
		s := sighting{sysID: uint8(1 + i%3), track: int64(i % 7), at: time.Duration(i) * 300 * time.Millisecond,
			northM: float64((i * 37) % 23), eastM: float64((i * 11) % 17), sigmaM: 1 + float64(i%4)}
		if i%5 == 0 {
			s.class = "car"
		}
		in = append(in, s.detection())
	}
	run := func() []Target {
		var f Fusion
		for _, d := range in {
			_, _, err := f.Add(d)
			require.NoError(t, err)
		}
		return f.Targets()
	}
	first := run()
	require.Equal(t, first, run())
	require.Greater(t, len(first), 1)

	var f Fusion
	f.Restore(first)
	last := in[len(in)-1]
	tg, created, err := f.Add(last)
	require.NoError(t, err)
	require.False(t, created)
	want := -1
	for i, ft := range first {
		for _, k := range ft.Tracks {
			if k == last.Track() {
				want = i
			}
		}
	}
	require.Equal(t, first[want].ID, tg.ID)
	far := sighting{track: 99, northM: 5000, sigmaM: 2}.detection()
	tg, created, err = f.Add(far)
	require.NoError(t, err)
	require.True(t, created)
	require.Equal(t, first[len(first)-1].ID+1, tg.ID)
}

func TestEllipseCov(t *testing.T) {
	for _, e := range []Ellipse{
		{SemiMajorM: 3, SemiMinorM: 1, OrientationDeg: 0},
		{SemiMajorM: 3, SemiMinorM: 1, OrientationDeg: 30},
		{SemiMajorM: 5, SemiMinorM: 5, OrientationDeg: 0},
		{SemiMajorM: 2, SemiMinorM: 0.5, OrientationDeg: 135},
	} {
		back := e.Cov().Ellipse()
		require.InDelta(t, e.SemiMajorM, back.SemiMajorM, 1e-9)
		require.InDelta(t, e.SemiMinorM, back.SemiMinorM, 1e-9)
		if e.SemiMajorM != e.SemiMinorM {
			require.InDelta(t, e.OrientationDeg, back.OrientationDeg, 1e-9)
		}
	}
	// 30°: north cos²·9 + sin²·1 = 7, east sin²·9 + cos²·1 = 3, cross 8·sin·cos = 2√3.
	c := Ellipse{SemiMajorM: 3, SemiMinorM: 1, OrientationDeg: 30}.Cov()
	require.InDelta(t, 7, c.NN, 1e-9)
	require.InDelta(t, 3, c.EE, 1e-9)
	require.InDelta(t, 2*math.Sqrt(3), c.NE, 1e-9)
}
