package ui

import (
	"image"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/ui/tiles"
)

// MapBaseOptions chooses the map's base layer, as gcs.Settings does (MapSource,
// MapCacheDir).
type MapBaseOptions struct {
	// Source is an http(s) tile URL template with {z}, {x} and {y}, or an .mbtiles file.
	// Empty is the built-in offline grid (no TileBase).
	Source string
	// CacheDir is where downloaded tiles are kept; empty is the user's cache folder.
	CacheDir string
}

// TileBase is the map's base layer of tiles (a tile server with its disk cache, or an
// .mbtiles file). DrawBase never waits on the network: tiles not loaded yet are drawn
// from a coarser level meanwhile, and the function given to SetOnChange asks for a redraw
// when they come. A nil TileBase draws nothing, so the map keeps its grid.
type TileBase struct {
	base *tiles.Base
}

// NewTileBase opens the base layer the options name; with an empty Source it returns nil
// and no error (the built-in grid). A file that cannot be read or a URL that is not a
// tile template is an error naming it.
func NewTileBase(opt MapBaseOptions) (*TileBase, error) {
	if opt.Source == "" {
		return nil, nil
	}
	b, err := tiles.OpenBase(opt.Source, opt.CacheDir)
	if err != nil {
		return nil, err
	}
	return &TileBase{base: b}, nil
}

// SetOnChange sets what to call, from another goroutine and at most every 100 ms, when
// tiles have arrived; the map wraps its refresh in fyne.Do.
func (b *TileBase) SetOnChange(f func()) {
	if b != nil {
		b.base.SetOnChange(f)
	}
}

// DrawBase draws the tiles under the rest of the map, metresPerPx being the scale of img's
// own (device) pixels: pixel (x, y) of img shows gcs.OffsetNE(centre, -(y-h/2)·metresPerPx,
// (x-w/2)·metresPerPx). Where no tile is held yet the pixels are left as they were (the
// map's background and grid). The tiles' attribution goes in the bottom-right corner.
func (b *TileBase) DrawBase(img *image.RGBA, centre orb.Point, metresPerPx float64) {
	if b != nil {
		b.base.Draw(img, centre, metresPerPx)
	}
}

// Close stops the tile loaders and closes the file.
func (b *TileBase) Close() {
	if b != nil {
		b.base.Close()
	}
}
