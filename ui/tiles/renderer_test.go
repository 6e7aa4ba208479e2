package tiles

import (
	"context"
	"image"
	"image/color"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

var background = color.RGBA{28, 33, 38, 255}

// testRenderer is a Renderer whose tile arrivals are counted and signalled.
type testRenderer struct {
	*Renderer
	arrived atomic.Int64
	signal  chan struct{}
}

func newRenderer(t testing.TB, p Provider, maxTiles int) *testRenderer {
	tr := &testRenderer{signal: make(chan struct{}, 1)}
	tr.Renderer = &Renderer{Provider: p, MaxTiles: maxTiles, OnTileArrived: func() {
		tr.arrived.Add(1)
		select {
		case tr.signal <- struct{}{}:
		default:
		}
	}}
	require.NoError(t, tr.Initialize())
	t.Cleanup(tr.Close)
	return tr
}

func clearTo(img *image.RGBA, c color.RGBA) {
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
}

// drawComplete draws, as the map does, again after each tile arrival until every tile of
// the wanted level is there.
func drawComplete(t testing.TB, r *testRenderer, dst *image.RGBA, c orb.Point, mpp float64) {
	drawUntilComplete(t, func() bool { return r.Draw(dst, c, mpp) }, dst, r.signal)
}

// drawUntilComplete calls draw on a cleared dst until it says complete, waiting for a
// signal (or a while: a tile may have come before the draw) in between.
func drawUntilComplete(t testing.TB, draw func() bool, dst *image.RGBA, signal <-chan struct{}) {
	deadline := time.After(10 * time.Second)
	for {
		clearTo(dst, background)
		if draw() {
			return
		}
		select {
		case <-signal:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("the view did not fill in 10 s")
		}
	}
}

// tileResM is the ground size of a pixel of zoom level z at a latitude.
func tileResM(latDeg float64, z int) float64 {
	return math.Cos(latDeg*math.Pi/180) * 2 * math.Pi * earthRadiusM / (256 * math.Exp2(float64(z)))
}

// mapPx is where the map (ui/mapview.go) puts a point: the inverse of pixel (x, y)
// showing gcs.OffsetNE(centre, -(y-h/2)·mpp, (x-w/2)·mpp). It calls gcs itself, so that a
// change there which the renderer's copy of the projection does not follow fails here.
func mapPx(c, p orb.Point, w, h int, mpp float64) (x, y float64) {
	n, e := gcs.NorthEastM(c, p)
	return float64(w)/2 + e/mpp, float64(h)/2 - n/mpp
}

// worldToPoint is the inverse of worldPx.
func worldToPoint(x, y float64, z int) orb.Point {
	size := 256 * math.Exp2(float64(z))
	return orb.Point{x/size*360 - 180, math.Atan(math.Sinh(math.Pi*(1-2*y/size))) * 180 / math.Pi}
}

func TestDrawPutsTilePixelInPlace(t *testing.T) {
	for _, c := range []struct {
		name   string
		centre orb.Point
		z      int
		ratio  float64 // map metres per pixel / the tiles'
	}{
		{"Frankfurt, one to one", orb.Point{8.682, 50.110}, 16, 1},
		{"Frankfurt, tiles shrunk", orb.Point{8.682, 50.110}, 15, 1.1},
		{"Canberra, tiles enlarged", orb.Point{149.165, -35.363}, 17, 0.9},
		{"on the antimeridian", orb.Point{179.9995, 45}, 16, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRenderer(t, &memProvider{maxZ: 18}, 0)
			mpp := tileResM(c.centre[1], c.z) * c.ratio
			require.Equal(t, c.z, r.ZoomFor(c.centre[1], mpp))
			const w, h = 640, 480
			dst := image.NewRGBA(image.Rect(0, 0, w, h))
			drawComplete(t, r, dst, c.centre, mpp)

			tile := TileAt(c.centre, c.z)
			marker := worldToPoint(float64(tile.X*256)+100.5, float64(tile.Y*256)+60.5, c.z)
			wantX, wantY := mapPx(c.centre, marker, w, h, mpp)
			// Every tile has a marker: look within 10 pixels of where this one belongs.
			var sx, sy, n float64
			for y := int(wantY) - 10; y <= int(wantY)+10; y++ {
				for x := int(wantX) - 10; x <= int(wantX)+10; x++ {
					if dst.RGBAAt(x, y) == markerColour {
						sx, sy, n = sx+float64(x), sy+float64(y), n+1
					}
				}
			}
			require.NotZero(t, n, "the marker is drawn")
			require.InDelta(t, wantX, sx/n, 1, "x of the marker")
			require.InDelta(t, wantY, sy/n, 1, "y of the marker")
			// Elsewhere the tile's own colour: the pixel at the view's centre.
			if got := dst.RGBAAt(w/2, h/2); got != markerColour {
				require.Equal(t, tileColour(tile), got)
			}
		})
	}
}

func TestDrawNeverWaitsAndFallsBackToCoarserTiles(t *testing.T) {
	p := &memProvider{maxZ: 18, blockZ: 16, block: make(chan struct{})}
	r := newRenderer(t, p, 0)
	t16 := Tile{16, 34348, 22234}
	centre := worldToPoint(float64(t16.X*256+128), float64(t16.Y*256+128), 16) // the middle of t16
	dst := image.NewRGBA(image.Rect(0, 0, 400, 300))

	drawComplete(t, r, dst, centre, tileResM(centre[1], 15)) // zoom 15 is loaded
	require.Positive(t, r.arrived.Load(), "OnTileArrived told the map")

	mpp := tileResM(centre[1], 16)
	clearTo(dst, background)
	require.False(t, r.Draw(dst, centre, mpp), "zoom 16 is not loaded yet: its loads are blocked")
	require.Equal(t, tileColour(t16.Parent()), dst.RGBAAt(200, 150), "meanwhile the parent, enlarged")

	close(p.block)
	drawComplete(t, r, dst, centre, mpp)
	require.Equal(t, tileColour(t16), dst.RGBAAt(200, 150))
}

func TestDrawLeavesPixelsWithoutTiles(t *testing.T) {
	r := newRenderer(t, &memProvider{minZ: 3, maxZ: 10}, 0)
	dst := image.NewRGBA(image.Rect(0, 0, 200, 200))
	// Near the pole, beyond Web Mercator: nothing to draw, the background stays.
	clearTo(dst, background)
	require.True(t, r.Draw(dst, orb.Point{0, 89.9}, 10))
	require.Equal(t, background, dst.RGBAAt(100, 100))
	// A provider without tiles at the wanted level (past its deepest) is enlarged.
	c := orb.Point{8.682, 50.110}
	drawComplete(t, r, dst, c, tileResM(c[1], 14))
	require.Equal(t, 10, r.ZoomFor(c[1], tileResM(c[1], 14)))
	require.Equal(t, tileColour(TileAt(c, 10)), dst.RGBAAt(100, 100))
}

func TestDrawMemoryStaysBounded(t *testing.T) {
	p := &memProvider{maxZ: 18}
	r := newRenderer(t, p, 40)
	dst := image.NewRGBA(image.Rect(0, 0, 128, 128))
	c := orb.Point{8.682, 50.110}
	mpp := tileResM(c[1], 16)
	for range 25 { // pan east, 256 pixels a step: 25 tiles wide
		c[0] += 256 * mpp / (metresPerDeg * math.Cos(c[1]*math.Pi/180))
		drawComplete(t, r, dst, c, mpp)
		require.LessOrEqual(t, r.CachedTiles(), 40)
	}
	require.Greater(t, p.calls.Load(), int64(40), "tiles were dropped and loaded anew")
}

// BenchmarkDraw draws a 1280×800 view with its tiles in memory, panning a little each
// time as an operator dragging the map does.
func BenchmarkDraw(b *testing.B) {
	r := newRenderer(b, &memProvider{maxZ: 18}, 0)
	dst := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	c := orb.Point{8.682, 50.110}
	mpp := tileResM(c[1], 16) * 1.05
	drawComplete(b, r, dst, c, mpp)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p := orb.Point{c[0] + float64(i%10)*1e-6, c[1]}
		r.Draw(dst, p, mpp)
	}
}

// BenchmarkDrawBaseline copies a 1280×800 RGBA image: the least a base layer can cost,
// measured in the same run so that BenchmarkDraw can be read as a ratio on a busy machine.
func BenchmarkDrawBaseline(b *testing.B) {
	src := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	dst := image.NewRGBA(src.Rect)
	for range b.N {
		copy(dst.Pix, src.Pix)
	}
}

// TestDrawCachedTilesDoNotWaitForDownloads: on a slow link, the tiles already on disk are
// drawn while the downloads of the others (the nine most central ones, more than there
// are downloads and loaders) hang.
func TestDrawCachedTilesDoNotWaitForDownloads(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	centre := TileAt(orb.Point{8.682, 50.110}, 16)
	c := worldToPoint(float64(centre.X*256+128), float64(centre.Y*256+128), 16) // its middle
	var cached []Tile
	for dx := -2; dx <= 2; dx++ {
		for dy := -2; dy <= 2; dy++ {
			if dx*dx > 1 || dy*dy > 1 {
				tl := Tile{16, centre.X + dx, centre.Y + dy}
				_, err := src.TileData(context.Background(), tl)
				require.NoError(t, err)
				cached = append(cached, tl)
			}
		}
	}
	gate := make(chan struct{})
	var opened sync.Once
	open := func() { opened.Do(func() { close(gate) }) }
	t.Cleanup(open) // before the server's Close, even when the test fails
	srv.mu.Lock()
	srv.gate = gate
	srv.mu.Unlock()
	r := newRenderer(t, src, 0)
	dst := image.NewRGBA(image.Rect(0, 0, 1100, 1100))
	mpp := tileResM(c[1], 16)
	x, y := mapPx(c, worldToPoint(float64((centre.X+2)*256+20), float64(centre.Y*256+128), 16), 1100, 1100, mpp)
	neighbour := tileColour(Tile{16, centre.X + 2, centre.Y})
	require.Eventually(t, func() bool {
		clearTo(dst, background)
		r.Draw(dst, c, mpp)
		return dst.RGBAAt(int(x), int(y)) == neighbour
	}, 10*time.Second, 20*time.Millisecond, "the cached neighbour is drawn while the centre tile's download hangs")
	clearTo(dst, background)
	require.False(t, r.Draw(dst, c, mpp), "the centre tile is not there yet")
	require.Equal(t, background, dst.RGBAAt(550, 550))

	open()
	drawComplete(t, r, dst, c, mpp)
	require.Equal(t, tileColour(centre), dst.RGBAAt(550, 550))
}

// TestDrawAnyView draws views at the edges of the world and of the scales, into a
// sub-image: nothing panics and nothing is written outside it.
func TestDrawAnyView(t *testing.T) {
	r := newRenderer(t, &memProvider{maxZ: 18}, 0)
	canvas := image.NewRGBA(image.Rect(0, 0, 300, 300))
	for _, v := range []struct {
		centre orb.Point
		mpp    float64
		rect   image.Rectangle
	}{
		{orb.Point{-180, 0}, 0.05, image.Rect(10, 10, 290, 290)},
		{orb.Point{179.99999, -85.05}, 3, image.Rect(1, 1, 2, 2)},
		{orb.Point{0, 89.999}, 2000, image.Rect(5, 20, 295, 21)},
		{orb.Point{12.3, -89.999}, 500, image.Rect(0, 100, 300, 300)},
		{orb.Point{-0.0000001, 85.0511}, 0.3, image.Rect(50, 50, 53, 250)},
		{orb.Point{100, 10}, 1e-9, image.Rect(10, 10, 290, 290)},
		{orb.Point{100, 10}, 1e9, image.Rect(10, 10, 290, 290)},
	} {
		for range 3 { // again once tiles have come
			clearTo(canvas, background)
			r.Draw(canvas.SubImage(v.rect).(*image.RGBA), v.centre, v.mpp)
			for y := range 300 {
				for x := range 300 {
					if !image.Pt(x, y).In(v.rect) {
						require.Equal(t, background, canvas.RGBAAt(x, y), "%v: pixel (%d, %d) outside the view", v, x, y)
					}
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// A sub-image is drawn in its own place: its centre shows the tile at the centre.
	sub := canvas.SubImage(image.Rect(10, 10, 290, 290)).(*image.RGBA)
	c := orb.Point{8.682, 50.110}
	drawUntilComplete(t, func() bool { return r.Draw(sub, c, tileResM(c[1], 16)) }, sub, r.signal)
	if got := canvas.RGBAAt(150, 150); got != markerColour {
		require.Equal(t, tileColour(TileAt(c, 16)), got)
	}
}
