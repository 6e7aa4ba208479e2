package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// SaveZone stores a zone, giving it an ID when it has none (set in z), or replaces the
// stored zone with the same ID.
func (s *Store) SaveZone(z *gcs.Zone) error {
	poly, err := json.Marshal(z.Polygon)
	if err != nil {
		return err
	}
	rules := make([]string, len(z.Rules))
	for i, r := range z.Rules {
		rules[i] = r.String()
	}
	rj, err := json.Marshal(rules)
	if err != nil {
		return err
	}
	var id sql.NullInt64
	if z.ID != 0 {
		id = sql.NullInt64{Int64: z.ID, Valid: true}
	}
	res, err := s.db.Exec("INSERT OR REPLACE INTO zones (id, name, polygon, rules) VALUES (?, ?, ?, ?)", id, z.Name, string(poly), string(rj))
	if err != nil {
		return fmt.Errorf("storing zone %q in %s: %w", z.Name, s.path, err)
	}
	if z.ID == 0 {
		z.ID, err = res.LastInsertId()
	}
	return err
}

// DeleteZone removes a zone; its alerts stay in the record.
func (s *Store) DeleteZone(id int64) error {
	_, err := s.db.Exec("DELETE FROM zones WHERE id = ?", id)
	return err
}

// Zones returns the zones, by ID.
func (s *Store) Zones() ([]gcs.Zone, error) {
	rows, err := s.db.Query("SELECT id, name, polygon, rules FROM zones ORDER BY id")
	if err != nil {
		return nil, s.readError(err)
	}
	defer rows.Close()
	var out []gcs.Zone
	for rows.Next() {
		var z gcs.Zone
		var poly, rj string
		if err := rows.Scan(&z.ID, &z.Name, &poly, &rj); err != nil {
			return nil, s.readError(err)
		}
		var rules []string
		if err := errors.Join(json.Unmarshal([]byte(poly), &z.Polygon), json.Unmarshal([]byte(rj), &rules)); err != nil {
			return nil, fmt.Errorf("%s: %w: zone %d: %v", s.path, ErrCorrupt, z.ID, err)
		}
		for _, text := range rules {
			r, err := gcs.ParseZoneRule(text)
			if err != nil {
				return nil, fmt.Errorf("%s: %w: zone %d: %v", s.path, ErrCorrupt, z.ID, err)
			}
			z.Rules = append(z.Rules, r)
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

// AddAlert stores an alert as the Alerter numbered it.
func (s *Store) AddAlert(a gcs.Alert) error {
	tj, err := json.Marshal(a.Targets)
	if err != nil {
		return err
	}
	_, err = s.db.Exec("INSERT INTO alerts (id, time, zone_id, zone_name, rule, targets, message, ack_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		a.ID, a.Time.UnixNano(), a.ZoneID, a.ZoneName, a.Rule.String(), string(tj), a.Message, nanos(a.AckTime))
	if err != nil {
		return fmt.Errorf("storing alert %d in %s: %w", a.ID, s.path, err)
	}
	return nil
}

// AcknowledgeAlert records when the operator acknowledged alert id; a second
// acknowledgement keeps the first time.
func (s *Store) AcknowledgeAlert(id int64, at time.Time) error {
	res, err := s.db.Exec("UPDATE alerts SET ack_time = coalesce(ack_time, ?) WHERE id = ?", at.UnixNano(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %d in %s", gcs.ErrNoAlert, id, s.path)
	}
	return nil
}

// Alerts returns the alerts, oldest first.
func (s *Store) Alerts() ([]gcs.Alert, error) {
	rows, err := s.db.Query("SELECT id, time, zone_id, zone_name, rule, targets, message, ack_time FROM alerts ORDER BY id")
	if err != nil {
		return nil, s.readError(err)
	}
	defer rows.Close()
	var out []gcs.Alert
	for rows.Next() {
		var a gcs.Alert
		var t int64
		var ack sql.NullInt64
		var rule, tj string
		if err := rows.Scan(&a.ID, &t, &a.ZoneID, &a.ZoneName, &rule, &tj, &a.Message, &ack); err != nil {
			return nil, s.readError(err)
		}
		a.Time, a.AckTime = fromNanos(sql.NullInt64{Int64: t, Valid: true}), fromNanos(ack)
		r, rerr := gcs.ParseZoneRule(rule)
		if err := errors.Join(rerr, json.Unmarshal([]byte(tj), &a.Targets)); err != nil {
			return nil, fmt.Errorf("%s: %w: alert %d: %v", s.path, ErrCorrupt, a.ID, err)
		}
		a.Rule = r
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddIncident validates and stores an incident and returns its ID.
func (s *Store) AddIncident(in gcs.Incident) (int64, error) {
	if err := in.Validate(); err != nil {
		return 0, err
	}
	res, err := s.db.Exec("INSERT INTO incidents (time, target_id, lon, lat, category, severity, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
		in.Time.UnixNano(), in.TargetID, in.Point[0], in.Point[1], in.Category, int64(in.Severity), in.Note)
	if err != nil {
		return 0, fmt.Errorf("storing incident in %s: %w", s.path, err)
	}
	return res.LastInsertId()
}

// Incidents returns the incidents, oldest first.
func (s *Store) Incidents() ([]gcs.Incident, error) {
	rows, err := s.db.Query("SELECT id, time, target_id, lon, lat, category, severity, note FROM incidents ORDER BY id")
	if err != nil {
		return nil, s.readError(err)
	}
	defer rows.Close()
	var out []gcs.Incident
	for rows.Next() {
		var in gcs.Incident
		var t, sev int64
		var lon, lat float64
		if err := rows.Scan(&in.ID, &t, &in.TargetID, &lon, &lat, &in.Category, &sev, &in.Note); err != nil {
			return nil, s.readError(err)
		}
		in.Time, in.Point, in.Severity = fromNanos(sql.NullInt64{Int64: t, Valid: true}), orb.Point{lon, lat}, gcs.IncidentSeverity(sev)
		out = append(out, in)
	}
	return out, rows.Err()
}
