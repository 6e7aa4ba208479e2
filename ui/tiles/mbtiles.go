package tiles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	_ "modernc.org/sqlite" // the SQLite driver, pure Go
)

// Metadata is what an MBTiles file says about itself (its metadata table; MBTiles 1.3).
type Metadata struct {
	Name        string
	Format      string    // png, jpg or webp
	Bounds      orb.Bound // the area covered; the whole world when the file does not say
	MinZoom     int
	MaxZoom     int
	Attribution string
}

// MBTiles reads an .mbtiles file: an SQLite database of tiles in the TMS scheme (rows
// counted from the south), the usual way to carry a map offline (QGIS, TileMill, GDAL
// and tile downloaders write them).
type MBTiles struct {
	Path string
	Meta Metadata
	db   *sql.DB
}

// OpenMBTiles opens an .mbtiles file read-only and reads its metadata. A file that is
// missing, not SQLite, or not MBTiles is refused with a sentence saying which.
func OpenMBTiles(path string) (*MBTiles, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("map file: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("map file %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: abs}).EscapedPath()+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("map file %s: %w", path, err)
	}
	m := &MBTiles{Path: path, db: db}
	if err := m.readMetadata(); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Close closes the file.
func (m *MBTiles) Close() error { return m.db.Close() }

func (m *MBTiles) readMetadata() error {
	var n int
	err := m.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name IN ('tiles', 'metadata')`).Scan(&n)
	if err != nil {
		return fmt.Errorf("not an MBTiles file (not an SQLite database: %w)", err)
	}
	if n != 2 {
		return errors.New("not an MBTiles file (an SQLite database without the tiles and metadata tables)")
	}
	rows, err := m.db.Query(`SELECT name, value FROM metadata`)
	if err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	defer rows.Close()
	kv := map[string]string{}
	for rows.Next() {
		var k, v sql.NullString
		if err := rows.Scan(&k, &v); err != nil {
			return fmt.Errorf("metadata: %w", err)
		}
		kv[k.String] = v.String
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	meta, err := parseMetadata(kv)
	if err != nil {
		return err
	}
	if _, ok := kv["minzoom"]; !ok {
		var lo, hi sql.NullInt64
		if err := m.db.QueryRow(`SELECT min(zoom_level), max(zoom_level) FROM tiles`).Scan(&lo, &hi); err != nil {
			return fmt.Errorf("tiles: %w", err)
		}
		if !lo.Valid {
			return errors.New("the MBTiles file has no tiles")
		}
		meta.MinZoom, meta.MaxZoom = int(lo.Int64), int(hi.Int64)
		if meta.MinZoom < 0 || meta.MaxZoom > MaxZoom {
			return fmt.Errorf("tiles: zoom levels %d to %d; want 0 to %d", meta.MinZoom, meta.MaxZoom, MaxZoom)
		}
	}
	m.Meta = meta
	return nil
}

// parseMetadata checks the metadata table's values. minzoom and maxzoom go together;
// when absent the caller reads them from the tiles.
func parseMetadata(kv map[string]string) (Metadata, error) {
	meta := Metadata{
		Name:        kv["name"],
		Format:      strings.ToLower(strings.TrimSpace(kv["format"])),
		Attribution: kv["attribution"],
		Bounds:      orb.Bound{Min: orb.Point{-180, -maxMercatorLatDeg}, Max: orb.Point{180, maxMercatorLatDeg}},
		MaxZoom:     MaxZoom,
	}
	switch meta.Format {
	case "", "png", "jpg", "jpeg", "webp":
	case "pbf", "mvt":
		return Metadata{}, fmt.Errorf("metadata format %q: vector tiles are not supported; use a raster (png or jpg) MBTiles file", meta.Format)
	default:
		return Metadata{}, fmt.Errorf("metadata format %q: want png, jpg or webp", meta.Format)
	}
	if b, ok := kv["bounds"]; ok && strings.TrimSpace(b) != "" {
		f := strings.Split(b, ",")
		if len(f) != 4 {
			return Metadata{}, fmt.Errorf("metadata bounds %q: want minlon,minlat,maxlon,maxlat", b)
		}
		var v [4]float64
		for i, s := range f {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return Metadata{}, fmt.Errorf("metadata bounds %q: %q is not a number", b, s)
			}
			v[i] = x
		}
		if !(v[0] >= -180 && v[0] < v[2] && v[2] <= 180 && v[1] >= -90 && v[1] < v[3] && v[3] <= 90) {
			return Metadata{}, fmt.Errorf("metadata bounds %q: want minlon < maxlon in -180..180 and minlat < maxlat in -90..90", b)
		}
		meta.Bounds = orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
	}
	lo, okLo := kv["minzoom"]
	hi, okHi := kv["maxzoom"]
	if okLo != okHi {
		return Metadata{}, errors.New("metadata has only one of minzoom and maxzoom")
	}
	if okLo {
		var err error
		if meta.MinZoom, err = parseZoom("minzoom", lo); err != nil {
			return Metadata{}, err
		}
		if meta.MaxZoom, err = parseZoom("maxzoom", hi); err != nil {
			return Metadata{}, err
		}
		if meta.MinZoom > meta.MaxZoom {
			return Metadata{}, fmt.Errorf("metadata minzoom %d is above maxzoom %d", meta.MinZoom, meta.MaxZoom)
		}
	}
	return meta, nil
}

func parseZoom(key, s string) (int, error) {
	z, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || z < 0 || z > MaxZoom {
		return 0, fmt.Errorf("metadata %s %q: want a zoom level 0 to %d", key, s, MaxZoom)
	}
	return z, nil
}

// TileData implements Provider. The XYZ row is flipped to the file's TMS row.
func (m *MBTiles) TileData(ctx context.Context, t Tile) ([]byte, error) {
	if !t.Valid() || t.Z < m.Meta.MinZoom || t.Z > m.Meta.MaxZoom {
		return nil, fmt.Errorf("tile %s: %w", t, ErrNotFound)
	}
	var data []byte
	err := m.db.QueryRowContext(ctx, `SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`,
		t.Z, t.X, (1<<t.Z)-1-t.Y).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(data) == 0) {
		return nil, fmt.Errorf("tile %s not in %s: %w", t, filepath.Base(m.Path), ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: tile %s: %w", m.Path, t, err)
	}
	return data, nil
}

// Zooms implements Provider.
func (m *MBTiles) Zooms() (minZ, maxZ int) { return m.Meta.MinZoom, m.Meta.MaxZoom }

// Attribution implements Provider.
func (m *MBTiles) Attribution() string { return m.Meta.Attribution }

// Count returns how many tiles the file holds at each zoom level.
func (m *MBTiles) Count(ctx context.Context) (map[int]int64, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT zoom_level, count(*) FROM tiles GROUP BY zoom_level`)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Path, err)
	}
	defer rows.Close()
	out := map[int]int64{}
	for rows.Next() {
		var z int
		var n int64
		if err := rows.Scan(&z, &n); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Path, err)
		}
		out[z] = n
	}
	return out, rows.Err()
}
