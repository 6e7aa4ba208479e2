package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

const insertDetection = `INSERT INTO detections (id, time, sysid, stream, track, class, score,
	box_min_u, box_min_v, box_max_u, box_max_v, located, lon, lat, alt_msl_m, range_m, off_nadir_deg,
	err_major_m, err_minor_m, err_dir_deg, weak, snapshot, target_id)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// AddDetections stores detections in one transaction and returns their IDs, in order: a
// detection's own ID when it has one (from NewDetectionID), else a new one. Detections
// arrive many per second: give them in batches (every 100 ms, or 100 at a time, as
// DetectionWriter does), since each transaction costs a write to disk. When it returns
// nil, all are committed; otherwise none is.
func (s *Store) AddDetections(ds []gcs.Detection) ([]int64, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
		if ids[i] == 0 {
			ids[i] = s.NewDetectionID()
		}
	}
	ctx := context.Background()
	args := make([]any, 0, 23)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, insertDetection)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i, d := range ds {
			if _, err := stmt.ExecContext(ctx, appendDetectionArgs(append(args[:0], ids[i]), d)...); err != nil {
				return fmt.Errorf("detection %d of %d: %w", i+1, len(ds), err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storing %d detections in %s: %w", len(ds), s.path, err)
	}
	return ids, nil
}

// NewDetectionID returns a detection ID no stored or earlier-returned detection has, so
// that a detection can be referred to (a target's best sighting) before it is stored.
// IDs grow in the order they are handed out. Only one station may write a record.
func (s *Store) NewDetectionID() int64 { return s.lastDetection.Add(1) }

func appendDetectionArgs(args []any, d gcs.Detection) []any {
	var lon, lat, alt, rng, nadir, major, minor, dir sql.NullFloat64
	if d.Located {
		lon, lat = nf(d.Ground.Point[0]), nf(d.Ground.Point[1])
		alt, rng, nadir = nf(d.Ground.AltMSLM), nf(d.Ground.RangeM), nf(d.Ground.OffNadirDeg)
		major, minor, dir = nf(d.Error.SemiMajorM), nf(d.Error.SemiMinorM), nf(d.Error.OrientationDeg)
	}
	target := sql.NullInt64{Int64: d.TargetID, Valid: d.TargetID != 0}
	return append(args, d.Time.UnixNano(), int64(d.SysID), d.Stream, d.TrackID, d.Class, d.Score,
		d.Box.MinU, d.Box.MinV, d.Box.MaxU, d.Box.MaxV, d.Located, lon, lat, alt, rng, nadir,
		major, minor, dir, d.Error.Weak, d.Snapshot, target)
}

// SetDetectionTarget records which target detection id was fused into.
func (s *Store) SetDetectionTarget(id, targetID int64) error {
	_, err := s.db.Exec("UPDATE detections SET target_id = ? WHERE id = ?", targetID, id)
	return err
}

func nf(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }

// EachDetection calls fn with every detection, oldest first (by ID), reading them as it
// goes so that a long mission is never all in memory. It stops at fn's first error and
// returns it. fn may call other Store methods.
func (s *Store) EachDetection(fn func(gcs.Detection) error) error {
	const page = 1000
	var after int64
	for {
		batch, err := s.detectionsAfter(after, page)
		if err != nil {
			return err
		}
		for _, d := range batch {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(batch) < page {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// Detections returns every detection, oldest first.
func (s *Store) Detections() ([]gcs.Detection, error) {
	var out []gcs.Detection
	err := s.EachDetection(func(d gcs.Detection) error {
		out = append(out, d)
		return nil
	})
	return out, err
}

// detectionsAfter returns up to n detections with IDs above after.
func (s *Store) detectionsAfter(after int64, n int) ([]gcs.Detection, error) {
	rows, err := s.db.Query(`SELECT id, time, sysid, stream, track, class, score,
		box_min_u, box_min_v, box_max_u, box_max_v, located, lon, lat, alt_msl_m, range_m, off_nadir_deg,
		err_major_m, err_minor_m, err_dir_deg, weak, snapshot, target_id
		FROM detections WHERE id > ? ORDER BY id LIMIT ?`, after, n)
	if err != nil {
		return nil, s.readError(err)
	}
	defer rows.Close()
	var out []gcs.Detection
	for rows.Next() {
		var d gcs.Detection
		var t int64
		var sysID int64
		var lon, lat, alt, rng, nadir, major, minor, dir sql.NullFloat64
		var target sql.NullInt64
		if err := rows.Scan(&d.ID, &t, &sysID, &d.Stream, &d.TrackID, &d.Class, &d.Score,
			&d.Box.MinU, &d.Box.MinV, &d.Box.MaxU, &d.Box.MaxV, &d.Located, &lon, &lat, &alt, &rng, &nadir,
			&major, &minor, &dir, &d.Error.Weak, &d.Snapshot, &target); err != nil {
			return nil, s.readError(err)
		}
		d.Time = fromNanos(sql.NullInt64{Int64: t, Valid: true})
		d.SysID = uint8(sysID)
		if d.Located {
			d.Ground = gcs.GroundPoint{Point: orb.Point{lon.Float64, lat.Float64}, AltMSLM: alt.Float64,
				RangeM: rng.Float64, OffNadirDeg: nadir.Float64}
			d.Error.SemiMajorM, d.Error.SemiMinorM, d.Error.OrientationDeg = major.Float64, minor.Float64, dir.Float64
		}
		d.TargetID = target.Int64
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err)
	}
	return out, nil
}

// DetectionCount returns how many detections are stored.
func (s *Store) DetectionCount() (int64, error) {
	var n int64
	err := s.db.QueryRow("SELECT count(*) FROM detections").Scan(&n)
	return n, err
}

// errStopped ends EachDetection when a range loop over AllDetections breaks.
var errStopped = errors.New("stopped")

// AllDetections returns the detections as a sequence for gcs.Export, read a page at a
// time. A read error is yielded once, with a zero Detection, and ends the sequence.
func (s *Store) AllDetections() iter.Seq2[gcs.Detection, error] {
	return func(yield func(gcs.Detection, error) bool) {
		err := s.EachDetection(func(d gcs.Detection) error {
			if !yield(d, nil) {
				return errStopped
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopped) {
			yield(gcs.Detection{}, err)
		}
	}
}

// Export returns everything an export writes: targets, incidents and vehicles, and the
// detections as a sequence read while the export is written.
func (s *Store) Export() (gcs.Export, error) {
	var e gcs.Export
	var err error
	if e.Targets, err = s.Targets(); err != nil {
		return gcs.Export{}, err
	}
	if e.Incidents, err = s.Incidents(); err != nil {
		return gcs.Export{}, err
	}
	if e.Vehicles, err = s.Vehicles(); err != nil {
		return gcs.Export{}, err
	}
	e.Detections = s.AllDetections()
	return e, nil
}
