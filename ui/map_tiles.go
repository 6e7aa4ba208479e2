package ui

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

	"github.com/vigil-gcs/vigil/ui/tiles"
)

// MapBaseOptions chooses the map's base layer, as gcs.Settings does.
type MapBaseOptions struct {
	// Source is an http(s) tile URL template with {z}, {x} and {y}, or an .mbtiles file.
	// Empty is the built-in offline grid (no TileBase).
	Source string
	// CacheDir is where downloaded tiles are kept; empty is the user's cache folder.
	CacheDir string
}

// TileBase is the map's base layer of tiles (a tile server with its disk cache, or an
// .mbtiles file). DrawBase never waits on the network: missing tiles are drawn from a
// coarser level meanwhile, and OnChange asks for a redraw when they come.
type TileBase struct {
	renderer *tiles.Renderer
	mbtiles  *tiles.MBTiles
	credit   string

	mu       sync.Mutex
	onChange func()
	pending  bool
}

// NewTileBase opens the base layer the options name; with an empty Source it returns nil
// and no error: the map keeps its built-in grid. A file that cannot be read or a URL
// that is not a tile template is an error naming it.
func NewTileBase(opt MapBaseOptions) (*TileBase, error) {
	if opt.Source == "" {
		return nil, nil
	}
	b := &TileBase{}
	var p tiles.Provider
	if strings.HasPrefix(opt.Source, "http://") || strings.HasPrefix(opt.Source, "https://") {
		src := &tiles.Source{URL: opt.Source, CacheDir: opt.CacheDir}
		if err := src.Initialize(); err != nil {
			return nil, fmt.Errorf("map source: %w", err)
		}
		p = src
	} else {
		m, err := tiles.OpenMBTiles(opt.Source)
		if err != nil {
			return nil, fmt.Errorf("map source: %w", err)
		}
		b.mbtiles = m
		p = m
	}
	b.credit = p.Attribution()
	b.renderer = &tiles.Renderer{Provider: p, OnTileArrived: b.tileArrived}
	if err := b.renderer.Initialize(); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// SetOnChange sets what to call (from another goroutine, at most every 100 ms) when
// tiles have arrived and the map should be drawn again; the map wraps its refresh in
// fyne.Do.
func (b *TileBase) SetOnChange(f func()) {
	b.mu.Lock()
	b.onChange = f
	b.mu.Unlock()
}

// tileArrived coalesces a burst of arrivals into one redraw request.
func (b *TileBase) tileArrived() {
	b.mu.Lock()
	if b.pending || b.onChange == nil {
		b.mu.Unlock()
		return
	}
	b.pending = true
	b.mu.Unlock()
	time.AfterFunc(100*time.Millisecond, func() {
		b.mu.Lock()
		b.pending = false
		f := b.onChange
		b.mu.Unlock()
		if f != nil {
			f()
		}
	})
}

// Close stops the tile loaders and closes the file.
func (b *TileBase) Close() {
	if b == nil {
		return
	}
	if b.renderer != nil {
		b.renderer.Close()
	}
	if b.mbtiles != nil {
		b.mbtiles.Close()
	}
}

// mapCredit is the colour of the attribution: legible on map tiles of any colour.
var (
	mapCreditText = color.RGBA{20, 20, 20, 255}
	mapCreditBack = color.RGBA{255, 255, 255, 190}
)

// DrawBase draws the tiles under the rest of the map, metresPerPx being the scale of img's
// own (device) pixels: pixel (x, y) of img shows
// gcs.OffsetNE(centre, -(y-h/2)·metresPerPx, (x-w/2)·metresPerPx). Where no tile is held
// yet the pixels are left as they were (the map's background and grid). The tiles'
// attribution, which their licence asks for, goes in the bottom-right corner. A nil
// TileBase draws nothing.
func (b *TileBase) DrawBase(img *image.RGBA, centre orb.Point, metresPerPx float64) {
	if b == nil {
		return
	}
	b.renderer.Draw(img, centre, metresPerPx)
	if b.credit == "" {
		return
	}
	face := basicfont.Face7x13
	wText := font.MeasureString(face, b.credit).Ceil()
	r := img.Rect
	box := image.Rect(r.Max.X-wText-8, r.Max.Y-17, r.Max.X, r.Max.Y).Intersect(r)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			i := img.PixOffset(x, y)
			for c, v := range []uint8{mapCreditBack.R, mapCreditBack.G, mapCreditBack.B} {
				img.Pix[i+c] = uint8((uint32(v)*uint32(mapCreditBack.A) + uint32(img.Pix[i+c])*uint32(255-mapCreditBack.A)) / 255)
			}
		}
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(mapCreditText), Face: face,
		Dot: fixed.P(box.Min.X+4, r.Max.Y-4)}
	d.DrawString(b.credit)
}
