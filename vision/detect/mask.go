package detect

import (
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // masks may be drawn in any image editor
	_ "image/png"
	"os"
)

// LoadMask reads a watch mask: an image the size of the stream's frames where black pixels
// mark what to ignore; any other colour is watched.
func LoadMask(path string) (*image.Gray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("mask %s: not a PNG or JPEG image (%v)", path, err)
	}
	g := image.NewGray(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	for i, v := range g.Pix {
		if v < 32 { // JPEG blurs black a little
			g.Pix[i] = 0
		}
	}
	return g, nil
}
