package gcs

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
)

// PlanFormat is a file format a plan can be read from or written to.
type PlanFormat string

// Plan file formats.
const (
	FormatQGCPlan   PlanFormat = ".plan"      // QGroundControl
	FormatWaypoints PlanFormat = ".waypoints" // Mission Planner, QGC WPL 110
	FormatKML       PlanFormat = ".kml"
	FormatGeoJSON   PlanFormat = ".geojson"
)

// PlanFormatOf returns the format a file name's extension names.
func PlanFormatOf(name string) (PlanFormat, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".plan":
		return FormatQGCPlan, nil
	case ".waypoints", ".txt", ".mission":
		return FormatWaypoints, nil
	case ".kml":
		return FormatKML, nil
	case ".geojson", ".json":
		return FormatGeoJSON, nil
	}
	return "", fmt.Errorf("%s: unknown plan format; want .plan, .waypoints, .kml or .geojson", name)
}

// ReadPlan reads a plan in the given format. Shapes of map files without Vigil's
// parameters get the defaults.
func ReadPlan(r io.Reader, f PlanFormat, d ShapeDefaults) (*Plan, error) {
	switch f {
	case FormatQGCPlan:
		return ReadQGCPlan(r)
	case FormatWaypoints:
		items, err := ReadWaypoints(r)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, fmt.Errorf("no items: a mission file needs at least home (item 0)")
		}
		return PlanFromMission(items), nil
	case FormatKML, FormatGeoJSON:
		read := ReadKML
		if f == FormatGeoJSON {
			read = ReadGeoJSON
		}
		shapes, err := read(r)
		if err != nil {
			return nil, err
		}
		return PlanFromShapes(shapes, d)
	}
	return nil, fmt.Errorf("unknown plan format %q", f)
}

// WritePlan writes a plan in the given format and returns notes on what the format could
// not hold (a .waypoints file has no fence or rally points; map files have no DO commands).
func WritePlan(w io.Writer, f PlanFormat, p *Plan, opt ExpandOptions) (notes []string, err error) {
	var buf bytes.Buffer // nothing is written unless all of it can be
	switch f {
	case FormatQGCPlan:
		err = WriteQGCPlan(&buf, p, opt)
	case FormatWaypoints:
		var items []MissionItem
		if items, err = p.MissionItems(opt); err != nil {
			return nil, err
		}
		err = WriteWaypoints(&buf, ClearUnsetParams(items))
		if n := len(p.Fence.Polygons) + len(p.Fence.Circles); n > 0 {
			notes = append(notes, fmt.Sprintf("the fence (%d zones) is not in a .waypoints file; keep it in a .plan", n))
		}
		if len(p.Rally) > 0 {
			notes = append(notes, fmt.Sprintf("%d rally points are not in a .waypoints file; keep them in a .plan", len(p.Rally)))
		}
		for _, it := range p.Items {
			if c, ok := it.(complexItem); ok {
				notes = append(notes, fmt.Sprintf("the %s is written as its waypoints; its parameters are kept only in a .plan", c.kind()))
				break
			}
		}
	case FormatKML, FormatGeoJSON:
		var shapes []Shape
		if shapes, err = ShapesFromPlan(p, opt); err != nil {
			return nil, err
		}
		if f == FormatKML {
			err = WriteShapesKML(&buf, "Vigil plan", shapes)
		} else {
			err = WriteShapesGeoJSON(&buf, shapes)
		}
		for _, it := range p.Items {
			if s, ok := it.(SimpleItem); ok {
				if _, pos := missionItemPoint(s.Item); !pos {
					notes = append(notes, "commands without a position (camera, speed, jumps) are not in map files; keep them in a .plan")
					break
				}
			}
		}
	default:
		return nil, fmt.Errorf("unknown plan format %q", f)
	}
	if err != nil {
		return nil, err
	}
	_, err = w.Write(buf.Bytes())
	return notes, err
}

// ClearUnsetParams returns items with NaN parameters 1-4 set to 0. QGroundControl writes
// NaN ("unset", usually a waypoint's yaw) where ArduPilot stores nothing or 0, and .waypoints
// files, like Mission Planner, have no way to write it.
func ClearUnsetParams(items []MissionItem) []MissionItem {
	out := make([]MissionItem, len(items))
	for i, it := range items {
		for _, p := range []*float64{&it.Param1, &it.Param2, &it.Param3, &it.Param4} {
			if math.IsNaN(*p) {
				*p = 0
			}
		}
		out[i] = it
	}
	return out
}
