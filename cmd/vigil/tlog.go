package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/vigil-gcs/vigil/mavlink"
)

func runTlog(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("tlog", flag.ContinueOnError)
	var conns connections
	fs.Var(&conns, "connect", "record: link(s) to listen on")
	var out connections
	fs.Var(&out, "mavlink", "replay: where to serve the recorded vehicle, e.g. udpout://127.0.0.1:14550")
	duration := fs.Duration("duration", 0, "record: stop after this long (default: until Ctrl-C)")
	speed := fs.Float64("speed", 1, "replay: playback speed")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "record" && pos[0] != "replay") {
		return usageErrorf("tlog needs record FILE --connect URL, or replay FILE --mavlink URL")
	}
	switch pos[0] {
	case "record":
		if len(conns) == 0 {
			return usageErrorf("tlog record needs --connect URL")
		}
		if *duration > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, *duration)
			defer cancel()
		}
		n, err := mavlink.RecordTlog(ctx, pos[1], conns)
		fmt.Printf("recorded %d frames to %s\n", n, pos[1])
		return err
	default:
		if len(out) == 0 {
			return usageErrorf("tlog replay needs --mavlink URL (e.g. udpout://127.0.0.1:14550)")
		}
		if *speed <= 0 {
			return usageErrorf("--speed must be positive")
		}
		n, err := mavlink.ReplayTlog(ctx, pos[1], endpointsOf(out), *speed)
		fmt.Printf("replayed %d frames from %s\n", n, pos[1])
		return err
	}
}
