package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/vigil-gcs/vigil/vision"
)

// videoCommands are the `vigil video` subcommands.
var videoCommands = map[string]func(ctx context.Context, args []string) error{
	"probe":    runVideoProbe,
	"record":   runVideoRecord,
	"snapshot": runVideoSnapshot,
}

func runVideo(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageErrorf("video: want probe, record or snapshot")
	}
	run, ok := videoCommands[args[0]]
	if !ok {
		return usageErrorf("video: unknown subcommand %q (want probe, record or snapshot)", args[0])
	}
	return run(ctx, args[1:])
}

// probeReport is `vigil video probe --json`'s output.
type probeReport struct {
	URL           string  `json:"url"`
	State         string  `json:"state"`
	Reason        string  `json:"reason,omitempty"`
	Codec         string  `json:"codec"`
	Width         int     `json:"width"`
	Height        int     `json:"height"`
	Transport     string  `json:"transport"`
	FPS           float64 `json:"fps"`
	BitrateKbps   float64 `json:"bitrate_kbps"`
	Frames        uint64  `json:"frames"`
	Corrupt       uint64  `json:"corrupt"`
	Dropped       uint64  `json:"dropped"`
	PacketsLost   uint64  `json:"packets_lost"`
	LatencyP50Ms  float64 `json:"latency_p50_ms"`
	LatencyP95Ms  float64 `json:"latency_p95_ms"`
	CaptureSource string  `json:"capture_time_source"`
}

func runVideoProbe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("video probe", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object")
	dur := fs.Duration("for", 5*time.Second, "how long to watch the stream")
	transport := fs.String("transport", "", "force udp or tcp (default: UDP, falling back to TCP)")
	latency := fs.Duration("latency", 0, "assumed capture-to-arrival latency when the source sends no RTCP sender reports (default: the settings', else 100ms)")
	var src videoSourceFlags
	src.register(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageErrorf("video probe: want one URL (or --connect to a vehicle)")
	}
	url, settingsLatency, err := src.resolve(ctx, pos)
	if err != nil {
		return err
	}
	if *latency == 0 {
		*latency = settingsLatency
	}
	s := &vision.Stream{URL: url, Transport: *transport, Latency: *latency}
	if err := s.Initialize(); err != nil {
		return usageErrorf("%v", err)
	}
	defer s.Close()
	sub := s.Subscribe()
	// Take frames as a consumer would, so dropped counts mean something.
	go func() {
		for {
			if _, err := sub.Next(ctx); err != nil {
				return
			}
		}
	}()
	deadline := time.NewTimer(*dur)
	defer deadline.Stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-deadline.C:
			done = true
		case <-tick.C:
			h := s.Health()
			if h.State == vision.StateFailed {
				done = true
			} else if !*asJSON {
				fmt.Fprintf(os.Stderr, "%s: %s %s\n", h.URL, h.State, h.Reason)
			}
		}
	}
	h := s.Health()
	if h.FramesDecoded == 0 {
		reason := h.Reason
		if reason == "" {
			reason = fmt.Sprintf("no picture in %v", *dur)
		}
		return fmt.Errorf("%s: %s", h.URL, reason)
	}
	rep := probeReport{
		URL: h.URL, State: h.State.String(), Reason: h.Reason, Codec: h.Codec, Width: h.Width, Height: h.Height,
		Transport: h.Transport, FPS: h.FPSDecoded, BitrateKbps: h.BitrateKbps, Frames: h.FramesDecoded,
		Corrupt: h.FramesCorrupt, Dropped: h.FramesDropped, PacketsLost: h.PacketsLost,
		LatencyP50Ms: float64(h.LatencyP50.Microseconds()) / 1000, LatencyP95Ms: float64(h.LatencyP95.Microseconds()) / 1000,
		CaptureSource: "arrival minus configured latency",
	}
	if h.CaptureFromSender {
		rep.CaptureSource = "RTCP sender reports"
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		fmt.Printf("%s\n  %s %dx%d over %s, %.1f fps, %.0f kbit/s\n  frames %d, corrupt %d, dropped %d, packets lost %d\n  capture-to-decoded latency p50 %.1f ms, p95 %.1f ms (capture times from %s)\n",
			rep.URL, rep.Codec, rep.Width, rep.Height, rep.Transport, rep.FPS, rep.BitrateKbps,
			rep.Frames, rep.Corrupt, rep.Dropped, rep.PacketsLost, rep.LatencyP50Ms, rep.LatencyP95Ms, rep.CaptureSource)
	}
	return nil
}
