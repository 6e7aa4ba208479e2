package gcs

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// ErrNotLocated is returned by Fusion.Add for a detection without a ground position: it
// cannot be fused, though it is still worth recording.
var ErrNotLocated = errors.New("detection has no ground position")

// Target is one object on the ground as the station believes it to be, fused from all the
// sightings of it by any vehicle.
type Target struct {
	ID    int64
	Class string
	// Point and AltMSLM are the fused position: sightings weighted by the inverse of their
	// error covariance.
	Point   orb.Point
	AltMSLM float64
	// Cov is the fused position's covariance; ErrorM its one-sigma radius (the ellipse's
	// semi-major axis, at least Fusion.MinErrorM), which shrinks as sightings add up.
	Cov    NECov
	ErrorM float64
	// Weak is true while every sighting of the target was weak (far oblique).
	Weak bool

	FirstSeen, LastSeen time.Time
	Sightings           int
	// BestScore is the highest detector score among the sightings, Snapshot that
	// sighting's picture and BestDetection its ID (0 when it was not stored yet).
	BestScore     float64
	Snapshot      string
	BestDetection int64
	// Tracks are the tracks fused into the target, in the order they joined it.
	Tracks []TrackKey
}

// Ellipse returns the fused position's one-sigma error ellipse.
func (t Target) Ellipse() Ellipse {
	e := t.Cov.Ellipse()
	e.Weak = t.Weak
	return e
}

func (t Target) clone() Target {
	t.Tracks = slices.Clone(t.Tracks)
	return t
}

const (
	// fusionGate2 is the squared Mahalanobis distance within which a sighting joins a
	// target: the 99 % point of the χ² distribution with two degrees of freedom.
	fusionGate2 = 9.21

	fusionDefaultWindow    = 60 * time.Second
	fusionDefaultDriftMps  = 0.5
	fusionDefaultMinErrorM = 0.5

	// sameFrame is how close two sightings' times must be to come from one frame.
	sameFrame = time.Millisecond
)

// Fusion merges sightings into targets. A sighting joins the target its track already
// belongs to; a sighting of a new track joins the nearest target of the same class, from
// any vehicle, seen within Window and within the 99 % gate of their combined errors,
// unless that target holds another track of the same stream seen in the same frame (two
// objects side by side); otherwise it starts a new target. A target keeps the class of
// its first sighting, even when the detector later calls the same track something else.
// Results depend only on the order sightings are added in.
//
// The zero value is ready to use with the defaults. It is safe for concurrent use.
type Fusion struct {
	// Window is how long after its last sighting a target can still take in a new track.
	// It defaults to 60 seconds.
	Window time.Duration

	// DriftMps is how fast a target is allowed to wander, in metres per second: before each
	// sighting the target's variance grows by (DriftMps · elapsed)², so that a person
	// walking is followed rather than averaged over the whole mission. It defaults to
	// 0.5 m/s; a negative value means targets do not move (pure inverse-variance
	// weighting).
	DriftMps float64

	// MinErrorM is the least error radius a target reports, and is added to the gate:
	// sightings of one track share their vehicle's attitude and timing errors, so their
	// average is never as good as independent errors would make it. It defaults to 0.5 m;
	// a negative value means no floor.
	MinErrorM float64

	mu      sync.Mutex
	targets []*Target // by ID
	byTrack map[TrackKey]*Target
	nextID  int64
	// lastByTrack is each track's newest sighting time, for the same-frame rule.
	lastByTrack map[TrackKey]time.Time
}

func (f *Fusion) window() time.Duration {
	if f.Window <= 0 {
		return fusionDefaultWindow
	}
	return f.Window
}

func (f *Fusion) driftMps() float64 {
	switch {
	case f.DriftMps < 0:
		return 0
	case f.DriftMps == 0:
		return fusionDefaultDriftMps
	}
	return f.DriftMps
}

func (f *Fusion) minErrorM() float64 {
	switch {
	case f.MinErrorM < 0:
		return 0
	case f.MinErrorM == 0:
		return fusionDefaultMinErrorM
	}
	return f.MinErrorM
}

// Restore makes the targets of an earlier session (read back from the record) known, so
// that new sightings join them and new targets get new IDs.
func (f *Fusion) Restore(targets []Target) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.init()
	for _, t := range targets {
		t := t.clone()
		f.targets = append(f.targets, &t)
		f.nextID = max(f.nextID, t.ID)
		for _, k := range t.Tracks {
			f.byTrack[k] = &t
		}
	}
	slices.SortFunc(f.targets, func(a, b *Target) int { return cmp.Compare(a.ID, b.ID) })
}

func (f *Fusion) init() {
	if f.byTrack == nil {
		f.byTrack = make(map[TrackKey]*Target)
		f.lastByTrack = make(map[TrackKey]time.Time)
	}
}

// Add fuses one sighting and returns the target it went into, and whether that target is
// new. It returns an error wrapping ErrNotLocated for a detection without a ground
// position, and one saying why for a detection whose error is not a usable ellipse.
func (f *Fusion) Add(d Detection) (Target, bool, error) {
	if !d.Located {
		return Target{}, false, fmt.Errorf("%w: track %d of vehicle %d", ErrNotLocated, d.TrackID, d.SysID)
	}
	r := d.Error.Cov()
	if _, ok := r.inverse(); !ok || math.IsNaN(r.NN+r.EE+r.NE) || math.IsInf(r.NN+r.EE, 0) {
		return Target{}, false, fmt.Errorf("detection of track %d of vehicle %d: error ellipse %.3g × %.3g m is not usable for fusion",
			d.TrackID, d.SysID, d.Error.SemiMajorM, d.Error.SemiMinorM)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.init()

	key := d.Track()
	t := f.byTrack[key]
	if t == nil {
		t = f.nearest(d, r)
	}
	created := t == nil
	if created {
		f.nextID++
		t = &Target{ID: f.nextID, Class: d.Class, Point: d.Ground.Point, AltMSLM: d.Ground.AltMSLM, Cov: r,
			Weak: d.Error.Weak, FirstSeen: d.Time, LastSeen: d.Time}
		f.targets = append(f.targets, t)
	} else {
		f.update(t, d, r)
	}
	if f.byTrack[key] != t {
		f.byTrack[key] = t
		t.Tracks = append(t.Tracks, key)
	}
	if last, ok := f.lastByTrack[key]; !ok || d.Time.After(last) {
		f.lastByTrack[key] = d.Time
	}
	t.Sightings++
	if t.Sightings == 1 || d.Score > t.BestScore {
		t.BestScore, t.Snapshot, t.BestDetection = d.Score, d.Snapshot, d.ID
	}
	t.ErrorM = max(t.Cov.Ellipse().SemiMajorM, f.minErrorM())
	return t.clone(), created, nil
}

// nearest returns the target a sighting of a new track joins, or nil.
func (f *Fusion) nearest(d Detection, r NECov) *Target {
	floor := f.minErrorM() * f.minErrorM()
	var best *Target
	bestD2 := fusionGate2
	for _, t := range f.targets {
		if t.Class != d.Class || d.Time.Sub(t.LastSeen) > f.window() || t.LastSeen.Sub(d.Time) > f.window() {
			continue
		}
		if f.sameFrameConflict(t, d) {
			continue
		}
		n, e := NorthEastM(t.Point, d.Ground.Point)
		s := f.predicted(t, d.Time).add(r).add(NECov{NN: floor, EE: floor})
		if d2 := s.mahalanobis2(n, e); d2 <= bestD2 && (best == nil || d2 < bestD2) {
			best, bestD2 = t, d2
		}
	}
	return best
}

// sameFrameConflict reports whether t holds another track of d's stream seen in d's frame.
func (f *Fusion) sameFrameConflict(t *Target, d Detection) bool {
	for _, k := range t.Tracks {
		if k.SysID != d.SysID || k.Stream != d.Stream || k.TrackID == d.TrackID {
			continue
		}
		if last := f.lastByTrack[k]; last.Sub(d.Time).Abs() < sameFrame {
			return true
		}
	}
	return false
}

// predicted returns t's covariance grown by the drift allowed until at.
func (f *Fusion) predicted(t *Target, at time.Time) NECov {
	dt := at.Sub(t.LastSeen).Abs().Seconds()
	q := f.driftMps() * dt
	return t.Cov.add(NECov{NN: q * q, EE: q * q})
}

// update moves t towards the sighting d with error r: a Kalman update of a position that
// may drift, which is the inverse-variance weighted mean of the two.
func (f *Fusion) update(t *Target, d Detection, r NECov) {
	p := f.predicted(t, d.Time)
	s := p.add(r)
	sInv, ok := s.inverse()
	if !ok {
		return
	}
	// K = P S⁻¹ (2×2, not symmetric in general).
	k00 := p.NN*sInv.NN + p.NE*sInv.NE
	k01 := p.NN*sInv.NE + p.NE*sInv.EE
	k10 := p.NE*sInv.NN + p.EE*sInv.NE
	k11 := p.NE*sInv.NE + p.EE*sInv.EE
	n, e := NorthEastM(t.Point, d.Ground.Point)
	t.Point = OffsetNE(t.Point, k00*n+k01*e, k10*n+k11*e)
	// P' = (I - K) P, symmetrised against rounding.
	nn := (1-k00)*p.NN - k01*p.NE
	ne := ((1-k00)*p.NE - k01*p.EE + (-k10*p.NN + (1-k11)*p.NE)) / 2
	ee := -k10*p.NE + (1-k11)*p.EE
	t.Cov = NECov{nn, ne, ee}

	// Altitude: the same weighting on the mean variances.
	wp, wr := 1/((p.NN+p.EE)/2), 1/((r.NN+r.EE)/2)
	t.AltMSLM = (t.AltMSLM*wp + d.Ground.AltMSLM*wr) / (wp + wr)

	t.Weak = t.Weak && d.Error.Weak
	if d.Time.Before(t.FirstSeen) {
		t.FirstSeen = d.Time
	}
	if d.Time.After(t.LastSeen) {
		t.LastSeen = d.Time
	}
}

// Targets returns every target, by ID.
func (f *Fusion) Targets() []Target {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Target, len(f.targets))
	for i, t := range f.targets {
		out[i] = t.clone()
	}
	return out
}

// Target returns the target with the given ID.
func (f *Fusion) Target(id int64) (Target, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, ok := slices.BinarySearchFunc(f.targets, id, func(t *Target, id int64) int { return cmp.Compare(t.ID, id) })
	if !ok {
		return Target{}, false
	}
	return f.targets[i].clone(), true
}
