package tiles

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// campArea is about 2 km × 2 km near Canberra.
var campArea = orb.Bound{Min: orb.Point{149.155, -35.372}, Max: orb.Point{149.177, -35.354}}

func TestCountTiles(t *testing.T) {
	for _, c := range []struct {
		name       string
		b          orb.Bound
		minZ, maxZ int
		want       int64
	}{
		{"the world at zoom 0-2", orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}, 0, 2, 1 + 4 + 16},
		{"one tile's area", Tile{10, 300, 400}.Bound().Pad(-1e-9), 10, 12, 1 + 4 + 16},
		{"a camp at zoom 14-16", campArea, 14, 16, 4 + 9 + 25}, // as the OSM wiki's tile formula gives
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, CountTiles(c.b, c.minZ, c.maxZ))
		})
	}
}

func TestPrefetchIntoCacheResumes(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	total := CountTiles(campArea, 12, 16)
	// Stop after 7 tiles, as Ctrl-C would.
	ctx, cancel := context.WithCancel(context.Background())
	pr, err := Prefetch(ctx, src, campArea, 12, 16, func(p PrefetchProgress) {
		if p.Done == 7 {
			cancel()
		}
	}, PrefetchOptions{})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, total, pr.Total)
	first := srv.requests.Load()
	require.GreaterOrEqual(t, first, int64(7))

	pr, err = Prefetch(context.Background(), src, campArea, 12, 16, nil, PrefetchOptions{})
	require.NoError(t, err)
	require.Equal(t, PrefetchProgress{Total: total, Done: total, Downloaded: total - pr.Skipped, Skipped: pr.Skipped}, pr)
	require.GreaterOrEqual(t, pr.Skipped, int64(7), "what the first run fetched is not fetched again")
	// Every tile asked for once over the two runs, but for the downloads the stop cut short.
	require.LessOrEqual(t, srv.requests.Load(), total+int64(src.MaxDownloads))

	// Offline, the whole area is there.
	srv.Close()
	for z := 12; z <= 16; z++ {
		r := rangeOf(campArea, z)
		for x := r.x0; x <= r.x1; x++ {
			for y := r.y0; y <= r.y1; y++ {
				_, err := src.TileData(context.Background(), Tile{z, x, y})
				require.NoError(t, err)
			}
		}
	}
}

func TestPrefetchToMBTiles(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	out := filepath.Join(t.TempDir(), "camp.mbtiles")
	pr, err := Prefetch(context.Background(), src, campArea, 13, 15, nil, PrefetchOptions{Out: out})
	require.NoError(t, err)
	require.Equal(t, CountTiles(campArea, 13, 15), pr.Downloaded)

	m, err := OpenMBTiles(out)
	require.NoError(t, err)
	defer m.Close()
	require.Equal(t, 13, m.Meta.MinZoom)
	require.Equal(t, 15, m.Meta.MaxZoom)
	require.InDelta(t, campArea.Min[0], m.Meta.Bounds.Min[0], 1e-6)
	tile := TileAt(campArea.Center(), 15)
	data, err := m.TileData(context.Background(), tile)
	require.NoError(t, err)
	require.Equal(t, genTile(tile), data)

	// Again into the same file: nothing to do.
	pr, err = Prefetch(context.Background(), src, campArea, 13, 15, nil, PrefetchOptions{Out: out})
	require.NoError(t, err)
	require.Equal(t, pr.Total, pr.Skipped)
}

func TestPrefetchRefuses(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	ctx := context.Background()
	big := orb.Bound{Min: orb.Point{148, -36}, Max: orb.Point{150, -34}}
	_, err := Prefetch(ctx, src, big, 10, 17, nil, PrefetchOptions{})
	require.EqualError(t, err, "865974 tiles (zoom 10-17): more than 50000; check the area and zooms, or allow it explicitly")
	_, err = Prefetch(ctx, src, orb.Bound{Min: orb.Point{2, 1}, Max: orb.Point{1, 2}}, 10, 12, nil, PrefetchOptions{})
	require.ErrorContains(t, err, "want minLon,minLat,maxLon,maxLat with min < max")
	_, err = Prefetch(ctx, src, campArea, 12, 20, nil, PrefetchOptions{})
	require.EqualError(t, err, "zoom 12-20: want levels within 0-18, the lower first")
	require.Zero(t, srv.requests.Load(), "refused before any download")

	osm := &Source{CacheDir: t.TempDir(), Client: &http.Client{Transport: noNetwork{}}}
	require.NoError(t, osm.Initialize())
	require.Greater(t, CountTiles(campArea, 13, 18), int64(osmBulkLimit))
	_, err = Prefetch(ctx, osm, campArea, 12, 18, nil, PrefetchOptions{AllowLarge: true})
	require.ErrorContains(t, err, "OpenStreetMap's tile usage policy forbids bulk downloads")
}

func TestPrefetchStopsWhenServerKeepsFailing(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	srv.status.Store(503)
	pr, err := Prefetch(context.Background(), src, campArea, 12, 16, nil, PrefetchOptions{})
	require.ErrorContains(t, err, "the server keeps failing (run the same prefetch again to resume)")
	require.Less(t, pr.Done, pr.Total)
	require.False(t, errors.Is(err, context.Canceled))
	require.LessOrEqual(t, srv.requests.Load(), int64(2), "the source waits after a server failure: no storm")
}
