package detect

import (
	"context"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/vision/detect/internal/onnxtest"
)

func TestMain(m *testing.M) {
	RunModelCheckIfAsked() // this test binary is also the model-checking child
	os.Exit(m.Run())
}

func writeModel(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "model.onnx")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// A real (tiny) ONNX network in YOLOv8's layout finds the red patch where it is, after the
// letterbox and back.
func TestModelDetectsWithYOLOv8Layout(t *testing.T) {
	path := writeModel(t, onnxtest.RedDetectorV8(64, 1))
	m, err := LoadModel(context.Background(), ModelConfig{Path: path, Labels: []string{"red"}, InputSize: 64})
	require.NoError(t, err)
	defer m.Close()

	img := noisyScene(640, 360)
	// Input cell (1, 1) is input pixels 16..32; the 640×360 frame is scaled by 0.1 and
	// padded 14 px top and bottom, so the cell covers frame x 160..320, y 20..180.
	paint(img, image.Rect(160, 20, 320, 180), color.RGBA{230, 20, 20, 255})
	got, err := m.Detect(img)
	require.NoError(t, err)
	require.Len(t, got, 1, "%v", got)
	require.Equal(t, "red", got[0].Class)
	require.Greater(t, IoU(got[0].Box, image.Rect(160, 20, 320, 180)), 0.9, "box %v", got[0].Box)
}

func TestModelErrorsAreSentences(t *testing.T) {
	ctx := context.Background()
	garbage := writeModel(t, []byte("this is not an onnx file, whatever its name says"))
	_, err := LoadModel(ctx, ModelConfig{Path: garbage, Labels: []string{"x"}, InputSize: 64})
	require.ErrorContains(t, err, "OpenCV 4.6 cannot import it")

	good := writeModel(t, onnxtest.RedDetectorV8(64, 2))
	_, err = LoadModel(ctx, ModelConfig{Path: good, Labels: []string{"red"}, InputSize: 64})
	require.EqualError(t, err, "model "+good+" has 2 classes but the labels name 1")

	_, err = LoadModel(ctx, ModelConfig{Path: filepath.Join(t.TempDir(), "missing.onnx"), Labels: []string{"x"}})
	require.ErrorIs(t, err, os.ErrNotExist)

	labels := filepath.Join(t.TempDir(), "labels.txt")
	require.NoError(t, os.WriteFile(labels, []byte("# classes\nperson\n\ncar\n"), 0o600))
	got, err := ReadLabels(labels)
	require.NoError(t, err)
	require.Equal(t, []string{"person", "car"}, got)
}

// YOLOv5's layout: rows of [cx, cy, w, h, objectness, class scores...]; the score is
// objectness × class.
func TestDecodeYOLOv5Layout(t *testing.T) {
	m := &Model{Config: ModelConfig{Labels: []string{"person", "car"}, MinScore: 0.4}, anchors: 3}
	data := []float32{
		100, 100, 20, 40, 0.9, 0.95, 0.1, // a person, 0.855
		300, 200, 50, 30, 0.3, 0.1, 0.9, // a faint car, 0.27: dropped
		500, 300, 60, 40, 0.8, 0.2, 0.7, // a car, 0.56
	}
	got := m.decode(data, func(cx, cy, w, h float64) image.Rectangle {
		return image.Rect(int(cx-w/2), int(cy-h/2), int(cx+w/2), int(cy+h/2))
	})
	require.Len(t, got, 2)
	require.Equal(t, "person", got[0].Class)
	require.InDelta(t, 0.855, got[0].Score, 1e-6)
	require.Equal(t, image.Rect(90, 80, 110, 120), got[0].Box)
	require.Equal(t, "car", got[1].Class)
}

func FuzzParseLabels(f *testing.F) {
	f.Add("person\ncar\n")
	f.Add("# comment only\n\n")
	f.Add("a\r\nb\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		labels, err := parseLabels(strings.NewReader(in))
		if err != nil {
			return
		}
		require.NotEmpty(t, labels)
		for _, l := range labels {
			require.Equal(t, strings.TrimSpace(l), l)
			require.NotEmpty(t, l)
		}
	})
}
