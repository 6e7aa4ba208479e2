package vision

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// clipUnit is one access unit of a test clip with its capture time.
type clipUnit struct {
	au       [][]byte
	captured time.Time
}

// clipStart is the capture time of every test clip's first picture.
var clipStart = time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC)

// ffmpegClip encodes seconds of ffmpeg's test pattern at 30 fps, 320×240, with the given
// codec options into MPEG-TS, and reads the access units back in decoding order, each
// captured at clipStart plus its presentation time.
func ffmpegClip(t testing.TB, seconds int, codecArgs ...string) []clipUnit {
	t.Helper()
	out := filepath.Join(t.TempDir(), "clip.ts")
	args := append([]string{"-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
		"-t", strconv.Itoa(seconds)}, codecArgs...)
	cmd := exec.Command("ffmpeg", append(args, "-f", "mpegts", out)...)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "ffmpeg (FFmpeg's command line tool is needed for the recorder tests): %s", msg)

	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	r := &mpegts.Reader{R: f}
	require.NoError(t, r.Initialize())
	var units []clipUnit
	var first *int64
	collect := func(pts, _ int64, au [][]byte) error {
		if first == nil {
			first = &pts
		}
		units = append(units, clipUnit{au: au, captured: clipStart.Add(ticksToDuration(pts - *first))})
		return nil
	}
	track := r.Tracks()[0]
	if _, ok := track.Codec.(*mpegts.CodecH265); ok {
		r.OnDataH265(track, collect)
	} else {
		r.OnDataH264(track, collect)
	}
	for {
		err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
	}
	require.Len(t, units, seconds*30)
	return units
}

// x264Args make H.264 as a camera does: a keyframe every second, no B-frames.
var x264Args = []string{"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0"}

// probed is what ffprobe finds in a file.
type probed struct {
	Codec     string
	Start     float64 // seconds
	Duration  float64 // seconds
	Frames    int     // decoded
	Complaint string  // what ffprobe said on stderr: empty for a clean file
}

// probe reads a recording with ffprobe, decoding every frame.
func probe(t *testing.T, path string) probed {
	t.Helper()
	args := []string{"-v", "error", "-count_frames", "-show_entries",
		"format=start_time,duration:stream=codec_name,nb_read_frames", "-of", "json", path}
	if strings.HasSuffix(path, partSuffix) {
		args = append([]string{"-f", "mpegts"}, args...)
	}
	cmd := exec.Command("ffprobe", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "ffprobe %s: %s", path, stderr.String())
	var out struct {
		Streams []struct {
			CodecName    string `json:"codec_name"`
			NbReadFrames string `json:"nb_read_frames"`
		} `json:"streams"`
		Format struct {
			StartTime string `json:"start_time"`
			Duration  string `json:"duration"`
		} `json:"format"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &out), stdout.String())
	require.Len(t, out.Streams, 1, "%s has one video stream", path)
	p := probed{Codec: out.Streams[0].CodecName, Complaint: stderr.String()}
	p.Start, _ = strconv.ParseFloat(out.Format.StartTime, 64)
	p.Duration, _ = strconv.ParseFloat(out.Format.Duration, 64)
	p.Frames, _ = strconv.Atoi(out.Streams[0].NbReadFrames)
	return p
}

// recording collects what a Recorder reports.
type recording struct {
	mu       sync.Mutex
	segments []Segment
	removed  []string
	errs     []error
}

func (c *recording) attach(r *Recorder) *Recorder {
	r.OnSegment = func(s Segment) { c.mu.Lock(); c.segments = append(c.segments, s); c.mu.Unlock() }
	r.OnRemove = func(p string) { c.mu.Lock(); c.removed = append(c.removed, p); c.mu.Unlock() }
	r.OnError = func(err error) { c.mu.Lock(); c.errs = append(c.errs, err); c.mu.Unlock() }
	return r
}

func (c *recording) closed() []Segment {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Segment(nil), c.segments...)
}

// record feeds a clip to a new Recorder in dir and closes it.
func record(t *testing.T, r *Recorder, codec avcodec.Codec, units []clipUnit) {
	t.Helper()
	require.NoError(t, r.Initialize())
	for _, u := range units {
		r.WriteAccessUnit(codec, u.au, u.captured, false)
	}
	r.Close()
}

// filesIn lists a directory's file names.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// requireContiguous checks that each segment's pictures end where the next one's begin,
// both as the recorder reports them and as ffprobe reads the files, and that every file
// decodes cleanly. ffprobe takes the last picture to last one frame at the nominal rate:
// slack allows for a live camera's last picture coming late.
func requireContiguous(t *testing.T, segs []Segment, slack float64) []probed {
	t.Helper()
	probes := make([]probed, len(segs))
	for i, s := range segs {
		probes[i] = probe(t, s.Path)
		p := probes[i]
		require.Empty(t, p.Complaint, "%s decodes cleanly", s.Path)
		require.Equal(t, s.Pictures, p.Frames, "%s: pictures", s.Path)
		require.InDelta(t, s.Duration.Seconds(), p.Duration, slack, "%s: duration as reported and as ffprobe reads it", s.Path)
		start, ok := parseSegmentName("cam1", filepath.Base(s.Path))
		require.True(t, ok, "%s is named cam1_<UTC start>.ts", s.Path)
		require.Equal(t, s.Start.UTC().Truncate(time.Second), start, "%s is named by its start", s.Path)
		if i > 0 {
			prev := segs[i-1]
			require.InDelta(t, 0, s.Start.Sub(prev.Start.Add(prev.Duration)).Seconds(), 0.001, "%s starts where %s ends", s.Path, prev.Path)
			require.InDelta(t, p.Start, probes[i-1].Start+probes[i-1].Duration, slack, "%s's timeline continues %s's", s.Path, prev.Path)
		}
	}
	return probes
}

// queued is how many units wait for the writer.
func (r *Recorder) queued() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queue)
}
