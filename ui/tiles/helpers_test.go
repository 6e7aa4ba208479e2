package tiles

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// tileColour is the flat colour of a generated tile: every tile differs from its
// neighbours and its parent.
func tileColour(t Tile) color.RGBA {
	return color.RGBA{uint8(40 + t.X%7*30), uint8(40 + t.Y%7*30), uint8(20 * t.Z), 255}
}

// markerColour marks one pixel block of a tile, to find where Draw puts it.
var markerColour = color.RGBA{255, 0, 255, 255}

// genTile is a generated 256×256 PNG tile of tileColour, with a 3×3 marker centred on
// pixel (100, 60).
func genTile(t Tile) []byte {
	if b, ok := genTiles.Load(t); ok {
		return b.([]byte)
	}
	// Paletted and uncompressed: quick to encode, even under the race detector.
	img := image.NewPaletted(image.Rect(0, 0, 256, 256), color.Palette{tileColour(t), markerColour})
	for y := 59; y <= 61; y++ {
		for x := 99; x <= 101; x++ {
			img.SetColorIndex(x, y, 1)
		}
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		panic(err)
	}
	genTiles.Store(t, b.Bytes())
	return b.Bytes()
}

var genTiles sync.Map // Tile → []byte: encoding is slow under the race detector

// tileServer is an httptest XYZ server of generated tiles that counts requests, records
// the most downloads it saw at once, and can be told to fail.
type tileServer struct {
	*httptest.Server
	requests   atomic.Int64
	active     atomic.Int64
	maxActive  atomic.Int64
	status     atomic.Int64 // when not 0, the answer to every request
	mu         sync.Mutex
	userAgents map[string]bool
	gate       chan struct{} // when set, each request waits for it
}

func newTileServer(t *testing.T) *tileServer {
	s := &tileServer{userAgents: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *tileServer) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	n := s.active.Add(1)
	defer s.active.Add(-1)
	for {
		m := s.maxActive.Load()
		if n <= m || s.maxActive.CompareAndSwap(m, n) {
			break
		}
	}
	s.mu.Lock()
	s.userAgents[r.UserAgent()] = true
	gate := s.gate
	s.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if st := s.status.Load(); st != 0 {
		http.Error(w, "no", int(st))
		return
	}
	var t Tile
	if _, err := fmt.Sscanf(strings.TrimSuffix(r.URL.Path, ".png"), "/%d/%d/%d", &t.Z, &t.X, &t.Y); err != nil || !t.Valid() || t.Z > 18 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(genTile(t))
}

func (s *tileServer) source(t *testing.T) *Source {
	src := &Source{URL: s.URL + "/{z}/{x}/{y}.png", CacheDir: t.TempDir(), MaxZoom: 18}
	require.NoError(t, src.Initialize())
	return src
}

// memProvider serves generated tiles from memory; when block is set, tiles at zoom
// blockZ wait for it to close.
type memProvider struct {
	minZ, maxZ int
	blockZ     int
	block      chan struct{}
	calls      atomic.Int64
}

func (p *memProvider) TileData(ctx context.Context, t Tile) ([]byte, error) {
	p.calls.Add(1)
	if p.block != nil && t.Z == p.blockZ {
		select {
		case <-p.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if t.Z < p.minZ || t.Z > p.maxZ {
		return nil, fmt.Errorf("tile %s: %w", t, ErrNotFound)
	}
	return genTile(t), nil
}

func (p *memProvider) Zooms() (int, int)   { return p.minZ, p.maxZ }
func (p *memProvider) Attribution() string { return "test" }

// noNetwork is an HTTP transport that refuses every request: a test source on a real
// server's URL can never reach it.
type noNetwork struct{}

func (noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("test: no network (%s)", r.URL.Host)
}
