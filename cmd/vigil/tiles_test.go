package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTilesPrefetchAndInfo(t *testing.T) {
	var tile bytes.Buffer
	require.NoError(t, png.Encode(&tile, image.NewGray(image.Rect(0, 0, 256, 256))))
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Write(tile.Bytes())
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	area := filepath.Join(dir, "camp.mbtiles")
	settings := filepath.Join(dir, "none.json")
	var out bytes.Buffer
	err := runTilesPrefetch(context.Background(), &out, []string{"--bbox", "149.155,-35.372,149.177,-35.354", "--zoom", "14-15",
		"--source", srv.URL + "/{z}/{x}/{y}.png", "--cache", dir, "--out", area, "--settings", settings})
	require.NoError(t, err)
	require.Contains(t, out.String(), "13 tiles, zoom 14-15")
	require.Contains(t, out.String(), "13/13 tiles: 13 downloaded, 0 already there, 0 missing on the server, 0 failed")
	require.EqualValues(t, 13, requests.Load())

	out.Reset()
	require.NoError(t, runTilesInfo(context.Background(), &out, []string{area}))
	require.Contains(t, out.String(), "zoom:        14-15\n")
	require.Contains(t, out.String(), "zoom 15:     9 tiles (of 9 for the bounds)\n")
	require.Contains(t, out.String(), "total:       13 tiles\n")

	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--bbox", "1,2,3", "--zoom", "3"}, `--bbox: "1,2,3": want MINLON,MINLAT,MAXLON,MAXLAT`},
		{[]string{"--bbox", "1,2,3,4", "--zoom", "17-10"}, `--zoom: "17-10": want levels like 10-17 (0 to 24, the lower first)`},
		{[]string{"--bbox", "1,2,3,4", "--zoom", "10-17", "--source", "https://x/{z}/{y}.png"}, `--source: tile URL "https://x/{z}/{y}.png" has no {x}; want e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png`},
	} {
		err := runTilesPrefetch(context.Background(), &out, append(c.args, "--settings", settings, "--cache", dir))
		require.EqualError(t, err, c.err)
	}
}
