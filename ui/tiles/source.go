package tiles

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultURL is OpenStreetMap's standard tile layer. Its tile usage policy asks for an
// identifying user agent, at most two downloads at a time, a local cache and the
// attribution on the map; it forbids bulk downloads (see Prefetch).
const DefaultURL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

// ErrOffline says that a tile is not cached and the tile server cannot be asked now (it
// failed recently and is waiting before the next try).
var ErrOffline = errors.New("tile server unreachable and tile not cached")

// Source is a slippy-map (XYZ) tile server with a disk cache. Tiles are read from the
// cache when they are there and younger than MaxAge; older ones are refreshed when the
// server answers and still served when it does not, so a map seen once is there offline.
// A tile that failed to download is not asked for again before a growing wait, and a
// server that cannot be reached is not asked for any tile during that wait: panning
// offline sends no request storm.
type Source struct {
	// URL is the tile template, with {z}, {x} and {y}, and optionally {s} for servers
	// spread over the subdomains a, b and c. It defaults to DefaultURL.
	URL string
	// Name names the cache folder. It defaults to the URL's host name.
	Name string
	// CacheDir is the root of the cache: tiles are kept as CacheDir/Name/z/x/y.png (the
	// extension of the URL). It defaults to the user's cache folder + vigil/tiles.
	CacheDir string
	// UserAgent identifies Vigil to the server. It defaults to
	// "Vigil/<version> (+https://github.com/vigil-gcs/vigil)".
	UserAgent string
	// MaxAge is how long a cached tile is fresh. It defaults to 30 days.
	MaxAge time.Duration
	// MinZoom and MaxZoom are the server's zoom levels. They default to 0 and 19.
	MinZoom, MaxZoom int
	// Credit is the attribution to show. It defaults to "© OpenStreetMap contributors"
	// for openstreetmap.org servers.
	Credit string
	// RetryAfter is the wait after a failed download; it doubles with each further failure
	// up to 32 times. It defaults to 15 seconds.
	RetryAfter time.Duration
	// MaxDownloads is how many downloads may run at once. It defaults to 2.
	MaxDownloads int
	// Client makes the requests. It defaults to a client with a 20 s timeout.
	Client *http.Client

	timeNow func() time.Time
	dir     string
	ext     string
	host    string
	sem     chan struct{}

	mu     sync.Mutex
	failed map[Tile]backoff
	server backoff // the whole server: unreachable, or asked us to slow down
}

type backoff struct {
	n     int
	until time.Time
}

// Initialize fills the defaults and checks the URL.
func (s *Source) Initialize() error {
	if s.URL == "" {
		s.URL = DefaultURL
	}
	for _, k := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(s.URL, k) {
			return fmt.Errorf("tile URL %q has no %s; want e.g. %s", s.URL, k, DefaultURL)
		}
	}
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0", "{s}", "a").Replace(s.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("tile URL %q: want an http:// or https:// URL", s.URL)
	}
	s.host = strings.TrimPrefix(u.Hostname(), "a.") // {s}: the same server under a, b and c
	if s.Name == "" {
		s.Name = s.host
		if u.Port() != "" {
			s.Name += "_" + u.Port()
		}
	}
	s.Name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s.Name)
	s.ext = strings.ToLower(path.Ext(u.Path))
	if s.ext != ".png" && s.ext != ".jpg" && s.ext != ".jpeg" && s.ext != ".webp" {
		s.ext = ".png"
	}
	if s.CacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("no cache folder for map tiles (%w); set map_cache_dir", err)
		}
		s.CacheDir = filepath.Join(base, "vigil", "tiles")
	}
	s.dir = filepath.Join(s.CacheDir, s.Name)
	if s.UserAgent == "" {
		s.UserAgent = "Vigil/" + version() + " (+https://github.com/vigil-gcs/vigil)"
	}
	if s.MaxAge <= 0 {
		s.MaxAge = 30 * 24 * time.Hour
	}
	if s.MaxZoom <= 0 {
		s.MaxZoom = 19
	}
	if s.Credit == "" && strings.HasSuffix(s.host, "openstreetmap.org") {
		s.Credit = "© OpenStreetMap contributors"
	}
	if s.RetryAfter <= 0 {
		s.RetryAfter = 15 * time.Second
	}
	if s.MaxDownloads <= 0 {
		s.MaxDownloads = 2
	}
	if s.Client == nil {
		s.Client = &http.Client{Timeout: 20 * time.Second}
	}
	if s.timeNow == nil {
		s.timeNow = time.Now
	}
	s.sem = make(chan struct{}, s.MaxDownloads)
	s.failed = map[Tile]backoff{}
	return nil
}

// version is the module version the binary was built from, "dev" for a work tree.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "dev"
}

// Zooms implements Provider.
func (s *Source) Zooms() (minZ, maxZ int) { return s.MinZoom, s.MaxZoom }

// Attribution implements Provider.
func (s *Source) Attribution() string { return s.Credit }

// CachePath is where a tile is kept on disk.
func (s *Source) CachePath(t Tile) string {
	return filepath.Join(s.dir, strconv.Itoa(t.Z), strconv.Itoa(t.X), strconv.Itoa(t.Y)+s.ext)
}

// Cached returns a tile from the disk cache and whether it is still fresh, without any
// network; the error wraps ErrNotFound when it is not cached.
func (s *Source) Cached(t Tile) (data []byte, fresh bool, err error) {
	p := s.CachePath(t)
	st, err := os.Stat(p)
	if err != nil {
		return nil, false, fmt.Errorf("tile %s not cached: %w", t, ErrNotFound)
	}
	data, err = os.ReadFile(p)
	if err != nil {
		return nil, false, fmt.Errorf("tile cache: %w", err)
	}
	return data, s.timeNow().Sub(st.ModTime()) < s.MaxAge, nil
}

// TileData implements Provider: the cached tile when fresh, else a download (waiting for
// one of the MaxDownloads slots), else the stale cached tile when the download fails.
func (s *Source) TileData(ctx context.Context, t Tile) ([]byte, error) {
	if !t.Valid() || t.Z < s.MinZoom || t.Z > s.MaxZoom {
		return nil, fmt.Errorf("tile %s: %w", t, ErrNotFound)
	}
	cached, fresh, cerr := s.Cached(t)
	if cerr == nil && fresh {
		return cached, nil
	}
	var modTime time.Time
	if cerr == nil {
		if st, err := os.Stat(s.CachePath(t)); err == nil {
			modTime = st.ModTime()
		}
	}
	data, err := s.download(ctx, t, modTime)
	switch {
	case err == nil && data == nil: // 304: the cached tile is still current
		now := s.timeNow()
		_ = os.Chtimes(s.CachePath(t), now, now)
		return cached, nil
	case err == nil:
		// A tile that cannot be kept (disk full) is still shown: not worth failing the map.
		_ = s.store(t, data)
		return data, nil
	case cerr == nil && !errors.Is(err, ErrNotFound):
		return cached, nil // stale but better than nothing while the server is away
	default:
		return nil, err
	}
}

// download asks the server for a tile. A nil slice with a nil error means "not modified".
func (s *Source) download(ctx context.Context, t Tile, ifModifiedSince time.Time) ([]byte, error) {
	if err := s.waiting(t); err != nil {
		return nil, err
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.sem }()
	if err := s.waiting(t); err != nil { // another download may have failed meanwhile
		return nil, err
	}
	u := strings.NewReplacer("{z}", strconv.Itoa(t.Z), "{x}", strconv.Itoa(t.X), "{y}", strconv.Itoa(t.Y),
		"{s}", string(rune('a'+(t.X+t.Y)%3))).Replace(s.URL)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("tile %s: %w", t, err)
	}
	req.Header.Set("User-Agent", s.UserAgent)
	if !ifModifiedSince.IsZero() {
		req.Header.Set("If-Modified-Since", ifModifiedSince.UTC().Format(http.TimeFormat))
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		s.fail(t, true)
		return nil, fmt.Errorf("tile %s from %s: %w", t, s.host, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && !ifModifiedSince.IsZero():
		s.succeed(t)
		return nil, nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusNoContent:
		s.succeed(t)
		return nil, fmt.Errorf("tile %s: %s answered %s: %w", t, s.host, resp.Status, ErrNotFound)
	case resp.StatusCode != http.StatusOK:
		// 429 and 5xx mean the server as a whole wants less of us; other codes this tile.
		s.fail(t, resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500)
		return nil, fmt.Errorf("tile %s: %s answered %s", t, s.host, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		s.fail(t, true)
		return nil, fmt.Errorf("tile %s from %s: %w", t, s.host, err)
	}
	if _, err := tileCodec(data); err != nil {
		s.fail(t, false)
		return nil, fmt.Errorf("tile %s from %s: %w", t, s.host, err)
	}
	s.succeed(t)
	return data, nil
}

// waiting returns ErrOffline while the server or this tile is waiting after a failure.
func (s *Source) waiting(t Tile) error {
	now := s.timeNow()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.server.until) {
		return fmt.Errorf("tile %s: %w (next try in %s)", t, ErrOffline, s.server.until.Sub(now).Round(time.Second))
	}
	if b, ok := s.failed[t]; ok && now.Before(b.until) {
		return fmt.Errorf("tile %s: failed, next try in %s: %w", t, b.until.Sub(now).Round(time.Second), ErrOffline)
	}
	return nil
}

func (s *Source) fail(t Tile, wholeServer bool) {
	now := s.timeNow()
	s.mu.Lock()
	defer s.mu.Unlock()
	next := func(b backoff) backoff {
		b.n = min(b.n+1, 6)
		b.until = now.Add(s.RetryAfter << (b.n - 1))
		return b
	}
	if wholeServer {
		s.server = next(s.server)
	}
	if len(s.failed) > 10000 { // forget expired failures rather than grow without end
		for k, b := range s.failed {
			if now.After(b.until) {
				delete(s.failed, k)
			}
		}
	}
	s.failed[t] = next(s.failed[t])
}

func (s *Source) succeed(t Tile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.server = backoff{}
	delete(s.failed, t)
}

// store writes a tile to the cache atomically: a reader sees the old tile or the new one,
// never half of one, even if the program stops mid-write.
func (s *Source) store(t Tile, data []byte) error {
	p := s.CachePath(t)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tile-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// Downloads implements LocalProvider: how many downloads may run at once.
func (s *Source) Downloads() int { return s.MaxDownloads }
