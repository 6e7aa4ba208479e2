package gcs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

func sampleExport() Export {
	tgt := Target{ID: 3, Class: "person", Point: orb.Point{149.1652, -35.3634}, AltMSLM: 584.2, ErrorM: 1.25,
		FirstSeen: fusionT0, LastSeen: fusionT0.Add(90 * time.Second), Sightings: 17, BestScore: 0.91, Snapshot: "t3.jpg"}
	car := Target{ID: 4, Class: "<car & co>", Point: orb.Point{149.17, -35.36}, ErrorM: 4, FirstSeen: fusionT0, LastSeen: fusionT0, Sightings: 1}
	d1 := sighting{track: 12, northM: 3, sigmaM: 2}.detection()
	d1.ID, d1.TargetID, d1.Score = 101, 3, 0.875
	d2 := Detection{ID: 102, Time: fusionT0.Add(time.Second), SysID: 2, Stream: "thermal", TrackID: 5, Class: "car", Score: 0.5}
	in := Incident{ID: 1, Time: fusionT0.Add(time.Minute), TargetID: 3, Point: tgt.Point, Category: "roadblock",
		Severity: IncidentHigh, Note: "=HYPERLINK(\"x\")"}
	v := Vehicle{SysID: 1, Mode: "AUTO", PositionValid: true, HeadingDeg: -90, Velocity: Velocity{NorthMps: 3, EastMps: 4},
		Position: Position{Point: orb.Point{149.165, -35.363}, AltMSLM: 664, AltRelM: 80}, LastHeartbeat: fusionT0.Add(2 * time.Minute)}
	return Export{Targets: []Target{tgt, car}, Detections: DetectionSlice([]Detection{d1, d2}), Incidents: []Incident{in},
		Vehicles: []Vehicle{v, {SysID: 9}}}
}

func TestWriteGeoJSON(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteGeoJSON(&buf, sampleExport()))

	// Valid GeoJSON (RFC 7946), and the properties the issue names.
	require.Len(t, requireGeoJSON(t, buf.Bytes()), 5)
	var doc struct {
		Features []struct {
			Geometry *struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	tp := doc.Features[0].Properties
	require.Equal(t, "target", tp["kind"])
	require.Equal(t, "person", tp["class"])
	require.Equal(t, 1.25, tp["ce_m"])
	require.Equal(t, "2026-11-23T10:00:00.000Z", tp["first_seen"])
	require.Equal(t, "2026-11-23T10:01:30.000Z", tp["last_seen"])
	require.EqualValues(t, 17, tp["sightings"])
	require.Equal(t, []float64{149.1652, -35.3634, 584.2}, doc.Features[0].Geometry.Coordinates)
	require.Equal(t, "<car & co>", doc.Features[1].Properties["class"])

	dp := doc.Features[2].Properties
	require.Equal(t, "detection", dp["kind"])
	when, err := time.Parse(time.RFC3339, dp["time"].(string))
	require.NoError(t, err)
	require.Equal(t, fusionT0, when)
	require.EqualValues(t, 12, dp["track"])
	require.Equal(t, "person", dp["class"])
	require.Equal(t, 0.875, dp["score"])
	require.EqualValues(t, 1, dp["vehicle"])
	require.EqualValues(t, 3, dp["target"])
	n, e := NorthEastM(geotagHome, orb.Point{doc.Features[2].Geometry.Coordinates[0], doc.Features[2].Geometry.Coordinates[1]})
	require.InDelta(t, 3, n, 1e-6)
	require.InDelta(t, 0, e, 1e-6)
	require.Nil(t, doc.Features[3].Geometry, "not located: no geometry")
	require.Equal(t, "incident", doc.Features[4].Properties["kind"])
	require.Equal(t, "high", doc.Features[4].Properties["severity"])

	buf.Reset()
	require.NoError(t, WriteGeoJSON(&buf, Export{}))
	require.Empty(t, requireGeoJSON(t, buf.Bytes()))
}

// requireGeoJSON checks what RFC 7946 asks of a FeatureCollection of Points and returns
// its features.
func requireGeoJSON(t *testing.T, data []byte) []map[string]json.RawMessage {
	t.Helper()
	var fc struct {
		Type     string                       `json:"type"`
		Features []map[string]json.RawMessage `json:"features"`
	}
	require.NoError(t, json.Unmarshal(data, &fc), string(data))
	require.Equal(t, "FeatureCollection", fc.Type)
	require.NotNil(t, fc.Features, "features must be an array")
	for i, f := range fc.Features {
		require.JSONEq(t, `"Feature"`, string(f["type"]), "feature %d", i)
		require.Contains(t, f, "properties")
		require.Contains(t, f, "geometry")
		if string(f["geometry"]) == "null" {
			continue
		}
		var g struct {
			Type        string    `json:"type"`
			Coordinates []float64 `json:"coordinates"`
		}
		require.NoError(t, json.Unmarshal(f["geometry"], &g))
		require.Equal(t, "Point", g.Type)
		require.Len(t, g.Coordinates, 3)
		require.InDelta(t, 0, g.Coordinates[0], 180, "longitude first")
		require.InDelta(t, 0, g.Coordinates[1], 90)
	}
	return fc.Features
}

func TestWriteKML(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteKML(&buf, sampleExport()))
	var doc struct {
		Folders []struct {
			Name       string `xml:"name"`
			Placemarks []struct {
				Name        string `xml:"name"`
				Description string `xml:"description"`
				When        string `xml:"TimeStamp>when"`
				Begin       string `xml:"TimeSpan>begin"`
				Coordinates string `xml:"Point>coordinates"`
			} `xml:"Placemark"`
		} `xml:"Document>Folder"`
	}
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), buf.String())
	require.Len(t, doc.Folders, 3)
	require.Equal(t, "Targets", doc.Folders[0].Name)
	require.Len(t, doc.Folders[0].Placemarks, 2)
	require.Equal(t, "person 3", doc.Folders[0].Placemarks[0].Name)
	require.Equal(t, "149.1652000,-35.3634000,0", doc.Folders[0].Placemarks[0].Coordinates)
	require.Equal(t, "2026-11-23T10:00:00.000Z", doc.Folders[0].Placemarks[0].Begin)
	require.Equal(t, "<car & co> 4", doc.Folders[0].Placemarks[1].Name, "escaped and read back")
	require.Len(t, doc.Folders[1].Placemarks, 1, "the detection without a position is left out")
	require.Equal(t, "2026-11-23T10:00:00.000Z", doc.Folders[1].Placemarks[0].When)
	require.Equal(t, "roadblock (high)", doc.Folders[2].Placemarks[0].Name)
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, sampleExport()))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 6)
	require.Equal(t, csvHeader, rows[0])
	col := func(row []string, name string) string {
		for i, h := range csvHeader {
			if h == name {
				return row[i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	require.Equal(t, "target", col(rows[1], "kind"))
	require.Equal(t, "-35.3634000", col(rows[1], "lat"))
	require.Equal(t, "1.25", col(rows[1], "ce_m"))
	require.Equal(t, "17", col(rows[1], "sightings"))
	require.Equal(t, "detection", col(rows[3], "kind"))
	require.Equal(t, "12", col(rows[3], "track"))
	require.Equal(t, "2026-11-23T10:00:00.000Z", col(rows[3], "time"))
	require.Equal(t, "", col(rows[4], "lat"), "not located")
	require.Equal(t, "thermal", col(rows[4], "stream"))
	require.Equal(t, "incident", col(rows[5], "kind"))
	require.Equal(t, `'=HYPERLINK("x")`, col(rows[5], "note"), "a formula is not run by a spreadsheet")
}

func TestWriteGeoJSONNotANumber(t *testing.T) {
	e := sampleExport()
	e.Targets[1].ErrorM = math.NaN()
	err := WriteGeoJSON(&bytes.Buffer{}, e)
	require.ErrorContains(t, err, "target 4: json: unsupported value: NaN")
}

func TestExportDetectionError(t *testing.T) {
	boom := errors.New("disk read error")
	e := Export{Detections: func(yield func(Detection, error) bool) { yield(Detection{}, boom) }}
	for name, write := range map[string]func() error{
		"geojson": func() error { return WriteGeoJSON(&bytes.Buffer{}, e) },
		"kml":     func() error { return WriteKML(&bytes.Buffer{}, e) },
		"csv":     func() error { return WriteCSV(&bytes.Buffer{}, e) },
	} {
		require.ErrorIs(t, write(), boom, name)
	}
}

// requireValidCoT parses one CoT event as a TAK client does and checks what CoT requires.
func requireValidCoT(t *testing.T, data []byte) CoTEvent {
	t.Helper()
	var ev struct {
		XMLName xml.Name `xml:"event"`
		Version string   `xml:"version,attr"`
		UID     string   `xml:"uid,attr"`
		Type    string   `xml:"type,attr"`
		How     string   `xml:"how,attr"`
		Time    string   `xml:"time,attr"`
		Start   string   `xml:"start,attr"`
		Stale   string   `xml:"stale,attr"`
	}
	type pointAttrs struct {
		Lat *float64 `xml:"lat,attr"`
		Lon *float64 `xml:"lon,attr"`
		HAE *float64 `xml:"hae,attr"`
		CE  *float64 `xml:"ce,attr"`
		LE  *float64 `xml:"le,attr"`
	}
	var withPoint struct {
		Point pointAttrs `xml:"point"`
	}
	require.NoError(t, xml.Unmarshal(data, &ev), string(data))
	require.NoError(t, xml.Unmarshal(data, &withPoint))
	require.True(t, strings.HasPrefix(string(data), "<?xml"), "declaration")
	require.Equal(t, "event", ev.XMLName.Local)
	require.Equal(t, "2.0", ev.Version)
	require.NotEmpty(t, ev.UID)
	require.Regexp(t, `^[a-z](-[A-Za-z]+)+$`, ev.Type)
	require.Regexp(t, `^[hm]-[a-z]$`, ev.How)
	var times [3]time.Time
	for i, s := range []string{ev.Time, ev.Start, ev.Stale} {
		var err error
		times[i], err = time.Parse(time.RFC3339, s)
		require.NoError(t, err, "time attribute %q", s)
	}
	require.True(t, times[2].After(times[1]), "stale after start")
	p := withPoint.Point
	for name, v := range map[string]*float64{"lat": p.Lat, "lon": p.Lon, "hae": p.HAE, "ce": p.CE, "le": p.LE} {
		require.NotNil(t, v, "point needs %s", name)
	}
	require.InDelta(t, 0, *p.Lat, 90)
	require.InDelta(t, 0, *p.Lon, 180)
	var out CoTEvent
	require.NoError(t, xml.Unmarshal(data, &out))
	return out
}

func TestCoTEvents(t *testing.T) {
	e := sampleExport()
	now := fusionT0.Add(5 * time.Minute)
	var c CoTConfig
	tev := c.TargetEvent(e.Targets[0], now)
	b, err := tev.Marshal()
	require.NoError(t, err)
	got := requireValidCoT(t, b)
	require.Equal(t, "vigil-target-3", got.UID)
	require.Equal(t, CoTTypeGroundUnknown, got.Type)
	require.Equal(t, 1.3, got.Point.CE, "the target's one-sigma radius 1.25 m, to 10 cm")
	require.Equal(t, -35.3634, got.Point.Lat)
	require.Equal(t, 149.1652, got.Point.Lon)
	require.Equal(t, "2026-11-23T10:05:00.000Z", got.Time)
	require.Equal(t, "2026-11-23T10:01:30.000Z", got.Start, "valid from the last sighting")
	require.Equal(t, "2026-11-23T10:11:30.000Z", got.Stale, "for ten minutes")

	vev := CoTConfig{UIDPrefix: "camp-alpha", VehicleStale: 10 * time.Second}.VehicleEvent(e.Vehicles[0], now)
	b, err = vev.Marshal()
	require.NoError(t, err)
	got = requireValidCoT(t, b)
	require.Equal(t, "camp-alpha-vehicle-1", got.UID)
	require.Equal(t, CoTTypeOwnUAV, got.Type)
	require.Equal(t, "2026-11-23T10:05:10.000Z", got.Stale)
	require.Equal(t, 270.0, got.Detail.Track.Course)
	require.Equal(t, 5.0, got.Detail.Track.Speed)
	require.Equal(t, 9999999.0, got.Point.HAE, "no geoid model: height unknown")

	var buf bytes.Buffer
	require.NoError(t, WriteCoT(&buf, e, c, now))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 3, "vehicle 1 and two targets; vehicle 9 has no position")
	for _, l := range lines {
		requireValidCoT(t, []byte(l))
	}
}
