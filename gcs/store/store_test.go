package store

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 123456789, time.UTC)

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mission.db")
	s, err := Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func sampleDetection(i int) gcs.Detection {
	return gcs.Detection{
		Time: t0.Add(time.Duration(i) * 200 * time.Millisecond), SysID: 1, Stream: "main", TrackID: int64(i % 5),
		Class: "person", Score: 0.5 + float64(i%5)/10, Box: gcs.Box{MinU: 10, MinV: 20, MaxU: 30, MaxV: 80 + float64(i)},
		Located:  true,
		Ground:   gcs.GroundPoint{Point: orb.Point{149.165 + float64(i)*1e-5, -35.363}, AltMSLM: 584, RangeM: 120, OffNadirDeg: 30},
		Error:    gcs.Ellipse{SemiMajorM: 2.5, SemiMinorM: 1.5, OrientationDeg: 45, Weak: i%7 == 0},
		Snapshot: "snap.jpg", TargetID: int64(i%3 + 1),
	}
}

func TestRecordRoundTrip(t *testing.T) {
	s, path := openTemp(t)
	v, err := s.SchemaVersion()
	require.NoError(t, err)
	require.Equal(t, len(migrations), v)

	// Detections, one not located.
	ds := []gcs.Detection{sampleDetection(0), sampleDetection(1), {Time: t0, SysID: 2, Stream: "thermal", TrackID: 9, Class: "car", Score: 0.4}}
	ids, err := s.AddDetections(ds)
	require.NoError(t, err)
	require.Equal(t, []int64{1, 2, 3}, ids)
	require.NoError(t, s.SetDetectionTarget(3, 7))
	for i := range ds {
		ds[i].ID = ids[i]
	}
	ds[2].TargetID = 7

	target := gcs.Target{ID: 4, Class: "person", Point: orb.Point{149.1651, -35.3631}, AltMSLM: 584.5,
		Cov: gcs.NECov{NN: 2, NE: 0.5, EE: 3}, ErrorM: 1.8, Weak: true, FirstSeen: t0, LastSeen: t0.Add(time.Minute),
		Sightings: 12, BestScore: 0.93, Snapshot: "best.jpg", BestDetection: 2,
		Tracks: []gcs.TrackKey{{SysID: 1, Stream: "main", TrackID: 3}, {SysID: 2, Stream: "main", TrackID: 8}}}
	require.NoError(t, s.SaveTargets(target))
	target.Sightings = 13 // saved again: replaced
	require.NoError(t, s.SaveTargets(target))

	zone := gcs.Zone{Name: "Gate", Polygon: orb.Polygon{{{149, -35}, {149.1, -35}, {149.1, -35.1}, {149, -35}}},
		Rules: []gcs.ZoneRule{{Kind: gcs.RuleInside, Class: "person"}, {Kind: gcs.RuleMoreThan, Class: "vehicle", N: 2}}}
	require.NoError(t, s.SaveZone(&zone))
	require.Equal(t, int64(1), zone.ID)

	alert := gcs.Alert{ID: 1, Time: t0, ZoneID: zone.ID, ZoneName: "Gate", Rule: zone.Rules[0], Targets: []int64{4},
		Message: "person inside Gate (target 4)"}
	require.NoError(t, s.AddAlert(alert))
	require.NoError(t, s.AcknowledgeAlert(1, t0.Add(time.Minute)))
	require.NoError(t, s.AcknowledgeAlert(1, t0.Add(2*time.Minute)))
	require.ErrorIs(t, s.AcknowledgeAlert(5, t0), gcs.ErrNoAlert)
	alert.AckTime = t0.Add(time.Minute)

	inc, err := gcs.MarkTarget(t0, target, "roadblock", gcs.IncidentHigh, "across the road")
	require.NoError(t, err)
	inc.ID, err = s.AddIncident(inc)
	require.NoError(t, err)
	_, err = s.AddIncident(gcs.Incident{Time: t0})
	require.ErrorIs(t, err, gcs.ErrBadIncident)

	require.NoError(t, s.SaveVehicle(gcs.Vehicle{SysID: 1, Type: gcs.VehicleQuadrotor, Autopilot: gcs.AutopilotArduPilot, FirstSeen: t0, LastHeartbeat: t0}))
	pos := gcs.Position{Point: orb.Point{149.16, -35.36}, AltMSLM: 620, AltRelM: 36}
	require.NoError(t, s.SaveVehicle(gcs.Vehicle{SysID: 1, Type: gcs.VehicleQuadrotor, Autopilot: gcs.AutopilotArduPilot, FirstSeen: t0.Add(time.Hour), LastHeartbeat: t0.Add(time.Minute),
		PositionValid: true, Position: pos}))
	require.NoError(t, s.SaveVehicle(gcs.Vehicle{SysID: 1, Type: gcs.VehicleQuadrotor, Autopilot: gcs.AutopilotArduPilot, LastHeartbeat: t0.Add(time.Hour)}))

	arm, err := s.LogCommand(t0, 1, "arm")
	require.NoError(t, err)
	_, err = s.LogCommand(t0.Add(time.Second), 1, "takeoff 20")
	require.NoError(t, err)
	require.NoError(t, s.LogAnswer(arm, t0.Add(100*time.Millisecond), gcs.CommandReply{Result: gcs.CommandDenied, Reason: "PreArm: Need 3D Fix"}))
	require.ErrorContains(t, s.LogAnswer(99, t0, gcs.CommandReply{}), "no such command")

	// Everything reads back, from a reopened file.
	require.NoError(t, s.Close())
	s, err = Open(path)
	require.NoError(t, err)
	defer s.Close()

	gotD, err := s.Detections()
	require.NoError(t, err)
	require.Equal(t, ds, gotD)
	gotT, err := s.Targets()
	require.NoError(t, err)
	require.Equal(t, []gcs.Target{target}, gotT)
	gotZ, err := s.Zones()
	require.NoError(t, err)
	require.Equal(t, []gcs.Zone{zone}, gotZ)
	gotA, err := s.Alerts()
	require.NoError(t, err)
	require.Equal(t, []gcs.Alert{alert}, gotA)
	gotI, err := s.Incidents()
	require.NoError(t, err)
	require.Equal(t, []gcs.Incident{inc}, gotI)
	gotV, err := s.Vehicles()
	require.NoError(t, err)
	require.Equal(t, []gcs.Vehicle{{SysID: 1, Type: gcs.VehicleQuadrotor, Autopilot: gcs.AutopilotArduPilot, FirstSeen: t0, LastHeartbeat: t0.Add(time.Hour),
		PositionValid: true, Position: pos}}, gotV, "first seen kept, last position kept")
	audit, err := s.Audit()
	require.NoError(t, err)
	require.Equal(t, []AuditEntry{
		{ID: 1, Time: t0, SysID: 1, Command: "arm", Answered: true, Result: gcs.CommandDenied, Reason: "PreArm: Need 3D Fix", AnswerTime: t0.Add(100 * time.Millisecond)},
		{ID: 2, Time: t0.Add(time.Second), SysID: 1, Command: "takeoff 20"},
	}, audit)

	require.NoError(t, s.DeleteZone(zone.ID))
	gotZ, err = s.Zones()
	require.NoError(t, err)
	require.Empty(t, gotZ)
}

func TestEachDetectionPages(t *testing.T) {
	s, _ := openTemp(t)
	var ds []gcs.Detection
	for i := range 1100 {
		ds = append(ds, sampleDetection(i))
	}
	_, err := s.AddDetections(ds)
	require.NoError(t, err)
	n := 0
	var last int64
	require.NoError(t, s.EachDetection(func(d gcs.Detection) error {
		n++
		require.Greater(t, d.ID, last)
		last = d.ID
		return nil
	}))
	require.Equal(t, 1100, n)
	count, err := s.DetectionCount()
	require.NoError(t, err)
	require.Equal(t, int64(1100), count)
}

// A failed batch stores nothing.
func TestAddDetectionsAllOrNothing(t *testing.T) {
	s, _ := openTemp(t)
	_, err := s.db.Exec("CREATE TRIGGER no_cars BEFORE INSERT ON detections WHEN NEW.class = 'car' BEGIN SELECT RAISE(ABORT, 'no cars'); END")
	require.NoError(t, err)
	bad := sampleDetection(2)
	bad.Class = "car"
	_, err = s.AddDetections([]gcs.Detection{sampleDetection(1), bad})
	require.ErrorContains(t, err, "detection 2 of 2")
	n, err := s.DetectionCount()
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestOpenRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		make   func(t *testing.T, path string)
		target error
		msg    string
	}{
		{"a text file", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("mission notes: nothing to report\n"), 0o644))
		}, ErrNotRecord, "it is not an SQLite database"},
		{"another program's database", func(t *testing.T, path string) {
			db, err := sql.Open("sqlite", path)
			require.NoError(t, err)
			_, err = db.Exec("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('a')")
			require.NoError(t, err)
			require.NoError(t, db.Close())
		}, ErrNotRecord, "it is another program's SQLite database"},
		{"a damaged record", func(t *testing.T, path string) {
			s, err := Open(path)
			require.NoError(t, err)
			require.NoError(t, s.Close())
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			require.NoError(t, err)
			junk := make([]byte, 4000)
			for i := range junk {
				junk[i] = byte(i*7 + 3)
			}
			_, err = f.WriteAt(junk, 100) // page 1 after the header: the schema
			require.NoError(t, err)
			require.NoError(t, f.Close())
		}, ErrCorrupt, "restore a copy or start a new record"},
		{"a record from a newer Vigil", func(t *testing.T, path string) {
			s, err := Open(path)
			require.NoError(t, err)
			_, err = s.db.Exec("PRAGMA user_version = 99")
			require.NoError(t, err)
			require.NoError(t, s.Close())
		}, ErrNewer, "its schema is version 99 and this Vigil knows up to 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "mission.db")
			tc.make(t, path)
			before, err := os.ReadFile(path)
			require.NoError(t, err)
			_, err = Open(path)
			require.ErrorIs(t, err, tc.target)
			require.ErrorContains(t, err, path)
			require.ErrorContains(t, err, tc.msg)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, before, after, "the file is left as it was")
		})
	}

	t.Run("a missing folder", func(t *testing.T) {
		_, err := Open(filepath.Join(t.TempDir(), "nowhere", "mission.db"))
		require.ErrorIs(t, err, os.ErrNotExist)
	})
	t.Run("an empty file becomes a record", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "mission.db")
		require.NoError(t, os.WriteFile(path, nil, 0o644))
		s, err := Open(path)
		require.NoError(t, err)
		require.NoError(t, s.Close())
	})
}

// A record left at an older schema version is brought up to date when opened.
func TestMigrationFromOlderVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mission.db")
	s, err := Open(path)
	require.NoError(t, err)
	_, err = s.AddDetections([]gcs.Detection{sampleDetection(1)})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	saved := migrations
	t.Cleanup(func() { migrations = saved })
	migrations = append(append([]string(nil), saved...), "ALTER TABLE detections ADD COLUMN note TEXT NOT NULL DEFAULT ''")
	s, err = Open(path)
	require.NoError(t, err)
	defer s.Close()
	v, err := s.SchemaVersion()
	require.NoError(t, err)
	require.Equal(t, 2, v)
	var note string
	require.NoError(t, s.db.QueryRow("SELECT note FROM detections WHERE id = 1").Scan(&note))
	require.Equal(t, "", note)
	n, err := s.DetectionCount()
	require.NoError(t, err)
	require.Equal(t, int64(1), n, "kept")
}

func TestWAL(t *testing.T) {
	s, _ := openTemp(t)
	var mode string
	require.NoError(t, s.db.QueryRow("PRAGMA journal_mode").Scan(&mode))
	require.Equal(t, "wal", mode)
	var sync int
	require.NoError(t, s.db.QueryRow("PRAGMA synchronous").Scan(&sync))
	require.Equal(t, 1, sync, "NORMAL")
}
