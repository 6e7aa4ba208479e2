package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gocv.io/x/gocv"

	"github.com/vigil-gcs/vigil/vision"
	"github.com/vigil-gcs/vigil/vision/detect"
	"github.com/vigil-gcs/vigil/vision/track"
)

// trackLine is one line of `vigil detect --json`.
type trackLine struct {
	Time  time.Time `json:"time"`
	Track uint64    `json:"track"`
	State string    `json:"state"`
	Class string    `json:"class"`
	Score float64   `json:"score"`
	Box   [4]int    `json:"box"` // x0, y0, x1, y1 in pixels
}

func runDetect(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	detectors := fs.String("detectors", "motion", "comma-separated: motion, people, anomaly, cascade:fullbody|upperbody|face, onnx:MODEL.onnx (motion always runs)")
	labels := fs.String("labels", "", "class names of the ONNX model, one per line")
	inputSize := fs.Int("input-size", 640, "the ONNX model's square input size")
	asJSON := fs.Bool("json", false, "print one JSON object per track update, then the summary as JSON")
	out := fs.String("out", "", "write the annotated video here (.mp4 or .avi)")
	maskPath := fs.String("mask", "", "watch mask image: black pixels are ignored")
	dur := fs.Duration("for", 0, "stop after this long (default: the whole file; a stream runs until Ctrl-C)")
	rate := fs.Float64("rate", 5, "how many times per second of video the named detectors run")
	minSize := fs.Int("min-size", 6, "ignore objects whose smaller side is shorter than this, in pixels")
	motionThreshold := fs.Float64("motion-threshold", 16, "grey-level change that counts as motion (lower: more sensitive)")
	minScore := fs.Float64("min-score", 0, "drop detections scoring below this, 0..1 (default: each detector's own)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("detect: want one FILE or URL")
	}
	cfg, models, err := detectConfig(ctx, *detectors, *labels, *inputSize)
	if err != nil {
		return err
	}
	for _, m := range models {
		defer m.Close()
	}
	cfg.HeavyFPS, cfg.MinSizePx = *rate, *minSize
	cfg.Motion.Threshold = float32(*motionThreshold)
	if *minScore > 0 {
		if cfg.People != nil {
			cfg.People.MinScore = *minScore
		}
		for _, m := range models {
			m.Config.MinScore = *minScore
		}
	}
	if *maskPath != "" {
		if cfg.Mask, err = detect.LoadMask(*maskPath); err != nil {
			return err
		}
	}
	detect.SetOpenCVThreads(1) // one stream, one core (see the benchmarks)
	p := &detect.Pipeline{Config: cfg}
	if err := p.Initialize(); err != nil {
		return err
	}
	defer p.Close()

	if *dur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *dur)
		defer cancel()
	}
	var writer *annotatedWriter
	if *out != "" {
		writer = &annotatedWriter{path: *out}
		defer writer.close()
	}
	emit := func(res detect.Result) {
		for _, err := range res.Errors {
			fmt.Fprintln(os.Stderr, "vigil:", err)
		}
		for _, tr := range res.Tracks {
			if tr.State == track.StateTentative {
				continue
			}
			r := tr.Box.Rect()
			line := trackLine{Time: res.Frame.Captured.UTC(), Track: tr.ID, State: tr.State.String(), Class: tr.Class,
				Score: tr.Score, Box: [4]int{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y}}
			if *asJSON {
				b, _ := json.Marshal(line)
				fmt.Println(string(b))
			} else if tr.State != track.StateLost {
				fmt.Printf("%s  track %-4d %-8s %-8s %.2f  %v\n", line.Time.Format("15:04:05.000"), line.Track, line.State, line.Class, line.Score, r)
			}
		}
		if writer != nil {
			writer.write(res)
		}
	}

	src := pos[0]
	if strings.Contains(src, "://") {
		err = detectStream(ctx, src, p, emit)
	} else {
		err = detectFile(ctx, src, p, emit)
	}
	printDetectSummary(p.Metrics(), *asJSON)
	if writer != nil && writer.err != nil {
		return writer.err
	}
	return err
}

// detectConfig turns --detectors into a pipeline configuration, loading ONNX models (checked
// in a child process first: a model OpenCV cannot import is a message, not a crash).
func detectConfig(ctx context.Context, list, labelsPath string, inputSize int) (detect.PipelineConfig, []*detect.Model, error) {
	var cfg detect.PipelineConfig
	var models []*detect.Model
	for _, d := range strings.Split(list, ",") {
		d = strings.TrimSpace(d)
		switch {
		case d == "motion" || d == "":
		case d == "people":
			cfg.People = &detect.PeopleConfig{}
		case d == "anomaly":
			cfg.Anomaly = &detect.AnomalyConfig{}
		case strings.HasPrefix(d, "cascade:"):
			c, err := detect.NewCascade(strings.TrimPrefix(d, "cascade:"), "")
			if err != nil {
				return cfg, nil, err
			}
			cfg.Cascades = append(cfg.Cascades, c)
		case strings.HasPrefix(d, "onnx:"):
			if labelsPath == "" {
				return cfg, nil, usageErrorf("detect: an ONNX model needs --labels FILE (its class names, one per line)")
			}
			names, err := detect.ReadLabels(labelsPath)
			if err != nil {
				return cfg, nil, err
			}
			m, err := detect.LoadModel(ctx, detect.ModelConfig{Path: strings.TrimPrefix(d, "onnx:"), Labels: names, InputSize: inputSize})
			if err != nil {
				// The other detectors still work: say why this one is left out and go on.
				fmt.Fprintf(os.Stderr, "vigil: %v; detecting without it\n", err)
				continue
			}
			models = append(models, m)
		default:
			return cfg, nil, usageErrorf("detect: unknown detector %q (want motion, people, anomaly, cascade:NAME or onnx:MODEL.onnx)", d)
		}
	}
	cfg.Models = models
	return cfg, models, nil
}

func detectFile(ctx context.Context, path string, p *detect.Pipeline, emit func(detect.Result)) error {
	f, err := vision.OpenVideoFile(path, time.Now())
	if err != nil {
		return err
	}
	defer f.Close()
	for ctx.Err() == nil {
		fr, err := f.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		res, err := p.Process(fr)
		if err != nil {
			return err
		}
		emit(res)
	}
	return nil
}

func detectStream(ctx context.Context, url string, p *detect.Pipeline, emit func(detect.Result)) error {
	s := &vision.Stream{URL: url}
	if err := s.Initialize(); err != nil {
		return usageErrorf("%v", err)
	}
	defer s.Close()
	err := p.Run(ctx, s.Subscribe(), emit)
	if h := s.Health(); h.FramesDecoded == 0 && h.Reason != "" {
		return fmt.Errorf("%s: %s", h.URL, h.Reason)
	}
	return err
}

func printDetectSummary(m detect.Metrics, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(map[string]any{"summary": m})
		fmt.Println(string(b))
		return
	}
	fmt.Fprintf(os.Stderr, "frames %d processed (%.1f/s), %d skipped, %.1f detector calls/s, %d tracks alive\n",
		m.FramesProcessed, m.FPSProcessed, m.FramesSkipped, m.DetectorCallsPS, m.TracksAlive)
	for _, s := range append(m.Stages, m.PerFrame) {
		fmt.Fprintf(os.Stderr, "  %-8s p50 %6.1f ms  p95 %6.1f ms  (%d runs)\n", s.Stage,
			float64(s.P50.Microseconds())/1000, float64(s.P95.Microseconds())/1000, s.Runs)
	}
}

// annotatedWriter writes the debug view of every result to a video file.
type annotatedWriter struct {
	path string
	vw   *gocv.VideoWriter
	err  error
}

func (w *annotatedWriter) write(res detect.Result) {
	if w.err != nil {
		return
	}
	img, err := detect.Annotate(res)
	if err != nil {
		w.err = err
		return
	}
	defer img.Close()
	if w.vw == nil {
		codec := "mp4v"
		if strings.HasSuffix(strings.ToLower(w.path), ".avi") {
			codec = "MJPG"
		}
		w.vw, err = gocv.VideoWriterFile(w.path, codec, 10, img.Cols(), img.Rows(), true)
		if err != nil || !w.vw.IsOpened() {
			w.err = fmt.Errorf("cannot write video %s", w.path)
			return
		}
	}
	w.err = w.vw.Write(img)
}

func (w *annotatedWriter) close() {
	if w.vw != nil {
		w.vw.Close()
	}
}
