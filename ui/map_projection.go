package ui

import (
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// MapProjection maps ground points to the pixels of one drawing of the map: north up,
// MetresPerPx metres per device pixel around Centre, in a W×H image. It is a local flat
// projection, exact enough over the few kilometres a tactical map shows.
type MapProjection struct {
	Centre      orb.Point
	MetresPerPx float64
	W, H        int
	// Scale is device pixels per Fyne unit (line widths and symbols grow with it).
	Scale float64
}

// ToPx returns the pixel where p is drawn.
func (p MapProjection) ToPx(pt orb.Point) (x, y float64) {
	n, e := gcs.NorthEastM(p.Centre, pt)
	return float64(p.W)/2 + e/p.MetresPerPx, float64(p.H)/2 - n/p.MetresPerPx
}

// PointAt returns the ground point drawn at pixel (x, y).
func (p MapProjection) PointAt(x, y float64) orb.Point {
	return gcs.OffsetNE(p.Centre, -(y-float64(p.H)/2)*p.MetresPerPx, (x-float64(p.W)/2)*p.MetresPerPx)
}

// Px converts a length in metres to device pixels.
func (p MapProjection) Px(metres float64) float64 { return metres / p.MetresPerPx }
