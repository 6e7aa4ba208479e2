package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/ui/tiles"
)

const tilesUsage = `vigil tiles prefetch --bbox MINLON,MINLAT,MAXLON,MAXLAT --zoom 10-17 [--out area.mbtiles] [--source URL] [--cache DIR] [--allow-large]
vigil tiles info FILE.mbtiles`

// runTiles is the map's offline tiles: fetch an area ahead of a mission, and look into an
// .mbtiles file.
func runTiles(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		return usageErrorf("%s", tilesUsage)
	}
	switch args[0] {
	case "prefetch":
		return runTilesPrefetch(ctx, os.Stderr, args[1:])
	case "info":
		return runTilesInfo(ctx, os.Stdout, args[1:])
	default:
		return usageErrorf("tiles: unknown command %q\n%s", args[0], tilesUsage)
	}
}

func runTilesPrefetch(ctx context.Context, out io.Writer, args []string) error {
	fs := flag.NewFlagSet("tiles prefetch", flag.ContinueOnError)
	bbox := fs.String("bbox", "", "the area: MINLON,MINLAT,MAXLON,MAXLAT in degrees")
	zoom := fs.String("zoom", "", "zoom levels, e.g. 10-17 (or one level, 15)")
	outFile := fs.String("out", "", "write the tiles into this .mbtiles file (default: into the map's cache)")
	settingsPath := fs.String("settings", gcs.DefaultSettingsPath(), "settings file (its map_source and map_cache_dir are the defaults)")
	source := fs.String("source", "", "tile URL template with {z}/{x}/{y} (default: the settings' map_source, else "+tiles.DefaultURL+")")
	cache := fs.String("cache", "", "tile cache folder (default: the settings' map_cache_dir, else the user's cache folder)")
	allowLarge := fs.Bool("allow-large", false, fmt.Sprintf("allow more than %d tiles", tiles.MaxPrefetchTiles))
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *bbox == "" || *zoom == "" {
		return usageErrorf("tiles prefetch needs --bbox and --zoom\n%s", tilesUsage)
	}
	b, err := parseBBox(*bbox)
	if err != nil {
		return usageErrorf("--bbox: %v", err)
	}
	minZ, maxZ, err := parseZoomRange(*zoom)
	if err != nil {
		return usageErrorf("--zoom: %v", err)
	}
	settings, err := gcs.LoadSettings(*settingsPath)
	if err != nil {
		return err
	}
	if *source == "" && strings.HasPrefix(settings.MapSource, "http") {
		*source = settings.MapSource
	}
	if *cache == "" {
		*cache = settings.MapCacheDir
	}
	src := &tiles.Source{URL: *source, CacheDir: *cache, MaxZoom: max(19, maxZ)}
	if err := src.Initialize(); err != nil {
		return usageErrorf("--source: %v", err)
	}
	fmt.Fprintf(out, "%d tiles, zoom %d-%d, from %s\n", tiles.CountTiles(b, minZ, maxZ), minZ, maxZ, src.Name)
	last := time.Now()
	pr, err := tiles.Prefetch(ctx, src, b, minZ, maxZ, func(p tiles.PrefetchProgress) {
		if time.Since(last) >= time.Second {
			last = time.Now()
			fmt.Fprintln(out, progressLine(p))
		}
	}, tiles.PrefetchOptions{Out: *outFile, AllowLarge: *allowLarge})
	if pr.Done > 0 {
		fmt.Fprintln(out, progressLine(pr))
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("stopped; run the same command again to go on where it stopped")
	}
	if err != nil {
		return err
	}
	where := src.CacheDir
	if *outFile != "" {
		where = *outFile
	}
	fmt.Fprintf(out, "done: the area is in %s\n", where)
	return nil
}

func progressLine(p tiles.PrefetchProgress) string {
	return fmt.Sprintf("%d/%d tiles: %d downloaded, %d already there, %d missing on the server, %d failed",
		p.Done, p.Total, p.Downloaded, p.Skipped, p.Missing, p.Failed)
}

func runTilesInfo(ctx context.Context, out io.Writer, args []string) error {
	if len(args) != 1 {
		return usageErrorf("tiles info needs one .mbtiles file\n%s", tilesUsage)
	}
	m, err := tiles.OpenMBTiles(args[0])
	if err != nil {
		return err
	}
	defer m.Close()
	counts, err := m.Count(ctx)
	if err != nil {
		return err
	}
	meta := m.Meta
	fmt.Fprintf(out, "name:        %s\nformat:      %s\nbounds:      %.6f,%.6f,%.6f,%.6f\nzoom:        %d-%d\nattribution: %s\n",
		meta.Name, meta.Format, meta.Bounds.Min[0], meta.Bounds.Min[1], meta.Bounds.Max[0], meta.Bounds.Max[1],
		meta.MinZoom, meta.MaxZoom, meta.Attribution)
	zs := make([]int, 0, len(counts))
	var total int64
	for z, n := range counts {
		zs = append(zs, z)
		total += n
	}
	slices.Sort(zs)
	for _, z := range zs {
		fmt.Fprintf(out, "zoom %2d:     %d tiles (of %d for the bounds)\n", z, counts[z], tiles.CountTiles(meta.Bounds, z, z))
	}
	fmt.Fprintf(out, "total:       %d tiles\n", total)
	return nil
}

// parseBBox reads MINLON,MINLAT,MAXLON,MAXLAT.
func parseBBox(s string) (orb.Bound, error) {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return orb.Bound{}, fmt.Errorf("%q: want MINLON,MINLAT,MAXLON,MAXLAT", s)
	}
	var v [4]float64
	for i, x := range f {
		n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return orb.Bound{}, fmt.Errorf("%q is not a number", x)
		}
		v[i] = n
	}
	if !(v[0] >= -180 && v[0] < v[2] && v[2] <= 180 && v[1] >= -90 && v[1] < v[3] && v[3] <= 90) {
		return orb.Bound{}, fmt.Errorf("%q: want longitudes in -180..180 and latitudes in -90..90, the minimum first (longitude first)", s)
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// parseZoomRange reads "10-17" or "15".
func parseZoomRange(s string) (minZ, maxZ int, err error) {
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		hi = lo
	}
	minZ, err1 := strconv.Atoi(strings.TrimSpace(lo))
	maxZ, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || minZ < 0 || maxZ > tiles.MaxZoom || minZ > maxZ {
		return 0, 0, fmt.Errorf("%q: want levels like 10-17 (0 to %d, the lower first)", s, tiles.MaxZoom)
	}
	return minZ, maxZ, nil
}
