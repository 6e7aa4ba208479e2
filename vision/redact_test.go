package vision

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"rtsp://admin:s3cret@10.0.0.5:554/stream1", "rtsp://admin:***@10.0.0.5:554/stream1"},
		{"rtsp://10.0.0.5/live", "rtsp://10.0.0.5/live"},
		{"rtsp://viewer@cam/live", "rtsp://viewer@cam/live"},
		{"rtsp://a:p%40ss@cam/x?y=1", "rtsp://a:***@cam/x?y=1"},
		{"rtsp://u:bad pass%zz@cam/x", "rtsp://***@cam/x"},
		{"udp://:5600", "udp://:5600"},
	} {
		got := Redact(c.in)
		require.Equal(t, c.want, got, c.in)
		require.NotContains(t, got, "s3cret")
	}
}
