// Package track is Vigil's multi-object tracker: it turns per-frame detections (pixel boxes
// with a class and a score, from any detector) into tracks with stable ids, smoothed boxes
// and velocities, in image coordinates corrected for the camera's own motion.
//
// Each track is a Kalman filter on its box: constant velocity for the centre, a random walk
// for the size. Before each prediction the track is carried through the camera's ego-motion
// (the homography from the previous processed frame to this one), so an object standing
// still on the ground stays one track, with zero velocity, while the drone pans or turns. Detections are assigned to
// tracks with the Hungarian method on a cost of IoU and size-normalised centre distance,
// behind a gate. A track is confirmed after a few consecutive detections and removed after
// some seconds unseen, as Frigate does.
//
// The package is pure Go (no cgo): it builds with CGO_ENABLED=0, and detectors feed it
// through its own small types.
package track

import (
	"fmt"
	"math"
	"time"
)

// Detection is one object found by a detector in a frame.
type Detection struct {
	// Box is in the frame's pixels (BoxFromRect converts an image.Rectangle).
	Box Box
	// Class names what was found ("person", "car"…); Score is the detector's confidence,
	// usually 0–1. A detector that finds things without knowing what they are (motion,
	// colour anomaly) leaves Class empty: such detections move tracks but do not vote on
	// their class.
	Class string
	Score float64
}

// Tracker is the multi-object tracker of one video stream. Its exported fields are its
// configuration, tuned for 720p video processed at 5–30 frames per second; set them, then
// call Initialize. A Tracker is not safe for concurrent use: the stream's detection worker
// owns it.
type Tracker struct {
	// ConfirmHits is how many consecutive detections make a tentative track confirmed; a
	// tentative track is dropped at its first miss (but see TentativeMaxUnseen), so a
	// detection that flickers for fewer frames never becomes a track. It defaults to 3.
	ConfirmHits int
	// MinScore is the score (the median of recent detections' scores, as reported) a track
	// needs, besides its hits, to be confirmed; a confirmed track stays confirmed. Frigate's
	// "threshold" plays this part, at 0.7 for its models. It defaults to 0: hits alone.
	MinScore float64
	// TentativeMaxUnseen lets a tentative track survive frames without a detection for this
	// long. A pipeline that calls Update more often than a detector runs (motion every
	// frame, people at 5 per second) sets it a little above that detector's period, or
	// objects only that detector sees never become tracks. It defaults to 0: the first miss.
	TentativeMaxUnseen time.Duration
	// MaxUnseen is how long a confirmed track lives without a detection, coasting on its
	// prediction (through occlusions, missed detections, or the object leaving the view and
	// coming back). It defaults to 5 seconds, as Frigate.
	MaxUnseen time.Duration
	// MaxDistance gates association: a detection can only continue a track when their
	// centres are at most this far apart, in units of the boxes' size widened by the
	// prediction's uncertainty: |Δcentre| / √(mean width · mean height + the predicted
	// centre's variances in x and y). It defaults to 1.
	MaxDistance float64
	// MaxAreaRatio gates association on size: a detection whose area differs from the
	// track's predicted area by more than this factor, either way, is another object. It
	// defaults to 4.
	MaxAreaRatio float64
	// History is how many recent classified detections decide a track's class and score
	// (see Detection.Class). It defaults to 10.
	History int
	// MeasurementNoise is the standard deviation of a detector's box centre and size, as a
	// fraction of the box's width (for x and width) or height (for y and height), at least
	// one pixel. It defaults to 0.1.
	MeasurementNoise float64
	// AccelerationNoise is how unpredictably an object's image velocity changes: the
	// standard deviation of the change over one second, in box sizes per second (the size
	// is √(width·height); white acceleration noise, so over t seconds it grows as √t). A
	// person of 40 px changing pace, or a car braking, is about 2. It defaults to 2.
	AccelerationNoise float64
	// SizeNoise is how unpredictably a box's width and height change: the standard
	// deviation of the change over one second, as a fraction of the box's size (a random
	// walk, growing as √t). The size has no velocity: the camera's zoom and approach are in
	// the ego-motion, objects change their apparent size slowly, and a size rate learnt from
	// jittery detector boxes would make a coasting box balloon or collapse. It defaults to
	// 0.3.
	SizeNoise float64
	// InitialSpeed is the standard deviation of a new track's unknown velocity, in box sizes
	// per second: how far the second detection may be from the first. A car at 20 m/s
	// covers about 7 of its √(length·width) a second, a walker about 2. It defaults to 4.
	InitialSpeed float64
	// DuplicateIoU stops an unmatched detection from starting a track when it overlaps a
	// track updated in the same frame by at least this IoU: two detectors reporting one
	// object make one track, and the second one's class counts in the track's vote. It
	// defaults to 0.7.
	DuplicateIoU float64
	// ReportTentative makes Update report tentative tracks too (for debug views); a
	// tentative track that misses a frame just stops being reported, with no StateRemoved
	// update. It defaults to false: only confirmed tracks, and their removal.
	ReportTentative bool

	initialized bool
	tracks      []*track
	nextID      uint64
	last        time.Time
	started     bool

	// Buffers reused frame to frame.
	asg      assigner
	cost     []float64
	detTrack []int
	byTrack  []int
}

// track is the tracker's state for one object.
type track struct {
	id        uint64
	kf        kalman
	hits      int
	first     time.Time
	seen      time.Time
	confirmed bool
	matched   bool // given a detection in the current frame
	gone      bool // carried out of any picture by the camera's motion (kalman.sane)
	lastBox   Box  // the box last reported, kept for the removal of a gone track
	vote      classVote
}

// Initialize fills in the defaults of the fields left zero and validates the configuration.
func (t *Tracker) Initialize() error {
	if t.ConfirmHits == 0 {
		t.ConfirmHits = 3
	}
	if t.MaxUnseen == 0 {
		t.MaxUnseen = 5 * time.Second
	}
	if t.History == 0 {
		t.History = 10
	}
	for _, f := range []struct {
		v   *float64
		def float64
	}{
		{&t.MaxDistance, 1},
		{&t.MaxAreaRatio, 4},
		{&t.MeasurementNoise, 0.1},
		{&t.AccelerationNoise, 2},
		{&t.SizeNoise, 0.3},
		{&t.InitialSpeed, 4},
		{&t.DuplicateIoU, 0.7},
	} {
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	switch {
	case t.ConfirmHits < 1:
		return fmt.Errorf("ConfirmHits %d: must be at least 1", t.ConfirmHits)
	case t.MaxUnseen < 0:
		return fmt.Errorf("MaxUnseen %v: must be positive", t.MaxUnseen)
	case t.TentativeMaxUnseen < 0:
		return fmt.Errorf("TentativeMaxUnseen %v: must not be negative", t.TentativeMaxUnseen)
	case math.IsNaN(t.MinScore) || math.IsInf(t.MinScore, 0):
		return fmt.Errorf("MinScore %v: must be finite", t.MinScore)
	case t.History < 1:
		return fmt.Errorf("History %d: must be at least 1", t.History)
	case !(t.MaxAreaRatio >= 1):
		return fmt.Errorf("MaxAreaRatio %v: must be at least 1", t.MaxAreaRatio)
	case !(t.DuplicateIoU > 0 && t.DuplicateIoU <= 1):
		return fmt.Errorf("DuplicateIoU %v: must be in (0, 1]", t.DuplicateIoU)
	}
	for name, v := range map[string]float64{
		"MaxDistance": t.MaxDistance, "MeasurementNoise": t.MeasurementNoise,
		"AccelerationNoise": t.AccelerationNoise, "SizeNoise": t.SizeNoise,
		"InitialSpeed": t.InitialSpeed,
	} {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s %v: must be positive and finite", name, v)
		}
	}
	t.initialized = true
	return nil
}

// Alive is the number of confirmed tracks (tracked or lost), the "tracks alive" metric.
func (t *Tracker) Alive() int {
	n := 0
	for _, tr := range t.tracks {
		if tr.confirmed {
			n++
		}
	}
	return n
}

// Update advances the tracker to a processed frame captured at at, whose detections are
// dets. egoMotion maps the previous processed frame's pixels to this frame's (nil: a fixed
// camera, or motion unknown). Frames may be skipped: the filters predict over the real time
// between frames.
//
// It returns the confirmed tracks in this frame (with ReportTentative, the tentative ones
// too), and once more with StateRemoved each confirmed track that has just been removed;
// ordered by id. The slice is the caller's. On error nothing changes: frames out of capture
// order, a bad homography or a detection that cannot be tracked (DetectionError).
func (t *Tracker) Update(at time.Time, egoMotion *Homography, dets []Detection) ([]TrackUpdate, error) {
	dt, err := t.check(at, egoMotion)
	if err != nil {
		return nil, err
	}
	for i, d := range dets {
		if err := checkDetection(d); err != nil {
			return nil, &DetectionError{Index: i, Reason: err.Error()}
		}
	}
	t.started, t.last = true, at
	for _, tr := range t.tracks {
		t.advance(&tr.kf, egoMotion, dt)
		tr.matched = false
		tr.gone = !tr.kf.sane()
	}

	t.associate(dets)
	for ti, di := range t.byTrack {
		if di >= 0 {
			t.correct(t.tracks[ti], dets[di], at)
		}
	}

	// Unmatched detections: another detector's view of a track, or a new object.
	for di, d := range dets {
		if t.detTrack[di] >= 0 {
			continue
		}
		if dup := t.duplicate(d.Box); dup != nil {
			dup.vote.add(d.Class, d.Score)
		} else {
			t.start(d, at)
		}
	}

	out := make([]TrackUpdate, 0, len(t.tracks))
	kept := t.tracks[:0]
	for _, tr := range t.tracks {
		switch {
		case tr.gone:
			// Carried out of any picture by the camera's motion: reported removed with
			// the last box it had.
			if tr.confirmed {
				u := t.report(tr, StateRemoved, at)
				u.Box, u.VelocityPxPerS = tr.lastBox, Vec{}
				out = append(out, u)
			}
			continue
		case tr.matched:
		case !tr.confirmed:
			if t.TentativeMaxUnseen == 0 || at.Sub(tr.seen) > t.TentativeMaxUnseen {
				continue // a tentative track dies at its first miss
			}
		case at.Sub(tr.seen) > t.MaxUnseen:
			out = append(out, t.report(tr, StateRemoved, at))
			continue
		}
		kept = append(kept, tr)
		tr.lastBox = tr.kf.box()
		if tr.confirmed || t.ReportTentative {
			out = append(out, t.report(tr, tr.state(), at))
		}
	}
	clear(t.tracks[len(kept):])
	t.tracks = kept
	return out, nil
}

// Predict says where each track, tentative ones included, is expected in a frame captured
// at at, after the camera motion egoMotion, without changing the tracker: for choosing the
// regions a costly detector should look at before running it. States are as of the last
// Update.
func (t *Tracker) Predict(at time.Time, egoMotion *Homography) ([]TrackUpdate, error) {
	dt, err := t.check(at, egoMotion)
	if err != nil {
		return nil, err
	}
	out := make([]TrackUpdate, 0, len(t.tracks))
	for _, tr := range t.tracks {
		c := *tr
		t.advance(&c.kf, egoMotion, dt)
		if c.kf.sane() {
			out = append(out, t.report(&c, c.state(), at))
		}
	}
	return out, nil
}

// check validates a frame's time and ego-motion and returns the seconds since the
// previous frame.
func (t *Tracker) check(at time.Time, egoMotion *Homography) (float64, error) {
	if !t.initialized {
		return 0, ErrNotInitialized
	}
	if t.started && at.Before(t.last) {
		return 0, fmt.Errorf("%w: %v is %v before %v", ErrTimeWentBack, at, t.last.Sub(at), t.last)
	}
	if egoMotion != nil {
		if err := egoMotion.validate(); err != nil {
			return 0, err
		}
	}
	if !t.started {
		return 0, nil
	}
	return at.Sub(t.last).Seconds(), nil
}

func checkDetection(d Detection) error {
	if !d.Box.valid() {
		return fmt.Errorf("box %v is empty or not finite", d.Box)
	}
	if math.IsNaN(d.Score) || math.IsInf(d.Score, 0) {
		return fmt.Errorf("score %v is not finite", d.Score)
	}
	return nil
}

// advance carries a filter through the camera's motion, then predicts it dt seconds on.
func (t *Tracker) advance(k *kalman, egoMotion *Homography, dt float64) {
	if egoMotion != nil {
		compensate(k, egoMotion)
	}
	s := k.size()
	qPos, qSize := sq(t.AccelerationNoise*s), sq(t.SizeNoise*s)
	k.predict(dt, [4]float64{qPos, qPos, 0, 0}, [4]float64{0, 0, qSize, qSize})
}

// correct updates a track with its detection in this frame.
func (t *Tracker) correct(tr *track, d Detection, at time.Time) {
	tr.kf.update(measure(d.Box), t.measurementVar(d.Box))
	tr.hits++
	tr.seen = at
	tr.matched = true
	tr.vote.add(d.Class, d.Score)
	t.confirm(tr)
}

// start begins a tentative track at an unmatched detection.
func (t *Tracker) start(d Detection, at time.Time) {
	t.nextID++
	tr := &track{id: t.nextID, first: at, vote: newClassVote(t.History)}
	s := math.Sqrt(d.Box.Width() * d.Box.Height())
	v := sq(t.InitialSpeed * s)
	tr.kf.init(measure(d.Box), t.measurementVar(d.Box), [4]float64{v, v, 0, 0})
	tr.hits, tr.seen, tr.matched = 1, at, true
	tr.vote.add(d.Class, d.Score)
	t.confirm(tr)
	t.tracks = append(t.tracks, tr)
}

// confirm confirms a tentative track that has enough hits and a high enough score.
func (t *Tracker) confirm(tr *track) {
	if tr.confirmed || tr.hits < t.ConfirmHits {
		return
	}
	if _, score := tr.vote.result(); score >= t.MinScore {
		tr.confirmed = true
	}
}

// duplicate is the track updated in this frame that a box overlaps enough to be the same
// object seen by another detector (the most overlapped), or nil.
func (t *Tracker) duplicate(b Box) *track {
	var best *track
	bestIoU := t.DuplicateIoU
	for _, tr := range t.tracks {
		if iou := tr.kf.box().IoU(b); tr.matched && iou >= bestIoU {
			best, bestIoU = tr, iou
		}
	}
	return best
}

func (t *Tracker) measurementVar(b Box) [4]float64 {
	rx := sq(math.Max(t.MeasurementNoise*b.Width(), 1))
	ry := sq(math.Max(t.MeasurementNoise*b.Height(), 1))
	return [4]float64{rx, ry, rx, ry}
}

func (tr *track) state() State {
	switch {
	case !tr.confirmed:
		return StateTentative
	case tr.matched:
		return StateTracked
	}
	return StateLost
}

func (t *Tracker) report(tr *track, s State, at time.Time) TrackUpdate {
	class, score := tr.vote.result()
	u := TrackUpdate{
		ID:             tr.id,
		State:          s,
		Class:          class,
		Score:          score,
		Box:            tr.kf.box(),
		VelocityPxPerS: Vec{tr.kf.x[4], tr.kf.x[5]},
		At:             at,
		Hits:           tr.hits,
		Age:            at.Sub(tr.first),
	}
	if s != StateTracked {
		u.Unseen = at.Sub(tr.seen)
	}
	return u
}

func measure(b Box) [4]float64 {
	c := b.Center()
	return [4]float64{c.X, c.Y, b.Width(), b.Height()}
}

func sq(v float64) float64 { return v * v }
