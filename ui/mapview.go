// Package ui is Vigil's desktop app on Fyne: it draws snapshots of the station (vehicles,
// targets) and never talks to a vehicle or a camera itself.
package ui

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/vigil-gcs/vigil/gcs"
)

// MapVehicle is a vehicle as the map draws it.
type MapVehicle struct {
	SysID      uint8
	Point      orb.Point
	HeadingDeg float64
	Trail      []orb.Point // oldest first
	Footprint  []orb.Point // the camera's view on the ground, when known
	Alarm      bool
}

// MapSnapshot is everything the map shows at one instant.
type MapSnapshot struct {
	Vehicles []MapVehicle
	Targets  []gcs.Target
}

// MapView is the map: an offline base (a grid with its spacing written on it, never blank
// without internet), vehicles with heading and trail, camera footprints, and targets with their
// error circles. Drag to pan, scroll to zoom; the point under the cursor goes to OnHover.
type MapView struct {
	widget.BaseWidget

	// OnHover, when set, receives the coordinates under the mouse pointer.
	OnHover func(orb.Point)

	mu          sync.Mutex
	centre      orb.Point
	metresPerPx float64
	snap        MapSnapshot
	raster      *canvas.Raster
}

// NewMapView returns a map centred on centre, showing metresPerPx metres per pixel.
func NewMapView(centre orb.Point, metresPerPx float64) *MapView {
	m := &MapView{centre: centre, metresPerPx: metresPerPx}
	m.raster = canvas.NewRaster(m.draw)
	m.ExtendBaseWidget(m)
	return m
}

// CreateRenderer implements fyne.Widget.
func (m *MapView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(m.raster)
}

// SetSnapshot replaces what the map shows and redraws it. Call it on Fyne's goroutine (fyne.Do).
func (m *MapView) SetSnapshot(s MapSnapshot) {
	m.mu.Lock()
	m.snap = s
	m.mu.Unlock()
	m.raster.Refresh()
}

// View returns the map's centre and scale.
func (m *MapView) View() (centre orb.Point, metresPerPx float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.centre, m.metresPerPx
}

// SetView moves the map.
func (m *MapView) SetView(centre orb.Point, metresPerPx float64) {
	m.mu.Lock()
	m.centre, m.metresPerPx = centre, math.Max(0.05, math.Min(metresPerPx, 2000))
	m.mu.Unlock()
	m.raster.Refresh()
}

// Dragged pans the map with the pointer.
func (m *MapView) Dragged(e *fyne.DragEvent) {
	c, mpp := m.View()
	m.SetView(gcs.OffsetNE(c, float64(e.Dragged.DY)*mpp, -float64(e.Dragged.DX)*mpp), mpp)
}

// DragEnd implements fyne.Draggable.
func (m *MapView) DragEnd() {}

// Scrolled zooms about the centre: each wheel step is a factor of 1.25.
func (m *MapView) Scrolled(e *fyne.ScrollEvent) {
	c, mpp := m.View()
	m.SetView(c, mpp*math.Pow(1.25, -float64(e.Scrolled.DY)/10))
}

// MouseIn implements desktop.Hoverable.
func (m *MapView) MouseIn(e *desktop.MouseEvent) { m.MouseMoved(e) }

// MouseMoved reports the coordinates under the pointer.
func (m *MapView) MouseMoved(e *desktop.MouseEvent) {
	if m.OnHover != nil {
		m.OnHover(m.PointAt(e.Position, m.Size()))
	}
}

// MouseOut implements desktop.Hoverable.
func (m *MapView) MouseOut() {}

// PointAt is the ground point at a position in a map of the given size.
func (m *MapView) PointAt(p fyne.Position, size fyne.Size) orb.Point {
	c, mpp := m.View()
	return gcs.OffsetNE(c, -(float64(p.Y)-float64(size.Height)/2)*mpp, (float64(p.X)-float64(size.Width)/2)*mpp)
}

// Colours of the map.
var (
	mapBackground = color.RGBA{28, 33, 38, 255}
	mapGrid       = color.RGBA{52, 60, 68, 255}
	mapText       = color.RGBA{150, 160, 170, 255}
	mapVehicle    = color.RGBA{90, 200, 255, 255}
	mapAlarm      = color.RGBA{255, 70, 60, 255}
	mapTrail      = color.RGBA{60, 120, 160, 255}
	mapFootprint  = color.RGBA{230, 200, 60, 255}
	mapTarget     = color.RGBA{255, 140, 40, 255}
)

// draw renders the map at w×h pixels (the raster's size in device pixels).
func (m *MapView) draw(w, h int) image.Image {
	m.mu.Lock()
	centre, mpp, snap := m.centre, m.metresPerPx, m.snap
	m.mu.Unlock()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, mapBackground)
	// The raster may be drawn at a higher density than Fyne's units: scale with it.
	scale := 1.0
	if sz := m.Size(); sz.Width > 0 {
		scale = float64(w) / float64(sz.Width)
	}
	mppDev := mpp / scale
	toPx := func(p orb.Point) (float64, float64) {
		n, e := gcs.NorthEastM(centre, p)
		return float64(w)/2 + e/mppDev, float64(h)/2 - n/mppDev
	}
	spacing := gridSpacingM(mppDev * 120)
	drawGrid(img, centre, mppDev, spacing)
	for _, t := range snap.Targets {
		x, y := toPx(t.Point)
		circle(img, x, y, math.Max(3, t.ErrorM/mppDev), mapTarget)
		disc(img, x, y, 3, mapTarget)
		label(img, int(x)+6, int(y)-6, fmt.Sprintf("T%d %s", t.ID, t.Class), mapTarget)
	}
	for _, v := range snap.Vehicles {
		col := mapVehicle
		if v.Alarm {
			col = mapAlarm
		}
		for i := 1; i < len(v.Trail); i++ {
			x0, y0 := toPx(v.Trail[i-1])
			x1, y1 := toPx(v.Trail[i])
			line(img, x0, y0, x1, y1, mapTrail)
		}
		for i := range v.Footprint {
			x0, y0 := toPx(v.Footprint[i])
			x1, y1 := toPx(v.Footprint[(i+1)%len(v.Footprint)])
			line(img, x0, y0, x1, y1, mapFootprint)
		}
		x, y := toPx(v.Point)
		arrow(img, x, y, v.HeadingDeg, 11*scale, col)
		label(img, int(x)+10, int(y)+4, fmt.Sprintf("%d", v.SysID), col)
	}
	scaleBar(img, spacing, mppDev)
	return img
}

// gridSpacingM rounds a wanted spacing to 1, 2 or 5 times a power of ten metres.
func gridSpacingM(want float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(want)))
	for _, f := range []float64{1, 2, 5, 10} {
		if f*p >= want {
			return f * p
		}
	}
	return 10 * p
}

func drawGrid(img *image.RGBA, centre orb.Point, mpp, spacing float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	// Lines at whole multiples of the spacing from a fixed anchor (the centre rounded to
	// 0.1°), so that they stay on the ground as the map pans.
	anchor := orb.Point{math.Round(centre[0]*10) / 10, math.Round(centre[1]*10) / 10}
	n0, e0 := gcs.NorthEastM(anchor, centre)
	halfW, halfH := float64(w)/2*mpp, float64(h)/2*mpp
	for e := math.Ceil((e0-halfW)/spacing) * spacing; e <= e0+halfW; e += spacing {
		x := float64(w)/2 + (e-e0)/mpp
		line(img, x, 0, x, float64(h), mapGrid)
	}
	for n := math.Ceil((n0-halfH)/spacing) * spacing; n <= n0+halfH; n += spacing {
		y := float64(h)/2 - (n-n0)/mpp
		line(img, 0, y, float64(w), y, mapGrid)
	}
	label(img, 6, 14, fmt.Sprintf("%.5f, %.5f", centre[1], centre[0]), mapText)
}

func scaleBar(img *image.RGBA, spacing, mpp float64) {
	h := img.Rect.Dy()
	px := spacing / mpp
	y := float64(h - 12)
	line(img, 10, y, 10+px, y, mapText)
	line(img, 10, y-4, 10, y+1, mapText)
	line(img, 10+px, y-4, 10+px, y+1, mapText)
	text := fmt.Sprintf("%g m", spacing)
	if spacing >= 1000 {
		text = fmt.Sprintf("%g km", spacing/1000)
	}
	label(img, 14+int(px), h-8, text, mapText)
}

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
