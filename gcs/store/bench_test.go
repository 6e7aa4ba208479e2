package store

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// BenchmarkStoreDetections stores detections the way the station does, 100 per
// AddDetections (one transaction), into a record in WAL mode with synchronous=NORMAL. One
// op is one detection; the goal is 10,000 detections/s.
//
// Between batches, with the timer stopped, it runs REFERENCE.md's baseline on another
// file: bare 10-column rows through the same driver and settings, 100 per transaction
// with a prepared statement. Both rates are measured under the same load, and
// x-baseline is their ratio.
func BenchmarkStoreDetections(b *testing.B) {
	s, _ := openTemp(b)
	batch := make([]gcs.Detection, 100)
	for i := range batch {
		batch[i] = sampleDetection(i)
	}
	base := newBaseline(b)
	var baseRows int
	var baseTime time.Duration
	b.ResetTimer()
	for stored := 0; stored < b.N; stored += len(batch) {
		if _, err := s.AddDetections(batch[:min(len(batch), b.N-stored)]); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		start := time.Now()
		base.insert100(b)
		baseTime += time.Since(start)
		baseRows += 100
		b.StartTimer()
	}
	rate := float64(b.N) / b.Elapsed().Seconds()
	baseRate := float64(baseRows) / baseTime.Seconds()
	b.ReportMetric(rate, "detections/s")
	b.ReportMetric(baseRate, "baseline-rows/s")
	b.ReportMetric(rate/baseRate, "x-baseline")
}

type baseline struct {
	db *sql.DB
	n  int
}

func newBaseline(b *testing.B) *baseline {
	path := filepath.Join(b.TempDir(), "baseline.db")
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	require.NoError(b, err)
	b.Cleanup(func() { db.Close() })
	_, err = db.Exec(`CREATE TABLE rows (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c TEXT, d REAL,
		e REAL, f REAL, g REAL, h INTEGER, i TEXT)`)
	require.NoError(b, err)
	return &baseline{db: db}
}

func (bl *baseline) insert100(b *testing.B) {
	tx, err := bl.db.Begin()
	require.NoError(b, err)
	stmt, err := tx.Prepare("INSERT INTO rows (a, b, c, d, e, f, g, h, i) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
	require.NoError(b, err)
	for range 100 {
		bl.n++
		if _, err := stmt.Exec(bl.n, 1, "person", 0.5, 149.1, -35.3, 2.5, 0, "snap.jpg"); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	require.NoError(b, tx.Commit())
}
