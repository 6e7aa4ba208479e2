package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

type trackJSON struct {
	SysID   uint8  `json:"sysid"`
	Stream  string `json:"stream"`
	TrackID int64  `json:"track"`
}

// SaveTargets stores targets in one transaction, replacing earlier versions of the same
// IDs: a target changes with every sighting, and the record keeps its latest state.
func (s *Store) SaveTargets(ts ...gcs.Target) error {
	ctx := context.Background()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO targets (id, class, lon, lat, alt_msl_m,
			cov_nn, cov_ne, cov_ee, error_m, weak, first_seen, last_seen, sightings, best_score, snapshot,
			best_detection, tracks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, t := range ts {
			if t.ID <= 0 {
				return fmt.Errorf("target without an ID (class %s)", t.Class)
			}
			tracks := make([]trackJSON, len(t.Tracks))
			for i, k := range t.Tracks {
				tracks[i] = trackJSON{k.SysID, k.Stream, k.TrackID}
			}
			tj, err := json.Marshal(tracks)
			if err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, t.ID, t.Class, t.Point[0], t.Point[1], t.AltMSLM,
				t.Cov.NN, t.Cov.NE, t.Cov.EE, t.ErrorM, t.Weak, nanos(t.FirstSeen), nanos(t.LastSeen),
				t.Sightings, t.BestScore, t.Snapshot, t.BestDetection, string(tj)); err != nil {
				return fmt.Errorf("target %d: %w", t.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storing targets in %s: %w", s.path, err)
	}
	return nil
}

// Targets returns every target, by ID.
func (s *Store) Targets() ([]gcs.Target, error) {
	rows, err := s.db.Query(`SELECT id, class, lon, lat, alt_msl_m, cov_nn, cov_ne, cov_ee, error_m, weak,
		first_seen, last_seen, sightings, best_score, snapshot, best_detection, tracks FROM targets ORDER BY id`)
	if err != nil {
		return nil, s.readError(err)
	}
	defer rows.Close()
	var out []gcs.Target
	for rows.Next() {
		var t gcs.Target
		var first, last sql.NullInt64
		var tj string
		if err := rows.Scan(&t.ID, &t.Class, &t.Point[0], &t.Point[1], &t.AltMSLM, &t.Cov.NN, &t.Cov.NE, &t.Cov.EE,
			&t.ErrorM, &t.Weak, &first, &last, &t.Sightings, &t.BestScore, &t.Snapshot, &t.BestDetection, &tj); err != nil {
			return nil, s.readError(err)
		}
		t.FirstSeen, t.LastSeen = fromNanos(first), fromNanos(last)
		var tracks []trackJSON
		if err := json.Unmarshal([]byte(tj), &tracks); err != nil {
			return nil, fmt.Errorf("%s: %w: target %d's tracks: %v", s.path, ErrCorrupt, t.ID, err)
		}
		for _, k := range tracks {
			t.Tracks = append(t.Tracks, gcs.TrackKey{SysID: k.SysID, Stream: k.Stream, TrackID: k.TrackID})
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err)
	}
	return out, nil
}

// SaveVehicle records a vehicle the station has heard, or updates when it was last heard
// and, when v.PositionValid, where it was.
func (s *Store) SaveVehicle(v gcs.Vehicle) error {
	var lon, lat, msl, rel sql.NullFloat64
	if v.PositionValid {
		lon, lat = sql.NullFloat64{Float64: v.Position.Point[0], Valid: true}, sql.NullFloat64{Float64: v.Position.Point[1], Valid: true}
		msl, rel = sql.NullFloat64{Float64: v.Position.AltMSLM, Valid: true}, sql.NullFloat64{Float64: v.Position.AltRelM, Valid: true}
	}
	_, err := s.db.Exec(`INSERT INTO vehicles (sysid, type, autopilot, first_seen, last_seen, lon, lat, alt_msl_m, alt_rel_m)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(sysid) DO UPDATE SET type = excluded.type, autopilot = excluded.autopilot,
		first_seen = coalesce(vehicles.first_seen, excluded.first_seen), last_seen = excluded.last_seen,
		lon = coalesce(excluded.lon, vehicles.lon), lat = coalesce(excluded.lat, vehicles.lat),
		alt_msl_m = coalesce(excluded.alt_msl_m, vehicles.alt_msl_m), alt_rel_m = coalesce(excluded.alt_rel_m, vehicles.alt_rel_m)`,
		int64(v.SysID), int64(v.Type), int64(v.Autopilot), nanos(v.FirstSeen), nanos(v.LastHeartbeat), lon, lat, msl, rel)
	if err != nil {
		return fmt.Errorf("storing vehicle %d in %s: %w", v.SysID, s.path, err)
	}
	return nil
}

// Vehicles returns the vehicles recorded, by system id, with their type, autopilot,
// FirstSeen, LastHeartbeat and last known position set.
func (s *Store) Vehicles() ([]gcs.Vehicle, error) {
	rows, err := s.db.Query("SELECT sysid, type, autopilot, first_seen, last_seen, lon, lat, alt_msl_m, alt_rel_m FROM vehicles ORDER BY sysid")
	if err != nil {
		return nil, s.readError(err)
	}
	defer rows.Close()
	var out []gcs.Vehicle
	for rows.Next() {
		var sysID, typ, ap int64
		var first, last sql.NullInt64
		var lon, lat, msl, rel sql.NullFloat64
		if err := rows.Scan(&sysID, &typ, &ap, &first, &last, &lon, &lat, &msl, &rel); err != nil {
			return nil, s.readError(err)
		}
		v := gcs.Vehicle{SysID: uint8(sysID), Type: gcs.VehicleType(typ), Autopilot: gcs.Autopilot(ap),
			FirstSeen: fromNanos(first), LastHeartbeat: fromNanos(last)}
		if lon.Valid && lat.Valid {
			v.PositionValid = true
			v.Position = gcs.Position{Point: orb.Point{lon.Float64, lat.Float64}, AltMSLM: msl.Float64, AltRelM: rel.Float64}
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
