package tiles

import (
	"image"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

func TestBaseFromMBTilesWithAttribution(t *testing.T) {
	c := orb.Point{149.165, -35.363}
	z := 15
	tile := TileAt(c, z)
	tls := map[Tile][]byte{}
	for dx := -2; dx <= 2; dx++ {
		for dy := -2; dy <= 2; dy++ {
			tl := Tile{z, tile.X + dx, tile.Y + dy}
			tls[tl] = genTile(tl)
		}
	}
	path := writeMBTiles(t, map[string]string{"format": "png", "minzoom": "15", "maxzoom": "15", "attribution": "© survey"}, tls)
	b, err := OpenBase(path, "")
	require.NoError(t, err)
	var changes atomic.Int64
	changed := make(chan struct{}, 1)
	b.SetOnChange(func() {
		changes.Add(1)
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	dst := image.NewRGBA(image.Rect(0, 0, 300, 200))
	mpp := tileResM(c[1], z)
	start := time.Now()
	drawUntilComplete(t, func() bool { return b.Draw(dst, c, mpp) }, dst, changed)
	elapsed := time.Since(start)
	if got := dst.RGBAAt(150, 100); got != markerColour {
		require.Equal(t, tileColour(tile), got)
	}
	require.LessOrEqual(t, changes.Load(), int64(elapsed/RedrawEvery)+1, "redraw requests are coalesced")
	// The attribution: dark text on a light box in the bottom-right corner.
	var text int
	for y := 183; y < 200; y++ {
		for x := 230; x < 300; x++ {
			if dst.RGBAAt(x, y) == creditText {
				text++
			}
		}
	}
	require.Positive(t, text, "the attribution is written")
	require.NotEqual(t, creditText, dst.RGBAAt(10, 190), "only in the corner")

	b.Close()
	n := changes.Load()
	time.Sleep(2 * RedrawEvery)
	require.Equal(t, n, changes.Load(), "no redraw request after Close")
}

func TestOpenBaseErrors(t *testing.T) {
	_, err := OpenBase("https://tiles.example/{z}/{x}.png", t.TempDir())
	require.EqualError(t, err, `map source: tile URL "https://tiles.example/{z}/{x}.png" has no {y}; want e.g. `+DefaultURL)
	missing := filepath.Join(t.TempDir(), "camp.mbtiles")
	_, err = OpenBase(missing, "")
	require.ErrorIs(t, err, os.ErrNotExist)
	require.ErrorContains(t, err, "map source: map file: ")

	srv := newTileServer(t)
	b, err := OpenBase(srv.URL+"/{z}/{x}/{y}.png", t.TempDir())
	require.NoError(t, err)
	b.Close()
}
