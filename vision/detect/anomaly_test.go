package detect

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// noisyScene paints two fields of different colours side by side with texture noise.
func noisyScene(w, h int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(1, 1))
	for y := range h {
		for x := range w {
			c := color.RGBA{110, 140, 70, 255} // green crop
			if x > w/2 {
				c = color.RGBA{165, 140, 95, 255} // stubble
			}
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			img.Y[y*img.YStride+x] = uint8(int(yy) + rng.IntN(13) - 6)
			img.Cb[img.COffset(x, y)], img.Cr[img.COffset(x, y)] = cb, cr
		}
	}
	return img
}

func paint(img *image.YCbCr, r image.Rectangle, c color.RGBA) {
	yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Y[y*img.YStride+x] = yy
			img.Cb[img.COffset(x, y)], img.Cr[img.COffset(x, y)] = cb, cr
		}
	}
}

func TestAnomalyFindsTheTentNotTheFields(t *testing.T) {
	img := noisyScene(640, 360)
	a := &Anomaly{}
	require.Empty(t, a.Detect(img), "two fields side by side are background, not anomalies")

	tent := image.Rect(200, 150, 224, 170)
	paint(img, tent, color.RGBA{240, 120, 20, 255}) // an orange tent in the green field
	got := a.Detect(img)
	require.Len(t, got, 1)
	require.Equal(t, ClassAnomaly, got[0].Class)
	require.True(t, got[0].Box.Inset(-8).Overlaps(tent) && IoU(got[0].Box, tent) > 0.3, "found %v, tent at %v", got[0].Box, tent)
	require.Greater(t, got[0].Score, 0.5)
}
