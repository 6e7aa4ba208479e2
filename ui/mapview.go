// Package ui is Vigil's desktop app on Fyne: it draws snapshots of the station (vehicles,
// targets, zones) and sends the operator's intents to it; it never talks to a vehicle or a
// camera itself.
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

	"github.com/vigil-gcs/vigil/gcs"
)

// MapBase draws the ground under the layers: tiles, or the built-in grid.
type MapBase interface {
	DrawBase(img *image.RGBA, centre orb.Point, metresPerPx float64)
}

// MapEditor is a tool that draws on the map and takes its clicks and drags first (the plan
// editor, drawing a zone). Its methods run on Fyne's goroutine.
type MapEditor interface {
	// Tapped handles a click at p and reports whether it was the editor's.
	Tapped(p orb.Point, pr MapProjection) bool
	// DragStart reports whether a drag starting at p is the editor's (a vertex); then Drag
	// follows the pointer until DragEnd.
	DragStart(p orb.Point, pr MapProjection) bool
	Drag(p orb.Point)
	DragEnd()
	// Draw draws the editor's shapes over the layers.
	Draw(img *image.RGBA, pr MapProjection)
}

// MapView is the map: a base (tiles, or a grid that is never blank without internet), the
// station's layers, and an optional editor on top. Drag to pan, scroll to zoom; the point
// under the cursor goes to OnHover, a click to OnTap, a right-click to OnSecondaryTap.
type MapView struct {
	widget.BaseWidget

	// OnHover receives the coordinates under the mouse pointer.
	OnHover func(orb.Point)
	// OnTap receives a left click the editor did not take.
	OnTap func(orb.Point)
	// OnSecondaryTap receives a right click, with the absolute position for a menu.
	OnSecondaryTap func(p orb.Point, at fyne.Position)

	mu          sync.Mutex
	centre      orb.Point
	metresPerPx float64
	snap        MapSnapshot
	layers      MapLayers
	base        MapBase
	editor      MapEditor
	editorDrag  bool
	dragging    bool
	raster      *canvas.Raster

	// baseCache is the last drawing of the base, kept while the view does not change: tiles
	// and the simulated world cost far more than the layers.
	baseCache *image.RGBA
	baseKey   baseKey
	baseGen   int
}

// baseKey is the view a cached base was drawn for.
type baseKey struct {
	centre orb.Point
	mpp    float64
	w, h   int
	gen    int // changes with the base and when it asks to be redrawn
}

// NewMapView returns a map centred on centre, showing metresPerPx metres per pixel, all
// layers on.
func NewMapView(centre orb.Point, metresPerPx float64) *MapView {
	m := &MapView{centre: centre, metresPerPx: metresPerPx, layers: AllLayers()}
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

// Snapshot returns what the map shows.
func (m *MapView) Snapshot() MapSnapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snap
}

// SetBase sets what is drawn under the layers; nil is the built-in grid.
func (m *MapView) SetBase(b MapBase) {
	m.mu.Lock()
	m.base = b
	m.baseGen++
	m.mu.Unlock()
	m.raster.Refresh()
}

// InvalidateBase redraws the base at the next frame (a tile arrived).
func (m *MapView) InvalidateBase() {
	m.mu.Lock()
	m.baseGen++
	m.mu.Unlock()
	m.raster.Refresh()
}

// SetEditor puts a tool on the map (nil removes it).
func (m *MapView) SetEditor(e MapEditor) {
	m.mu.Lock()
	m.editor, m.editorDrag = e, false
	m.mu.Unlock()
	m.raster.Refresh()
}

// Editor returns the tool on the map, if any.
func (m *MapView) Editor() MapEditor {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.editor
}

// Layers returns which layers are shown.
func (m *MapView) Layers() MapLayers {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.layers
}

// ShowLayer switches one layer on or off.
func (m *MapView) ShowLayer(l MapLayer, on bool) {
	m.mu.Lock()
	m.layers[l] = on
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

// Projection is the map's projection in Fyne units (what pointer events use).
func (m *MapView) Projection() MapProjection {
	c, mpp := m.View()
	sz := m.Size()
	return MapProjection{Centre: c, MetresPerPx: mpp, W: int(sz.Width), H: int(sz.Height), Scale: 1}
}

// PointAt is the ground point at a position in a map of the given size.
func (m *MapView) PointAt(p fyne.Position, size fyne.Size) orb.Point {
	c, mpp := m.View()
	return MapProjection{Centre: c, MetresPerPx: mpp, W: int(size.Width), H: int(size.Height)}.PointAt(float64(p.X), float64(p.Y))
}

// Tapped gives a click to the editor, else to OnTap.
func (m *MapView) Tapped(e *fyne.PointEvent) {
	p := m.PointAt(e.Position, m.Size())
	if ed := m.Editor(); ed != nil && ed.Tapped(p, m.Projection()) {
		m.raster.Refresh()
		return
	}
	if m.OnTap != nil {
		m.OnTap(p)
	}
}

// TappedSecondary opens the map's action menu (OnSecondaryTap).
func (m *MapView) TappedSecondary(e *fyne.PointEvent) {
	if m.OnSecondaryTap != nil {
		m.OnSecondaryTap(m.PointAt(e.Position, m.Size()), e.AbsolutePosition)
	}
}

// Dragged moves an editor's vertex, or pans the map.
func (m *MapView) Dragged(e *fyne.DragEvent) {
	if !m.dragging {
		m.dragging = true
		start := fyne.NewPos(e.Position.X-e.Dragged.DX, e.Position.Y-e.Dragged.DY)
		if ed := m.Editor(); ed != nil {
			m.editorDrag = ed.DragStart(m.PointAt(start, m.Size()), m.Projection())
		}
	}
	if m.editorDrag {
		if ed := m.Editor(); ed != nil {
			ed.Drag(m.PointAt(e.Position, m.Size()))
			m.raster.Refresh()
			return
		}
	}
	c, mpp := m.View()
	m.SetView(gcs.OffsetNE(c, float64(e.Dragged.DY)*mpp, -float64(e.Dragged.DX)*mpp), mpp)
}

// DragEnd ends a pan or a vertex move.
func (m *MapView) DragEnd() {
	if m.editorDrag {
		if ed := m.Editor(); ed != nil {
			ed.DragEnd()
		}
	}
	m.dragging, m.editorDrag = false, false
	m.raster.Refresh()
}

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

// Colours of the built-in base.
var (
	mapBackground = color.RGBA{28, 33, 38, 255}
	mapGrid       = color.RGBA{52, 60, 68, 255}
	mapText       = color.RGBA{150, 160, 170, 255}
)

// draw renders the map at w×h pixels (the raster's size in device pixels).
func (m *MapView) draw(w, h int) image.Image {
	m.mu.Lock()
	centre, mpp, snap, layers, base, editor, gen := m.centre, m.metresPerPx, m.snap, m.layers, m.base, m.editor, m.baseGen
	m.mu.Unlock()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	// The raster may be drawn at a higher density than Fyne's units: scale with it.
	scale := 1.0
	if sz := m.Size(); sz.Width > 0 {
		scale = float64(w) / float64(sz.Width)
	}
	pr := MapProjection{Centre: centre, MetresPerPx: mpp / scale, W: w, H: h, Scale: scale}
	spacing := gridSpacingM(pr.MetresPerPx * 120)
	if base != nil {
		key := baseKey{centre: centre, mpp: pr.MetresPerPx, w: w, h: h, gen: gen}
		if m.baseCache == nil || m.baseKey != key {
			cache := image.NewRGBA(img.Rect)
			fill(cache, mapBackground)
			base.DrawBase(cache, centre, pr.MetresPerPx)
			m.baseCache, m.baseKey = cache, key
		}
		copy(img.Pix, m.baseCache.Pix)
	} else {
		fill(img, mapBackground)
		drawGrid(img, centre, pr.MetresPerPx, spacing)
	}
	drawLayers(img, pr, snap, layers)
	if editor != nil {
		editor.Draw(img, pr)
	}
	scaleBar(img, spacing, pr.MetresPerPx)
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
	label(img, 90, 16, fmt.Sprintf("%.5f, %.5f", centre[1], centre[0]), mapText) // right of the Layers button
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
