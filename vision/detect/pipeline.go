package detect

import (
	"context"
	"fmt"
	"image"
	"slices"
	"sync"
	"time"

	"gocv.io/x/gocv"

	"github.com/vigil-gcs/vigil/vision"
	"github.com/vigil-gcs/vigil/vision/track"
)

// PipelineConfig chooses a stream's detectors and their limits. The zero value runs motion
// and tracking only.
type PipelineConfig struct {
	Motion MotionConfig
	// People, Anomaly and Models are the heavier detectors; nil (or empty) leaves them out.
	People   *PeopleConfig
	Anomaly  *AnomalyConfig
	Models   []*Model
	Cascades []*Cascade // run on the same regions as People
	// HeavyFPS caps how often the heavier detectors run, per second of video. It defaults
	// to 5, as Frigate's detection rate: motion and tracking run on every frame between.
	HeavyFPS float64
	// MinSizePx drops detections whose smaller side is shorter. It defaults to 6.
	MinSizePx int
	// Mask, when set, is the stream's watch mask at its resolution: detections centred on
	// a black (0) pixel are ignored (a clock overlay, the vehicle's own landing gear, a
	// busy road the operator does not care about). See LoadMask.
	Mask *image.Gray
	// Tracker is the tracker's configuration (its zero value is its defaults).
	Tracker track.Tracker
}

// Pipeline turns frames into tracks: motion on every frame, the heavier detectors on the
// regions around motion and tracks at a capped rate, then the tracker. One per stream; not
// safe for concurrent use except Metrics.
type Pipeline struct {
	Config PipelineConfig

	motion    Motion
	people    People
	anomaly   Anomaly
	tracker   track.Tracker
	lastHeavy time.Time
	tracks    []track.TrackUpdate // the last update's live tracks, whose boxes guide People
	// lastCaptured is the newest frame processed: frames must come in capture order.
	lastCaptured time.Time

	mu      sync.Mutex
	metrics metricsAcc
}

// Result is what one frame produced.
type Result struct {
	Frame      *vision.Frame
	Motion     MotionResult
	Detections []Detection
	Tracks     []track.TrackUpdate
	// Heavy is true when the heavier detectors ran on this frame.
	Heavy bool
	// Errors are detectors that failed on this frame; the others' results stand.
	Errors []error
}

// Initialize validates the configuration.
func (p *Pipeline) Initialize() error {
	if p.Config.HeavyFPS <= 0 {
		p.Config.HeavyFPS = 5
	}
	if p.Config.MinSizePx <= 0 {
		p.Config.MinSizePx = 6
	}
	p.motion.Config = p.Config.Motion
	if p.Config.People != nil {
		p.people.Config = *p.Config.People
	}
	if p.Config.Anomaly != nil {
		p.anomaly.Config = *p.Config.Anomaly
	}
	p.tracker = p.Config.Tracker
	if p.tracker.TentativeMaxUnseen == 0 {
		// Something only the named detectors see (a person standing still) is detected at
		// their rate: a new track must survive the frames between.
		p.tracker.TentativeMaxUnseen = time.Duration(1.5 * float64(time.Second) / p.Config.HeavyFPS)
	}
	if err := p.tracker.Initialize(); err != nil {
		return err
	}
	p.metrics.start = time.Now()
	return nil
}

// Close frees the detectors (not the Models and Cascades, which the caller owns).
func (p *Pipeline) Close() { p.motion.Close() }

// Process runs the pipeline on one frame.
func (p *Pipeline) Process(f *vision.Frame) (Result, error) {
	res := Result{Frame: f}
	if !p.lastCaptured.IsZero() && !f.Captured.After(p.lastCaptured) {
		// A frame dated before the last one: the stream's clock stepped back (the first
		// sender report replaced arrival dating). Tracks move forward in time only: skip it.
		p.mu.Lock()
		p.metrics.outOfOrder++
		p.mu.Unlock()
		return res, nil
	}
	p.lastCaptured = f.Captured
	w, h := f.Image.Rect.Dx(), f.Image.Rect.Dy()
	if m := p.Config.Mask; m != nil && (m.Rect.Dx() != w || m.Rect.Dy() != h) {
		// Say it once and watch the whole picture rather than stop detecting.
		res.Errors = append(res.Errors, fmt.Errorf("the mask is %dx%d but the stream's frames are %dx%d: watching without it", m.Rect.Dx(), m.Rect.Dy(), w, h))
		p.Config.Mask = nil
	}
	var stages [stageCount]time.Duration
	start := time.Now()
	grey, err := Grey(f.Image)
	if err != nil {
		return res, err
	}
	defer grey.Close()
	res.Motion, err = p.motion.Detect(grey)
	if err != nil {
		return res, err
	}
	stages[stageMotion] = time.Since(start)

	var named []Detection
	calls := 0
	if f.Captured.Sub(p.lastHeavy) >= time.Duration(float64(time.Second)/p.Config.HeavyFPS) || f.Captured.Before(p.lastHeavy) {
		p.lastHeavy = f.Captured
		res.Heavy = true
		named, calls = p.heavy(f, grey, res.Motion.Boxes, &res, &stages)
	}
	// Motion boxes stand for what no detector named this frame.
	dets := p.keep(named, w, h)
	for _, b := range res.Motion.Boxes {
		d := Detection{Box: b, Class: ClassMotion, Score: 0.5, Detector: "motion"}
		if p.admissible(d, w, h) && !overlapsAny(d.Box, named) {
			dets = append(dets, d)
		}
	}
	res.Detections = dets

	t0 := time.Now()
	var ego *track.Homography
	if res.Motion.EgoMotion != nil {
		h := track.Homography(*res.Motion.EgoMotion)
		ego = &h
	}
	tdets := make([]track.Detection, len(dets))
	for i, d := range dets {
		class := d.Class
		if class == ClassMotion {
			class = "" // moves a track, but names nothing: the tracker does not count its vote
		}
		tdets[i] = track.Detection{Box: track.BoxFromRect(d.Box), Class: class, Score: d.Score}
	}
	res.Tracks, err = p.tracker.Update(f.Captured, ego, tdets)
	if err != nil {
		return res, err
	}
	for i := range res.Tracks {
		if res.Tracks[i].Class == "" {
			res.Tracks[i].Class = ClassMotion
		}
	}
	p.tracks = res.Tracks
	stages[stageTrack] = time.Since(t0)
	p.record(stages, calls, time.Since(start))
	return res, nil
}

// heavy runs the naming detectors; errors are kept in the result and the others go on.
func (p *Pipeline) heavy(f *vision.Frame, grey gocv.Mat, motion []image.Rectangle, res *Result, stages *[stageCount]time.Duration) ([]Detection, int) {
	var out []Detection
	calls := 0
	if p.Config.People != nil {
		t := time.Now()
		regions := slices.Clone(motion)
		for _, tr := range p.tracks {
			regions = append(regions, tr.Box.Rect())
		}
		found, err := p.people.DetectRegions(grey, mergeRegions(regions))
		calls++
		if err != nil {
			res.Errors = append(res.Errors, fmt.Errorf("people: %w", err))
		}
		out = append(out, found...)
		stages[stagePeople] = time.Since(t)
	}
	for _, c := range p.Config.Cascades {
		t := time.Now()
		regions := slices.Clone(motion)
		for _, tr := range p.tracks {
			regions = append(regions, tr.Box.Rect())
		}
		out = append(out, c.DetectRegions(grey, regions)...)
		calls++
		stages[stagePeople] += time.Since(t)
	}
	if p.Config.Anomaly != nil {
		t := time.Now()
		out = append(out, p.anomaly.Detect(f.Image)...)
		calls++
		stages[stageAnomaly] = time.Since(t)
	}
	for _, m := range p.Config.Models {
		t := time.Now()
		found, err := m.Detect(f.Image)
		calls++
		if err != nil {
			res.Errors = append(res.Errors, fmt.Errorf("model %s: %w", m.Config.Path, err))
		}
		out = append(out, found...)
		stages[stageModel] += time.Since(t)
	}
	return out, calls
}

// keep filters detections by size and mask.
func (p *Pipeline) keep(ds []Detection, w, h int) []Detection {
	var out []Detection
	for _, d := range ds {
		if p.admissible(d, w, h) {
			out = append(out, d)
		}
	}
	return out
}

func (p *Pipeline) admissible(d Detection, w, h int) bool {
	if min(d.Box.Dx(), d.Box.Dy()) < p.Config.MinSizePx {
		return false
	}
	if m := p.Config.Mask; m != nil {
		c := image.Pt((d.Box.Min.X+d.Box.Max.X)/2, (d.Box.Min.Y+d.Box.Max.Y)/2)
		if c.In(m.Rect) && m.GrayAt(c.X, c.Y).Y == 0 {
			return false
		}
	}
	return true
}

// overlapsAny tells whether most of the smaller of b and a detection's box lies in the other:
// a motion box around a walking person covers the person's box, or the reverse.
func overlapsAny(b image.Rectangle, ds []Detection) bool {
	for _, d := range ds {
		in := b.Intersect(d.Box)
		if in.Empty() {
			continue
		}
		smaller := min(b.Dx()*b.Dy(), d.Box.Dx()*d.Box.Dy())
		if 2*in.Dx()*in.Dy() >= smaller {
			return true
		}
	}
	return false
}

// mergeRegions joins overlapping regions so HOG does not scan the same pixels twice.
func mergeRegions(rs []image.Rectangle) []image.Rectangle {
	out := slices.Clone(rs)
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(out) && !merged; i++ {
			for j := i + 1; j < len(out); j++ {
				if out[i].Overlaps(out[j]) {
					out[i] = out[i].Union(out[j])
					out = slices.Delete(out, j, j+1)
					merged = true
					break
				}
			}
		}
	}
	return out
}

// Run processes frames from a stream's hand-off until ctx ends, passing each result on (a
// frame that failed carries the error in Result.Errors). Frames the pipeline was too slow for
// are skipped by the hand-off and counted there.
func (p *Pipeline) Run(ctx context.Context, in *vision.Latest, out func(Result)) error {
	for {
		f, err := in.Next(ctx)
		if err != nil {
			return nil
		}
		p.mu.Lock()
		p.metrics.skipped = in.Dropped()
		p.mu.Unlock()
		res, err := p.Process(f)
		if err != nil {
			// One frame the pipeline could not handle must not end detection on the stream.
			res.Errors = append(res.Errors, err)
		}
		out(res)
	}
}
