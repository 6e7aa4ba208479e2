package tiles

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSourceCachesAndServesOffline(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	ctx := context.Background()
	tile := Tile{12, 3700, 2500}

	data, err := src.TileData(ctx, tile)
	require.NoError(t, err)
	require.Equal(t, genTile(tile), data)
	require.EqualValues(t, 1, srv.requests.Load())
	name := strings.ReplaceAll(strings.TrimPrefix(srv.URL, "http://"), ":", "_")
	require.FileExists(t, filepath.Join(src.CacheDir, name, "12", "3700", "2500.png"), "kept as <cache>/<source>/z/x/y.png")

	_, err = src.TileData(ctx, tile)
	require.NoError(t, err)
	require.EqualValues(t, 1, srv.requests.Load(), "the second read comes from the disk")

	// Offline: a cached tile is still served, an uncached one fails, and the failure
	// makes the source wait before asking the server again.
	srv.Close()
	data, err = src.TileData(ctx, tile)
	require.NoError(t, err)
	require.Equal(t, genTile(tile), data)
	_, err = src.TileData(ctx, Tile{12, 3701, 2500})
	require.Error(t, err)
	_, err = src.TileData(ctx, Tile{12, 3702, 2500})
	require.ErrorIs(t, err, ErrOffline, "no new connection attempt during the wait")

	// A new source on the same cache (the next run of the app) serves it too.
	src2 := &Source{URL: src.URL, CacheDir: src.CacheDir, MaxZoom: 18}
	require.NoError(t, src2.Initialize())
	data, err = src2.TileData(ctx, tile)
	require.NoError(t, err)
	require.Equal(t, genTile(tile), data)
}

func TestSourceStaleTiles(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	now := time.Now()
	src.timeNow = func() time.Time { return now }
	ctx := context.Background()
	tile := Tile{5, 10, 11}
	_, err := src.TileData(ctx, tile)
	require.NoError(t, err)

	now = now.Add(src.MaxAge + time.Hour) // stale: refreshed while the server answers
	_, err = src.TileData(ctx, tile)
	require.NoError(t, err)
	require.EqualValues(t, 2, srv.requests.Load())

	now = now.Add(src.MaxAge + time.Hour) // stale and the server is down: still shown
	srv.status.Store(503)
	data, err := src.TileData(ctx, tile)
	require.NoError(t, err)
	require.Equal(t, genTile(tile), data)
}

func TestSourceFailedTileWaitsBeforeRetry(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	now := time.Now()
	src.timeNow = func() time.Time { return now }
	ctx := context.Background()
	tile := Tile{8, 1, 2}
	srv.status.Store(500)
	for range 5 {
		_, err := src.TileData(ctx, tile)
		require.Error(t, err)
	}
	require.EqualValues(t, 1, srv.requests.Load(), "one request, then a wait")
	now = now.Add(src.RetryAfter + time.Second)
	srv.status.Store(0)
	_, err := src.TileData(ctx, tile)
	require.NoError(t, err)
	require.EqualValues(t, 2, srv.requests.Load())
}

func TestSourceNotFound(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	_, err := src.TileData(context.Background(), Tile{18, 1, 1})
	require.NoError(t, err)
	srv.status.Store(404)
	_, err = src.TileData(context.Background(), Tile{18, 1, 2})
	require.ErrorIs(t, err, ErrNotFound)
	_, err = src.TileData(context.Background(), Tile{19, 1, 2})
	require.ErrorIs(t, err, ErrNotFound, "beyond the source's zoom levels, without asking")
	require.EqualValues(t, 2, srv.requests.Load())
}

func TestSourcePoliteness(t *testing.T) {
	srv := newTileServer(t)
	srv.gate = make(chan struct{})
	src := srv.source(t)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			_, err := src.TileData(context.Background(), Tile{10, i, 5})
			require.NoError(t, err)
		})
	}
	require.Eventually(t, func() bool { return srv.active.Load() == 2 }, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond) // give a third download the chance to start, wrongly
	close(srv.gate)
	wg.Wait()
	require.EqualValues(t, 2, srv.maxActive.Load(), "at most two downloads at once")
	require.EqualValues(t, 12, srv.requests.Load())
	require.Len(t, srv.userAgents, 1)
	for ua := range srv.userAgents {
		require.Regexp(t, `^Vigil/\S+ \(\+https://github.com/vigil-gcs/vigil\)$`, ua)
	}
}

func TestSourceConfig(t *testing.T) {
	for _, c := range []struct{ url, err string }{
		{"https://tiles.example/{z}/{x}.png", `tile URL "https://tiles.example/{z}/{x}.png" has no {y}; want e.g. ` + DefaultURL},
		{"ftp://tiles.example/{z}/{x}/{y}.png", `tile URL "ftp://tiles.example/{z}/{x}/{y}.png": want an http:// or https:// URL`},
	} {
		err := (&Source{URL: c.url, CacheDir: t.TempDir()}).Initialize()
		require.EqualError(t, err, c.err)
	}
	sub := &Source{URL: "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png", CacheDir: t.TempDir()}
	require.NoError(t, sub.Initialize())
	require.Equal(t, "tile.opentopomap.org", sub.Name, "one cache for the a, b and c servers")

	src := &Source{CacheDir: t.TempDir()}
	require.NoError(t, src.Initialize())
	require.Equal(t, DefaultURL, src.URL)
	require.Equal(t, "tile.openstreetmap.org", src.Name)
	require.Equal(t, "© OpenStreetMap contributors", src.Attribution())
	require.Equal(t, filepath.Join(src.CacheDir, "tile.openstreetmap.org", "3", "4", "5.png"), src.CachePath(Tile{3, 4, 5}))
}

func TestSourceCacheWriteIsAtomic(t *testing.T) {
	srv := newTileServer(t)
	src := srv.source(t)
	for i := range 20 {
		_, err := src.TileData(context.Background(), Tile{10, 7, i})
		require.NoError(t, err)
	}
	entries, err := os.ReadDir(filepath.Dir(src.CachePath(Tile{10, 7, 0})))
	require.NoError(t, err)
	require.Len(t, entries, 20, "no temporary files left behind")
	for _, e := range entries {
		require.True(t, strings.HasSuffix(e.Name(), ".png"), e.Name())
		_, err := strconv.Atoi(strings.TrimSuffix(e.Name(), ".png"))
		require.NoError(t, err)
	}
}

func TestSourceSubdomains(t *testing.T) {
	paths := make(chan string, 3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.Path
		w.Write(genTile(Tile{}))
	}))
	t.Cleanup(srv.Close)
	src := &Source{URL: srv.URL + "/{s}/{z}/{x}/{y}.png", CacheDir: t.TempDir()}
	require.NoError(t, src.Initialize())
	for x := range 3 {
		_, err := src.TileData(context.Background(), Tile{4, x, 0})
		require.NoError(t, err)
	}
	require.Equal(t, "/a/4/0/0.png", <-paths)
	require.Equal(t, "/b/4/1/0.png", <-paths)
	require.Equal(t, "/c/4/2/0.png", <-paths)
}
