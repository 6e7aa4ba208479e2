package synthcam

import (
	"image"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// The map of the world shows, at each pixel, the ground the cameras see there: a road drawn
// by the camera straight down is where the map has it.
func TestDrawMapMatchesTheGround(t *testing.T) {
	origin := gcs.Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}
	w := NewWorld(WorldConfig{Origin: origin, Seed: 7, Texels: 512})
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	w.DrawMap(img, origin.Point, 0.5) // 128 m across at level 1's resolution
	// Compare luma with the texture's level 1 at the same ground points.
	lv := w.tex.levels[1]
	texel := 2 * w.tex.texelM
	half := float64(lv.Rect.Dx()) * texel / 2
	differ := 0
	for y := 8; y < 248; y += 16 {
		for x := 8; x < 248; x += 16 {
			northM := -(float64(y) + 0.5 - 128) * 0.5
			eastM := (float64(x) + 0.5 - 128) * 0.5
			ty, tx := int((half-northM)/texel), int((eastM+half)/texel)
			want := lv.Y[lv.YOffset(tx, ty)]
			c := img.RGBAAt(x, y)
			got := (299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000
			if d := float64(got) - 1.164*(float64(want)-16)*3/4; d > 8 || d < -8 {
				differ++
			}
		}
	}
	require.LessOrEqual(t, differ, 10, "of 225 points, the map's brightness follows the ground's")

	// Zoomed out beyond the world: the outside is left alone.
	out := image.NewRGBA(image.Rect(0, 0, 100, 100))
	w.DrawMap(out, origin.Point, 10)
	require.Equal(t, uint8(0), out.Pix[3], "the corner, 700 m out, is not painted")
	require.Equal(t, uint8(255), out.RGBAAt(50, 50).A)
}

func BenchmarkDrawMap(b *testing.B) {
	origin := gcs.Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}
	w := NewWorld(WorldConfig{Origin: origin, Seed: 7})
	img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	for b.Loop() {
		w.DrawMap(img, origin.Point, 0.8)
	}
}
