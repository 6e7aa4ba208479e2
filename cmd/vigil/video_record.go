package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/vigil-gcs/vigil/vision"
)

// runVideoRecord is "vigil video record URL --out DIR": it records a camera's stream to
// MPEG-TS segments without re-encoding until --for has passed or it is interrupted.
func runVideoRecord(ctx context.Context, args []string) error {
	return recordVideo(ctx, args, os.Stdout)
}

func recordVideo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("video record", flag.ContinueOnError)
	dir := fs.String("out", "", "directory for the segments (created if missing; required)")
	segment := fs.Duration("segment", 60*time.Second, "segment length, 1s to 1h (each starts on a keyframe)")
	forDur := fs.Duration("for", 0, "stop after this long (default: until interrupted)")
	retainGB := fs.Float64("retain-gb", 0, "keep at most this many GB of this stream's segments, deleting the oldest (0: no limit)")
	retainDays := fs.Float64("retain-days", 0, "delete this stream's segments older than this many days (0: keep)")
	name := fs.String("name", "", "stream name at the start of segment file names (default: the URL's last path element)")
	transport := fs.String("transport", "", "RTSP transport, udp or tcp (default: UDP, falling back to TCP)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("video record needs one stream URL, e.g. vigil video record rtsp://192.168.1.10:8554/cam1 --out DIR")
	}
	if *dir == "" {
		return usageErrorf("video record: say where the segments go with --out DIR")
	}
	if *forDur < 0 || *retainGB < 0 || *retainDays < 0 {
		return usageErrorf("video record: --for, --retain-gb and --retain-days cannot be negative")
	}
	if *segment < time.Second || *segment > time.Hour {
		return usageErrorf("video record: --segment %v: want 1s to 1h", *segment)
	}
	src := pos[0]
	if *name == "" {
		*name = streamName(src)
	}

	out := &syncWriter{w: stdout}
	rec := &vision.Recorder{
		Dir: *dir, Name: *name, SegmentDuration: *segment,
		RetainBytes: int64(*retainGB * 1e9), RetainAge: time.Duration(*retainDays * 24 * float64(time.Hour)),
		OnSegment: func(s vision.Segment) {
			if s.Recovered {
				out.printf("segment recovered from an interrupted recording: %s  %s\n", filepath.Base(s.Path), megabytes(s.Size))
				return
			}
			out.printf("segment closed: %s  %.1f s  %s\n", filepath.Base(s.Path), s.Duration.Seconds(), megabytes(s.Size))
		},
		OnRemove: func(p string) { out.printf("segment deleted (retention): %s\n", filepath.Base(p)) },
		OnError:  func(err error) { out.printf("recording: %v\n", err) },
	}
	if err := rec.Initialize(); err != nil {
		return err
	}
	defer rec.Close()
	s := &vision.Stream{URL: src, Transport: *transport, OnAccessUnit: rec.WriteAccessUnit}
	if err := s.Initialize(); err != nil {
		return usageErrorf("%v", err)
	}
	defer s.Close() // before rec.Close: nothing comes in while the last segment closes

	until := "until interrupted"
	if *forDur > 0 {
		until = "for " + forDur.String()
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *forDur)
		defer cancel()
	}
	out.printf("recording %s to %s in %v segments, %s\n", vision.Redact(src), *dir, *segment, until)

	err = watchRecording(ctx, s, out)
	s.Close()
	rec.Close()
	st := rec.Stats()
	out.printf("%d segments, %s written", st.Segments, megabytes(st.Bytes))
	if st.Dropped > 0 {
		out.printf(", %d pictures lost to a slow disk", st.Dropped)
	}
	out.printf("\n")
	return err
}

// watchRecording reports the stream's state as it changes, until ctx ends (nil) or the
// stream fails for good.
func watchRecording(ctx context.Context, s *vision.Stream, out *syncWriter) error {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var last vision.Health
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		h := s.Health()
		if h.State == last.State && h.Reason == last.Reason {
			continue
		}
		last = h
		switch h.State {
		case vision.StatePlaying:
			out.printf("stream playing: %s %d×%d over %s\n", h.Codec, h.Width, h.Height, h.Transport)
		case vision.StateFailed:
			return fmt.Errorf("%s: %s", h.URL, h.Reason)
		default:
			if h.Reason != "" {
				out.printf("stream %v: %s\n", h.State, h.Reason)
			} else {
				out.printf("stream %v\n", h.State)
			}
		}
	}
}

// streamName names a stream's segments after the last element of its URL's path
// (rtsp://host/live/cam1 → cam1), keeping only characters safe in file names.
func streamName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "video"
	}
	base := path.Base(strings.TrimSuffix(u.Path, "/"))
	safe := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			return c
		}
		return '_'
	}, base)
	if strings.Trim(safe, "_") == "" {
		return "video"
	}
	return safe
}

// megabytes writes a size as an operator reads it: kB, MB or GB.
func megabytes(n int64) string {
	switch {
	case n < 1e6:
		return fmt.Sprintf("%.0f kB", float64(n)/1e3)
	case n < 1e9:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}

// syncWriter serializes the lines of the recorder's goroutine and the watcher.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) printf(format string, a ...any) {
	s.mu.Lock()
	fmt.Fprintf(s.w, format, a...)
	s.mu.Unlock()
}
