package gcs

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"
)

// ErrPoseUnknown is returned, wrapped in a sentence saying why, when PoseHistory cannot tell
// where a vehicle was at the time asked: no samples yet, a time before the oldest sample it
// keeps, or a time too far after the newest one.
var ErrPoseUnknown = errors.New("pose unknown")

const (
	// poseHistoryDefaultSpan is how much history PoseHistory keeps when Span is not set:
	// enough for a detector running well behind live video.
	poseHistoryDefaultSpan = 120 * time.Second

	// poseMaxExtrapolation is how far past its newest sample each stream may be
	// extrapolated. Video frames are often a little newer than the last telemetry sample
	// (telemetry at 10-50 Hz); beyond half a second the guess is no longer a pose.
	poseMaxExtrapolation = 500 * time.Millisecond
)

// Pose is where a vehicle was and how it was oriented at one instant.
type Pose struct {
	Time     time.Time
	Position Position
	Attitude Attitude
	Velocity Velocity
}

// PoseHistory keeps the recent poses of one vehicle so that geotagging can ask where the
// vehicle was and how it was oriented when a video frame was captured, which is earlier
// than when the frame is processed. Positions (GLOBAL_POSITION_INT) and attitudes (ATTITUDE)
// arrive separately, each with its own time already mapped to GCS time, and are kept as two
// time-ordered series that At interpolates independently.
//
// A zero PoseHistory is ready to use. It is safe for concurrent use: telemetry adds samples
// while geotagging reads them.
type PoseHistory struct {
	// Span is how much history to keep, measured back from the newest sample of each
	// series. It defaults to 120 seconds.
	Span time.Duration

	mu        sync.RWMutex
	positions poseSeries[positionSample]
	attitudes poseSeries[Attitude]
}

type positionSample struct {
	Position Position
	Velocity Velocity
}

// AddPosition records where the vehicle was at t and how fast it moved. A sample with the
// same time as an earlier one replaces it; a late sample is put in its place.
func (h *PoseHistory) AddPosition(t time.Time, p Position, v Velocity) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.positions.insert(t, positionSample{Position: p, Velocity: v})
	h.positions.trim(h.span())
}

// AddAttitude records how the vehicle was oriented at t. A sample with the same time as an
// earlier one replaces it; a late sample is put in its place.
func (h *PoseHistory) AddAttitude(t time.Time, a Attitude) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attitudes.insert(t, a)
	h.attitudes.trim(h.span())
}

// At returns the pose at t. Position, velocity and attitude are interpolated linearly
// between the samples around t, angles along the shorter arc. Up to half a second past the
// newest sample the position is extrapolated with the newest velocity and the attitude is
// held. Otherwise the error wraps ErrPoseUnknown.
func (h *PoseHistory) At(t time.Time) (Pose, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()

	ps, err := h.positionAt(t)
	if err != nil {
		return Pose{}, err
	}
	att, err := h.attitudeAt(t)
	if err != nil {
		return Pose{}, err
	}
	return Pose{Time: t, Position: ps.Position, Attitude: att, Velocity: ps.Velocity}, nil
}

// Latest returns the newest position and the newest attitude, not interpolated; Time is the
// later of the two sample times. It reports false until there is at least one of each.
func (h *PoseHistory) Latest() (Pose, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()

	p, okP := h.positions.newest()
	a, okA := h.attitudes.newest()
	if !okP || !okA {
		return Pose{}, false
	}
	t := p.t
	if a.ns > p.ns {
		t = a.t
	}
	return Pose{Time: t, Position: p.v.Position, Attitude: a.v, Velocity: p.v.Velocity}, true
}

// Covers tells whether both the position and the attitude series reach t: a pose asked for at
// t is then interpolated between samples rather than extrapolated past the newest.
func (h *PoseHistory) Covers(t time.Time) bool {
	if h == nil {
		return false // a vehicle the fleet does not know
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	p, okP := h.positions.newest()
	a, okA := h.attitudes.newest()
	return okP && okA && !p.t.Before(t) && !a.t.Before(t)
}

// Len returns how many samples the history holds, positions and attitudes together.
func (h *PoseHistory) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.positions.len() + h.attitudes.len()
}

func (h *PoseHistory) span() time.Duration {
	if h.Span <= 0 {
		return poseHistoryDefaultSpan
	}
	return h.Span
}

func (h *PoseHistory) positionAt(t time.Time) (positionSample, error) {
	a, b, f, err := h.positions.bracket(t, "position")
	if err != nil {
		return positionSample{}, err
	}
	if b == nil { // at or just past the newest sample: extrapolate with its velocity
		dt := f
		v := a.v.Velocity
		p := a.v.Position
		p.Point = OffsetNE(p.Point, v.NorthMps*dt, v.EastMps*dt)
		p.AltMSLM -= v.DownMps * dt
		p.AltRelM -= v.DownMps * dt
		return positionSample{Position: p, Velocity: v}, nil
	}
	pa, pb := a.v.Position, b.v.Position
	va, vb := a.v.Velocity, b.v.Velocity
	var out positionSample
	out.Position.Point[0] = normalizeLonDeg(pa.Point[0] + wrapDeg(pb.Point[0]-pa.Point[0])*f)
	out.Position.Point[1] = poseLerp(pa.Point[1], pb.Point[1], f)
	out.Position.AltMSLM = poseLerp(pa.AltMSLM, pb.AltMSLM, f)
	out.Position.AltRelM = poseLerp(pa.AltRelM, pb.AltRelM, f)
	out.Velocity = Velocity{
		NorthMps: poseLerp(va.NorthMps, vb.NorthMps, f),
		EastMps:  poseLerp(va.EastMps, vb.EastMps, f),
		DownMps:  poseLerp(va.DownMps, vb.DownMps, f),
	}
	return out, nil
}

func (h *PoseHistory) attitudeAt(t time.Time) (Attitude, error) {
	a, b, f, err := h.attitudes.bracket(t, "attitude")
	if err != nil {
		return Attitude{}, err
	}
	if b == nil { // hold the newest attitude
		return a.v, nil
	}
	return Attitude{
		RollRad:  lerpAngleRad(a.v.RollRad, b.v.RollRad, f),
		PitchRad: lerpAngleRad(a.v.PitchRad, b.v.PitchRad, f),
		YawRad:   lerpAngleRad(a.v.YawRad, b.v.YawRad, f),
	}, nil
}

// poseSeries is a time-ordered series of samples trimmed from the front. Live samples are
// buf[head:]; the dead prefix is reclaimed by sliding the live part down once it is as long
// as the live part, so adding is amortised O(1) without allocating in steady state.
type poseSeries[T any] struct {
	buf  []timedSample[T]
	head int
}

type timedSample[T any] struct {
	ns int64     // t.UnixNano(): orders samples by wall time, ignoring monotonic readings
	t  time.Time // as given, returned by Latest
	v  T
}

func (s *poseSeries[T]) live() []timedSample[T] { return s.buf[s.head:] }

func (s *poseSeries[T]) len() int { return len(s.buf) - s.head }

func (s *poseSeries[T]) newest() (timedSample[T], bool) {
	if s.len() == 0 {
		return timedSample[T]{}, false
	}
	return s.buf[len(s.buf)-1], true
}

// insert puts v at t in time order; a sample at the same time is replaced.
func (s *poseSeries[T]) insert(t time.Time, v T) {
	smp := timedSample[T]{ns: t.UnixNano(), t: t, v: v}
	live := s.live()
	n := len(live)
	if n == 0 || smp.ns > live[n-1].ns { // the usual case: in order
		s.buf = append(s.buf, smp)
		return
	}
	i := sort.Search(n, func(i int) bool { return live[i].ns >= smp.ns })
	if live[i].ns == smp.ns {
		live[i] = smp
		return
	}
	i += s.head
	s.buf = append(s.buf, timedSample[T]{})
	copy(s.buf[i+1:], s.buf[i:])
	s.buf[i] = smp
}

// trim drops samples older than span before the newest, but keeps the newest sample at or
// before that cut-off so that times up to span back can still be interpolated.
func (s *poseSeries[T]) trim(span time.Duration) {
	live := s.live()
	if len(live) < 2 {
		return
	}
	cutoff := live[len(live)-1].ns - int64(span)
	// first index whose sample is after the cut-off; keep the one before it.
	i := sort.Search(len(live), func(i int) bool { return live[i].ns > cutoff })
	if i > 1 {
		drop := i - 1
		clear(live[:drop]) // let the GC have anything T points to
		s.head += drop
	}
	if s.head > 0 && s.head >= s.len() {
		n := copy(s.buf, s.buf[s.head:])
		clear(s.buf[n:])
		s.buf = s.buf[:n]
		s.head = 0
	}
}

// bracket finds the samples around t: a at or before t and b after it, with f the fraction
// of the way from a to b. When t is at or after the newest sample (within
// poseMaxExtrapolation) b is nil and f is the time past a in seconds.
func (s *poseSeries[T]) bracket(t time.Time, what string) (a, b *timedSample[T], f float64, err error) {
	live := s.live()
	n := len(live)
	if n == 0 {
		return nil, nil, 0, fmt.Errorf("%w: no %s sample yet", ErrPoseUnknown, what)
	}
	ns := t.UnixNano()
	if ns < live[0].ns {
		return nil, nil, 0, fmt.Errorf("%w: %s is %v before the oldest %s sample",
			ErrPoseUnknown, t.Format(time.RFC3339Nano), time.Duration(live[0].ns-ns), what)
	}
	if ns >= live[n-1].ns {
		past := time.Duration(ns - live[n-1].ns)
		if past > poseMaxExtrapolation {
			return nil, nil, 0, fmt.Errorf("%w: %s is %v after the newest %s sample, more than the %v it may be extrapolated",
				ErrPoseUnknown, t.Format(time.RFC3339Nano), past, what, poseMaxExtrapolation)
		}
		return &live[n-1], nil, past.Seconds(), nil
	}
	// first sample after t; there is one, and it is not the first.
	j := sort.Search(n, func(i int) bool { return live[i].ns > ns })
	a, b = &live[j-1], &live[j]
	f = float64(ns-a.ns) / float64(b.ns-a.ns)
	return a, b, f, nil
}

func poseLerp(a, b, f float64) float64 { return a + (b-a)*f }

// lerpAngleRad interpolates from a to b along the shorter arc and wraps the result back into
// [-π, π] when it leaves it, so a yaw going from 179° to -179° passes through 180°, not through 0°.
func lerpAngleRad(a, b, f float64) float64 {
	d := math.Remainder(b-a, 2*math.Pi) // in [-π, π]
	r := a + d*f
	if r < -math.Pi || r > math.Pi {
		r = math.Remainder(r, 2*math.Pi)
	}
	return r
}

// wrapDeg maps a difference of longitudes to [-180, 180], the shorter way round.
func wrapDeg(d float64) float64 {
	return math.Remainder(d, 360)
}
