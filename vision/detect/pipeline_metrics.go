package detect

import (
	"slices"
	"time"
)

// Pipeline stages, timed separately.
const (
	stageMotion = iota
	stagePeople
	stageAnomaly
	stageModel
	stageTrack
	stageCount
)

var stageNames = [stageCount]string{"motion", "people", "anomaly", "model", "track"}

// StageTime is one stage's cost per frame it ran on.
type StageTime struct {
	Stage    string
	P50, P95 time.Duration
	Runs     uint64
}

// Metrics describe a pipeline's work since it started.
type Metrics struct {
	FramesProcessed  uint64
	FramesSkipped    uint64 // frames the hand-off dropped because the pipeline was busy
	FramesOutOfOrder uint64 // frames dated before the previous one (the clock stepped back), skipped
	FPSProcessed     float64
	DetectorCallsPS  float64 // heavier detector calls per second
	Stages           []StageTime
	PerFrame         StageTime // the whole pipeline
	TracksAlive      int
}

const metricsWindow = 500

type metricsAcc struct {
	start      time.Time
	processed  uint64
	skipped    uint64
	outOfOrder uint64
	calls      uint64
	samples    [stageCount][]time.Duration
	runs       [stageCount]uint64
	frame      []time.Duration
	alive      int
}

func pushSample(ring []time.Duration, d time.Duration, n uint64) []time.Duration {
	if len(ring) < metricsWindow {
		return append(ring, d)
	}
	ring[n%metricsWindow] = d
	return ring
}

func (p *Pipeline) record(stages [stageCount]time.Duration, calls int, total time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := &p.metrics
	for s, d := range stages {
		if d > 0 {
			m.samples[s] = pushSample(m.samples[s], d, m.runs[s])
			m.runs[s]++
		}
	}
	m.frame = pushSample(m.frame, total, m.processed)
	m.processed++
	m.calls += uint64(calls)
	m.alive = p.tracker.Alive()
}

func percentiles(ring []time.Duration) (p50, p95 time.Duration) {
	if len(ring) == 0 {
		return 0, 0
	}
	s := slices.Clone(ring)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*95/100)]
}

// Metrics returns the pipeline's metrics now; safe from any goroutine.
func (p *Pipeline) Metrics() Metrics {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := &p.metrics
	sec := time.Since(m.start).Seconds()
	out := Metrics{FramesProcessed: m.processed, FramesSkipped: m.skipped, FramesOutOfOrder: m.outOfOrder, TracksAlive: m.alive}
	if sec > 0 {
		out.FPSProcessed = float64(m.processed) / sec
		out.DetectorCallsPS = float64(m.calls) / sec
	}
	for s := range stageCount {
		if m.runs[s] == 0 {
			continue
		}
		p50, p95 := percentiles(m.samples[s])
		out.Stages = append(out.Stages, StageTime{Stage: stageNames[s], P50: p50, P95: p95, Runs: m.runs[s]})
	}
	p50, p95 := percentiles(m.frame)
	out.PerFrame = StageTime{Stage: "frame", P50: p50, P95: p95, Runs: m.processed}
	return out
}
