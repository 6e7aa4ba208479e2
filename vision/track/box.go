package track

import (
	"image"
	"math"
)

// Vec is a point or a vector in image pixels (x right, y down, as image.Point).
type Vec struct {
	X, Y float64
}

// Box is an axis-aligned box in image pixels with float coordinates: detectors that work on
// a downscaled frame give fractional boxes once scaled back, and the tracker's smoothed boxes
// are fractional too. Min is the top-left corner, Max the bottom-right, as in image.Rectangle.
type Box struct {
	Min, Max Vec
}

// BoxFromRect is the Box of an image.Rectangle.
func BoxFromRect(r image.Rectangle) Box {
	return Box{
		Min: Vec{float64(r.Min.X), float64(r.Min.Y)},
		Max: Vec{float64(r.Max.X), float64(r.Max.Y)},
	}
}

// boxAt is the box of the given centre and size.
func boxAt(c Vec, w, h float64) Box {
	return Box{Min: Vec{c.X - w/2, c.Y - h/2}, Max: Vec{c.X + w/2, c.Y + h/2}}
}

// Rect is the box rounded to whole pixels, for drawing and cropping.
func (b Box) Rect() image.Rectangle {
	return image.Rect(int(math.Round(b.Min.X)), int(math.Round(b.Min.Y)),
		int(math.Round(b.Max.X)), int(math.Round(b.Max.Y)))
}

// Width is the box's width in pixels.
func (b Box) Width() float64 { return b.Max.X - b.Min.X }

// Height is the box's height in pixels.
func (b Box) Height() float64 { return b.Max.Y - b.Min.Y }

// Center is the box's centre.
func (b Box) Center() Vec { return Vec{(b.Min.X + b.Max.X) / 2, (b.Min.Y + b.Max.Y) / 2} }

// BottomCenter is the middle of the box's bottom edge: for an object standing on the ground
// seen from above and at an angle, the point where it touches the ground, which is what
// geotagging projects onto the terrain (and what zones test).
func (b Box) BottomCenter() Vec { return Vec{(b.Min.X + b.Max.X) / 2, b.Max.Y} }

// valid reports whether the box has finite coordinates and a positive width and height.
func (b Box) valid() bool {
	for _, v := range [...]float64{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return b.Max.X > b.Min.X && b.Max.Y > b.Min.Y
}

// IoU is the intersection over union of two boxes: 1 for equal boxes, 0 for disjoint ones.
func (b Box) IoU(o Box) float64 {
	iw := math.Min(b.Max.X, o.Max.X) - math.Max(b.Min.X, o.Min.X)
	ih := math.Min(b.Max.Y, o.Max.Y) - math.Max(b.Min.Y, o.Min.Y)
	if iw <= 0 || ih <= 0 {
		return 0
	}
	inter := iw * ih
	union := b.Width()*b.Height() + o.Width()*o.Height() - inter
	if union <= 0 {
		return 0
	}
	return inter / union
}
