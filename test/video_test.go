package test

import (
	"context"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/vision"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

// The simulator's camera, as an operator meets it: the vehicle announces its stream in
// VIDEO_STREAM_INFORMATION, the station plays it over RTSP (UDP and TCP), every frame's
// capture time matches the instant the simulator rendered (stamped into the picture), and
// the picture follows the gimbal.
func TestSimulatedCameraStreamsToTheStation(t *testing.T) {
	t.Parallel()
	port, rtspPort := freePort(t), freePort(t)
	sim := exec.Command(vigilBinary, "sim", "--copter", "1", "--mavlink", fmt.Sprintf("tcpin://127.0.0.1:%d", port),
		"--camera", fmt.Sprintf("rtsp://127.0.0.1:%d/cam1", rtspPort), "--timecode", "--targets", "8")
	require.NoError(t, sim.Start())
	t.Cleanup(func() { sim.Process.Kill(); sim.Wait() }) //nolint:errcheck

	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	var uri string
	eventually(t, 10*time.Second, "the vehicle announces its video stream", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		if v.Camera != nil {
			uri = v.Camera.VideoURI
		}
		return uri != "", fmt.Sprintf("%+v", v.Camera)
	})
	require.Equal(t, fmt.Sprintf("rtsp://127.0.0.1:%d/cam1", rtspPort), uri)

	for _, transport := range []string{"udp", "tcp"} {
		s := &vision.Stream{URL: uri, Transport: transport}
		require.NoError(t, s.Initialize())
		sub := s.Subscribe()
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		for checked := 0; checked < 15; {
			f, err := sub.Next(ctx)
			require.NoError(t, err, "%s: %+v", transport, s.Health())
			if !f.CapturedFromSender {
				continue
			}
			truth, ok := synthcam.ReadTimecode(f.Image)
			require.True(t, ok, "frame %d has its timecode", f.Seq)
			require.InDelta(t, 0, f.Captured.Sub(truth).Seconds(), 0.05, "%s frame %d: capture time within 50 ms", transport, f.Seq)
			require.Equal(t, 1280, f.Image.Rect.Dx())
			checked++
		}
		h := s.Health()
		require.Equal(t, vision.StatePlaying, h.State)
		require.Equal(t, map[string]string{"udp": "UDP", "tcp": "TCP"}[transport], h.Transport)
		cancel()
		s.Close()
	}

	// The command line finds the stream from the vehicle, the settings file first.
	code, out := vigil(t, "video", "probe", "--connect", fmt.Sprintf("tcp://127.0.0.1:%d", port), "--for", "2s",
		"--settings", filepath.Join(t.TempDir(), "none.json"))
	require.Equal(t, 0, code, out)
	require.Contains(t, out, uri)
	settings := filepath.Join(t.TempDir(), "settings.json")
	require.NoError(t, os.WriteFile(settings, []byte(fmt.Sprintf(`{"video": {"1": "rtsp://localhost:%d/cam1"}}`, rtspPort)), 0o600))
	code, out = vigil(t, "video", "probe", "--connect", fmt.Sprintf("tcp://127.0.0.1:%d", port), "--for", "2s", "--settings", settings)
	require.Equal(t, 0, code, out)
	require.Contains(t, out, fmt.Sprintf("rtsp://localhost:%d/cam1", rtspPort), "the settings' URL wins over the announced one")
	snap := filepath.Join(t.TempDir(), "snap.jpg")
	code, out = vigil(t, "video", "snapshot", uri, snap)
	require.Equal(t, 0, code, out)
	jf, err := os.Open(snap)
	require.NoError(t, err)
	cfg, err := jpeg.DecodeConfig(jf)
	jf.Close()
	require.NoError(t, err)
	require.Equal(t, 1280, cfg.Width)

	// Level the gimbal: the top of the picture becomes sky.
	s := &vision.Stream{URL: uri}
	require.NoError(t, s.Initialize())
	defer s.Close()
	sub := s.Subscribe()
	_, err = c.PointGimbal(ctxT(t, 5*time.Second), 1, 0, 0, false)
	require.NoError(t, err)
	eventually(t, 10*time.Second, "the sky fills the top of the picture", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		f, err := sub.Next(ctx)
		if err != nil {
			return false, err.Error()
		}
		y := f.Image.Y[100*f.Image.YStride+640]
		return y > 180, fmt.Sprintf("luma %d at the top centre", y)
	})
}
