package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/gcs/store"
)

// exportRecord writes a small mission record with the store API: one vehicle, two
// targets, three detections (one without a ground position) and an incident.
func exportRecord(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mission.db")
	s, err := store.Open(path)
	require.NoError(t, err)
	defer s.Close()
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	home := orb.Point{149.165230, -35.363261}
	require.NoError(t, s.SaveVehicle(gcs.Vehicle{SysID: 1, Type: gcs.VehicleQuadrotor, FirstSeen: t0, LastHeartbeat: t0.Add(time.Minute),
		PositionValid: true, Position: gcs.Position{Point: home, AltMSLM: 664, AltRelM: 80}}))
	var ds []gcs.Detection
	for i := range 3 {
		d := gcs.Detection{Time: t0.Add(time.Duration(i) * time.Second), SysID: 1, Stream: "main", TrackID: 7, Class: "person",
			Score: 0.8, Located: i < 2, TargetID: 1}
		if d.Located {
			d.Ground = gcs.GroundPoint{Point: gcs.OffsetNE(home, 10, 0), AltMSLM: 584}
			d.Error = gcs.Ellipse{SemiMajorM: 2, SemiMinorM: 1}
		}
		ds = append(ds, d)
	}
	_, err = s.AddDetections(ds)
	require.NoError(t, err)
	require.NoError(t, s.SaveTargets(
		gcs.Target{ID: 1, Class: "person", Point: gcs.OffsetNE(home, 10, 0), ErrorM: 1.4, FirstSeen: t0, LastSeen: t0.Add(2 * time.Second), Sightings: 2},
		gcs.Target{ID: 2, Class: "car", Point: gcs.OffsetNE(home, 0, 50), ErrorM: 3, FirstSeen: t0, LastSeen: t0, Sightings: 1},
	))
	_, err = s.AddIncident(gcs.Incident{Time: t0, TargetID: 2, Point: gcs.OffsetNE(home, 0, 50), Category: "roadblock", Severity: gcs.IncidentMedium, Note: "car across the track"})
	require.NoError(t, err)
	return path
}

func TestExport(t *testing.T) {
	db := exportRecord(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		format string
		check  func(t *testing.T, data []byte)
	}{
		{"geojson", func(t *testing.T, data []byte) {
			var fc struct {
				Type     string `json:"type"`
				Features []struct {
					Properties map[string]any `json:"properties"`
				} `json:"features"`
			}
			require.NoError(t, json.Unmarshal(data, &fc))
			require.Equal(t, "FeatureCollection", fc.Type)
			kinds := map[string]int{}
			for _, f := range fc.Features {
				kinds[f.Properties["kind"].(string)]++
			}
			require.Equal(t, map[string]int{"target": 2, "detection": 3, "incident": 1}, kinds)
			require.Equal(t, 1.4, fc.Features[0].Properties["ce_m"])
			require.Equal(t, "2026-11-23T10:00:00.000Z", fc.Features[2].Properties["time"])
		}},
		{"kml", func(t *testing.T, data []byte) {
			var doc struct {
				Placemarks []struct {
					Name string `xml:"name"`
				} `xml:"Document>Folder>Placemark"`
			}
			require.NoError(t, xml.Unmarshal(data, &doc))
			require.Len(t, doc.Placemarks, 2+2+1, "the detection without a position is left out")
			require.Equal(t, "person 1", doc.Placemarks[0].Name)
		}},
		{"csv", func(t *testing.T, data []byte) {
			rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
			require.NoError(t, err)
			require.Len(t, rows, 1+2+3+1)
			require.Equal(t, "kind", rows[0][0])
			require.Equal(t, "incident", rows[6][0])
		}},
		{"cot", func(t *testing.T, data []byte) {
			sc := bufio.NewScanner(strings.NewReader(string(data)))
			var types []string
			for sc.Scan() {
				var ev struct {
					UID  string `xml:"uid,attr"`
					Type string `xml:"type,attr"`
				}
				require.NoError(t, xml.Unmarshal(sc.Bytes(), &ev))
				types = append(types, ev.Type)
			}
			require.Equal(t, []string{"a-f-A-M-F-Q", "a-u-G", "a-u-G"}, types)
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			out := filepath.Join(dir, "export."+tc.format)
			require.NoError(t, runExport(context.Background(), []string{"--db", db, "--format", tc.format, out}))
			data, err := os.ReadFile(out)
			require.NoError(t, err)
			tc.check(t, data)
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 4, "no temporary files left")
}

func TestExportMistakes(t *testing.T) {
	db := exportRecord(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.geojson")
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no db", []string{out}, 2, "export needs --db"},
		{"no output", []string{"--db", db}, 2, "export needs --db"},
		{"unknown format", []string{"--db", db, "--format", "shp", out}, 2, `unknown format "shp"`},
		{"missing record", []string{"--db", filepath.Join(dir, "nope.db"), out}, 1, "no such file"},
		{"not a record", []string{"--db", "export_test.go", out}, 1, "not a Vigil mission record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := runExport(context.Background(), tc.args)
			require.ErrorContains(t, err, tc.msg)
			var ee *exitError
			if errors.As(err, &ee) {
				require.Equal(t, tc.code, ee.code)
			} else {
				require.Equal(t, 1, tc.code)
			}
			_, err = os.Stat(filepath.Join(dir, "nope.db"))
			require.ErrorIs(t, err, os.ErrNotExist, "export never creates a record")
			_, err = os.Stat(out)
			require.ErrorIs(t, err, os.ErrNotExist)
		})
	}
}
