package vision

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/test/videotest"
	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// The simulated camera, recorded over RTSP in 1 s segments: every segment plays in
// ffprobe with the right duration, and each begins where the one before ends.
func TestRecorderRecordsTheSimulatedCamera(t *testing.T) {
	t.Parallel() // mostly waiting for the camera
	// Small and slow: light on a loaded CI machine.
	cam := videotest.StartCamera(t, videotest.Options{Width: 320, Height: 180, FPS: 15})
	dir := t.TempDir()
	var got recording
	rec := got.attach(&Recorder{Dir: dir, Name: "cam1", SegmentDuration: time.Second})
	require.NoError(t, rec.Initialize())
	// Until the first sender report the ingest dates pictures by arrival, 100 ms early
	// (its default latency); the switch would lengthen the first segment by that much.
	// Recording starts when the camera's clock is known.
	var dated atomic.Bool
	// The camera makes a keyframe every 15 pictures, a second when it keeps its rate; a
	// starved CI machine makes that longer. Each segment spans from a keyframe to the next.
	var mu sync.Mutex
	var keyframes []time.Time
	// TCP: on a loaded machine UDP loses packets, and a keyframe with a packet lost is no
	// keyframe, so segments would run long.
	s := &Stream{URL: cam.URL, Transport: "tcp", OnAccessUnit: func(c avcodec.Codec, au [][]byte, captured time.Time, random bool) {
		if !dated.Load() {
			return
		}
		if random {
			mu.Lock()
			keyframes = append(keyframes, captured)
			mu.Unlock()
		}
		rec.WriteAccessUnit(c, au, captured, random)
	}}
	require.NoError(t, s.Initialize())
	deadline := time.Now().Add(15 * time.Second)
	for len(got.closed()) < 3 && time.Now().Before(deadline) {
		dated.Store(s.Health().CaptureFromSender)
		time.Sleep(20 * time.Millisecond)
	}
	s.Close()
	cam.Cam.Close() // ffprobe needs the CPU more
	rec.Close()

	segs := got.closed()
	require.GreaterOrEqual(t, len(segs), 4, "3 whole segments and the open one; health %+v, errors %v", s.Health(), got.errs)
	require.Empty(t, got.errs)
	var names []string
	for _, seg := range segs {
		names = append(names, filepath.Base(seg.Path))
	}
	require.ElementsMatch(t, names, filesIn(t, dir), "every segment closed, nothing else in the directory")
	// ffprobe takes a segment's last picture to last 1/15 s; a starved camera may take
	// longer to send the next, which the recorder counts in (Segment.Duration).
	probes := requireContiguous(t, segs, 0.2)
	mu.Lock()
	defer mu.Unlock()
	for i, seg := range segs[:len(segs)-1] {
		require.Equal(t, "h264", probes[i].Codec)
		require.True(t, seg.Start.Equal(keyframes[i]), "%s starts at a keyframe", seg.Path)
		require.Equal(t, keyframes[i+1].Sub(keyframes[i]).Round(time.Millisecond), seg.Duration.Round(time.Millisecond), "%s lasts from its keyframe to the next", seg.Path)
		require.InDelta(t, seg.Duration.Seconds(), probes[i].Duration, 0.2, "%s plays as long as it lasts", seg.Path)
		t.Logf("%s: %.3f s, %d pictures, %d bytes", filepath.Base(seg.Path), probes[i].Duration, probes[i].Frames, seg.Size)
	}
	last := probes[len(probes)-1]
	require.Greater(t, last.Frames, 0, "the segment open at Close is kept")
	st := rec.Stats()
	require.Zero(t, st.Dropped)
	require.Equal(t, len(segs), st.Segments)
}

// H.265 and H.264 with B-frames (decoding order differs from presentation order) record
// into 1 s segments that decode cleanly and join up.
func TestRecorderCodecs(t *testing.T) {
	cases := []struct {
		name  string
		codec avcodec.Codec
		args  []string
		want  string
	}{
		{"H.264", avcodec.CodecH264, x264Args, "h264"},
		{"H.264 with B-frames", avcodec.CodecH264,
			[]string{"-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-bf", "2"}, "h264"},
		{"H.265 with B-frames", avcodec.CodecH265,
			[]string{"-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=30:min-keyint=30:scenecut=0:bframes=2:open-gop=0:log-level=error"}, "hevc"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clip := ffmpegClip(t, 3, c.args...)
			var got recording
			dir := t.TempDir()
			record(t, got.attach(&Recorder{Dir: dir, Name: "cam1", SegmentDuration: time.Second}), c.codec, clip)
			require.Empty(t, got.errs)
			segs := got.closed()
			require.Len(t, segs, 3)
			for i, p := range requireContiguous(t, segs, 0.001) {
				require.Equal(t, c.want, p.Codec)
				require.Equal(t, 30, p.Frames)
				require.InDelta(t, 1, p.Duration, 0.01, "segment %d", i)
				require.Equal(t, clipStart.Add(time.Duration(i)*time.Second), segs[i].Start)
			}
		})
	}
}

// The capture clock is not a metronome: it steps back when the ingest switches from
// arrival times to the camera's sender reports, and stops while the camera is away.
func TestRecorderTimeline(t *testing.T) {
	clip := ffmpegClip(t, 4, x264Args...)
	cases := []struct {
		name string
		// shift moves the capture time of unit i.
		shift func(i int) time.Duration
		// durations of the segments, and their starts from clipStart.
		durations []float64
		starts    []time.Duration
	}{
		{"steady", func(int) time.Duration { return 0 },
			[]float64{1, 1, 1, 1}, []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second}},
		{"clock steps back 0.3 s mid-segment", func(i int) time.Duration {
			if i >= 45 {
				return -300 * time.Millisecond
			}
			return 0
		}, []float64{1, 1, 1, 1}, nil},
		{"clock steps forward 0.1 s", func(i int) time.Duration {
			if i >= 45 {
				return 100 * time.Millisecond
			}
			return 0
		}, []float64{1, 1.1, 1, 1}, []time.Duration{0, time.Second, 2100 * time.Millisecond, 3100 * time.Millisecond}},
		{"camera away for 10 s after 1.5 s", func(i int) time.Duration {
			if i >= 45 {
				return 10 * time.Second
			}
			return 0
		}, []float64{1, 0.5, 1, 1}, []time.Duration{0, time.Second, 12 * time.Second, 13 * time.Second}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			units := make([]clipUnit, len(clip))
			for i, u := range clip {
				units[i] = clipUnit{au: u.au, captured: u.captured.Add(c.shift(i))}
			}
			var got recording
			record(t, got.attach(&Recorder{Dir: t.TempDir(), Name: "cam1", SegmentDuration: time.Second}), avcodec.CodecH264, units)
			require.Empty(t, got.errs)
			segs := got.closed()
			require.Len(t, segs, len(c.durations))
			for i, seg := range segs {
				p := probe(t, seg.Path)
				require.Empty(t, p.Complaint)
				require.InDelta(t, c.durations[i], p.Duration, 0.01, "segment %d", i)
				require.InDelta(t, c.durations[i], seg.Duration.Seconds(), 0.01, "segment %d", i)
				if c.starts != nil {
					require.Equal(t, clipStart.Add(c.starts[i]), seg.Start, "segment %d", i)
				}
			}
		})
	}
}

// A disk that stalls makes the queue drop units; the recording resumes at the next
// keyframe, so nothing that cannot decode is written, and the operator is told.
func TestRecorderDropsWhenTheDiskStalls(t *testing.T) {
	clip := ffmpegClip(t, 4, x264Args...)
	var got recording
	stall, resume := make(chan struct{}), make(chan struct{})
	rec := got.attach(&Recorder{Dir: t.TempDir(), Name: "cam1", SegmentDuration: time.Second, QueueLength: 5})
	first := true
	onSegment := rec.OnSegment
	rec.OnSegment = func(s Segment) { // the writer is stuck in here after the first segment
		onSegment(s)
		if first {
			first = false
			close(stall)
			<-resume
		}
	}
	require.NoError(t, rec.Initialize())
	for i, u := range clip {
		if i <= 30 || i > 60 { // as fast as the disk takes them
			for rec.queued() > 0 {
				time.Sleep(time.Millisecond)
			}
		}
		rec.WriteAccessUnit(avcodec.CodecH264, u.au, u.captured, false)
		switch i {
		case 30: // the second keyframe closes the first segment
			<-stall
		case 60: // units 31-35 are queued, 36-60 dropped (60 is a keyframe)
			close(resume)
		}
	}
	rec.Close()

	st := rec.Stats()
	require.EqualValues(t, 25, st.Dropped)
	require.EqualValues(t, 30+6+30, st.Written, "the first segment, 30-35, then from the keyframe at 3 s")
	require.Len(t, got.errs, 1)
	require.ErrorIs(t, got.errs[0], ErrRecordQueueFull)
	segs := got.closed()
	require.Len(t, segs, 3)
	for i, want := range []int{30, 6, 30} {
		p := probe(t, segs[i].Path)
		require.Empty(t, p.Complaint, "segment %d decodes cleanly", i)
		require.Equal(t, want, p.Frames, "segment %d", i)
		require.InDelta(t, float64(want)/30, p.Duration, 0.01, "segment %d", i)
	}
}

// The disk goes away mid-recording (a card pulled, a share unmounted): the operator hears
// it once, not at every keyframe, and recording resumes once the disk is back.
func TestRecorderDiskGoesAway(t *testing.T) {
	clip := ffmpegClip(t, 4, x264Args...)
	dir := filepath.Join(t.TempDir(), "rec")
	var ahead atomic.Int64 // the recorder's clock runs this far ahead
	var got recording
	rec := got.attach(&Recorder{Dir: dir, Name: "cam1", SegmentDuration: time.Second,
		timeNow: func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }})
	require.NoError(t, rec.Initialize())
	feed := func(from, to int) {
		for _, u := range clip[from:to] {
			rec.WriteAccessUnit(avcodec.CodecH264, u.au, u.captured, false)
			for rec.queued() > 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}
	feed(0, 45) // one segment closed, the second open
	require.NoError(t, os.RemoveAll(dir))
	feed(45, 90) // the keyframe at 2 s cannot close the second segment nor open a third
	require.NoError(t, os.MkdirAll(dir, 0o755))
	ahead.Store(int64(11 * time.Second))
	feed(90, 120)
	rec.Close()

	require.Len(t, got.errs, 1, "%v", got.errs)
	require.ErrorContains(t, got.errs[0], "no such file or directory")
	require.ErrorContains(t, got.errs[0], "recording resumes in 10s")
	segs := got.closed()
	require.Len(t, segs, 2)
	require.Equal(t, clipStart.Add(3*time.Second), segs[1].Start, "recording resumed at the keyframe at 3 s")
	require.Equal(t, []string{filepath.Base(segs[1].Path)}, filesIn(t, dir))
	p := probe(t, segs[1].Path)
	require.Empty(t, p.Complaint)
	require.Equal(t, 30, p.Frames)
	require.EqualValues(t, 30, rec.Stats().Skipped, "from the keyframe at 2 s to the one at 3 s")
}

// A camera reconfigured to another size starts a new segment at once, so each file has one
// picture size.
func TestRecorderNewSizeNewSegment(t *testing.T) {
	big := ffmpegClip(t, 1, x264Args...)
	small := ffmpegClip(t, 1, append([]string{"-s", "160x120"}, x264Args...)...)
	units := append([]clipUnit(nil), big...)
	for _, u := range small {
		units = append(units, clipUnit{au: u.au, captured: u.captured.Add(time.Second)})
	}
	var got recording
	record(t, got.attach(&Recorder{Dir: t.TempDir(), Name: "cam1"}), avcodec.CodecH264, units)
	require.Empty(t, got.errs)
	segs := got.closed()
	require.Len(t, segs, 2)
	for i, p := range requireContiguous(t, segs, 0.001) {
		require.Equal(t, 30, p.Frames, "segment %d", i)
	}
}

// What is recorded reaches the file within the flush period even when the stream stalls,
// so the open segment plays up to there after a crash.
func TestRecorderFlushesTheOpenSegment(t *testing.T) {
	clip := ffmpegClip(t, 1, x264Args...)
	dir := t.TempDir()
	rec := &Recorder{Dir: dir, Name: "cam1", flushPeriod: 100 * time.Millisecond}
	require.NoError(t, rec.Initialize())
	defer rec.Close()
	for _, u := range clip[:20] {
		rec.WriteAccessUnit(avcodec.CodecH264, u.au, u.captured, false)
	}
	part := filepath.Join(dir, "cam1_"+clipStart.Format(segmentTimeLayout)+".ts"+partSuffix)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && probePart(t, part) < 20 {
		time.Sleep(50 * time.Millisecond)
	}
	require.Equal(t, 20, probePart(t, part), "all 20 pictures in the open segment")
	require.Equal(t, strings.TrimSuffix(part, partSuffix), rec.Stats().Open, "the segment being written, as the screen shows it")
	rec.Close()
	require.Empty(t, rec.Stats().Open, "none after closing")
}

// probePart counts the pictures in an open segment file; 0 while it has none.
func probePart(t *testing.T, path string) int {
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return 0
	}
	return probe(t, path).Frames
}

// MJPEG cannot go into MPEG-TS: it is skipped with one clear error, and nothing is
// written.
func TestRecorderSkipsMJPEG(t *testing.T) {
	dir := t.TempDir()
	var got recording
	jpeg := [][]byte{{0xff, 0xd8, 0xff, 0xd9}}
	units := []clipUnit{{jpeg, clipStart}, {jpeg, clipStart.Add(time.Second / 30)}}
	rec := got.attach(&Recorder{Dir: dir, Name: "cam1"})
	record(t, rec, avcodec.CodecMJPEG, units)
	require.Len(t, got.errs, 1)
	require.ErrorIs(t, got.errs[0], ErrMJPEGNotRecorded)
	require.EqualValues(t, 2, rec.Stats().Skipped)
	require.Empty(t, filesIn(t, dir))
}

// Segments keep only what the limits allow: the oldest go first, other streams' files
// and other files are left alone.
func TestRecorderRetention(t *testing.T) {
	clip := ffmpegClip(t, 5, x264Args...)
	now := time.Now()
	cases := []struct {
		name        string
		bytes       int64
		age         time.Duration
		oldFiles    bool // segments of an earlier run, 10 days old
		wantKept    int  // of this run's 5 segments
		wantOldGone bool // the old segments were deleted
	}{
		{"no limits", 0, 0, true, 5, false},
		{"2.5 segments of bytes", 1, 0, false, 2, false},
		{"7 days", 0, 7 * 24 * time.Hour, true, 5, true},
		{"bytes take the old ones first", 1, 0, true, 2, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			others := []string{"cam2_20261101T000000Z.ts", "notes.txt", "cam1_notes.ts"}
			olds := []string{"cam1_20261101T000000Z.ts", "cam1_20261101T000100Z.ts"}
			if !c.oldFiles {
				olds = nil
			}
			for _, name := range append(others, olds...) {
				path := filepath.Join(dir, name)
				require.NoError(t, os.WriteFile(path, make([]byte, 1000), 0o644))
				require.NoError(t, os.Chtimes(path, now.Add(-240*time.Hour), now.Add(-240*time.Hour)))
			}
			limit := c.bytes
			if limit == 1 { // room for 2 segments, not 3: measure them first
				var probeRun recording
				record(t, probeRun.attach(&Recorder{Dir: t.TempDir(), Name: "cam1", SegmentDuration: time.Second}), avcodec.CodecH264, clip)
				for _, s := range probeRun.closed() {
					limit = max(limit, s.Size*23/10)
				}
			}
			var got recording
			record(t, got.attach(&Recorder{Dir: dir, Name: "cam1", SegmentDuration: time.Second, RetainBytes: limit, RetainAge: c.age}), avcodec.CodecH264, clip)
			require.Empty(t, got.errs)
			segs := got.closed()
			require.Len(t, segs, 5)
			var want []string
			want = append(want, others...)
			if !c.wantOldGone {
				want = append(want, olds...)
			}
			for _, s := range segs[5-c.wantKept:] {
				want = append(want, filepath.Base(s.Path))
			}
			require.ElementsMatch(t, want, filesIn(t, dir))
			require.Equal(t, len(olds)+5-len(want)+len(others), len(got.removed))
		})
	}
}

// Bad configurations are refused with a sentence that says what is wrong.
func TestRecorderConfig(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	cases := []struct {
		name string
		r    *Recorder
		want string
	}{
		{"no dir", &Recorder{}, "no directory"},
		{"bad name", &Recorder{Dir: t.TempDir(), Name: "../x"}, `stream name "../x"`},
		{"short segment", &Recorder{Dir: t.TempDir(), SegmentDuration: time.Millisecond}, "segment length 1ms: want 1s to 1h"},
		{"negative retention", &Recorder{Dir: t.TempDir(), RetainBytes: -1}, "cannot be negative"},
		{"dir is a file", &Recorder{Dir: file}, "not a directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.r.Initialize()
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
		})
	}
}
