package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/ui"
	"github.com/vigil-gcs/vigil/vision"
	"github.com/vigil-gcs/vigil/vision/avcodec"
	"github.com/vigil-gcs/vigil/vision/detect"
	"github.com/vigil-gcs/vigil/vision/track"
)

// cameraRunners runs one stream and one detection pipeline per vehicle, and is the desktop
// app's video feed (ui.VideoFeed): each vehicle's newest picture with its tracks, the
// streams' health, the operator's snapshots and recordings. Safe for concurrent use.
type cameraRunners struct {
	station      *gcs.Station
	detectors    string
	motionHeight int
	latency      time.Duration
	snapshots    string // folder for the targets' pictures and the operator's snapshots, beside the record
	videoDir     string // folder for the operator's recordings, beside the record

	mu      sync.Mutex
	runners map[uint8]*cameraRunner
	// refused is the URL each vehicle's stream could not start with (a malformed URL, an
	// unsupported scheme): said once, not retried until the URL changes.
	refused map[uint8]string
}

var _ ui.VideoFeed = (*cameraRunners)(nil)

type cameraRunner struct {
	name     string // cam<sysID>: the start of its files' names
	url      string
	stream   *vision.Stream
	pipeline *detect.Pipeline
	cancel   context.CancelFunc
	done     chan struct{}
	// recorder is what the stream's access units go to while recording, nil otherwise.
	recorder atomic.Pointer[vision.Recorder]

	boxes latestBoxes

	mu     sync.Mutex
	recErr string // the recording's last trouble
}

// latestBoxes hands the boxes of a stream's newest detection result to the screen.
type latestBoxes struct {
	mu    sync.Mutex
	boxes []ui.VideoBox // replaced, never changed: readers keep the slice
	w, h  int           // the size of the picture they are in
	at    time.Time     // its capture time
}

// put takes a result's confirmed tracks (tracked, and lost ones coasting on their
// prediction); a result older than the last one (a frame the pipeline skipped) is ignored.
func (l *latestBoxes) put(res detect.Result) {
	f := res.Frame
	if f == nil || f.Image == nil {
		return
	}
	boxes := make([]ui.VideoBox, 0, len(res.Tracks))
	for _, tr := range res.Tracks {
		if tr.State == track.StateTracked || tr.State == track.StateLost {
			boxes = append(boxes, ui.VideoBox{Rect: tr.Box.Rect(), TrackID: tr.ID, Class: tr.Class, Score: tr.Score, Lost: tr.State == track.StateLost})
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !f.Captured.After(l.at) {
		return
	}
	l.boxes, l.w, l.h, l.at = boxes, f.Image.Rect.Dx(), f.Image.Rect.Dy(), f.Captured
}

// get returns the newest boxes if they were found in a picture of w×h pixels.
func (l *latestBoxes) get(w, h int) []ui.VideoBox {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w != w || l.h != h {
		return nil
	}
	return l.boxes
}

// ensure starts (or restarts, when its URL changed) the vehicle's camera. A restarted
// camera goes on recording if it was.
func (c *cameraRunners) ensure(sysID uint8, url string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.runners == nil {
		c.runners, c.refused = map[uint8]*cameraRunner{}, map[uint8]string{}
	}
	if c.refused[sysID] == url {
		return nil
	}
	recording := false
	if r := c.runners[sysID]; r != nil {
		if r.url == url {
			return nil
		}
		recording = r.recorder.Load() != nil
		r.stop()
		delete(c.runners, sysID)
	}
	cfg, _, err := detectConfig(context.Background(), c.detectors, "", 640)
	if err != nil {
		return err
	}
	cfg.Motion.WorkHeight = c.motionHeight
	p := &detect.Pipeline{Config: cfg}
	if err := p.Initialize(); err != nil {
		return err
	}
	r := &cameraRunner{name: fmt.Sprintf("cam%d", sysID), url: url, pipeline: p, done: make(chan struct{})}
	r.stream = &vision.Stream{URL: url, Latency: c.latency, OnAccessUnit: r.writeAccessUnit}
	if err := r.stream.Initialize(); err != nil {
		p.Close()
		fmt.Fprintf(os.Stderr, "vigil: vehicle %d: %v\n", sysID, err)
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		defer close(r.done)
		_ = p.Run(ctx, r.stream.Subscribe(), c.sighter(sysID, r))
	}()
	c.runners[sysID] = r
	fmt.Printf("vehicle %d: watching %s\n", sysID, vision.Redact(url))
	if recording {
		if err := c.startRecording(r); err != nil {
			fmt.Fprintf(os.Stderr, "vigil: vehicle %d: %v\n", sysID, err)
		}
	}
	return nil
}

// sighter is the pipeline's callback: every confirmed track to the station, and the
// newest boxes to the screen.
func (c *cameraRunners) sighter(sysID uint8, r *cameraRunner) func(detect.Result) {
	best := map[uint64]float64{} // each track's best score so far, for its snapshot
	return func(res detect.Result) {
		r.boxes.put(res)
		f := res.Frame
		for _, tr := range res.Tracks {
			if tr.State != track.StateTracked {
				continue // coasting tracks are predictions, not sightings
			}
			sg := gcs.Sighting{
				SysID: sysID, Stream: r.name, TrackID: int64(tr.ID), Captured: f.Captured,
				Class: tr.Class, Score: tr.Score,
				Box:    gcs.Box{MinU: tr.Box.Min.X, MinV: tr.Box.Min.Y, MaxU: tr.Box.Max.X, MaxV: tr.Box.Max.Y},
				FrameW: f.Image.Rect.Dx(), FrameH: f.Image.Rect.Dy(),
			}
			// A picture of each track at its best score: what the operator sees of a target.
			if c.snapshots != "" && tr.Score > best[tr.ID] {
				best[tr.ID] = tr.Score
				name := fmt.Sprintf("%s_track%d.jpg", r.name, tr.ID)
				if vision.SaveCrop(filepath.Join(c.snapshots, name), f, tr.Box.Rect(), 96) == nil {
					sg.Snapshot = name
				}
			}
			_, _ = c.station.Sight(sg)
		}
	}
}

// writeAccessUnit is the stream's OnAccessUnit: to the recorder, while recording.
func (r *cameraRunner) writeAccessUnit(codec avcodec.Codec, au [][]byte, captured time.Time, random bool) {
	if rec := r.recorder.Load(); rec != nil {
		rec.WriteAccessUnit(codec, au, captured, random)
	}
}

func (r *cameraRunner) stop() {
	r.cancel()
	<-r.done
	r.stream.Close()
	r.pipeline.Close()
	if rec := r.recorder.Swap(nil); rec != nil {
		rec.Close()
	}
}

func (c *cameraRunners) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, r := range c.runners {
		r.stop()
		delete(c.runners, id)
	}
}

func (c *cameraRunners) report(w io.Writer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(c.runners)) {
		r := c.runners[id]
		h := r.stream.Health()
		m := r.pipeline.Metrics()
		fmt.Fprintf(w, "vehicle %d video %s %s %.0f fps, latency p95 %.0f ms; detection %.1f fps, %d tracks\n",
			id, h.State, h.Reason, h.FPSDecoded, float64(h.LatencyP95.Microseconds())/1000, m.FPSProcessed, m.TracksAlive)
	}
	s := c.station.Stats()
	fmt.Fprintf(w, "sightings %d, placed %d, targets %d\n", s.Sightings, s.Located, len(c.station.Targets()))
}

// runner is the vehicle's camera, or an error saying it has none.
func (c *cameraRunners) runner(sysID uint8) (*cameraRunner, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.runners[sysID]; r != nil {
		return r, nil
	}
	return nil, fmt.Errorf("vehicle %d has no video stream", sysID)
}

// Streams implements ui.VideoFeed.
func (c *cameraRunners) Streams() []uint8 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Sorted(maps.Keys(c.runners))
}

// Latest implements ui.VideoFeed: the stream's newest picture with the boxes of the newest
// detection result (which lags it by the detector's time), if they are of the same size.
func (c *cameraRunners) Latest(sysID uint8) (ui.VideoFrame, bool) {
	r, err := c.runner(sysID)
	if err != nil {
		return ui.VideoFrame{}, false
	}
	f := r.stream.LastFrame()
	if f == nil {
		return ui.VideoFrame{}, false
	}
	return ui.VideoFrame{Seq: f.Seq, Image: f.Image, Captured: f.Captured, Boxes: r.boxes.get(f.Image.Rect.Dx(), f.Image.Rect.Dy())}, true
}

// Health implements ui.VideoFeed.
func (c *cameraRunners) Health(sysID uint8) (ui.VideoHealth, bool) {
	r, err := c.runner(sysID)
	if err != nil {
		return ui.VideoHealth{}, false
	}
	h := r.stream.Health()
	return ui.VideoHealth{
		State: h.State.String(), Reason: h.Reason, FPS: h.FPSDecoded,
		LatencyP50: h.LatencyP50, LatencyP95: h.LatencyP95, Width: h.Width, Height: h.Height,
	}, true
}

// Snapshot implements ui.VideoFeed: the newest picture as a JPEG in the snapshots folder,
// named by the camera and its capture time (cam1_20261123T163005.123Z.jpg).
func (c *cameraRunners) Snapshot(sysID uint8) (string, error) {
	r, err := c.runner(sysID)
	if err != nil {
		return "", err
	}
	f := r.stream.LastFrame()
	if f == nil {
		return "", fmt.Errorf("no picture from vehicle %d yet", sysID)
	}
	if err := os.MkdirAll(c.snapshots, 0o755); err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	path := filepath.Join(c.snapshots, r.name+"_"+f.Captured.UTC().Format("20060102T150405.000Z")+".jpg")
	if err := vision.SaveSnapshot(path, f); err != nil {
		return "", err
	}
	return path, nil
}

// SetRecording implements ui.VideoFeed: the stream's video, as it comes (no re-encoding),
// into minute-long MPEG-TS segments in the video folder.
func (c *cameraRunners) SetRecording(sysID uint8, on bool) error {
	r, err := c.runner(sysID)
	if err != nil {
		return err
	}
	if on {
		return c.startRecording(r)
	}
	if rec := r.recorder.Swap(nil); rec != nil {
		rec.Close() // writes what is queued and closes the segment
	}
	return nil
}

func (c *cameraRunners) startRecording(r *cameraRunner) error {
	if r.recorder.Load() != nil {
		return nil
	}
	rec := &vision.Recorder{
		Dir: c.videoDir, Name: r.name,
		OnError:   func(err error) { r.setRecordingError(err.Error()) },
		OnSegment: func(vision.Segment) { r.setRecordingError("") }, // written: whatever it was is over
	}
	if err := rec.Initialize(); err != nil {
		return err
	}
	if !r.recorder.CompareAndSwap(nil, rec) {
		rec.Close() // another click got there first
		return nil
	}
	r.setRecordingError("")
	return nil
}

func (r *cameraRunner) setRecordingError(s string) {
	r.mu.Lock()
	r.recErr = s
	r.mu.Unlock()
}

// Recording implements ui.VideoFeed.
func (c *cameraRunners) Recording(sysID uint8) ui.RecordingState {
	r, err := c.runner(sysID)
	if err != nil {
		return ui.RecordingState{}
	}
	rec := r.recorder.Load()
	if rec == nil {
		return ui.RecordingState{}
	}
	segment := rec.Stats().Open
	r.mu.Lock()
	defer r.mu.Unlock()
	return ui.RecordingState{On: true, Segment: segment, Err: r.recErr}
}
