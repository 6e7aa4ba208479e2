package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/vision"
)

// videoSourceFlags choose a stream: a URL on the command line, or a vehicle whose stream is
// the one in the settings file or, failing that, the one it announces over MAVLink.
type videoSourceFlags struct {
	link     linkFlags
	settings string
}

func (v *videoSourceFlags) register(fs *flag.FlagSet) {
	v.link.register(fs)
	fs.StringVar(&v.settings, "settings", gcs.DefaultSettingsPath(), "settings file with per-vehicle video URLs")
}

// resolve returns the stream URL and the latency to assume for it: the positional URL when
// there is one, else the vehicle's.
func (v *videoSourceFlags) resolve(ctx context.Context, pos []string) (string, time.Duration, error) {
	settings, err := gcs.LoadSettings(v.settings)
	if err != nil {
		return "", 0, err
	}
	latency := time.Duration(settings.VideoLatencyMs) * time.Millisecond
	if len(pos) > 0 && strings.Contains(pos[0], "://") {
		return pos[0], latency, nil
	}
	if len(v.link.conns) == 0 {
		return "", 0, usageErrorf("give a stream URL, or --connect to a vehicle that announces one")
	}
	c, sysID, err := v.link.openClient(ctx)
	if err != nil {
		return "", 0, err
	}
	defer c.Close()
	deadline := time.Now().Add(v.link.wait)
	for {
		veh, _ := c.Fleet.Vehicle(sysID)
		if u := settings.VideoURL(veh); u != "" {
			return u, latency, nil
		}
		if time.Now().After(deadline) {
			return "", 0, fmt.Errorf("vehicle %d announced no video stream in %v, and %s has none for it", sysID, v.link.wait, v.settings)
		}
		select {
		case <-ctx.Done():
			return "", 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// runVideoSnapshot saves the stream's next picture as a JPEG.
func runVideoSnapshot(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("video snapshot", flag.ContinueOnError)
	var src videoSourceFlags
	src.register(fs)
	timeout := fs.Duration("timeout", 15*time.Second, "how long to wait for a picture")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || strings.Contains(pos[len(pos)-1], "://") {
		return usageErrorf("video snapshot: want [URL] OUT.jpg")
	}
	out := pos[len(pos)-1]
	url, latency, err := src.resolve(ctx, pos[:len(pos)-1])
	if err != nil {
		return err
	}
	s := &vision.Stream{URL: url, Latency: latency}
	if err := s.Initialize(); err != nil {
		return usageErrorf("%v", err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	f, err := s.Subscribe().Next(ctx)
	if err != nil {
		h := s.Health()
		return fmt.Errorf("%s: no picture in %v: %s", h.URL, *timeout, h.Reason)
	}
	if err := vision.SaveSnapshot(out, f); err != nil {
		return err
	}
	fmt.Printf("%s: %dx%d picture captured %s saved to %s\n", vision.Redact(url), f.Image.Rect.Dx(), f.Image.Rect.Dy(),
		f.Captured.UTC().Format(time.RFC3339Nano), out)
	return nil
}
