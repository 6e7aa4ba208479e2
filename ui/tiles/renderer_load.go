package tiles

import (
	"errors"
	"fmt"
	"image"
	"slices"
	"time"
)

// LocalProvider is a Provider with a local cache in front of a slow one (Source: a disk
// cache in front of a tile server). The Renderer reads the cache with its own loaders and
// leaves only what the cache lacks to download loaders, so that cached tiles show at once
// while downloads crawl.
type LocalProvider interface {
	Provider
	// Cached returns a tile from the local cache and whether it is fresh, without the
	// network; the error wraps ErrNotFound when the cache does not have it.
	Cached(t Tile) (data []byte, fresh bool, err error)
	// Downloads is how many downloads may run at once.
	Downloads() int
}

// loadStage is a queue of tiles and the signal that wakes its loaders.
type loadStage struct {
	queue []Tile
	wake  chan struct{}
}

func (s *loadStage) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// request replaces the loaders' queues with this frame's missing tiles, nearest the
// centre first: tiles wanted by an older frame and not started are dropped, so a fast
// pan does not leave a backlog of places already left.
func (r *Renderer) request(missing []Tile, centre Tile) {
	now := time.Now()
	d := func(t Tile) int { return (t.X-centre.X)*(t.X-centre.X) + (t.Y-centre.Y)*(t.Y-centre.Y) }
	byDistance := func(a, b Tile) int { return d(a) - d(b) }
	r.mu.Lock()
	wanted := make(map[Tile]bool, len(missing))
	r.local.queue = r.local.queue[:0]
	for _, t := range missing {
		wanted[t] = true
		if r.inflight[t] {
			continue
		}
		if until, ok := r.retry[t]; ok && now.Before(until) {
			continue
		}
		r.local.queue = append(r.local.queue, t)
	}
	slices.SortFunc(r.local.queue, byDistance)
	// Downloads waiting for a place the view has left are dropped too.
	r.net.queue = slices.DeleteFunc(r.net.queue, func(t Tile) bool {
		if !wanted[t] {
			delete(r.inflight, t)
			return true
		}
		return false
	})
	slices.SortFunc(r.net.queue, byDistance)
	more := len(r.local.queue) > 0
	r.mu.Unlock()
	if more {
		r.local.signal()
	}
}

// load is one loader goroutine of a stage: it takes the most central tile and works on it.
func (r *Renderer) load(s *loadStage, work func(Tile)) {
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-s.wake:
		}
		for r.ctx.Err() == nil {
			r.mu.Lock()
			if len(s.queue) == 0 {
				r.mu.Unlock()
				break
			}
			t := s.queue[0]
			s.queue = s.queue[1:]
			r.inflight[t] = true
			more := len(s.queue) > 0
			r.mu.Unlock()
			if more { // let another loader take the next one
				s.signal()
			}
			work(t)
		}
	}
}

// loadLocal loads a tile from a provider without a local cache, or from the cache of one
// that has it, passing what the cache lacks (or holds stale) to the download loaders.
func (r *Renderer) loadLocal(t Tile) {
	lp, ok := r.Provider.(LocalProvider)
	if !ok {
		r.loadRemote(t)
		return
	}
	data, fresh, err := lp.Cached(t)
	if err == nil && fresh {
		img, err := decodeTile(data)
		if err == nil {
			r.done(t, img, nil)
			return
		}
	}
	r.mu.Lock()
	r.net.queue = append(r.net.queue, t) // still in flight
	r.mu.Unlock()
	r.net.signal()
}

// loadRemote loads a tile through the provider (which may download it) and keeps it.
func (r *Renderer) loadRemote(t Tile) {
	img, err := r.fetch(t)
	r.done(t, img, err)
}

// done records a load's outcome and tells the map when a tile came.
func (r *Renderer) done(t Tile, img *image.RGBA, err error) {
	r.mu.Lock()
	delete(r.inflight, t)
	switch {
	case err == nil || errors.Is(err, ErrNotFound):
		r.put(t, img)
	case r.ctx.Err() != nil:
	default:
		if len(r.retry) > 4096 {
			clear(r.retry)
		}
		r.retry[t] = time.Now().Add(5 * time.Second)
	}
	r.mu.Unlock()
	if err == nil && r.OnTileArrived != nil {
		r.OnTileArrived()
	}
}

// fetch loads and decodes a tile. A tile that cannot be decoded counts as none there, so
// a corrupt tile is not asked for again and again.
func (r *Renderer) fetch(t Tile) (*image.RGBA, error) {
	data, err := r.Provider.TileData(r.ctx, t)
	if err != nil {
		return nil, err
	}
	img, err := decodeTile(data)
	if err != nil {
		return nil, fmt.Errorf("tile %s: %w (%w)", t, ErrNotFound, err)
	}
	return img, nil
}

// put keeps a tile (nil: known to be missing), dropping the least recently used beyond
// the capacity. Call with r.mu held.
func (r *Renderer) put(t Tile, img *image.RGBA) {
	if e, ok := r.byTile[t]; ok {
		e.Value.(*cached).img = img
		r.lru.MoveToFront(e)
		return
	}
	r.byTile[t] = r.lru.PushFront(&cached{t, img})
	for r.lru.Len() > r.capacity {
		old := r.lru.Back()
		r.lru.Remove(old)
		delete(r.byTile, old.Value.(*cached).t)
	}
}
