package tiles

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/paulmach/orb"
)

// MaxPrefetchTiles is the most tiles Prefetch fetches without PrefetchOptions.AllowLarge:
// past it a typo in a zoom range or a bounding box is more likely than a wish.
const MaxPrefetchTiles = 50000

// osmBulkLimit is OpenStreetMap's tile usage policy: downloading more than 250 tiles at
// zoom level 13 or deeper for offline use is forbidden on tile.openstreetmap.org.
const osmBulkLimit = 250

// PrefetchOptions tune Prefetch.
type PrefetchOptions struct {
	// Out, when set, is an .mbtiles file to write the tiles into (created, or added to);
	// otherwise the tiles go into the source's disk cache.
	Out string
	// AllowLarge lets a prefetch go past MaxPrefetchTiles.
	AllowLarge bool
}

// PrefetchProgress counts a prefetch's tiles.
type PrefetchProgress struct {
	Total      int64 // tiles in the area and zoom range
	Done       int64 // tiles dealt with so far (the sum of the four below)
	Downloaded int64 // fetched now (from the server or the cache into an .mbtiles)
	Skipped    int64 // already there (fresh in the cache, or in the .mbtiles): a resumed prefetch skips them
	Missing    int64 // the server has none there (404)
	Failed     int64 // could not be fetched
}

// Prefetch downloads the tiles of an area from minZ to maxZ into src's cache, or into an
// .mbtiles file, for use without internet. It counts the tiles first and refuses more than
// MaxPrefetchTiles unless asked, and refuses bulk downloads from OpenStreetMap's own
// servers, which their policy forbids. Tiles already there are skipped, so running it
// again after a stop resumes. It stops with an error when the server keeps failing.
// progress, when set, is called after each tile.
func Prefetch(ctx context.Context, src *Source, b orb.Bound, minZ, maxZ int, progress func(PrefetchProgress), opt PrefetchOptions) (PrefetchProgress, error) {
	var pr PrefetchProgress
	if !(b.Min[0] >= -180 && b.Min[0] < b.Max[0] && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Min[1] < b.Max[1] && b.Max[1] <= 90) {
		return pr, fmt.Errorf("area %v,%v,%v,%v: want minLon,minLat,maxLon,maxLat with min < max", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	}
	srcMin, srcMax := src.Zooms()
	if minZ > maxZ || minZ < srcMin || maxZ > srcMax {
		return pr, fmt.Errorf("zoom %d-%d: want levels within %d-%d, the lower first", minZ, maxZ, srcMin, srcMax)
	}
	pr.Total = CountTiles(b, minZ, maxZ)
	if strings.HasSuffix(src.host, "openstreetmap.org") {
		if n := CountTiles(b, max(minZ, 13), maxZ); maxZ >= 13 && n > osmBulkLimit {
			return pr, fmt.Errorf("%d tiles at zoom 13 or deeper from %s: OpenStreetMap's tile usage policy forbids bulk downloads over %d (use another tile source with --source, or an .mbtiles file made for the area)", n, src.host, osmBulkLimit)
		}
	}
	if pr.Total > MaxPrefetchTiles && !opt.AllowLarge {
		return pr, fmt.Errorf("%d tiles (zoom %d-%d): more than %d; check the area and zooms, or allow it explicitly", pr.Total, minZ, maxZ, MaxPrefetchTiles)
	}
	var (
		out      *mbtilesWriter
		existing map[Tile]bool
	)
	if opt.Out != "" {
		var err error
		out, err = createMBTiles(opt.Out, Metadata{Name: src.Name, Format: strings.TrimPrefix(src.ext, "."),
			Bounds: b, MinZoom: minZ, MaxZoom: maxZ, Attribution: src.Credit})
		if err != nil {
			return pr, err
		}
		defer out.Close()
		if existing, err = out.tiles(minZ, maxZ); err != nil {
			return pr, fmt.Errorf("%s: %w", opt.Out, err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan Tile)
	type result struct {
		t    Tile
		data []byte
		err  error
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for range src.MaxDownloads {
		wg.Go(func() {
			for t := range jobs {
				data, err := src.TileData(ctx, t)
				select {
				case results <- result{t, data, err}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(results) }()
	go func() {
		defer close(jobs)
		for z := minZ; z <= maxZ; z++ {
			r := rangeOf(b, z)
			for x := r.x0; x <= r.x1; x++ {
				for y := r.y0; y <= r.y1; y++ {
					t := Tile{z, x, y}
					if prefetched(src, existing, out != nil, t) {
						results <- result{t: t}
						continue
					}
					select {
					case jobs <- t:
					case <-ctx.Done():
						return
					}
				}
			}
		}
	}()
	// The collector owns the .mbtiles writer: one goroutine writes the file.
	var firstErr error
	failedInARow := 0
	for r := range results {
		switch {
		case r.err == nil && r.data == nil:
			pr.Skipped++
		case r.err == nil:
			pr.Downloaded++
			failedInARow = 0
			if out != nil {
				if err := out.put(r.t, r.data); err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: %w", opt.Out, err)
					cancel()
				}
			}
		case errors.Is(r.err, ErrNotFound):
			pr.Missing++
		case ctx.Err() != nil:
			continue
		default:
			pr.Failed++
			failedInARow++
			if failedInARow >= 10 && firstErr == nil {
				firstErr = fmt.Errorf("stopped after %d tiles, the server keeps failing (run the same prefetch again to resume): %w", pr.Done, r.err)
				cancel()
			}
		}
		pr.Done = pr.Downloaded + pr.Skipped + pr.Missing + pr.Failed
		if progress != nil {
			progress(pr)
		}
	}
	if firstErr != nil {
		return pr, firstErr
	}
	if err := ctx.Err(); err != nil {
		return pr, err
	}
	if out != nil {
		if err := out.Close(); err != nil {
			return pr, fmt.Errorf("%s: %w", opt.Out, err)
		}
	}
	return pr, nil
}

// prefetched says whether a tile is already where the prefetch puts it: in the .mbtiles
// file being written (existing), or fresh in the cache.
func prefetched(src *Source, existing map[Tile]bool, toFile bool, t Tile) bool {
	if toFile {
		return existing[t]
	}
	_, fresh, err := src.Cached(t)
	return err == nil && fresh
}
