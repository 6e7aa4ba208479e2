package gcs

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/paulmach/orb"
)

// ReadGeoJSON reads the features of a GeoJSON file (RFC 7946: a FeatureCollection, a
// Feature or a bare geometry): points, line strings and polygons' outer rings, with
// multi-geometries split. Vigil's "kind" and parameters come from the properties; a third
// coordinate is the altitude. Errors name the feature. (orb's geojson package is not used:
// it pulls in a BSON driver for a format Vigil never reads.)
func ReadGeoJSON(r io.Reader) ([]Shape, error) {
	data, err := readAllLimited(r)
	if err != nil {
		return nil, err
	}
	var top planGeoJSON
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("not GeoJSON: %w", err)
	}
	var feats []planGeoJSON
	switch top.Type {
	case "FeatureCollection":
		feats = top.Features
	case "Feature":
		feats = []planGeoJSON{top}
	case "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection":
		feats = []planGeoJSON{{Type: "Feature", Geometry: &top}}
	default:
		return nil, fmt.Errorf("not GeoJSON: type %q, want FeatureCollection, Feature or a geometry", top.Type)
	}
	var shapes []Shape
	for i, f := range feats {
		where := fmt.Sprintf("feature %d", i+1)
		if f.Type != "Feature" {
			return nil, fmt.Errorf("%s: type %q, want \"Feature\"", where, f.Type)
		}
		props := map[string]string{}
		name := ""
		for k, v := range f.Properties {
			var s string
			switch v := v.(type) {
			case float64:
				s = fmtNum(v)
			case string:
				s = v
			case bool:
				s = fmt.Sprint(v)
			default:
				continue // objects and arrays are not Vigil's
			}
			if k == "name" {
				name = s
				where += fmt.Sprintf(" %q", s)
				continue
			}
			props[k] = s
		}
		if f.Geometry == nil {
			return nil, fmt.Errorf("%s: no geometry", where)
		}
		err := f.Geometry.shapes(where, func(geom string, pts []orb.Point, alts []float64) {
			shapes = append(shapes, Shape{Name: name, Kind: ShapeKind(props["kind"]), Points: pts, AltsM: alts,
				Props: props, Where: where, geom: geom})
		}, 0)
		if err != nil {
			return nil, err
		}
		if len(shapes) > maxKMLShapes {
			return nil, fmt.Errorf("more than %d shapes", maxKMLShapes)
		}
	}
	if len(shapes) == 0 {
		return nil, fmt.Errorf("empty GeoJSON: %w", ErrNoShapes)
	}
	return shapes, nil
}

// planGeoJSON is any GeoJSON object; which fields mean something depends on Type.
type planGeoJSON struct {
	Type        string          `json:"type"`
	Features    []planGeoJSON   `json:"features"`
	Properties  map[string]any  `json:"properties"`
	Geometry    *planGeoJSON    `json:"geometry"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []planGeoJSON   `json:"geometries"`
}

// maxGeoJSONDepth bounds nested GeometryCollections.
const maxGeoJSONDepth = 8

func (g *planGeoJSON) shapes(where string, add func(geom string, pts []orb.Point, alts []float64), depth int) error {
	bad := func(err error) error { return fmt.Errorf("%s: %s coordinates: %w", where, g.Type, err) }
	switch g.Type {
	case "Point":
		var c []float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return bad(err)
		}
		pts, alts, err := geoJSONPositions([][]float64{c})
		if err != nil {
			return bad(err)
		}
		add("point", pts, alts)
	case "MultiPoint", "LineString":
		var cs [][]float64
		if err := json.Unmarshal(g.Coordinates, &cs); err != nil {
			return bad(err)
		}
		pts, alts, err := geoJSONPositions(cs)
		if err != nil {
			return bad(err)
		}
		if g.Type == "MultiPoint" {
			for i := range pts {
				add("point", pts[i:i+1], alts[i:i+1])
			}
			return nil
		}
		if len(pts) < 2 {
			return fmt.Errorf("%s: a LineString has %d positions, want at least 2", where, len(pts))
		}
		add("line", pts, alts)
	case "MultiLineString", "Polygon":
		var ls [][][]float64
		if err := json.Unmarshal(g.Coordinates, &ls); err != nil {
			return bad(err)
		}
		if g.Type == "Polygon" {
			return geoJSONPolygon(ls, where, add)
		}
		for _, l := range ls {
			pts, alts, err := geoJSONPositions(l)
			if err != nil {
				return bad(err)
			}
			if len(pts) < 2 {
				return fmt.Errorf("%s: a line has %d positions, want at least 2", where, len(pts))
			}
			add("line", pts, alts)
		}
	case "MultiPolygon":
		var ps [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &ps); err != nil {
			return bad(err)
		}
		for _, p := range ps {
			if err := geoJSONPolygon(p, where, add); err != nil {
				return err
			}
		}
	case "GeometryCollection":
		if depth >= maxGeoJSONDepth {
			return fmt.Errorf("%s: GeometryCollections nested deeper than %d", where, maxGeoJSONDepth)
		}
		for i := range g.Geometries {
			if err := g.Geometries[i].shapes(where, add, depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s: geometry type %q is not a GeoJSON geometry", where, g.Type)
	}
	return nil
}

func geoJSONPolygon(rings [][][]float64, where string, add func(string, []orb.Point, []float64)) error {
	if len(rings) == 0 {
		return fmt.Errorf("%s: a Polygon without rings", where)
	}
	if len(rings) > 1 {
		return fmt.Errorf("%s: a polygon with holes cannot be planned over; draw the area without them", where)
	}
	pts, alts, err := geoJSONPositions(rings[0])
	if err != nil {
		return fmt.Errorf("%s: Polygon coordinates: %w", where, err)
	}
	if n := len(pts); n > 1 && pts[0] == pts[n-1] {
		pts, alts = pts[:n-1], alts[:n-1]
	}
	if len(pts) < 3 {
		return fmt.Errorf("%s: a polygon has %d corners, want at least 3", where, len(pts))
	}
	add("polygon", pts, alts)
	return nil
}

func geoJSONPositions(cs [][]float64) ([]orb.Point, []float64, error) {
	pts := make([]orb.Point, len(cs))
	alts := make([]float64, len(cs))
	for i, c := range cs {
		if len(c) < 2 || len(c) > 4 {
			return nil, nil, fmt.Errorf("position %d has %d numbers, want longitude, latitude[, altitude]", i+1, len(c))
		}
		if math.Abs(c[1]) > 90 || math.Abs(c[0]) > 180 {
			return nil, nil, fmt.Errorf("position %d (%v, %v) is not a longitude and latitude", i+1, c[0], c[1])
		}
		pts[i] = orb.Point{c[0], c[1]}
		if len(c) >= 3 {
			alts[i] = c[2]
		}
	}
	return pts, alts, nil
}

// WriteShapesGeoJSON writes shapes as a FeatureCollection, altitudes as the third coordinate and
// Vigil's kind and parameters as properties.
func WriteShapesGeoJSON(w io.Writer, shapes []Shape) error {
	type feature struct {
		Type       string         `json:"type"`
		Properties map[string]any `json:"properties"`
		Geometry   map[string]any `json:"geometry"`
	}
	coord := func(s Shape, i int) []float64 {
		c := []float64{s.Points[i][0], s.Points[i][1]}
		if i < len(s.AltsM) && s.AltsM[i] != 0 {
			c = append(c, s.AltsM[i])
		}
		return c
	}
	feats := []feature{}
	for _, s := range shapes {
		props := map[string]any{"name": s.Name, "kind": string(s.Kind)}
		for k, v := range s.Props {
			props[k] = v
		}
		var g map[string]any
		switch s.geom {
		case "point":
			g = map[string]any{"type": "Point", "coordinates": coord(s, 0)}
		case "line":
			var cs [][]float64
			for i := range s.Points {
				cs = append(cs, coord(s, i))
			}
			g = map[string]any{"type": "LineString", "coordinates": cs}
		case "polygon":
			var cs [][]float64
			for i := range s.Points {
				cs = append(cs, coord(s, i))
			}
			cs = append(cs, coord(s, 0))
			g = map[string]any{"type": "Polygon", "coordinates": [][][]float64{cs}}
		}
		feats = append(feats, feature{"Feature", props, g})
	}
	data, err := json.MarshalIndent(map[string]any{"type": "FeatureCollection", "features": feats}, "", "  ")
	if err != nil {
		return fmt.Errorf("GeoJSON: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
