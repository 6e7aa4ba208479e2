package detect

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"os"
	"strings"

	"gocv.io/x/gocv"
)

// ModelConfig describes a user-supplied ONNX object detector (YOLOv5 or YOLOv8 exports).
type ModelConfig struct {
	// Path of the .onnx file. Required.
	Path string
	// Labels names the classes in order (a labels file has one per line, see ReadLabels).
	// Required: its length must match the model's class count.
	Labels []string
	// InputSize is the square input the model was exported for. It defaults to 640.
	InputSize int
	// MinScore drops weaker detections. It defaults to 0.4.
	MinScore float64
	// MaxOverlap is the IoU above which overlapping boxes of a class are merged. It defaults
	// to 0.45.
	MaxOverlap float64
}

// Model runs an ONNX detector. Not safe for concurrent use.
type Model struct {
	Config ModelConfig
	net    gocv.Net
	// v8 is YOLOv8's layout [1, 4+classes, anchors]; otherwise YOLOv5's [1, anchors,
	// 5+classes] with an objectness column.
	v8      bool
	anchors int
}

// ReadLabels reads a labels file: one class name per line, blank lines and # comments
// skipped.
func ReadLabels(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	labels, err := parseLabels(f)
	if err != nil {
		return nil, fmt.Errorf("labels %s: %w", path, err)
	}
	return labels, nil
}

func parseLabels(r io.Reader) ([]string, error) {
	var labels []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			labels = append(labels, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, errors.New("no class names in it")
	}
	return labels, nil
}

// LoadModel checks the model in a child process, works out its layout against the labels,
// then loads it here.
func LoadModel(ctx context.Context, cfg ModelConfig) (*Model, error) {
	if cfg.InputSize <= 0 {
		cfg.InputSize = 640
	}
	if cfg.MinScore <= 0 {
		cfg.MinScore = 0.4
	}
	if cfg.MaxOverlap <= 0 {
		cfg.MaxOverlap = 0.45
	}
	info, err := CheckModel(ctx, cfg.Path, cfg.InputSize)
	if err != nil {
		return nil, err
	}
	d := info.OutputDims
	if len(d) != 3 || d[0] != 1 {
		return nil, fmt.Errorf("model %s: output %v is not a YOLOv5 [1, anchors, 5+classes] or YOLOv8 [1, 4+classes, anchors] layout", cfg.Path, d)
	}
	m := &Model{Config: cfg}
	var classes int
	if d[1] < d[2] {
		m.v8, classes, m.anchors = true, d[1]-4, d[2]
	} else {
		classes, m.anchors = d[2]-5, d[1]
	}
	if classes < 1 {
		return nil, fmt.Errorf("model %s: output %v has no class scores", cfg.Path, d)
	}
	if len(cfg.Labels) != classes {
		return nil, fmt.Errorf("model %s has %d classes but the labels name %d", cfg.Path, classes, len(cfg.Labels))
	}
	m.net = gocv.ReadNetFromONNX(cfg.Path)
	if m.net.Empty() {
		return nil, fmt.Errorf("model %s: OpenCV found no network in it", cfg.Path)
	}
	return m, nil
}

// Close frees the network.
func (m *Model) Close() { m.net.Close() }

// Detect runs the model on a frame: letterboxed to the input size (aspect kept, grey
// bars, as YOLO trains), boxes mapped back to the frame.
func (m *Model) Detect(img *image.YCbCr) ([]Detection, error) {
	rgb, err := toRGB(img)
	if err != nil {
		return nil, err
	}
	defer rgb.Close()
	size := m.Config.InputSize
	scale := math.Min(float64(size)/float64(rgb.Cols()), float64(size)/float64(rgb.Rows()))
	nw, nh := int(math.Round(float64(rgb.Cols())*scale)), int(math.Round(float64(rgb.Rows())*scale))
	resized := gocv.NewMat()
	defer resized.Close()
	gocv.Resize(rgb, &resized, image.Pt(nw, nh), 0, 0, gocv.InterpolationLinear)
	padX, padY := (size-nw)/2, (size-nh)/2
	boxed := gocv.NewMat()
	defer boxed.Close()
	gocv.CopyMakeBorder(resized, &boxed, padY, size-nh-padY, padX, size-nw-padX, gocv.BorderConstant, color.RGBA{114, 114, 114, 0})
	blob := gocv.BlobFromImage(boxed, 1.0/255, image.Pt(size, size), gocv.NewScalar(0, 0, 0, 0), false, false)
	defer blob.Close()
	m.net.SetInput(blob, "")
	out := m.net.Forward("")
	defer out.Close()
	data, err := out.DataPtrFloat32()
	if err != nil {
		return nil, fmt.Errorf("model output: %w", err)
	}
	frame := image.Rect(0, 0, img.Rect.Dx(), img.Rect.Dy())
	toFrame := func(cx, cy, w, h float64) image.Rectangle {
		x0, y0 := (cx-w/2-float64(padX))/scale, (cy-h/2-float64(padY))/scale
		x1, y1 := (cx+w/2-float64(padX))/scale, (cy+h/2-float64(padY))/scale
		return image.Rect(int(x0), int(y0), int(math.Ceil(x1)), int(math.Ceil(y1))).Intersect(frame)
	}
	return SuppressOverlaps(m.decode(data, toFrame), m.Config.MaxOverlap), nil
}

// decode reads boxes and scores out of the raw output in either layout.
func (m *Model) decode(data []float32, toFrame func(cx, cy, w, h float64) image.Rectangle) []Detection {
	classes := len(m.Config.Labels)
	n := m.anchors
	var out []Detection
	for a := range n {
		var at func(k int) float64
		if m.v8 {
			at = func(k int) float64 { return float64(data[k*n+a]) }
		} else {
			stride := 5 + classes
			at = func(k int) float64 { return float64(data[a*stride+k]) }
		}
		best, bestScore := 0, math.Inf(-1)
		first := 4
		if !m.v8 {
			first = 5
		}
		for c := range classes {
			if s := at(first + c); s > bestScore {
				best, bestScore = c, s
			}
		}
		if !m.v8 {
			bestScore *= at(4) // objectness
		}
		if bestScore < m.Config.MinScore {
			continue
		}
		box := toFrame(at(0), at(1), at(2), at(3))
		if box.Empty() {
			continue
		}
		out = append(out, Detection{Box: box, Class: m.Config.Labels[best], Score: math.Min(bestScore, 1), Detector: "onnx"})
	}
	return out
}

// toRGB converts a frame to an 8-bit RGB Mat.
func toRGB(img *image.YCbCr) (gocv.Mat, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if img.SubsampleRatio != image.YCbCrSubsampleRatio420 || w%2 != 0 || h%2 != 0 || img.YStride != w || img.CStride != w/2 {
		rgba := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				rgba.Set(x, y, img.At(img.Rect.Min.X+x, img.Rect.Min.Y+y))
			}
		}
		m, err := gocv.ImageToMatRGB(rgba)
		if err != nil {
			return gocv.Mat{}, err
		}
		// ImageToMatRGB gives OpenCV's usual BGR order.
		gocv.CvtColor(m, &m, gocv.ColorBGRToRGB)
		return m, nil
	}
	i420 := make([]byte, 0, w*h*3/2)
	i420 = append(i420, img.Y[:w*h]...)
	i420 = append(i420, img.Cb[:w*h/4]...)
	i420 = append(i420, img.Cr[:w*h/4]...)
	yuv, err := gocv.NewMatFromBytes(h*3/2, w, gocv.MatTypeCV8U, i420)
	if err != nil {
		return gocv.Mat{}, err
	}
	defer yuv.Close()
	rgb := gocv.NewMat()
	gocv.CvtColor(yuv, &rgb, gocv.ColorYUVToRGBIYUV)
	return rgb, nil
}
