package vision

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/test/videotest"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

// Frames from the simulated camera decode over RTSP with either transport, and each carries
// the capture time the camera stamped into its picture (within 50 ms; the sender reports
// make it exact to the millisecond).
func TestStreamPlaysWithCaptureTimes(t *testing.T) {
	for _, transport := range []string{"udp", "tcp"} {
		t.Run(transport, func(t *testing.T) {
			cam := videotest.StartCamera(t, videotest.Options{})
			s := &Stream{URL: cam.URL, Transport: transport}
			require.NoError(t, s.Initialize())
			defer s.Close()
			sub := s.Subscribe()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for checked := 0; checked < 20; {
				f, err := sub.Next(ctx)
				require.NoError(t, err, "health: %+v", s.Health())
				if !f.CapturedFromSender {
					continue // dated by arrival until the first sender report
				}
				checked++
				truth, ok := synthcam.ReadTimecode(f.Image)
				require.True(t, ok, "frame %d carries a readable timecode", f.Seq)
				require.InDelta(t, 0, f.Captured.Sub(truth).Seconds(), 0.05, "frame %d capture time", f.Seq)
				require.False(t, f.Decoded.Before(f.Arrived))
			}
			h := s.Health()
			require.Equal(t, StatePlaying, h.State)
			require.Equal(t, "H.264", h.Codec)
			require.Equal(t, map[string]string{"udp": "UDP", "tcp": "TCP"}[transport], h.Transport)
			require.Equal(t, 640, h.Width)
			require.Positive(t, h.LatencyP95, "latency is measured (its figure is a benchmark's business)")
		})
	}
}

func TestLatestDropsWhatASlowConsumerMissed(t *testing.T) {
	l := NewLatest()
	for i := range 5 {
		l.Put(&Frame{Seq: uint64(i + 1)})
	}
	f, err := l.Next(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 5, f.Seq, "the consumer gets the newest frame")
	require.EqualValues(t, 4, l.Dropped())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = l.Next(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded, "no frame is handed out twice")
}
