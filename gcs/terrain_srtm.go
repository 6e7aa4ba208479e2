package gcs

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// ErrBadTile is returned, wrapped in a sentence naming the file, for an .hgt file that is
// not an SRTM tile: a name that is not like S36E149.hgt, or a size that is neither SRTM1's
// nor SRTM3's.
var ErrBadTile = errors.New("not an SRTM tile")

const (
	// hgtVoid is the sample value SRTM uses where it has no height (water, radar shadow).
	hgtVoid = -32768

	// srtmDefaultMaxTiles is the default SRTM.MaxTiles: an SRTM1 tile takes 26 MB, and a
	// mission seldom looks at more than the four tiles around a corner.
	srtmDefaultMaxTiles = 8
)

// SRTM is a terrain model read from SRTM .hgt tiles in a folder, as NASA and the usual
// mirrors (dwtkns, viewfinderpanoramas) distribute them: one file per 1° × 1° cell named
// for its south-west corner (S36E149.hgt covers 36° S to 35° S, 149° E to 150° E), holding
// big-endian 16-bit heights in metres above the EGM96 geoid, rows from north to south,
// 3601 × 3601 samples (SRTM1, 1 arc-second) or 1201 × 1201 (SRTM3, 3 arc-seconds).
// Samples at -32768 are voids.
//
// Initialize checks every tile in the folder by its name and size, so a bad file is named
// at start-up rather than found in flight; tiles are then read when first needed and kept
// (up to MaxTiles). SRTM implements Ground; it is safe for concurrent use.
type SRTM struct {
	// Dir is the folder holding the .hgt files. Files without the .hgt extension are
	// ignored (unzip .hgt.zip downloads first).
	Dir string

	// MaxTiles is how many tiles are kept in memory at once; the least recently used one
	// is dropped to make room. It defaults to 8.
	MaxTiles int

	files map[srtmKey]srtmFile

	mu      sync.Mutex
	tiles   map[srtmKey]*hgtTile
	lru     []srtmKey // least recently used first
	loadErr error

	last atomic.Pointer[hgtTile] // the tile of the previous look-up: the usual next one
}

type srtmKey struct{ lat, lon int } // south-west corner in degrees

type srtmFile struct {
	path string
	n    int // samples per side
}

// Initialize lists and checks the tiles in Dir. It returns an error wrapping ErrBadTile
// naming the first file that is not a tile, or the error reading the folder. A folder
// without tiles is not an error: HeightAt then knows no heights.
func (s *SRTM) Initialize() error {
	if s.MaxTiles <= 0 {
		s.MaxTiles = srtmDefaultMaxTiles
	}
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return fmt.Errorf("terrain folder: %w", err)
	}
	s.files = make(map[srtmKey]srtmFile)
	s.tiles = make(map[srtmKey]*hgtTile)
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".hgt") {
			continue
		}
		path := filepath.Join(s.Dir, e.Name())
		key, err := parseHGTName(e.Name())
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		info, err := e.Info()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		n, err := hgtSide(info.Size())
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if prev, dup := s.files[key]; dup {
			return fmt.Errorf("%s: %w: it covers the same cell as %s", path, ErrBadTile, prev.path)
		}
		s.files[key] = srtmFile{path: path, n: n}
	}
	return nil
}

// Tiles returns how many tiles Initialize found.
func (s *SRTM) Tiles() int { return len(s.files) }

// Err returns the error of the last tile that could not be read when it was needed (a file
// changed or removed since Initialize), or nil. HeightAt reports no height where such a
// tile would be.
func (s *SRTM) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadErr
}

// HeightAt returns the terrain height above mean sea level at pt, interpolated bilinearly
// between the four samples around it. Voids among them are left out (their weight shared
// by the others); ok is false where there is no tile, where all four are voids, or where
// the tile could not be read (Err says why).
func (s *SRTM) HeightAt(pt orb.Point) (float64, bool) {
	lon, lat := pt[0], pt[1]
	if !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) { // NaN too
		return 0, false
	}
	key := srtmKey{int(math.Floor(lat)), int(math.Floor(lon))}
	t := s.last.Load()
	if t == nil || t.key != key {
		if t = s.tile(key); t == nil {
			// A point on a cell's north or east edge is also on the last row or
			// column of the tile south or west of it.
			onN, onE := lat == float64(key.lat), lon == float64(key.lon)
			for _, k := range []srtmKey{{key.lat - 1, key.lon}, {key.lat, key.lon - 1}, {key.lat - 1, key.lon - 1}} {
				if t == nil && (onN || k.lat == key.lat) && (onE || k.lon == key.lon) {
					t = s.tile(k)
				}
			}
			if t == nil {
				return 0, false
			}
		}
		s.last.Store(t)
	}
	return t.heightAt(lat, lon)
}

// tile returns the tile with south-west corner key, reading it if needed, or nil.
func (s *SRTM) tile(key srtmKey) *hgtTile {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tiles[key]; ok {
		s.touch(key)
		return t
	}
	f, ok := s.files[key]
	if !ok {
		return nil
	}
	t, err := readHGTFile(f.path)
	if err != nil {
		s.loadErr = err
		return nil
	}
	t.key = key
	if len(s.lru) >= max(s.MaxTiles, 1) {
		delete(s.tiles, s.lru[0])
		s.lru = s.lru[1:]
	}
	s.tiles[key] = t
	s.lru = append(s.lru, key)
	return t
}

func (s *SRTM) touch(key srtmKey) {
	for i, k := range s.lru {
		if k == key {
			copy(s.lru[i:], s.lru[i+1:])
			s.lru[len(s.lru)-1] = key
			return
		}
	}
}

// parseHGTName returns the south-west corner of the tile named like S36E149.hgt.
func parseHGTName(name string) (srtmKey, error) {
	base := strings.ToUpper(strings.TrimSuffix(name, filepath.Ext(name)))
	if len(base) != 7 || (base[0] != 'N' && base[0] != 'S') || (base[3] != 'E' && base[3] != 'W') {
		return srtmKey{}, fmt.Errorf("%w: the name must be like S36E149.hgt (latitude then longitude of the south-west corner)", ErrBadTile)
	}
	lat, err1 := strconv.ParseUint(base[1:3], 10, 8)
	lon, err2 := strconv.ParseUint(base[4:7], 10, 16)
	key := srtmKey{int(lat), int(lon)}
	if base[0] == 'S' {
		key.lat = -key.lat
	}
	if base[3] == 'W' {
		key.lon = -key.lon
	}
	// The south-west corners that exist: N00-N89 or S01-S90, E000-E179 or W001-W180.
	if err1 != nil || err2 != nil || key.lat < -90 || key.lat > 89 || key.lon < -180 || key.lon > 179 ||
		(base[0] == 'S' && lat == 0) || (base[3] == 'W' && lon == 0) {
		return srtmKey{}, fmt.Errorf("%w: %s is not a cell's south-west corner (N00-N89 or S01-S90, then E000-E179 or W001-W180)", ErrBadTile, base)
	}
	return key, nil
}

// hgtSide returns the samples per side of a tile of size bytes.
func hgtSide(size int64) (int, error) {
	for _, n := range [...]int{3601, 1201} {
		if size == int64(n*n*2) {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%w: %d bytes, but an SRTM1 tile has %d and an SRTM3 tile %d (truncated download?)",
		ErrBadTile, size, 3601*3601*2, 1201*1201*2)
}

// hgtTile is one tile's samples, north row first.
type hgtTile struct {
	key     srtmKey
	n       int
	samples []int16
}

func readHGTFile(path string) (*hgtTile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := readHGT(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// readHGT reads one SRTM1 or SRTM3 tile, telling which by its length. An input of any other
// length is an error wrapping ErrBadTile.
func readHGT(r io.Reader) (*hgtTile, error) {
	const most = 3601 * 3601 * 2
	data, err := io.ReadAll(io.LimitReader(r, most+1))
	if err != nil {
		return nil, err
	}
	n, err := hgtSide(int64(len(data)))
	if err != nil {
		return nil, err
	}
	return decodeHGT(data, n), nil
}

// decodeHGT turns n × n big-endian samples into a tile; data holds exactly 2n² bytes.
func decodeHGT(data []byte, n int) *hgtTile {
	t := &hgtTile{n: n, samples: make([]int16, n*n)}
	for i := range t.samples {
		t.samples[i] = int16(uint16(data[2*i])<<8 | uint16(data[2*i+1]))
	}
	return t
}

// heightAt interpolates the tile at (lat, lon), which should lie within its cell; points
// just outside are clamped to the edge.
func (t *hgtTile) heightAt(lat, lon float64) (float64, bool) {
	if math.IsNaN(lat) || math.IsNaN(lon) {
		return 0, false
	}
	last := float64(t.n - 1)
	// x grows east from the west edge, y south from the north edge, in samples.
	x := min(max((lon-float64(t.key.lon))*last, 0), last)
	y := min(max((float64(t.key.lat)+1-lat)*last, 0), last)
	c, r := min(int(x), t.n-2), min(int(y), t.n-2)
	fx, fy := x-float64(c), y-float64(r)
	i := r*t.n + c
	corners := [4]int16{t.samples[i], t.samples[i+1], t.samples[i+t.n], t.samples[i+t.n+1]}
	weights := [4]float64{(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy}
	var sum, wsum float64
	for k, h := range corners {
		if h == hgtVoid {
			continue
		}
		sum += weights[k] * float64(h)
		wsum += weights[k]
	}
	if wsum < 1e-9 {
		return 0, false
	}
	return sum / wsum, true
}
