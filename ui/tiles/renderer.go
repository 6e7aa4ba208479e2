package tiles

import (
	"container/list"
	"context"
	"errors"
	"image"
	"math"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// earthRadiusM is the sphere both the map's flat projection (gcs.OffsetNE, on orb's
// sphere) and Web Mercator use: WGS84's equatorial radius.
const earthRadiusM = orb.EarthRadius

// metresPerDeg is the length of a degree of latitude on that sphere, as gcs uses it.
const metresPerDeg = math.Pi * earthRadiusM / 180

// Renderer draws a Provider's tiles into the map's local flat projection. Draw never waits
// on a disk or the network: tiles it does not hold are asked of loader goroutines and
// drawn meanwhile from the nearest coarser level it holds (upscaled); OnTileArrived says
// when one has come so the map can draw again. Decoded tiles are kept in a bounded LRU,
// so memory stays flat however long the map is panned.
type Renderer struct {
	// Provider gives the tiles. Required.
	Provider Provider
	// OnTileArrived, when set, is called from a loader goroutine after a tile has been
	// loaded (it may come in bursts as a view fills in; the map coalesces redraws).
	OnTileArrived func()
	// MaxTiles is how many decoded tiles are kept in memory (a 256-pixel tile is 256 KiB).
	// It defaults to 192; it grows to twice what one view needs when a view needs more.
	MaxTiles int
	// Loaders is how many tiles are read from a disk or file at once. It defaults to 2.
	// For a provider with a local cache (Source), as many more as its downloads fetch
	// what the cache lacks, so that a slow download never holds up a cached tile.
	Loaders int

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	lru      *list.List // of *cached, most recent first
	byTile   map[Tile]*list.Element
	capacity int
	local    loadStage // tiles wanted by the last frame, most central first
	net      loadStage // tiles the local cache lacks, for the download loaders
	inflight map[Tile]bool
	retry    map[Tile]time.Time // failed loads, not asked again before this
}

// cached is a tile in memory: its image, or the knowledge that the provider has none.
type cached struct {
	t   Tile
	img *image.RGBA // nil: the provider has no tile there
}

// Initialize checks the configuration and starts the loaders.
func (r *Renderer) Initialize() error {
	if r.Provider == nil {
		return errors.New("tiles: Renderer needs a Provider")
	}
	if r.MaxTiles <= 0 {
		r.MaxTiles = 192
	}
	if r.Loaders <= 0 {
		r.Loaders = 2
	}
	r.capacity = r.MaxTiles
	r.lru = list.New()
	r.byTile = map[Tile]*list.Element{}
	r.inflight = map[Tile]bool{}
	r.retry = map[Tile]time.Time{}
	r.local.wake = make(chan struct{}, 1)
	r.net.wake = make(chan struct{}, 1)
	r.ctx, r.cancel = context.WithCancel(context.Background())
	for range r.Loaders {
		r.wg.Go(func() { r.load(&r.local, r.loadLocal) })
	}
	if lp, ok := r.Provider.(LocalProvider); ok {
		for range lp.Downloads() {
			r.wg.Go(func() { r.load(&r.net, r.loadRemote) })
		}
	}
	return nil
}

// Close stops the loaders and waits for them.
func (r *Renderer) Close() {
	r.cancel()
	r.wg.Wait()
}

// CachedTiles returns how many tiles are held in memory.
func (r *Renderer) CachedTiles() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lru.Len()
}

// ZoomFor returns the tile zoom level Draw uses at a latitude and scale: the coarsest
// whose pixels are no more than 1.15 times the map's (so tiles are sharp, never blurred
// by more than a little), within the provider's levels.
func (r *Renderer) ZoomFor(latDeg, metresPerPx float64) int {
	minZ, maxZ := r.Provider.Zooms()
	tileRes := math.Cos(latDeg*math.Pi/180) * 2 * math.Pi * earthRadiusM / 256 // metres per pixel at zoom 0
	z := int(math.Ceil(math.Log2(tileRes/metresPerPx) - math.Log2(1.15)))
	return min(max(z, minZ), maxZ)
}

// frameTile is how one tile of the wanted level is drawn this frame: from img, which
// is the tile itself (shift 0) or the ancestor shift levels up.
type frameTile struct {
	img    *image.RGBA
	shift  int
	scale  float64 // ancestor pixels per wanted-level world pixel
	ox, oy float64 // where the wanted tile starts in img, in img pixels
}

// Draw fills dst with the base map centred on centre at metresPerPx, in the map's
// projection: pixel (x, y) of a w×h image shows gcs.OffsetNE(centre, -(y-h/2)·mpp,
// (x-w/2)·mpp), north up. Pixels where no tile is held are left as they are (the caller's
// background or grid shows). It returns true when every tile of the wanted level was
// there, false while some were drawn from a coarser level or not at all.
func (r *Renderer) Draw(dst *image.RGBA, centre orb.Point, metresPerPx float64) (complete bool) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	if w == 0 || h == 0 || !(metresPerPx > 0) || math.IsNaN(centre[0]) || math.IsNaN(centre[1]) {
		return true
	}
	z := r.ZoomFor(centre[1], metresPerPx)
	minZ, _ := r.Provider.Zooms()
	world := 256 * math.Exp2(float64(z))
	n := 1 << z
	// Each row is one latitude, and along it longitude is linear in x: world x = a + b·x.
	rowLat := func(y int) float64 { return centre[1] - (float64(y)-float64(h)/2)*metresPerPx/metresPerDeg }
	rowAB := func(lat float64) (a, b float64) {
		ls := math.Max(math.Cos((centre[1]+lat)/2*math.Pi/180), 0.01)
		b = metresPerPx / (metresPerDeg * ls) / 360 * world
		a = (centre[0]+180)/360*world - float64(w)/2*b
		return a, b
	}
	// How many tiles the view spans, to refuse a frame that would need thousands.
	latTop, latBot := rowLat(0), rowLat(h-1)
	_, bTop := rowAB(latTop)
	_, bBot := rowAB(latBot)
	spanX := math.Max(bTop, bBot)*float64(w)/256 + 2
	_, yTop := worldPx(orb.Point{0, latTop}, z)
	_, yBot := worldPx(orb.Point{0, latBot}, z)
	spanY := (yBot-yTop)/256 + 2
	if spanX*spanY > 1024 {
		return false
	}
	frame := map[Tile]*frameTile{}
	var missing []Tile
	complete = true
	r.mu.Lock()
	r.capacity = max(r.MaxTiles, int(2*spanX*spanY))
	resolve := func(t Tile) *frameTile {
		if ft, ok := frame[t]; ok {
			return ft
		}
		ft := &frameTile{}
		frame[t] = ft
		e, held := r.byTile[t]
		if held {
			r.lru.MoveToFront(e)
			if img := e.Value.(*cached).img; img != nil {
				ft.img, ft.scale = img, float64(img.Rect.Dx())/256
				return ft
			}
		} else {
			complete = false
			missing = append(missing, t)
		}
		// Not held (or the provider has none at this level): the nearest coarser one held.
		for k := 1; k <= 8 && t.Z-k >= minZ; k++ {
			a := Tile{t.Z - k, t.X >> k, t.Y >> k}
			if e, ok := r.byTile[a]; ok && e.Value.(*cached).img != nil {
				img := e.Value.(*cached).img
				r.lru.MoveToFront(e)
				sub := float64(img.Rect.Dx()) / math.Exp2(float64(k)) // pixels of img per wanted tile
				ft.img, ft.shift, ft.scale = img, k, sub/256
				ft.ox, ft.oy = float64(t.X-a.X<<k)*sub, float64(t.Y-a.Y<<k)*sub
				return ft
			}
		}
		return ft
	}
	// Resolve the frame's tiles first (under the lock), then draw without it.
	type rowPlan struct {
		a, b, wy float64
		ty       int
	}
	rows := make([]rowPlan, h)
	prevTy, prevLo, prevHi := -1, 0, 0
	for y := range h {
		lat := rowLat(y)
		a, b := rowAB(lat)
		_, wy := worldPx(orb.Point{0, lat}, z)
		ty := -1
		if lat < maxMercatorLatDeg && lat > -maxMercatorLatDeg {
			ty = min(int(wy)/256, n-1)
		}
		rows[y] = rowPlan{a, b, wy, ty}
		lo, hi := int(math.Floor(a/256)), int(math.Floor((a+b*float64(w-1))/256))
		if ty >= 0 && (ty != prevTy || lo != prevLo || hi != prevHi) {
			for tx := lo; tx <= hi; tx++ {
				resolve(Tile{z, wrapTile(tx, n), ty})
			}
		}
		prevTy, prevLo, prevHi = ty, lo, hi
	}
	r.mu.Unlock()
	for y, row := range rows {
		if row.ty >= 0 {
			drawRow(dst, y, w, row.a, row.b, row.wy-float64(row.ty*256), func(tx int) *frameTile {
				return frame[Tile{z, wrapTile(tx, n), row.ty}]
			})
		}
	}
	r.request(missing, TileAt(centre, z))
	return complete
}

// drawRow draws row y of dst, whose world x is a + b·x and which is v pixels down its row
// of tiles, one run of pixels per tile, stepping through the tile in 16.16 fixed point.
func drawRow(dst *image.RGBA, y, w int, a, b, v float64, tileAt func(tx int) *frameTile) {
	off := dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y+y)
	for x := 0; x < w; {
		wx := a + b*float64(x)
		tx := int(math.Floor(wx / 256))
		next := min(max(int(math.Ceil((float64(tx+1)*256-a)/b)), x+1), w) // first x of the next tile
		ft := tileAt(tx)
		if ft == nil || ft.img == nil {
			x = next
			continue
		}
		img := ft.img
		sz := img.Rect.Dx()
		py := min(int(ft.oy+v*ft.scale), sz-1)
		srow := img.Pix[py*img.Stride : py*img.Stride+sz*4]
		u := max(int64(((wx-float64(tx)*256)*ft.scale+ft.ox)*65536), 0) // ≥ 0 whatever the rounding
		du := int64(b * ft.scale * 65536)
		drow := dst.Pix[off+x*4 : off+next*4]
		for i := 0; i+4 <= len(drow); i += 4 {
			px := min(int(u>>16), sz-1) * 4
			u += du
			s := srow[px : px+4 : px+4]
			d := drow[i : i+4 : i+4]
			switch al := s[3]; al {
			case 255:
				d[0], d[1], d[2], d[3] = s[0], s[1], s[2], 255
			case 0:
			default: // premultiplied "over"
				k := uint32(255 - al)
				d[0] = s[0] + uint8(uint32(d[0])*k/255)
				d[1] = s[1] + uint8(uint32(d[1])*k/255)
				d[2] = s[2] + uint8(uint32(d[2])*k/255)
				d[3] = s[3] + uint8(uint32(d[3])*k/255)
			}
		}
		x = next
	}
}

// wrapTile maps a tile column across the antimeridian into 0..n-1.
func wrapTile(x, n int) int {
	x %= n
	if x < 0 {
		x += n
	}
	return x
}
