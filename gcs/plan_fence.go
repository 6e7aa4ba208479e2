package gcs

import (
	"fmt"

	"github.com/paulmach/orb"
)

// Fence is a geofence: areas the vehicle must stay in (inclusion) or out of (exclusion), as
// polygons and circles, and where to go on a breach.
type Fence struct {
	Polygons []FencePolygon
	Circles  []FenceCircle
	// ReturnPoint is where a fixed-wing vehicle goes on a breach (QGroundControl's
	// breachReturn); HasReturn says whether there is one. ReturnAltM is above home.
	ReturnPoint orb.Point
	ReturnAltM  float64
	HasReturn   bool
}

// FencePolygon is an inclusion or exclusion polygon, {lon, lat} vertices, not closed.
type FencePolygon struct {
	Inclusion bool
	Vertices  []orb.Point
}

// FenceCircle is an inclusion or exclusion circle.
type FenceCircle struct {
	Inclusion bool
	Center    orb.Point
	RadiusM   float64
}

// RallyPoint is a safe place to return to instead of home; AltM is above home.
type RallyPoint struct {
	Point orb.Point
	AltM  float64
}

// IsEmpty reports whether the fence has no zones and no return point.
func (f Fence) IsEmpty() bool {
	return len(f.Polygons) == 0 && len(f.Circles) == 0 && !f.HasReturn
}

// MissionItems returns the fence as the fence list travels (mission_type 1), the way
// ArduPilot and QGroundControl lay it out: the return point, then each polygon as a run
// of vertex items whose param 1 is the vertex count, then the circles (param 1 the radius).
func (f Fence) MissionItems() []MissionItem {
	var items []MissionItem
	if f.HasReturn {
		items = append(items, MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavFenceReturnPoint,
			Autocontinue: true, X: f.ReturnPoint.Lat(), Y: f.ReturnPoint.Lon(), Z: f.ReturnAltM})
	}
	for _, p := range f.Polygons {
		cmd := CmdNavFencePolygonVertexExcl
		if p.Inclusion {
			cmd = CmdNavFencePolygonVertexIncl
		}
		vs := openRing(p.Vertices)
		for _, v := range vs {
			items = append(items, MissionItem{Frame: FrameGlobal, Command: cmd, Autocontinue: true,
				Param1: float64(len(vs)), X: v.Lat(), Y: v.Lon()})
		}
	}
	for _, c := range f.Circles {
		cmd := CmdNavFenceCircleExcl
		if c.Inclusion {
			cmd = CmdNavFenceCircleIncl
		}
		items = append(items, MissionItem{Frame: FrameGlobal, Command: cmd, Autocontinue: true,
			Param1: c.RadiusM, X: c.Center.Lat(), Y: c.Center.Lon()})
	}
	return items
}

// FenceFromItems reads a fence list back. Errors name the item (from 0).
func FenceFromItems(items []MissionItem) (Fence, error) {
	var f Fence
	for i := 0; i < len(items); {
		it := items[i]
		switch it.Command {
		case CmdNavFenceReturnPoint:
			f.ReturnPoint, f.ReturnAltM, f.HasReturn = orb.Point{it.Y, it.X}, it.Z, true
			i++
		case CmdNavFencePolygonVertexIncl, CmdNavFencePolygonVertexExcl:
			n := int(it.Param1)
			if n < 3 || i+n > len(items) {
				return Fence{}, fmt.Errorf("fence item %d: polygon of %g vertices, but %d items are left", i, it.Param1, len(items)-i)
			}
			p := FencePolygon{Inclusion: it.Command == CmdNavFencePolygonVertexIncl}
			for j, v := range items[i : i+n] {
				if v.Command != it.Command || int(v.Param1) != n {
					return Fence{}, fmt.Errorf("fence item %d: vertex %d of a %d-vertex polygon is command %d with count %g", i+j, j+1, n, v.Command, v.Param1)
				}
				p.Vertices = append(p.Vertices, orb.Point{v.Y, v.X})
			}
			f.Polygons = append(f.Polygons, p)
			i += n
		case CmdNavFenceCircleIncl, CmdNavFenceCircleExcl:
			if !(it.Param1 > 0) {
				return Fence{}, fmt.Errorf("fence item %d: circle radius %g m, want a positive radius", i, it.Param1)
			}
			f.Circles = append(f.Circles, FenceCircle{Inclusion: it.Command == CmdNavFenceCircleIncl,
				Center: orb.Point{it.Y, it.X}, RadiusM: it.Param1})
			i++
		default:
			return Fence{}, fmt.Errorf("fence item %d: command %d is not a fence command", i, it.Command)
		}
	}
	return f, nil
}

// RallyItems returns rally points as the rally list travels (mission_type 2).
func RallyItems(points []RallyPoint) []MissionItem {
	items := make([]MissionItem, len(points))
	for i, r := range points {
		items[i] = MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavRallyPoint, Autocontinue: true,
			X: r.Point.Lat(), Y: r.Point.Lon(), Z: r.AltM}
	}
	return items
}

// RallyFromItems reads a rally list back.
func RallyFromItems(items []MissionItem) ([]RallyPoint, error) {
	var out []RallyPoint
	for i, it := range items {
		if it.Command != CmdNavRallyPoint {
			return nil, fmt.Errorf("rally item %d: command %d is not a rally point", i, it.Command)
		}
		out = append(out, RallyPoint{Point: orb.Point{it.Y, it.X}, AltM: it.Z})
	}
	return out, nil
}
