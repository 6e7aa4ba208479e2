package tiles

import (
	"database/sql"
	"fmt"
	"strconv"
)

// mbtilesSchema is the MBTiles 1.3 layout: the metadata table and the tiles table with
// the unique index readers expect.
const mbtilesSchema = `
CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS metadata_name ON metadata (name);
CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
CREATE UNIQUE INDEX IF NOT EXISTS tile_index ON tiles (zoom_level, tile_column, tile_row);`

// mbtilesWriter adds tiles to an .mbtiles file, created when missing. Tiles are committed
// in batches; a stopped prefetch keeps all but the last batch and resumes from there.
type mbtilesWriter struct {
	db      *sql.DB
	tx      *sql.Tx
	pending int
}

func createMBTiles(path string, meta Metadata) (*mbtilesWriter, error) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(mbtilesSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: not a writable MBTiles file: %w", path, err)
	}
	w := &mbtilesWriter{db: db}
	b := meta.Bounds
	kv := map[string]string{
		"name": meta.Name, "format": meta.Format, "type": "baselayer", "version": "1.0",
		"bounds":  fmt.Sprintf("%.6f,%.6f,%.6f,%.6f", b.Min[0], b.Min[1], b.Max[0], b.Max[1]),
		"minzoom": strconv.Itoa(meta.MinZoom), "maxzoom": strconv.Itoa(meta.MaxZoom),
		"attribution": meta.Attribution,
	}
	for k, v := range kv {
		if _, err := db.Exec(`INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)`, k, v); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return w, nil
}

// tiles returns the tiles the file holds from zoom level minZ to maxZ.
func (w *mbtilesWriter) tiles(minZ, maxZ int) (map[Tile]bool, error) {
	rows, err := w.db.Query(`SELECT zoom_level, tile_column, tile_row FROM tiles WHERE zoom_level BETWEEN ? AND ?`, minZ, maxZ)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[Tile]bool{}
	for rows.Next() {
		var t Tile
		if err := rows.Scan(&t.Z, &t.X, &t.Y); err != nil {
			return nil, err
		}
		t.Y = (1 << t.Z) - 1 - t.Y
		out[t] = true
	}
	return out, rows.Err()
}

func (w *mbtilesWriter) put(t Tile, data []byte) error {
	if w.tx == nil {
		tx, err := w.db.Begin()
		if err != nil {
			return err
		}
		w.tx = tx
	}
	if _, err := w.tx.Exec(`INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)`,
		t.Z, t.X, (1<<t.Z)-1-t.Y, data); err != nil {
		return err
	}
	w.pending++
	if w.pending >= 200 {
		return w.commit()
	}
	return nil
}

func (w *mbtilesWriter) commit() error {
	if w.tx == nil {
		return nil
	}
	err := w.tx.Commit()
	w.tx, w.pending = nil, 0
	return err
}

// Close commits what is pending and closes the file.
func (w *mbtilesWriter) Close() error {
	err := w.commit()
	if cerr := w.db.Close(); err == nil {
		err = cerr
	}
	return err
}
