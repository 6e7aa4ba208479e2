package vision

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-gcs/vigil/test/videotest"
)

// latencyWindowBench is how long each iteration of BenchmarkLatency720p30 watches the stream.
const latencyWindowBench = 5 * time.Second

// BenchmarkLatency720p30 measures capture-to-decoded latency at 1280×720, 30 fps, over
// loopback RTSP with each transport: the simulated camera stamps each frame with the instant
// it starts rendering it and sends RTCP sender reports, so a frame's latency is rendering,
// encoding, packetizing, the network, depacketizing and decoding. The goal (issue 4) is a
// p95 under 100 ms. Each iteration watches 5 s of video; run it with -benchtime 1x.
func BenchmarkLatency720p30(b *testing.B) {
	for _, transport := range []string{"udp", "tcp"} {
		b.Run(transport, func(b *testing.B) {
			cam := videotest.StartCamera(b, videotest.Options{Width: 1280, Height: 720, FPS: 30})
			s := &Stream{URL: cam.URL, Transport: transport}
			if err := s.Initialize(); err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			sub := s.Subscribe()
			next := func(within time.Duration) *Frame {
				ctx, cancel := context.WithTimeout(context.Background(), within)
				defer cancel()
				f, err := sub.Next(ctx)
				if err != nil {
					b.Fatalf("no frame: %v; health %+v", err, s.Health())
				}
				return f
			}
			for f := next(10 * time.Second); !f.CapturedFromSender; f = next(5 * time.Second) {
				// warming up until the first sender report dates the frames
			}

			b.ResetTimer()
			var total, transit, decode []time.Duration
			frames := 0
			for range b.N {
				for end := time.Now().Add(latencyWindowBench); time.Now().Before(end); {
					f := next(5 * time.Second)
					frames++
					total = append(total, f.Latency())
					transit = append(transit, f.Arrived.Sub(f.Captured))
					decode = append(decode, f.Decoded.Sub(f.Arrived))
				}
			}
			b.StopTimer()
			h := s.Health()
			b.ReportMetric(percentileMs(total, 50), "p50-ms")
			b.ReportMetric(percentileMs(total, 95), "p95-ms")
			b.ReportMetric(percentileMs(transit, 95), "capture-to-arrival-p95-ms")
			b.ReportMetric(percentileMs(decode, 95), "decode-p95-ms")
			b.ReportMetric(float64(frames)/(float64(b.N)*latencyWindowBench.Seconds()), "frames/s")
			b.ReportMetric(float64(h.LatencyP95)/1e6, "health-p95-ms")
			_, perFrame := cam.Cam.Stats()
			b.ReportMetric(float64(perFrame)/1e6, "camera-ms/frame")
			if load, ok := loadAverage(); ok {
				b.ReportMetric(load, "loadavg") // the figures mean little on a busy machine
			}
		})
	}
}

// loadAverage is the machine's one-minute load average (Linux).
func loadAverage() (float64, bool) {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0, false
	}
	load, err := strconv.ParseFloat(fields[0], 64)
	return load, err == nil
}

// percentileMs is the p-th percentile of ds in milliseconds.
func percentileMs(ds []time.Duration, p int) float64 {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	return float64(sorted[min(len(sorted)-1, len(sorted)*p/100)]) / 1e6
}
