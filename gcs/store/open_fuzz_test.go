package store

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// seedRecord returns the bytes of a small real record.
func seedRecord(t testing.TB) []byte {
	path := filepath.Join(t.TempDir(), "seed.db")
	s, err := Open(path)
	require.NoError(t, err)
	_, err = s.AddDetections([]gcs.Detection{sampleDetection(1), sampleDetection(2)})
	require.NoError(t, err)
	require.NoError(t, s.SaveTargets(gcs.Target{ID: 1, Class: "person", Tracks: []gcs.TrackKey{{SysID: 1, TrackID: 2}}}))
	require.NoError(t, s.Close())
	record, err := os.ReadFile(path)
	require.NoError(t, err)
	return record
}

// openAnything opens data as a mission record: Open refuses it without changing a byte,
// or opens it and every read returns (rows or an error) without a panic.
func openAnything(t *testing.T, data []byte) (opened bool) {
	path := filepath.Join(t.TempDir(), "mission.db")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	s, err := Open(path)
	if err != nil {
		after, rerr := os.ReadFile(path)
		require.NoError(t, rerr)
		require.Equal(t, data, after, "a refused file is left as it was: %v", err)
		return false
	}
	defer s.Close()
	s.Detections() //nolint:errcheck // rows or an error, never a panic
	s.Targets()    //nolint:errcheck
	s.Zones()      //nolint:errcheck
	s.Alerts()     //nolint:errcheck
	s.Incidents()  //nolint:errcheck
	s.Vehicles()   //nolint:errcheck
	s.Audit()      //nolint:errcheck
	return true
}

// FuzzOpen opens any file as a mission record (see openAnything). The fuzzer itself runs
// slowly here (a few inputs a second: the SQLite translation is a very large coverage
// map), so TestOpenDamagedRecords below goes through damage systematically instead.
func FuzzOpen(f *testing.F) {
	record := seedRecord(f)
	f.Add(record)
	f.Add(record[:len(record)/2])
	f.Add(append(bytes.Clone(record[:100]), make([]byte, 4000)...))
	f.Add(sqliteHeader)
	f.Fuzz(func(t *testing.T, data []byte) { openAnything(t, data) })
}

// A real record damaged at places spread over every page: each copy is refused unchanged
// or read without a panic.
func TestOpenDamagedRecords(t *testing.T) {
	record := seedRecord(t)
	step := max(len(record)/60, 1)
	refused, opened := 0, 0
	tally := func(ok bool) {
		if ok {
			opened++
		} else {
			refused++
		}
	}
	for off := 0; off < len(record); off += step {
		damaged := bytes.Clone(record)
		for i := off; i < min(off+16, len(damaged)); i++ {
			damaged[i] ^= 0x5a
		}
		tally(openAnything(t, damaged))
	}
	for _, n := range []int{len(record) - 1, len(record) / 2, 4096, 100, 17} {
		tally(openAnything(t, record[:n])) // truncated
	}
	t.Logf("%d damaged copies refused, %d opened", refused, opened)
	require.Positive(t, refused)
	require.Positive(t, opened)
}
