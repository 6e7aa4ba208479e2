package vision

import (
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A snapshot is a JPEG of the frame as it was: same size, same picture (within JPEG's
// loss), readable by anyone.
func TestSaveSnapshot(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 64, 48), image.YCbCrSubsampleRatio420)
	for y := range 48 {
		for x := range 64 {
			img.Y[y*img.YStride+x] = uint8(x * 4) // a horizontal ramp
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 128, 128
	}
	path := filepath.Join(t.TempDir(), "cam1_20261123T150405Z.jpg")
	require.NoError(t, SaveSnapshot(path, &Frame{Image: img}))

	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	got, err := jpeg.Decode(f)
	require.NoError(t, err)
	require.Equal(t, img.Bounds(), got.Bounds())
	for _, x := range []int{0, 20, 40, 63} {
		want := color.GrayModel.Convert(img.At(x, 24)).(color.Gray).Y
		have := color.GrayModel.Convert(got.At(x, 24)).(color.Gray).Y
		require.InDelta(t, want, have, 6, "pixel %d", x)
	}
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left")
}

func TestSaveSnapshotErrors(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio420)
	cases := []struct {
		name  string
		path  string
		frame *Frame
		want  string
	}{
		{"no frame yet", filepath.Join(t.TempDir(), "a.jpg"), nil, "no picture yet"},
		{"frame without picture", filepath.Join(t.TempDir(), "a.jpg"), &Frame{}, "no picture yet"},
		{"directory missing", filepath.Join(t.TempDir(), "missing", "a.jpg"), &Frame{Image: img}, "no such file or directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := SaveSnapshot(c.path, c.frame)
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
			_, statErr := os.Stat(c.path)
			require.True(t, os.IsNotExist(statErr))
		})
	}
}
