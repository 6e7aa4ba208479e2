package main

import (
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/test/videotest"
	"github.com/vigil-gcs/vigil/ui"
	"github.com/vigil-gcs/vigil/vision"
	"github.com/vigil-gcs/vigil/vision/detect"
	"github.com/vigil-gcs/vigil/vision/track"
)

// The video panel's feed on a real stream: the simulated camera's pictures arrive, the
// health says playing, a snapshot is a JPEG of
// the picture, and the record toggle writes a segment that is there once stopped. A reader
// on another goroutine (the panel) reads pictures and boxes while the pipeline works.
func TestCameraRunnersFeed(t *testing.T) {
	cam := videotest.StartCamera(t, videotest.Options{Width: 640, Height: 360, FPS: 15})
	dir := t.TempDir()
	fleet := &gcs.Fleet{}
	fleet.Update(1, func(v *gcs.Vehicle) { v.Connected = true }) // the runner starts once the vehicle is heard
	c := &cameraRunners{
		station: &gcs.Station{Fleet: fleet}, detectors: "motion", motionHeight: 180,
		snapshots: filepath.Join(dir, "rec_snapshots"), videoDir: filepath.Join(dir, "rec_video"),
	}
	t.Cleanup(c.close)
	require.NoError(t, c.ensure(1, cam.URL))
	require.Equal(t, []uint8{1}, c.Streams())

	// The panel's goroutine: reads every picture's pixels and boxes as they come.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Add(1)
	go func() {
		defer readers.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if f, ok := c.Latest(1); ok {
				sum := 0
				img := f.Image.(*image.YCbCr)
				for _, y := range img.Y {
					sum += int(y)
				}
				for _, b := range f.Boxes {
					sum += b.Rect.Dx()
				}
				_ = sum
			}
		}
	}()
	t.Cleanup(func() { close(stop); readers.Wait() })

	var f ui.VideoFrame
	require.Eventually(t, func() bool {
		var ok bool
		f, ok = c.Latest(1)
		return ok
	}, 15*time.Second, 20*time.Millisecond, "the first picture")
	require.Equal(t, image.Rect(0, 0, 640, 360), f.Image.Bounds())
	require.Eventually(t, func() bool { n, _ := c.Latest(1); return n.Seq > f.Seq && n.Captured.After(f.Captured) }, 5*time.Second, 20*time.Millisecond,
		"newer pictures")

	var h ui.VideoHealth
	require.Eventually(t, func() bool { h, _ = c.Health(1); return h.FPS > 0 }, 5*time.Second, 50*time.Millisecond, "a frame rate after a second")
	require.Equal(t, "playing", h.State)
	require.Equal(t, 640, h.Width)

	path, err := c.Snapshot(1)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(filepath.Base(path), "cam1_") && strings.HasSuffix(path, "Z.jpg"), path)
	require.Equal(t, filepath.Join(dir, "rec_snapshots"), filepath.Dir(path))
	jf, err := os.Open(path)
	require.NoError(t, err)
	pic, err := jpeg.Decode(jf)
	jf.Close()
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, 640, 360), pic.Bounds())

	require.False(t, c.Recording(1).On)
	require.NoError(t, c.SetRecording(1, true))
	require.True(t, c.Recording(1).On)
	var segment string
	require.Eventually(t, func() bool { segment = c.Recording(1).Segment; return segment != "" }, 10*time.Second, 50*time.Millisecond,
		"the segment being written, from the first keyframe")
	require.Equal(t, filepath.Join(dir, "rec_video"), filepath.Dir(segment))
	require.True(t, strings.HasPrefix(filepath.Base(segment), "cam1_"), segment)
	time.Sleep(500 * time.Millisecond)
	require.NoError(t, c.SetRecording(1, false))
	require.Equal(t, ui.RecordingState{}, c.Recording(1))
	fi, err := os.Stat(segment)
	require.NoError(t, err, "the segment is closed under its name")
	require.Greater(t, fi.Size(), int64(1000))
}

// A vehicle without a stream: the feed says so.
func TestCameraRunnersNoStream(t *testing.T) {
	c := &cameraRunners{station: &gcs.Station{Fleet: &gcs.Fleet{}}}
	_, ok := c.Latest(9)
	require.False(t, ok)
	_, ok = c.Health(9)
	require.False(t, ok)
	_, err := c.Snapshot(9)
	require.EqualError(t, err, "vehicle 9 has no video stream")
	require.EqualError(t, c.SetRecording(9, true), "vehicle 9 has no video stream")
	require.Equal(t, ui.RecordingState{}, c.Recording(9))
	require.Empty(t, c.Streams())
}

// The screen gets the confirmed tracks of the newest result, only on pictures of their size,
// and never those of an older frame the pipeline skipped.
func TestLatestBoxes(t *testing.T) {
	at := time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC)
	frame := func(w, h int, dt time.Duration) *vision.Frame {
		return &vision.Frame{Image: image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420), Captured: at.Add(dt)}
	}
	tr := func(id uint64, s track.State) track.TrackUpdate {
		return track.TrackUpdate{ID: id, State: s, Class: "person", Score: 0.8, Box: track.Box{Min: track.Vec{X: 10, Y: 20}, Max: track.Vec{X: 30, Y: 60}}}
	}
	var l latestBoxes
	require.Empty(t, l.get(640, 360))
	l.put(detect.Result{Frame: frame(640, 360, 0), Tracks: []track.TrackUpdate{
		tr(1, track.StateTracked), tr(2, track.StateLost), tr(3, track.StateTentative), tr(4, track.StateRemoved),
	}})
	want := []ui.VideoBox{
		{Rect: image.Rect(10, 20, 30, 60), TrackID: 1, Class: "person", Score: 0.8},
		{Rect: image.Rect(10, 20, 30, 60), TrackID: 2, Class: "person", Score: 0.8, Lost: true},
	}
	require.Equal(t, want, l.get(640, 360), "tracked and coasting; not tentative nor removed")
	require.Empty(t, l.get(1280, 720), "not on a picture of another size")
	l.put(detect.Result{Frame: frame(640, 360, -time.Second)})
	require.Equal(t, want, l.get(640, 360), "a skipped older frame changes nothing")
	l.put(detect.Result{Frame: frame(640, 360, time.Second)})
	require.Empty(t, l.get(640, 360), "a newer frame without tracks clears them")
	l.put(detect.Result{})
	require.Empty(t, l.get(640, 360))
}
