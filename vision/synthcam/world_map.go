package synthcam

import (
	"image"
	"math"
	"sync"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// mapLevels are the texture's mip levels converted to dimmed RGBA once, for DrawMap; level 0
// (64 MB in RGBA) is never converted: the map uses level 1 when zoomed in that far.
type mapLevels struct {
	once   [24]sync.Once
	levels [24]*image.RGBA
}

// DrawMap paints the world's ground seen from straight above into dst, north up, mpp metres
// per pixel around centre: the simulator's world as the map's offline base, so that the map
// and the video show the same roads and fields. Beyond the texture's square the ground is
// left as it was in dst (the world repeats only for the cameras). Safe for concurrent use.
func (w *World) DrawMap(dst *image.RGBA, centre orb.Point, mpp float64) {
	tex := w.tex
	half := float64(tex.levels[0].Rect.Dx()) * tex.texelM / 2
	// The level whose texels are about a pixel: finer would alias, coarser would blur.
	l := 1
	for l < len(tex.levels)-1 && tex.texelM*float64(int(1)<<(l+1)) <= mpp*1.41 {
		l++
	}
	l = min(l, len(tex.levels)-1)
	src := w.mapLevel(l)
	texel := tex.texelM * float64(int(1)<<l)
	size := src.Rect.Dx()
	width, height := dst.Rect.Dx(), dst.Rect.Dy()
	n0, e0 := gcs.NorthEastM(w.Origin.Point, centre)
	step := mpp / texel
	fx0 := (e0 + (0.5-float64(width)/2)*mpp + half) / texel
	for y := range height {
		northM := n0 - (float64(y)+0.5-float64(height)/2)*mpp
		ty := int(math.Floor((half - northM) / texel))
		if ty < 0 || ty >= size {
			continue
		}
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*width]
		srow := src.Pix[ty*src.Stride : ty*src.Stride+4*size]
		for x := range width {
			tx := int(math.Floor(fx0 + float64(x)*step))
			if tx < 0 || tx >= size {
				continue
			}
			copy(row[4*x:4*x+4], srow[4*tx:4*tx+4])
		}
	}
}

// mapLevel returns mip level l as dimmed RGBA, converting it the first time.
func (w *World) mapLevel(l int) *image.RGBA {
	w.maps.once[l].Do(func() {
		lv := w.tex.levels[l]
		n := lv.Rect.Dx()
		img := image.NewRGBA(image.Rect(0, 0, n, n))
		for y := range n {
			for x := range n {
				r, g, b := yccToRGB(lv.Y[lv.YOffset(x, y)], lv.Cb[lv.COffset(x, y)], lv.Cr[lv.COffset(x, y)])
				// Dimmed, so that the layers drawn over it stand out.
				i := img.PixOffset(x, y)
				img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(int(r)*3/4), uint8(int(g)*3/4), uint8(int(b)*3/4), 255
			}
		}
		w.maps.levels[l] = img
	})
	return w.maps.levels[l]
}

// yccToRGB converts one texel back from BT.601 limited range (rgbToYCbCr).
func yccToRGB(y, cb, cr uint8) (uint8, uint8, uint8) {
	fy, fcb, fcr := 1.164*(float64(y)-16), float64(cb)-128, float64(cr)-128
	return clamp8(fy + 1.596*fcr), clamp8(fy - 0.392*fcb - 0.813*fcr), clamp8(fy + 2.017*fcb)
}
