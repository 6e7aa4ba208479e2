package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/gcs/store"
)

// exportFormats are the formats vigil export writes.
var exportFormats = map[string]func(w io.Writer, e gcs.Export) error{
	"geojson": gcs.WriteGeoJSON,
	"kml":     gcs.WriteKML,
	"csv":     gcs.WriteCSV,
	"cot": func(w io.Writer, e gcs.Export) error {
		return gcs.WriteCoT(w, e, gcs.CoTConfig{}, time.Now())
	},
}

func runExport(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	db := fs.String("db", "", "the mission record to export (a .db file written by vigil run)")
	format := fs.String("format", "geojson", "geojson, kml, csv or cot (Cursor on Target events, one per line)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *db == "" || len(pos) != 1 {
		return usageErrorf("export needs --db mission.db and one output file (- for standard output)")
	}
	write, ok := exportFormats[*format]
	if !ok {
		return usageErrorf("export: unknown format %q: use geojson, kml, csv or cot", *format)
	}
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("mission record: %w", err)
	}
	s, err := store.Open(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	e, err := s.Export()
	if err != nil {
		return err
	}
	out := pos[0]
	if out == "-" {
		return write(os.Stdout, e)
	}
	if err := writeFileAtomic(out, func(w io.Writer) error { return write(w, e) }); err != nil {
		return fmt.Errorf("exporting to %s: %w", out, err)
	}
	fmt.Printf("exported %d targets and %d incidents from %s to %s (%s)\n", len(e.Targets), len(e.Incidents), *db, out, *format)
	return nil
}

// writeFileAtomic writes a file through a temporary one beside it, so that a failed export
// never leaves half a file where a good one was.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return errors.Join(err, removeIfExists(tmp))
	}
	return nil
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
