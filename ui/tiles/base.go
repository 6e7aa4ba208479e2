package tiles

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Base is a map base layer ready to draw: a tile server with its disk cache, or an
// .mbtiles file, behind a Renderer, with the tiles' attribution and redraw requests that
// come at most every RedrawEvery however fast tiles arrive.
type Base struct {
	renderer *Renderer
	mbtiles  *MBTiles
	credit   string
	every    time.Duration

	mu       sync.Mutex
	onChange func()
	pending  bool
	closed   bool
}

// RedrawEvery is the shortest time between two redraw requests of a Base.
const RedrawEvery = 100 * time.Millisecond

// OpenBase opens source, an http(s) tile URL template or an .mbtiles file; downloaded
// tiles are kept under cacheDir (empty: the user's cache folder).
func OpenBase(source, cacheDir string) (*Base, error) {
	b := &Base{every: RedrawEvery}
	var p Provider
	if strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://") {
		src := &Source{URL: source, CacheDir: cacheDir}
		if err := src.Initialize(); err != nil {
			return nil, fmt.Errorf("map source: %w", err)
		}
		p = src
	} else {
		m, err := OpenMBTiles(source)
		if err != nil {
			return nil, fmt.Errorf("map source: %w", err)
		}
		b.mbtiles = m
		p = m
	}
	b.credit = p.Attribution()
	b.renderer = &Renderer{Provider: p, OnTileArrived: b.tileArrived}
	if err := b.renderer.Initialize(); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// SetOnChange sets what to call, from another goroutine, when tiles have arrived and the
// map should be drawn again.
func (b *Base) SetOnChange(f func()) {
	b.mu.Lock()
	b.onChange = f
	b.mu.Unlock()
}

// tileArrived turns a burst of arrivals into one redraw request, RedrawEvery later.
func (b *Base) tileArrived() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending || b.onChange == nil || b.closed {
		return
	}
	b.pending = true
	time.AfterFunc(b.every, func() {
		b.mu.Lock()
		b.pending = false
		f := b.onChange
		if b.closed {
			f = nil
		}
		b.mu.Unlock()
		if f != nil {
			f()
		}
	})
}

// Close stops the tile loaders and closes the file; no redraw is requested after it.
func (b *Base) Close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	if b.renderer != nil && b.renderer.cancel != nil {
		b.renderer.Close()
	}
	if b.mbtiles != nil {
		b.mbtiles.Close()
	}
}

// The attribution's colours: legible over tiles of any colour.
var (
	creditText = color.RGBA{20, 20, 20, 255}
	creditBack = color.RGBA{255, 255, 255, 190}
)

// Draw draws the tiles (see Renderer.Draw) and their attribution in the bottom-right
// corner, which the tiles' licences ask for. It returns whether every tile was there.
func (b *Base) Draw(img *image.RGBA, centre orb.Point, metresPerPx float64) (complete bool) {
	complete = b.renderer.Draw(img, centre, metresPerPx)
	if b.credit == "" {
		return complete
	}
	face := basicfont.Face7x13
	r := img.Rect
	box := image.Rect(r.Max.X-font.MeasureString(face, b.credit).Ceil()-8, r.Max.Y-17, r.Max.X, r.Max.Y).Intersect(r)
	a := uint32(creditBack.A)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			i := img.PixOffset(x, y)
			for c, v := range [3]uint8{creditBack.R, creditBack.G, creditBack.B} {
				img.Pix[i+c] = uint8((uint32(v)*a + uint32(img.Pix[i+c])*(255-a)) / 255)
			}
		}
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(creditText), Face: face, Dot: fixed.P(box.Min.X+4, r.Max.Y-4)}
	d.DrawString(b.credit)
	return complete
}
