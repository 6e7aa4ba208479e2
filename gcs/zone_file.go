package gcs

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// maxZoneFileBytes bounds a zones file: hand-drawn zones are kilobytes, and a file that is
// not what it claims to be must not be read whole into memory.
const maxZoneFileBytes = 16 << 20

// ReadZones reads watched zones from a GeoJSON or KML file, telling which by its first
// character. Every Polygon (or each polygon of a MultiPolygon or MultiGeometry) becomes a
// zone, named by the feature's or placemark's name; features without a polygon (markers,
// lines) are skipped. Rules come from a "rules" property (a list of strings, or one string
// with rules separated by ";") in GeoJSON, and from an ExtendedData Data element named
// "rules" in KML; see ParseZoneRule. Zones are validated (Zone.Validate). Errors name the
// feature or placemark, by number and name, or the line of a syntax error.
func ReadZones(r io.Reader) ([]Zone, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxZoneFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxZoneFileBytes {
		return nil, fmt.Errorf("zones file larger than %d MB", maxZoneFileBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	var zones []Zone
	switch {
	case len(trimmed) > 0 && trimmed[0] == '{':
		zones, err = readGeoJSONZones(data)
	case len(trimmed) > 0 && trimmed[0] == '<':
		zones, err = readKMLZones(data)
	default:
		return nil, errors.New("zones file is neither GeoJSON (starting with {) nor KML (starting with <)")
	}
	if err != nil {
		return nil, err
	}
	if len(zones) == 0 {
		return nil, errors.New("zones file has no polygon")
	}
	return zones, nil
}

type geoJSONObject struct {
	Type        string            `json:"type"`
	Features    []json.RawMessage `json:"features"`
	Geometry    json.RawMessage   `json:"geometry"`
	Properties  json.RawMessage   `json:"properties"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometries  []json.RawMessage `json:"geometries"`
}

type geoJSONProps struct {
	Name  any `json:"name"`
	Rules any `json:"rules"`
}

func readGeoJSONZones(data []byte) ([]Zone, error) {
	var top geoJSONObject
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, jsonError(data, err)
	}
	switch top.Type {
	case "FeatureCollection":
		var zones []Zone
		for i, raw := range top.Features {
			var f geoJSONObject
			if err := json.Unmarshal(raw, &f); err != nil {
				return nil, fmt.Errorf("feature %d: %w", i+1, err)
			}
			z, err := geoJSONFeatureZones(f, fmt.Sprintf("feature %d", i+1))
			if err != nil {
				return nil, err
			}
			zones = append(zones, z...)
		}
		return zones, nil
	case "Feature":
		return geoJSONFeatureZones(top, "the feature")
	case "Polygon", "MultiPolygon", "GeometryCollection":
		return geoJSONGeometryZones(top, "", nil, "the geometry")
	}
	return nil, fmt.Errorf("GeoJSON of type %q: expected a FeatureCollection, Feature or Polygon", top.Type)
}

func geoJSONFeatureZones(f geoJSONObject, where string) ([]Zone, error) {
	if f.Type != "Feature" {
		return nil, fmt.Errorf("%s: type %q, expected \"Feature\"", where, f.Type)
	}
	var props geoJSONProps
	if len(f.Properties) > 0 && string(f.Properties) != "null" {
		if err := json.Unmarshal(f.Properties, &props); err != nil {
			return nil, fmt.Errorf("%s: properties: %w", where, err)
		}
	}
	name := ""
	switch n := props.Name.(type) {
	case string:
		name = n
	case float64:
		name = strconv.FormatFloat(n, 'f', -1, 64)
	}
	if name != "" {
		where = fmt.Sprintf("%s (%q)", where, name)
	}
	var ruleTexts []string
	switch rs := props.Rules.(type) {
	case nil:
	case string:
		ruleTexts = splitRules(rs)
	case []any:
		for _, r := range rs {
			s, ok := r.(string)
			if !ok {
				return nil, fmt.Errorf("%s: rules must be strings, got %v", where, r)
			}
			ruleTexts = append(ruleTexts, s)
		}
	default:
		return nil, fmt.Errorf("%s: rules must be a list of strings or one string, got %v", where, rs)
	}
	rules, err := parseRules(ruleTexts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
		return nil, nil
	}
	var g geoJSONObject
	if err := json.Unmarshal(f.Geometry, &g); err != nil {
		return nil, fmt.Errorf("%s: geometry: %w", where, err)
	}
	return geoJSONGeometryZones(g, name, rules, where)
}

func geoJSONGeometryZones(g geoJSONObject, name string, rules []ZoneRule, where string) ([]Zone, error) {
	var polys []orb.Polygon
	switch g.Type {
	case "Polygon":
		var coords [][][]float64
		if err := json.Unmarshal(g.Coordinates, &coords); err != nil {
			return nil, fmt.Errorf("%s: Polygon coordinates must be rings of [longitude, latitude] positions: %w", where, err)
		}
		polys = append(polys, nil)
		for _, ring := range coords {
			r, err := geoJSONRing(ring, where)
			if err != nil {
				return nil, err
			}
			polys[0] = append(polys[0], r)
		}
	case "MultiPolygon":
		var coords [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &coords); err != nil {
			return nil, fmt.Errorf("%s: MultiPolygon coordinates must be polygons of rings of [longitude, latitude] positions: %w", where, err)
		}
		for _, poly := range coords {
			var p orb.Polygon
			for _, ring := range poly {
				r, err := geoJSONRing(ring, where)
				if err != nil {
					return nil, err
				}
				p = append(p, r)
			}
			polys = append(polys, p)
		}
	case "GeometryCollection":
		var zones []Zone
		for _, raw := range g.Geometries {
			var sub geoJSONObject
			if err := json.Unmarshal(raw, &sub); err != nil {
				return nil, fmt.Errorf("%s: geometry: %w", where, err)
			}
			if sub.Type == "GeometryCollection" {
				return nil, fmt.Errorf("%s: nested GeometryCollection", where)
			}
			z, err := geoJSONGeometryZones(sub, name, rules, where)
			if err != nil {
				return nil, err
			}
			zones = append(zones, z...)
		}
		return zones, nil
	default: // Point, LineString, …: not a zone
		return nil, nil
	}
	return zonesOf(polys, name, rules, where)
}

func geoJSONRing(ring [][]float64, where string) (orb.Ring, error) {
	r := make(orb.Ring, 0, len(ring))
	for i, pos := range ring {
		if len(pos) < 2 {
			return nil, fmt.Errorf("%s: position %d has %d number(s); it needs longitude and latitude", where, i+1, len(pos))
		}
		r = append(r, orb.Point{pos[0], pos[1]})
	}
	return r, nil
}

// zonesOf turns polygons into validated zones; several polygons under one name are
// numbered.
func zonesOf(polys []orb.Polygon, name string, rules []ZoneRule, where string) ([]Zone, error) {
	var zones []Zone
	for i, p := range polys {
		z := Zone{Name: name, Polygon: p, Rules: rules}
		if len(polys) > 1 {
			z.Name = fmt.Sprintf("%s %d", name, i+1)
			z.Name = strings.TrimSpace(z.Name)
		}
		if err := z.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		zones = append(zones, z)
	}
	return zones, nil
}

func splitRules(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func parseRules(texts []string) ([]ZoneRule, error) {
	var rules []ZoneRule
	for _, t := range texts {
		r, err := ParseZoneRule(t)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// jsonError adds the line to a JSON syntax or type error.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return fmt.Errorf("GeoJSON: %w", err)
	}
	return fmt.Errorf("GeoJSON line %d: %w", 1+bytes.Count(data[:off], []byte("\n")), err)
}

// KML, only what zones need: Placemarks (at any depth) with a name, ExtendedData and a
// Polygon, directly or in a MultiGeometry.
type kmlPlacemark struct {
	Name     string         `xml:"name"`
	Data     []kmlData      `xml:"ExtendedData>Data"`
	Polygons []kmlPolygon   `xml:"Polygon"`
	Multi    []kmlMultiGeom `xml:"MultiGeometry"`
}

type kmlData struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value"`
}

type kmlMultiGeom struct {
	Polygons []kmlPolygon   `xml:"Polygon"`
	Multi    []kmlMultiGeom `xml:"MultiGeometry"`
}

type kmlPolygon struct {
	Outer string   `xml:"outerBoundaryIs>LinearRing>coordinates"`
	Inner []string `xml:"innerBoundaryIs>LinearRing>coordinates"`
}

func (m kmlMultiGeom) polygons(depth int) []kmlPolygon {
	out := m.Polygons
	if depth < 8 {
		for _, sub := range m.Multi {
			out = append(out, sub.polygons(depth+1)...)
		}
	}
	return out
}

func readKMLZones(data []byte) ([]Zone, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var zones []Zone
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("KML: %w", err) // xml.SyntaxError names the line
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != "Placemark" {
			continue
		}
		n++
		line, _ := dec.InputPos()
		var pm kmlPlacemark
		if err := dec.DecodeElement(&pm, &start); err != nil {
			return nil, fmt.Errorf("KML placemark %d (line %d): %w", n, line, err)
		}
		where := fmt.Sprintf("KML placemark %d (line %d)", n, line)
		name := strings.TrimSpace(pm.Name)
		if name != "" {
			where = fmt.Sprintf("KML placemark %d %q (line %d)", n, name, line)
		}
		var ruleTexts []string
		for _, d := range pm.Data {
			if strings.EqualFold(d.Name, "rules") {
				ruleTexts = append(ruleTexts, splitRules(d.Value)...)
			}
		}
		rules, err := parseRules(ruleTexts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		kps := pm.Polygons
		for _, m := range pm.Multi {
			kps = append(kps, m.polygons(0)...)
		}
		var polys []orb.Polygon
		for _, kp := range kps {
			var p orb.Polygon
			for i, text := range append([]string{kp.Outer}, kp.Inner...) {
				r, err := kmlRing(text)
				if err != nil {
					what := "outer boundary"
					if i > 0 {
						what = fmt.Sprintf("inner boundary %d", i)
					}
					return nil, fmt.Errorf("%s: %s: %w", where, what, err)
				}
				p = append(p, r)
			}
			polys = append(polys, p)
		}
		z, err := zonesOf(polys, name, rules, where)
		if err != nil {
			return nil, err
		}
		zones = append(zones, z...)
	}
	return zones, nil
}

// kmlRing reads KML coordinates: "lon,lat[,alt]" tuples separated by white space.
func kmlRing(text string) (orb.Ring, error) {
	var r orb.Ring
	for i, tuple := range strings.Fields(text) {
		parts := strings.Split(tuple, ",")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, fmt.Errorf("coordinate %d %q: expected longitude,latitude[,altitude]", i+1, tuple)
		}
		lon, err1 := strconv.ParseFloat(parts[0], 64)
		lat, err2 := strconv.ParseFloat(parts[1], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("coordinate %d %q: longitude and latitude must be numbers", i+1, tuple)
		}
		r = append(r, orb.Point{lon, lat})
	}
	return r, nil
}
