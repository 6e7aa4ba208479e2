package vision

import (
	"fmt"
	"time"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// startPTS is where a recording's timeline starts, a second in, so that the clock
// reference (0.1 s before the decoding time) and the earlier decoding times of B-frames
// stay positive.
const startPTS = ticksPerSecond

// rebaseAfter bounds the timeline: MPEG-TS times are 33 bits of 90 kHz (26.5 hours), so a
// segment that starts later than this starts the timeline over.
const rebaseAfter = 24 * time.Hour

// recorderWriter is the state of a Recorder's writer goroutine: the stream's codec and
// parameter sets, the recording's timeline and the open segment.
//
// The timeline is the capture time on a 90 kHz clock, continuous across segments, so the
// segments of a recording concatenated play as one. When the capture clock steps back
// (the ingest switches from arrival times to the camera's sender reports, or the camera's
// clock is reset) the timeline is shifted so it never goes back.
type recorderWriter struct {
	r *Recorder

	codec          avcodec.Codec
	params         paramSets
	waitKey        bool // skip until the next keyframe (after a drop or an error)
	codecReported  bool
	dtsErrReported bool
	dropReported   time.Time // at most one report of drops per diskRetryPause

	base     time.Time // capture time at startPTS
	shift    int64     // ticks added after the capture clock stepped back
	haveLast bool
	lastPTS  int64
	lastDTS  int64
	interval int64 // smoothed picture interval in ticks

	seg     *segmentFile
	retryAt time.Time // no segment opens before, after the disk failed
}

func (w *recorderWriter) skip() { w.r.countStats(func(s *RecorderStats) { s.Skipped++ }) }

// write records one access unit.
func (w *recorderWriter) write(u recordedUnit) {
	if u.afterGap {
		if now := w.r.timeNow(); now.Sub(w.dropReported) >= diskRetryPause {
			w.dropReported = now
			w.r.report(fmt.Errorf("%w (%d so far): the disk is not keeping up; recording resumes at the next keyframe",
				ErrRecordQueueFull, w.r.Stats().Dropped))
		}
		w.waitKey = true
	}
	if u.codec != w.codec {
		w.closeSegment(0)
		w.codec, w.params, w.codecReported = u.codec, paramSets{}, false
	}
	if u.codec != avcodec.CodecH264 && u.codec != avcodec.CodecH265 {
		if !w.codecReported {
			w.codecReported = true
			if u.codec == avcodec.CodecMJPEG {
				w.r.report(ErrMJPEGNotRecorded)
			} else {
				w.r.report(fmt.Errorf("codec %v is not recorded", u.codec))
			}
		}
		w.skip()
		return
	}
	au, random, ok := w.params.prepare(u.codec, u.au)
	if !ok {
		w.skip()
		return
	}
	pts := w.pts(u.captured)

	// A long silence (the camera went away) ends the segment where its pictures end.
	if w.seg != nil && pts-w.lastPTS > w.maxGap() {
		w.closeSegment(0)
	}
	if w.seg != nil && random && (pts-w.seg.firstPTS >= w.cutAfter() || !w.params.sameSequence(w.seg.params)) {
		end := pts // the segment ends where the next begins...
		if w.waitKey {
			end = 0 // ...unless pictures were skipped: then where its own end
		}
		w.closeSegment(end)
	}
	if w.seg == nil {
		if !random {
			w.skip()
			return
		}
		if !w.openSegment(u.captured, &pts) {
			w.skip()
			return
		}
	} else if w.waitKey {
		if !random {
			w.skip()
			return
		}
		w.seg.dts = newDTSExtractor(u.codec) // it lost track of the pictures skipped
	}
	w.waitKey = false

	dts, err := w.seg.dts.Extract(au, pts)
	if err != nil {
		if !w.dtsErrReported {
			w.dtsErrReported = true
			w.r.report(fmt.Errorf("recording %s: %w; pictures are skipped until the next keyframe", w.r.Name, err))
		}
		w.waitKey = true
		w.skip()
		return
	}
	if err := w.seg.write(pts, dts, au); err != nil {
		w.diskFailed(err)
		w.closeSegment(0)
		w.skip()
		return
	}
	w.r.countStats(func(s *RecorderStats) { s.Written++ })
	// The picture interval, leaving out the DTS extractor's 1 ms steps and silences.
	if step := dts - w.lastDTS; w.haveLast && step > ticksPerSecond/1000 && step < ticksPerSecond {
		if w.interval == 0 {
			w.interval = step
		} else {
			w.interval = (7*w.interval + step) / 8
		}
	}
	w.haveLast, w.lastPTS, w.lastDTS = true, pts, dts
	// A new segment's keyframe goes out at once: a segment cut short plays from it.
	if now := w.r.timeNow(); w.seg.pictures == 1 || now.Sub(w.seg.lastFlush) >= w.r.flushPeriod {
		w.flush()
	}
}

// pts places a capture time on the timeline, never at or before the last decoding time
// (a picture's own decoding time can be no earlier, B-frames or not).
func (w *recorderWriter) pts(captured time.Time) int64 {
	if w.base.IsZero() {
		w.base = captured
	}
	pts := startPTS + durationToTicks(captured.Sub(w.base)) + w.shift
	if w.haveLast && pts <= w.lastDTS {
		next := w.lastDTS + max(w.interval, 1)
		w.shift += next - pts
		pts = next
	}
	return pts
}

// openSegment starts a segment at a keyframe; the timeline starts over (pts changes) when
// it has run long.
func (w *recorderWriter) openSegment(captured time.Time, pts *int64) bool {
	if *pts > startPTS+durationToTicks(rebaseAfter) {
		w.base, w.shift, w.haveLast = captured, 0, false
		*pts = startPTS
	}
	now := w.r.timeNow()
	if now.Before(w.retryAt) {
		return false
	}
	seg, err := createSegment(w.r.Dir, w.r.Name, w.codec, captured, now)
	if err != nil {
		w.diskFailed(err)
		return false
	}
	seg.firstPTS, seg.params = *pts, w.params
	w.seg = seg
	w.r.countStats(func(s *RecorderStats) { s.Open = seg.path })
	return true
}

// closeSegment closes the open segment, if any; endPTS is where its pictures end, 0 when
// not known.
func (w *recorderWriter) closeSegment(endPTS int64) {
	if w.seg == nil {
		return
	}
	w.r.countStats(func(s *RecorderStats) { s.Open = "" })
	if w.seg.pictures == 0 {
		w.seg.discard()
		w.seg = nil
		return
	}
	seg, err := w.seg.close(endPTS, w.interval, w.r.syncFile)
	w.seg = nil
	if err != nil {
		w.diskFailed(err)
		return
	}
	w.r.countStats(func(s *RecorderStats) { s.Segments++; s.Bytes += seg.Size })
	if w.r.OnSegment != nil {
		w.r.OnSegment(seg)
	}
	w.r.applyRetention()
}

// flush hands the open segment's buffered data to the operating system.
func (w *recorderWriter) flush() {
	if w.seg == nil {
		return
	}
	if err := w.seg.flush(w.r.timeNow()); err != nil {
		w.diskFailed(err)
		w.closeSegment(0)
	}
}

// diskRetryPause is how long the recorder waits after the disk failed (full, removed,
// read-only) before it opens a segment again: the operator hears of it once, not at every
// keyframe, and a full disk does not fill up with empty segments.
const diskRetryPause = 10 * time.Second

// diskFailed reports a failure of the disk; no segment opens for diskRetryPause.
func (w *recorderWriter) diskFailed(err error) {
	now := w.r.timeNow()
	if now.Before(w.retryAt) {
		return // the same trouble, already reported
	}
	w.retryAt = now.Add(diskRetryPause)
	w.r.report(fmt.Errorf("%w; recording resumes in %v if the disk allows", err, diskRetryPause))
}

// cutAfter is when a keyframe ends the segment: at SegmentDuration less a little, so a
// keyframe that arrives a few milliseconds early (capture times dated by arrival jitter)
// does not double the segment.
func (w *recorderWriter) cutAfter() int64 {
	d := w.r.SegmentDuration
	return durationToTicks(d - min(d/20, 250*time.Millisecond))
}

// maxGap is the silence that ends a segment: 2 seconds, or ten pictures of a slow camera.
func (w *recorderWriter) maxGap() int64 {
	return max(2*ticksPerSecond, 10*w.interval)
}
