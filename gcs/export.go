package gcs

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math"
	"strings"
	"time"
)

// Export is what an export writes: the mission's targets, detections and incidents, and
// for Cursor on Target the vehicles. Detections come as a sequence so that a long mission
// is written without holding it all in memory (the record's AllDetections gives one); a
// nil sequence means none.
type Export struct {
	Targets    []Target
	Detections iter.Seq2[Detection, error]
	Incidents  []Incident
	Vehicles   []Vehicle
}

// DetectionSlice returns a sequence over ds, for Export.Detections.
func DetectionSlice(ds []Detection) iter.Seq2[Detection, error] {
	return func(yield func(Detection, error) bool) {
		for _, d := range ds {
			if !yield(d, nil) {
				return
			}
		}
	}
}

func (e Export) detections() iter.Seq2[Detection, error] {
	if e.Detections == nil {
		return DetectionSlice(nil)
	}
	return e.Detections
}

// exportTime is RFC 3339 in UTC with milliseconds: what GIS tools and spreadsheets read.
const exportTime = "2006-01-02T15:04:05.000Z07:00"

func fmtExportTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(exportTime)
}

type geoJSONFeature struct {
	Type       string          `json:"type"`
	Geometry   *geoJSONPoint   `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
}

type geoJSONPoint struct {
	Type        string     `json:"type"`
	Coordinates [3]float64 `json:"coordinates"`
}

func point3(lon, lat, alt float64) *geoJSONPoint {
	return &geoJSONPoint{Type: "Point", Coordinates: [3]float64{lon, lat, alt}}
}

// WriteGeoJSON writes the export as one GeoJSON FeatureCollection (RFC 7946): one Point
// Feature per target (properties.kind "target", with class, ce_m — the one-sigma error
// radius in metres — first_seen, last_seen and sightings), per detection (kind
// "detection", with time, track, class, score and vehicle; geometry null when the
// detection was not placed on the ground) and per incident (kind "incident"). Times are
// RFC 3339 in UTC; altitudes are metres above mean sea level.
func WriteGeoJSON(w io.Writer, e Export) error {
	bw := bufio.NewWriter(w)
	first := true
	write := func(what string, g *geoJSONPoint, props any) error {
		p, err := json.Marshal(props)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err) // a NaN or infinite number
		}
		b, err := json.Marshal(geoJSONFeature{Type: "Feature", Geometry: g, Properties: p})
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if !first {
			bw.WriteString(",\n")
		}
		first = false
		_, err = bw.Write(b)
		return err
	}
	bw.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	for _, t := range e.Targets {
		err := write(fmt.Sprintf("target %d", t.ID), point3(t.Point[0], t.Point[1], t.AltMSLM), struct {
			Kind      string  `json:"kind"`
			ID        int64   `json:"id"`
			Class     string  `json:"class"`
			CEM       float64 `json:"ce_m"`
			FirstSeen string  `json:"first_seen"`
			LastSeen  string  `json:"last_seen"`
			Sightings int     `json:"sightings"`
			BestScore float64 `json:"best_score"`
			Weak      bool    `json:"weak"`
			Snapshot  string  `json:"snapshot,omitempty"`
		}{"target", t.ID, t.Class, round3(t.ErrorM), fmtExportTime(t.FirstSeen), fmtExportTime(t.LastSeen), t.Sightings,
			t.BestScore, t.Weak, t.Snapshot})
		if err != nil {
			return err
		}
	}
	for d, err := range e.detections() {
		if err != nil {
			return err
		}
		props := struct {
			Kind     string  `json:"kind"`
			ID       int64   `json:"id"`
			Time     string  `json:"time"`
			Track    int64   `json:"track"`
			Class    string  `json:"class"`
			Score    float64 `json:"score"`
			Vehicle  uint8   `json:"vehicle"`
			Stream   string  `json:"stream"`
			Target   int64   `json:"target,omitempty"`
			ErrorM   float64 `json:"error_m,omitempty"`
			Weak     bool    `json:"weak"`
			Snapshot string  `json:"snapshot,omitempty"`
		}{"detection", d.ID, fmtExportTime(d.Time), d.TrackID, d.Class, d.Score, d.SysID, d.Stream, d.TargetID,
			round3(d.Error.SemiMajorM), d.Error.Weak, d.Snapshot}
		var g *geoJSONPoint
		if d.Located {
			g = point3(d.Ground.Point[0], d.Ground.Point[1], d.Ground.AltMSLM)
		}
		if err := write(fmt.Sprintf("detection %d", d.ID), g, props); err != nil {
			return err
		}
	}
	for _, in := range e.Incidents {
		err := write(fmt.Sprintf("incident %d", in.ID), point3(in.Point[0], in.Point[1], 0),
			struct {
				Kind     string `json:"kind"`
				ID       int64  `json:"id"`
				Time     string `json:"time"`
				Target   int64  `json:"target,omitempty"`
				Category string `json:"category"`
				Severity string `json:"severity"`
				Note     string `json:"note"`
			}{"incident", in.ID, fmtExportTime(in.Time), in.TargetID, in.Category, in.Severity.String(), in.Note})
		if err != nil {
			return err
		}
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// round3 keeps millimetres: more digits are noise in an export.
func round3(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
		return v
	}
	return float64(int64(v*1000+0.5*sign(v))) / 1000
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// csvHeader is the header of WriteCSV's table.
var csvHeader = []string{"kind", "id", "time", "first_seen", "last_seen", "class", "lat", "lon", "alt_msl_m", "ce_m",
	"score", "sightings", "vehicle", "stream", "track", "target", "weak", "category", "severity", "note"}

// WriteCSV writes the export as one table, a row per target, detection and incident,
// told apart by the kind column (see csvHeader). Cells a kind does not have are empty;
// a detection without a ground position has empty lat and lon.
func WriteCSV(w io.Writer, e Export) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)                              //nolint:errcheck // csv.Writer keeps the first error for Error
	row := func(cells ...string) { cw.Write(cells) } //nolint:errcheck
	f := func(v float64, prec int) string { return fmt.Sprintf("%.*f", prec, v) }
	for _, t := range e.Targets {
		row("target", fmt.Sprint(t.ID), "", fmtExportTime(t.FirstSeen), fmtExportTime(t.LastSeen), csvText(t.Class),
			f(t.Point[1], 7), f(t.Point[0], 7), f(t.AltMSLM, 1), f(t.ErrorM, 2), f(t.BestScore, 3), fmt.Sprint(t.Sightings),
			"", "", "", "", fmt.Sprint(t.Weak), "", "", "")
	}
	for d, err := range e.detections() {
		if err != nil {
			return err
		}
		lat, lon, alt, ce := "", "", "", ""
		if d.Located {
			lat, lon, alt, ce = f(d.Ground.Point[1], 7), f(d.Ground.Point[0], 7), f(d.Ground.AltMSLM, 1), f(d.Error.SemiMajorM, 2)
		}
		target := ""
		if d.TargetID != 0 {
			target = fmt.Sprint(d.TargetID)
		}
		row("detection", fmt.Sprint(d.ID), fmtExportTime(d.Time), "", "", csvText(d.Class), lat, lon, alt, ce, f(d.Score, 3), "",
			fmt.Sprint(d.SysID), csvText(d.Stream), fmt.Sprint(d.TrackID), target, fmt.Sprint(d.Error.Weak), "", "", "")
	}
	for _, in := range e.Incidents {
		target := ""
		if in.TargetID != 0 {
			target = fmt.Sprint(in.TargetID)
		}
		row("incident", fmt.Sprint(in.ID), fmtExportTime(in.Time), "", "", "", f(in.Point[1], 7), f(in.Point[0], 7), "", "", "", "",
			"", "", "", target, "", csvText(in.Category), in.Severity.String(), csvText(in.Note))
	}
	cw.Flush()
	return cw.Error()
}

// csvText defuses a free-text cell that a spreadsheet would run as a formula.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
