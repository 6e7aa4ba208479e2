package vision

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// Recorder writes one stream's compressed video to disk as it arrives, without
// re-encoding: MPEG-TS segments (they play in ffmpeg, VLC and every broadcast tool, and a
// truncated one still plays up to where it stops) of SegmentDuration, each starting on a
// keyframe and named by the stream and the UTC capture time of its first picture
// (cam1_20261123T150405Z.ts). H.264 and H.265 are recorded.
//
// A segment is written as NAME.ts.part and renamed to NAME.ts when it is closed; what was
// written reaches the operating system at least once a second. A crash or kill -9 thus
// loses at most the open segment's last second, and the open .part still plays up to
// there; the next Recorder on the same Dir and Name renames such leftovers to .ts.
//
// MJPEG is not recorded. MPEG-TS has no stream type for it (muxers write it as private
// data that players ignore), a directory of 30 JPEG files a second is not a recording an
// operator can play back or scrub, and a container that does carry it (Matroska, AVI)
// would be a second muxer for a codec that drone cameras seldom send. MJPEG access units
// are counted as Skipped and OnError hears ErrMJPEGNotRecorded once per run of them; a
// snapshot (SaveSnapshot) still works for such a stream.
//
// WriteAccessUnit never blocks: units go through a bounded queue to the Recorder's writer
// goroutine. When the disk cannot keep up the queue drops units (Stats().Dropped,
// ErrRecordQueueFull), and recording resumes at the next keyframe so that no picture is
// written that cannot decode.
type Recorder struct {
	// Dir is where segments are written; it is created if missing. Required.
	Dir string
	// Name is the stream's name, the first part of every segment's file name: letters,
	// digits, '.', '-' and '_'. It defaults to "video".
	Name string
	// SegmentDuration is the length of a segment, from 1 second to 1 hour. A segment ends at
	// the first keyframe at or after it, so segments are as long as this only when the
	// camera's keyframe interval divides it. It defaults to 60 seconds.
	SegmentDuration time.Duration
	// RetainBytes, when positive, caps the total size of this stream's closed segments in
	// Dir (those of earlier runs included): the oldest are deleted first. The open segment
	// comes on top of it.
	RetainBytes int64
	// RetainAge, when positive, deletes this stream's closed segments whose last write is
	// older than it.
	RetainAge time.Duration
	// QueueLength is how many access units may wait for the disk. It defaults to 300, ten
	// seconds at 30 fps, enough to ride out a slow card's pause.
	QueueLength int
	// OnSegment, when set, is called on the writer goroutine each time a segment is closed,
	// and for each segment recovered from an earlier run's crash. It must return quickly.
	OnSegment func(Segment)
	// OnRemove, when set, is called on the writer goroutine for each segment that retention
	// deleted.
	OnRemove func(path string)
	// OnError, when set, hears what went wrong without stopping the recording: the disk
	// (full, removed), units the queue dropped, units that cannot be recorded. It is called
	// on the writer goroutine and must return quickly.
	OnError func(error)

	timeNow     func() time.Time
	flushPeriod time.Duration
	syncFile    func(*os.File) error // makes a closed segment durable; tests may skip it

	mu     sync.Mutex
	queue  []recordedUnit
	gap    bool // a unit was dropped since the last one queued
	closed bool
	stats  RecorderStats

	w         recorderWriter // the writer goroutine's state
	wake      chan struct{}
	terminate chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// Segment is a closed segment file.
type Segment struct {
	// Path is the file's path (it ends in .ts).
	Path string
	// Start is the capture time of its first picture.
	Start time.Time
	// Duration is the time its pictures cover; zero when unknown (Recovered).
	Duration time.Duration
	// Size is the file's size in bytes.
	Size int64
	// Pictures is how many access units it holds.
	Pictures int
	// Recovered is true for a segment an earlier run left open (.part) when it crashed:
	// it plays up to its last second.
	Recovered bool
}

// RecorderStats counts what a Recorder did with the access units it was given.
type RecorderStats struct {
	// Written is how many access units are in segment files.
	Written uint64
	// Dropped is how many the full queue dropped (the disk did not keep up).
	Dropped uint64
	// Skipped is how many could not be recorded: before the first keyframe, after a drop or
	// an error until the next keyframe, MJPEG, malformed.
	Skipped uint64
	// Segments is how many segments were closed; Removed how many retention deleted.
	Segments, Removed int
	// Bytes is the size of the closed segments.
	Bytes int64
	// Open is the path of the segment being written (the name it gets when closed: the
	// file is Open+".part" until then), empty between segments.
	Open string
}

// Errors a Recorder reports through OnError; match them with errors.Is.
var (
	// ErrRecordQueueFull: the disk did not keep up and access units were dropped.
	ErrRecordQueueFull = errors.New("recording queue full, access units dropped")
	// ErrMJPEGNotRecorded: the stream is MJPEG, which the recorder does not write.
	ErrMJPEGNotRecorded = errors.New("MJPEG streams are not recorded (MPEG-TS cannot carry MJPEG); take snapshots instead")
)

// recordedUnit is one access unit waiting in the queue.
type recordedUnit struct {
	codec    avcodec.Codec
	au       [][]byte
	captured time.Time
	afterGap bool // units before it were dropped
}

// Initialize checks the configuration, creates Dir and starts the writer, which first
// recovers the segments an earlier run left open and applies retention. One Recorder at a
// time may record a Name in a Dir.
func (r *Recorder) Initialize() error {
	if r.Dir == "" {
		return errors.New("recorder: no directory given")
	}
	if r.Name == "" {
		r.Name = "video"
	}
	if !validStreamName(r.Name) {
		return fmt.Errorf("recorder: stream name %q: use letters, digits, '.', '-' and '_'", r.Name)
	}
	if r.SegmentDuration == 0 {
		r.SegmentDuration = 60 * time.Second
	}
	if r.SegmentDuration < time.Second || r.SegmentDuration > time.Hour {
		return fmt.Errorf("recorder: segment length %v: want 1s to 1h", r.SegmentDuration)
	}
	if r.RetainBytes < 0 || r.RetainAge < 0 {
		return errors.New("recorder: retention limits cannot be negative")
	}
	if r.QueueLength <= 0 {
		r.QueueLength = 300
	}
	if r.timeNow == nil {
		r.timeNow = time.Now
	}
	if r.flushPeriod <= 0 {
		r.flushPeriod = time.Second
	}
	if r.syncFile == nil {
		r.syncFile = (*os.File).Sync
	}
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return fmt.Errorf("recorder: %w", err)
	}
	probe, err := os.CreateTemp(r.Dir, ".vigil-write-test-*")
	if err != nil {
		return fmt.Errorf("recorder: cannot write in %s: %w", r.Dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())

	r.w = recorderWriter{r: r}
	r.wake = make(chan struct{}, 1)
	r.terminate = make(chan struct{})
	r.done = make(chan struct{})
	go r.run()
	return nil
}

// Close writes what is queued, closes the open segment and waits for the writer to end.
func (r *Recorder) Close() {
	if r.done == nil {
		return // not initialized
	}
	r.closeOnce.Do(func() {
		r.mu.Lock()
		r.closed = true
		r.mu.Unlock()
		close(r.terminate)
		<-r.done
	})
}

// WriteAccessUnit queues one access unit for recording; it never blocks. Its signature is
// Stream.OnAccessUnit's. au is copied, so the caller may reuse its buffers. randomAccess
// is not needed: the recorder reads the NAL unit types itself, as it must know which
// parameter sets a keyframe carries.
func (r *Recorder) WriteAccessUnit(codec avcodec.Codec, au [][]byte, captured time.Time, _ bool) {
	u := recordedUnit{codec: codec, au: cloneAccessUnit(au), captured: captured}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	if len(r.queue) >= r.QueueLength {
		r.stats.Dropped++
		r.gap = true
		r.mu.Unlock()
		return
	}
	u.afterGap, r.gap = r.gap, false
	r.queue = append(r.queue, u)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Stats returns the counts so far.
func (r *Recorder) Stats() RecorderStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

func (r *Recorder) countStats(f func(s *RecorderStats)) {
	r.mu.Lock()
	f(&r.stats)
	r.mu.Unlock()
}

// run is the writer goroutine: it owns the open segment.
func (r *Recorder) run() {
	defer close(r.done)
	tick := time.NewTicker(r.flushPeriod)
	defer tick.Stop()
	r.recoverParts()
	r.applyRetention()
	lastRetention := r.timeNow()
	for {
		select {
		case <-r.wake:
			r.drain()
		case <-tick.C:
			// A stalled stream still gets its last pictures onto the disk, and old segments
			// age out while nothing is recorded.
			r.w.flush()
			if now := r.timeNow(); now.Sub(lastRetention) >= time.Minute {
				lastRetention = now
				r.applyRetention()
			}
		case <-r.terminate:
			r.drain()
			r.w.closeSegment(0)
			return
		}
	}
}

// drain writes every queued unit.
func (r *Recorder) drain() {
	for {
		r.mu.Lock()
		batch := r.queue
		r.queue = nil
		r.mu.Unlock()
		if len(batch) == 0 {
			return
		}
		for _, u := range batch {
			r.w.write(u)
		}
	}
}

func (r *Recorder) report(err error) {
	if r.OnError != nil {
		r.OnError(err)
	}
}

// cloneAccessUnit copies the NAL units into one allocation.
func cloneAccessUnit(au [][]byte) [][]byte {
	n := 0
	for _, nalu := range au {
		n += len(nalu)
	}
	buf := make([]byte, 0, n)
	out := make([][]byte, 0, len(au))
	for _, nalu := range au {
		start := len(buf)
		buf = append(buf, nalu...)
		out = append(out, buf[start:len(buf):len(buf)])
	}
	return out
}

// validStreamName keeps stream names safe as the start of a file name.
func validStreamName(s string) bool {
	if s == "" || s == "." || s == ".." || strings.Trim(s, ".") == "" {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return filepath.Base(s) == s
}
