package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/test/videotest"
)

// An operator records a camera whose URL holds a password: segments land in the
// directory, each closed segment is reported, the password is never printed.
func TestVideoRecord(t *testing.T) {
	cam := videotest.StartCamera(t, videotest.Options{Width: 320, Height: 180, FPS: 15})
	url := strings.Replace(cam.URL, "rtsp://", "rtsp://pilot:s3cret@", 1)
	dir := t.TempDir()
	var out bytes.Buffer
	err := recordVideo(context.Background(), []string{url, "--out", dir, "--segment", "1s", "--for", "3s", "--transport", "tcp"}, &out)
	require.NoError(t, err, out.String())
	text := out.String()
	t.Log("\n" + text)
	require.NotContains(t, text, "s3cret")
	require.Contains(t, text, "recording rtsp://pilot:***@127.0.0.1:")
	require.Contains(t, text, "stream playing: H.264 320×180 over TCP")
	closed := strings.Count(text, "segment closed: cam1_")
	require.GreaterOrEqual(t, closed, 2, text)
	require.Contains(t, text, fmt.Sprintf("%d segments, ", closed))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, closed)
	for _, e := range entries {
		require.True(t, strings.HasPrefix(e.Name(), "cam1_") && strings.HasSuffix(e.Name(), ".ts"), e.Name())
	}
}

// Mistakes on the command line get one sentence and exit status 2.
func TestVideoRecordUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no URL", []string{"--out", "x"}, "needs one stream URL"},
		{"no directory", []string{"rtsp://h/cam1"}, "--out DIR"},
		{"short segment", []string{"rtsp://h/cam1", "--out", "x", "--segment", "100ms"}, "--segment 100ms: want 1s to 1h"},
		{"negative retention", []string{"rtsp://h/cam1", "--out", "x", "--retain-gb", "-1"}, "cannot be negative"},
		{"bad scheme, password hidden", []string{"http://u:s3cret@h/cam1", "--out", t.TempDir()}, "http://u:***@h/cam1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := recordVideo(context.Background(), c.args, &bytes.Buffer{})
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
			require.NotContains(t, err.Error(), "s3cret")
			var ee *exitError
			require.ErrorAs(t, err, &ee)
			require.Equal(t, 2, ee.code)
		})
	}
}

func TestStreamName(t *testing.T) {
	for in, want := range map[string]string{
		"rtsp://h:8554/cam1":        "cam1",
		"rtsp://u:p@h/live/front/":  "front",
		"rtsp://h/stream?ch=1":      "stream",
		"rtsp://h/Cam 2.sdp":        "Cam_2_sdp",
		"udp://:5600":               "video",
		"rtsp://h":                  "video",
		"rtsp://[bad":               "video",
		"rtsp://h/../../etc/passwd": "passwd",
	} {
		require.Equal(t, want, streamName(in), in)
	}
}
