package tiles

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// writeMBTiles makes an .mbtiles file the way other tools do, by hand (not with our
// writer): the tiles table in TMS rows, counted from the south.
func writeMBTiles(t *testing.T, meta map[string]string, tiles map[Tile][]byte) string {
	path := filepath.Join(t.TempDir(), "area.mbtiles")
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE metadata (name text, value text);
		CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
		CREATE UNIQUE INDEX tile_index on tiles (zoom_level, tile_column, tile_row);`)
	require.NoError(t, err)
	for k, v := range meta {
		_, err := db.Exec(`INSERT INTO metadata VALUES (?, ?)`, k, v)
		require.NoError(t, err)
	}
	for tl, data := range tiles {
		_, err := db.Exec(`INSERT INTO tiles VALUES (?, ?, ?, ?)`, tl.Z, tl.X, (1<<tl.Z)-1-tl.Y, data)
		require.NoError(t, err)
	}
	return path
}

func jpegTile(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, img, nil))
	return b.Bytes()
}

func TestMBTilesRead(t *testing.T) {
	a, b := Tile{14, 14980, 9870}, Tile{14, 14980, 9871}
	path := writeMBTiles(t, map[string]string{
		"name": "camp", "format": "png", "bounds": "149.1,-35.4,149.2,-35.3",
		"minzoom": "10", "maxzoom": "16", "attribution": "© survey",
	}, map[Tile][]byte{a: genTile(a), b: jpegTile(t)})
	m, err := OpenMBTiles(path)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	require.Equal(t, Metadata{Name: "camp", Format: "png", Attribution: "© survey", MinZoom: 10, MaxZoom: 16,
		Bounds: orb.Bound{Min: orb.Point{149.1, -35.4}, Max: orb.Point{149.2, -35.3}}}, m.Meta)
	lo, hi := m.Zooms()
	require.Equal(t, []int{10, 16}, []int{lo, hi})

	data, err := m.TileData(context.Background(), a)
	require.NoError(t, err)
	require.Equal(t, genTile(a), data, "the XYZ row is flipped to the file's TMS row")
	img, err := decodeTile(data)
	require.NoError(t, err)
	require.Equal(t, tileColour(a), img.RGBAAt(0, 0))

	data, err = m.TileData(context.Background(), b)
	require.NoError(t, err)
	img, err = decodeTile(data)
	require.NoError(t, err, "JPEG tiles")
	require.InDelta(t, 200, int(img.RGBAAt(5, 5).R), 2)

	_, err = m.TileData(context.Background(), Tile{14, 1, 1})
	require.ErrorIs(t, err, ErrNotFound)
	_, err = m.TileData(context.Background(), Tile{17, 1, 1})
	require.ErrorIs(t, err, ErrNotFound)

	n, err := m.Count(context.Background())
	require.NoError(t, err)
	require.Equal(t, map[int]int64{14: 2}, n)
}

func TestMBTilesZoomsFromTiles(t *testing.T) {
	path := writeMBTiles(t, map[string]string{"name": "x"}, map[Tile][]byte{{3, 1, 1}: genTile(Tile{3, 1, 1}), {6, 1, 1}: genTile(Tile{6, 1, 1})})
	m, err := OpenMBTiles(path)
	require.NoError(t, err)
	defer m.Close()
	require.Equal(t, 3, m.Meta.MinZoom)
	require.Equal(t, 6, m.Meta.MaxZoom)
}

func TestMBTilesNotMBTiles(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.mbtiles")
	require.NoError(t, os.WriteFile(text, []byte("these are not tiles, just a long enough text file to look like something"), 0o600))
	_, err := OpenMBTiles(text)
	require.ErrorContains(t, err, text+": not an MBTiles file (not an SQLite database")

	other := filepath.Join(dir, "mission.db")
	db, err := sql.Open("sqlite", other)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE targets (id integer)`)
	require.NoError(t, err)
	db.Close()
	_, err = OpenMBTiles(other)
	require.EqualError(t, err, other+": not an MBTiles file (an SQLite database without the tiles and metadata tables)")

	_, err = OpenMBTiles(filepath.Join(dir, "missing.mbtiles"))
	require.ErrorIs(t, err, os.ErrNotExist)
	require.NoFileExists(t, filepath.Join(dir, "missing.mbtiles"), "opening does not create the file")

	vector := writeMBTiles(t, map[string]string{"format": "pbf"}, nil)
	_, err = OpenMBTiles(vector)
	require.EqualError(t, err, vector+`: metadata format "pbf": vector tiles are not supported; use a raster (png or jpg) MBTiles file`)

	empty := writeMBTiles(t, map[string]string{"format": "png"}, nil)
	_, err = OpenMBTiles(empty)
	require.EqualError(t, err, empty+": the MBTiles file has no tiles")
}

var casesMetadata = []struct {
	name string
	kv   map[string]string
	err  string
}{
	{"full", map[string]string{"format": "jpg", "bounds": "-1,-2,3,4", "minzoom": "0", "maxzoom": "18"}, ""},
	{"bounds fields", map[string]string{"bounds": "1,2,3"}, `metadata bounds "1,2,3": want minlon,minlat,maxlon,maxlat`},
	{"bounds number", map[string]string{"bounds": "1,2,x,4"}, `metadata bounds "1,2,x,4": "x" is not a number`},
	{"bounds order", map[string]string{"bounds": "3,2,1,4"}, `metadata bounds "3,2,1,4": want minlon < maxlon in -180..180 and minlat < maxlat in -90..90`},
	{"format", map[string]string{"format": "tiff"}, `metadata format "tiff": want png, jpg or webp`},
	{"one zoom", map[string]string{"minzoom": "3"}, "metadata has only one of minzoom and maxzoom"},
	{"zoom text", map[string]string{"minzoom": "three", "maxzoom": "5"}, `metadata minzoom "three": want a zoom level 0 to 24`},
	{"zoom order", map[string]string{"minzoom": "9", "maxzoom": "5"}, "metadata minzoom 9 is above maxzoom 5"},
	{"zoom range", map[string]string{"minzoom": "0", "maxzoom": "30"}, `metadata maxzoom "30": want a zoom level 0 to 24`},
}

func TestParseMetadata(t *testing.T) {
	for _, c := range casesMetadata {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseMetadata(c.kv)
			if c.err == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, c.err)
		})
	}
}

func TestDecodeTileErrors(t *testing.T) {
	_, err := decodeTile([]byte("<html>rate limited</html>"))
	require.EqualError(t, err, "not a PNG, JPEG or WebP image")
	_, err = decodeTile([]byte{0x1f, 0x8b, 8, 0})
	require.ErrorContains(t, err, "vector tile")
	_, err = decodeTile(genTile(Tile{})[:100])
	require.Error(t, err)
}

// FuzzMBTilesMetadata feeds the metadata values and a tile's bytes, as read from a
// file, to the parsers: no panic, and what is accepted is usable.
func FuzzMBTilesMetadata(f *testing.F) {
	for _, c := range casesMetadata {
		f.Add(c.kv["format"], c.kv["bounds"], c.kv["minzoom"], c.kv["maxzoom"], []byte(nil))
	}
	f.Add("png", "", "", "", genTile(Tile{1, 1, 1}))
	f.Fuzz(func(t *testing.T, format, bounds, minZ, maxZ string, tile []byte) {
		kv := map[string]string{"format": format, "bounds": bounds}
		if minZ != "" || maxZ != "" {
			kv["minzoom"], kv["maxzoom"] = minZ, maxZ
		}
		meta, err := parseMetadata(kv)
		if err == nil {
			require.LessOrEqual(t, meta.MinZoom, meta.MaxZoom)
			require.True(t, meta.Bounds.Min[0] < meta.Bounds.Max[0] && meta.Bounds.Min[1] < meta.Bounds.Max[1])
		}
		img, err := decodeTile(tile)
		if err == nil {
			require.Equal(t, img.Rect.Dx(), img.Rect.Dy())
			require.Len(t, img.Pix, img.Rect.Dx()*img.Rect.Dy()*4)
		}
	})
}
