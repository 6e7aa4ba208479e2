package ui

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

func fill(img *image.RGBA, c color.RGBA) {
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
}

func set(img *image.RGBA, x, y int, c color.RGBA) {
	if image.Pt(x, y).In(img.Rect) {
		i := img.PixOffset(x, y)
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
}

// setF sets the pixel nearest to a point.
func setF(img *image.RGBA, x, y float64, c color.RGBA) {
	set(img, int(math.Round(x)), int(math.Round(y)), c)
}

// line draws a one-pixel line (DDA), clipped to the image.
func line(img *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA) {
	n := math.Ceil(math.Max(math.Abs(x1-x0), math.Abs(y1-y0)))
	if n > 10000 {
		return // far outside the view
	}
	for i := 0.0; i <= n; i++ {
		t := 0.0
		if n > 0 {
			t = i / n
		}
		setF(img, x0+(x1-x0)*t, y0+(y1-y0)*t, c)
	}
}

func circle(img *image.RGBA, cx, cy, r float64, c color.RGBA) {
	steps := math.Max(16, 2*math.Pi*r)
	for i := 0.0; i < steps; i++ {
		a := 2 * math.Pi * i / steps
		setF(img, cx+r*math.Cos(a), cy+r*math.Sin(a), c)
	}
}

func disc(img *image.RGBA, cx, cy, r float64, c color.RGBA) {
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			if x*x+y*y <= r*r {
				setF(img, cx+x, cy+y, c)
			}
		}
	}
}

// arrow draws a vehicle: a filled triangle pointing along its heading (clockwise from north).
func arrow(img *image.RGBA, cx, cy, headingDeg, size float64, c color.RGBA) {
	s, co := math.Sincos(headingDeg * math.Pi / 180)
	tip := [2]float64{cx + s*size, cy - co*size}
	left := [2]float64{cx - s*size*0.6 - co*size*0.6, cy + co*size*0.6 - s*size*0.6}
	right := [2]float64{cx - s*size*0.6 + co*size*0.6, cy + co*size*0.6 + s*size*0.6}
	minX, maxX := math.Min(tip[0], math.Min(left[0], right[0])), math.Max(tip[0], math.Max(left[0], right[0]))
	minY, maxY := math.Min(tip[1], math.Min(left[1], right[1])), math.Max(tip[1], math.Max(left[1], right[1]))
	edge := func(a, b [2]float64, x, y float64) float64 { return (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0]) }
	for y := math.Floor(minY); y <= maxY; y++ {
		for x := math.Floor(minX); x <= maxX; x++ {
			e1, e2, e3 := edge(tip, right, x, y), edge(right, left, x, y), edge(left, tip, x, y)
			if (e1 >= 0 && e2 >= 0 && e3 >= 0) || (e1 <= 0 && e2 <= 0 && e3 <= 0) {
				set(img, int(x), int(y), c)
			}
		}
	}
}

func label(img *image.RGBA, x, y int, text string, c color.RGBA) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(text)
}
