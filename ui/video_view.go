package ui

import (
	"image"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// videoView is the picture of the video panel: the frame scaled to fit with its boxes, and
// clicks turned into the frame's pixels.
type videoView struct {
	widget.BaseWidget

	// onTap receives a click inside the picture, in the frame's pixels, with the frame's size.
	onTap func(u, v float64, frameW, frameH int)

	mu      sync.Mutex
	frame   *VideoFrame
	overlay videoOverlay
	drawer  videoDrawer
	raster  *canvas.Raster
}

func newVideoView() *videoView {
	v := &videoView{}
	v.raster = canvas.NewRaster(v.draw)
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer implements fyne.Widget.
func (v *videoView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.raster)
}

// MinSize keeps a picture an operator can still click into.
func (v *videoView) MinSize() fyne.Size { return fyne.NewSize(160, 90) }

// show replaces the frame (nil: none) and what is drawn over it, and redraws.
func (v *videoView) show(f *VideoFrame, o videoOverlay) {
	v.mu.Lock()
	v.frame, v.overlay = f, o
	v.mu.Unlock()
	v.raster.Refresh()
}

// draw is the raster's generator: w×h device pixels.
func (v *videoView) draw(w, h int) image.Image {
	density := 1.0
	if sz := v.Size(); sz.Width > 0 {
		density = float64(w) / float64(sz.Width)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.drawer.draw(w, h, density, v.frame, v.overlay)
}

// Tapped turns a click into the frame's pixel under it; clicks beside the picture (the
// bars of a picture of another shape) are ignored.
func (v *videoView) Tapped(e *fyne.PointEvent) {
	v.mu.Lock()
	f := v.frame
	v.mu.Unlock()
	if f == nil || f.Image == nil || v.onTap == nil {
		return
	}
	b := f.Image.Bounds()
	sz := v.Size()
	l := fitVideo(b.Dx(), b.Dy(), float64(sz.Width), float64(sz.Height))
	if x, y, ok := l.toFrame(float64(e.Position.X), float64(e.Position.Y)); ok {
		v.onTap(x, y, b.Dx(), b.Dy())
	}
}

// Cursor implements desktop.Cursorable: a cross-hair says the picture takes clicks.
func (v *videoView) Cursor() desktop.Cursor { return desktop.CrosshairCursor }
