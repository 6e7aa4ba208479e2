package vision

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestVideoFileReadsFramesWithTimes(t *testing.T) {
	const vtest = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
	if _, err := os.Stat(vtest); err != nil {
		t.Skip("opencv-doc is not installed: run make deps")
	}
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	f, err := OpenVideoFile(vtest, start)
	require.NoError(t, err)
	defer f.Close()
	require.InDelta(t, 10, f.FPS(), 0.5)
	var last *Frame
	for range 20 {
		fr, err := f.Next()
		require.NoError(t, err)
		require.Equal(t, 768, fr.Image.Rect.Dx())
		last = fr
	}
	require.InDelta(t, 2.0, last.Captured.Sub(start).Seconds(), 0.15, "frame 20 at 10 fps is 2 s in")
}

// A file cut off mid-way (a crash while recording, an interrupted copy) reads up to where
// it stops and then says so, rather than pretending the clip ended.
func TestVideoFileThatEndsEarly(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg is not installed: run make deps")
	}
	dir := t.TempDir()
	full := filepath.Join(dir, "full.avi")
	out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=4",
		"-c:v", "mjpeg", "-q:v", "5", full).CombinedOutput()
	require.NoError(t, err, string(out))
	data, err := os.ReadFile(full)
	require.NoError(t, err)
	cut := filepath.Join(dir, "cut.avi")
	require.NoError(t, os.WriteFile(cut, data[:len(data)/2], 0o600))

	f, err := OpenVideoFile(cut, time.Now())
	require.NoError(t, err)
	defer f.Close()
	n := 0
	for {
		_, err = f.Next()
		if err != nil {
			break
		}
		n++
	}
	require.Positive(t, n)
	// An AVI declares its frame count in its header, which the cut kept.
	require.ErrorIs(t, err, ErrEndedEarly)
	require.False(t, errors.Is(err, io.EOF))
	require.Contains(t, err.Error(), "of the 100 frames it declares")

	_, err = OpenVideoFile(filepath.Join(dir, "none.avi"), time.Now())
	require.ErrorIs(t, err, os.ErrNotExist)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "text.avi"), []byte("not a video"), 0o600))
	_, err = OpenVideoFile(filepath.Join(dir, "text.avi"), time.Now())
	require.ErrorContains(t, err, "not a video this build can read")
}
