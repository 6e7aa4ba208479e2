// Package tiles is the map's base layer: slippy-map (XYZ) tiles from a tile server with a
// disk cache, offline MBTiles files, the prefetch of an area for use without internet, and
// a renderer that resamples tiles into the map's local flat projection without ever
// waiting on the network. It does not depend on the GUI toolkit.
package tiles

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	"github.com/paulmach/orb"
	"golang.org/x/image/webp"
)

// Tile is one tile of the Web Mercator (EPSG:3857) XYZ scheme: x grows east from the
// antimeridian and y south from about 85.05° N.
type Tile struct {
	Z, X, Y int
}

// String returns "z/x/y".
func (t Tile) String() string { return fmt.Sprintf("%d/%d/%d", t.Z, t.X, t.Y) }

// Valid says whether the tile exists at its zoom level.
func (t Tile) Valid() bool {
	n := 1 << t.Z
	return t.Z >= 0 && t.Z <= MaxZoom && t.X >= 0 && t.X < n && t.Y >= 0 && t.Y < n
}

// Parent is the tile of zoom level Z-1 that contains t.
func (t Tile) Parent() Tile { return Tile{t.Z - 1, t.X >> 1, t.Y >> 1} }

// MaxZoom is the deepest zoom level this package handles.
const MaxZoom = 24

// maxMercatorLatDeg is where the square Web Mercator world ends.
const maxMercatorLatDeg = 85.05112877980659

// ErrNotFound says that a source has no tile there (outside an MBTiles file's area, or a
// server's 404): the map shows the level above or nothing, and does not ask again.
var ErrNotFound = errors.New("no such tile")

// Provider gives encoded tiles (PNG, JPEG or WebP). Source and MBTiles are providers.
type Provider interface {
	// TileData returns the encoded image of a tile, or an error wrapping ErrNotFound
	// when the provider has none there. It may block on a disk or the network.
	TileData(ctx context.Context, t Tile) ([]byte, error)
	// Zooms returns the provider's lowest and highest zoom levels.
	Zooms() (minZ, maxZ int)
	// Attribution is the credit the map must show for these tiles ("" for none).
	Attribution() string
}

// worldPx returns the position of p in the world image of zoom level z, in 256-pixel
// tile units times 256 (i.e. global pixels); y is clamped to the Mercator square.
func worldPx(p orb.Point, z int) (x, y float64) {
	size := 256 * math.Exp2(float64(z))
	lat := math.Max(-maxMercatorLatDeg, math.Min(maxMercatorLatDeg, p[1]))
	s := math.Sin(lat * math.Pi / 180)
	x = (p[0] + 180) / 360 * size
	y = (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)) * size
	return x, y
}

// TileAt returns the tile of zoom level z that contains p.
func TileAt(p orb.Point, z int) Tile {
	x, y := worldPx(p, z)
	n := 1 << z
	return Tile{z, min(max(int(x/256), 0), n-1), min(max(int(y/256), 0), n-1)}
}

// Bound returns the area a tile covers.
func (t Tile) Bound() orb.Bound {
	n := math.Exp2(float64(t.Z))
	lon := func(x int) float64 { return float64(x)/n*360 - 180 }
	lat := func(y int) float64 { return math.Atan(math.Sinh(math.Pi*(1-2*float64(y)/n))) * 180 / math.Pi }
	return orb.Bound{Min: orb.Point{lon(t.X), lat(t.Y + 1)}, Max: orb.Point{lon(t.X + 1), lat(t.Y)}}
}

// tileRange is the tiles of one zoom level covering an area: x0..x1, y0..y1 inclusive.
type tileRange struct{ z, x0, y0, x1, y1 int }

func rangeOf(b orb.Bound, z int) tileRange {
	nw := TileAt(orb.Point{b.Min[0], b.Max[1]}, z)
	se := TileAt(orb.Point{b.Max[0], b.Min[1]}, z)
	return tileRange{z, nw.X, nw.Y, se.X, se.Y}
}

func (r tileRange) count() int64 { return int64(r.x1-r.x0+1) * int64(r.y1-r.y0+1) }

// CountTiles returns how many tiles cover an area from zoom level minZ to maxZ.
func CountTiles(b orb.Bound, minZ, maxZ int) int64 {
	var n int64
	for z := minZ; z <= maxZ; z++ {
		n += rangeOf(b, z).count()
	}
	return n
}

// tileCodec recognises a tile's format by its first bytes and checks its size from the
// header, so that an error page or a header claiming a huge image is refused before any
// memory is given to it.
func tileCodec(data []byte) (func(io.Reader) (image.Image, error), error) {
	var (
		decode func(io.Reader) (image.Image, error)
		config func(io.Reader) (image.Config, error)
	)
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		decode, config = png.Decode, png.DecodeConfig
	case bytes.HasPrefix(data, []byte("\xff\xd8")):
		decode, config = jpeg.Decode, jpeg.DecodeConfig
	case len(data) > 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		decode, config = webp.Decode, webp.DecodeConfig
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}), bytes.HasPrefix(data, []byte{0x1a}):
		return nil, errors.New("a vector tile (Mapbox Vector Tiles are not supported; use raster PNG or JPEG tiles)")
	default:
		return nil, errors.New("not a PNG, JPEG or WebP image")
	}
	cfg, err := config(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if cfg.Width != cfg.Height || cfg.Width < 64 || cfg.Width > 1024 {
		return nil, fmt.Errorf("a %d×%d image; want a square tile of 64 to 1024 pixels", cfg.Width, cfg.Height)
	}
	return decode, nil
}

// decodeTile decodes a PNG, JPEG or WebP tile into an RGBA image, whatever the colour
// model it was stored in, so that the renderer can copy pixels without conversion.
func decodeTile(data []byte) (*image.RGBA, error) {
	decode, err := tileCodec(data)
	if err != nil {
		return nil, err
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	if b.Dx() != b.Dy() || b.Dx() < 64 || b.Dx() > 1024 {
		return nil, fmt.Errorf("a %d×%d image; want a square tile of 64 to 1024 pixels", b.Dx(), b.Dy())
	}
	if rgba, ok := img.(*image.RGBA); ok && b.Min == (image.Point{}) {
		return rgba, nil
	}
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	if p, ok := img.(*image.Paletted); ok {
		// OpenStreetMap's tiles are 8-bit paletted PNGs: a table lookup per pixel, where
		// draw.Draw would convert each pixel's colour through an interface.
		var lut [256][4]uint8
		for i, c := range p.Palette {
			r, g, bl, a := c.RGBA()
			lut[i] = [4]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}
		}
		for y := range b.Dy() {
			src := p.Pix[y*p.Stride : y*p.Stride+b.Dx()]
			dst := rgba.Pix[y*rgba.Stride : y*rgba.Stride+4*b.Dx()]
			for x, i := range src {
				copy(dst[4*x:4*x+4], lut[i][:])
			}
		}
		return rgba, nil
	}
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	return rgba, nil
}
