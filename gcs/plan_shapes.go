package gcs

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/paulmach/orb"
)

// ShapeKind is what a shape of a KML or GeoJSON file stands for in a plan.
type ShapeKind string

// Shape kinds, as Vigil writes them in a "kind" property (KML ExtendedData, GeoJSON
// properties). A shape without one is read by its geometry: a polygon is a survey area, a
// line a corridor, a point a waypoint.
const (
	ShapeSurvey         ShapeKind = "survey"
	ShapeCorridor       ShapeKind = "corridor"
	ShapeWaypoint       ShapeKind = "waypoint"
	ShapeFenceInclusion ShapeKind = "fence-inclusion"
	ShapeFenceExclusion ShapeKind = "fence-exclusion"
	ShapeOrbit          ShapeKind = "orbit"  // a point: the centre, with radiusM
	ShapePatrol         ShapeKind = "patrol" // a polygon: the area patrolled, with insetM
	ShapeRally          ShapeKind = "rally"
	ShapeHome           ShapeKind = "home"
	ShapePath           ShapeKind = "path" // the flight path, for display; ignored when read
)

// Shape is one geometry of a map file with its name and properties.
type Shape struct {
	Name   string
	Kind   ShapeKind
	Points []orb.Point // {lon, lat}; a polygon's outer ring without the closing point
	AltsM  []float64   // altitude of each point, 0 when the file has none
	Props  map[string]string
	// Where names the shape in errors ("Placemark 2 \"Camp\"", "feature 3").
	Where string
	geom  string // "point", "line" or "polygon"
}

// ShapeDefaults are the parameters for shapes that carry none (a polygon drawn in Google
// Earth): QGroundControl's defaults of a manual camera.
type ShapeDefaults struct {
	AltM, SpacingM, TriggerDistM, TurnaroundM, CorridorWidthM float64
}

// DefaultShapeDefaults are QGroundControl's defaults for a new survey: 50 m, 25 m lanes and
// photos 25 m apart with a manual camera, 10 m turnarounds (multirotor), 50 m corridors.
var DefaultShapeDefaults = ShapeDefaults{AltM: 50, SpacingM: 25, TriggerDistM: 25, TurnaroundM: 10, CorridorWidthM: 50}

// ErrNoShapes is returned for a map file with nothing to plan.
var ErrNoShapes = errors.New("no point, line or polygon in the file")

// Geometry is "point", "line" or "polygon".
func (s Shape) Geometry() string { return s.geom }

func (s Shape) num(key string, def float64) (float64, error) {
	v, ok := s.Props[key]
	if !ok || v == "" {
		return def, nil
	}
	f, err := parseDecimal(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %s is %q, %w", s.Where, key, v, err)
	}
	return f, nil
}

// PlanFromShapes turns the shapes of a map file into a plan: survey areas, corridors and
// waypoints in file order, fence zones, rally points and home.
func PlanFromShapes(shapes []Shape, d ShapeDefaults) (*Plan, error) {
	p := &Plan{}
	homeSet := false
	for _, s := range shapes {
		kind := s.Kind
		if kind == "" {
			kind = map[string]ShapeKind{"polygon": ShapeSurvey, "line": ShapeCorridor, "point": ShapeWaypoint}[s.geom]
		}
		want := map[ShapeKind]string{ShapeSurvey: "polygon", ShapeCorridor: "line", ShapeWaypoint: "point",
			ShapeOrbit: "point", ShapePatrol: "polygon",
			ShapeFenceInclusion: "polygon", ShapeFenceExclusion: "polygon", ShapeRally: "point", ShapeHome: "point", ShapePath: "line"}
		if kind == ShapeFenceInclusion || kind == ShapeFenceExclusion {
			if s.geom == "point" {
				want[kind] = "point" // a circle
			}
		}
		w, ok := want[kind]
		if !ok {
			return nil, fmt.Errorf("%s: kind %q is not one of survey, corridor, waypoint, orbit, patrol, fence-inclusion, fence-exclusion, rally, home, path", s.Where, kind)
		}
		if w != s.geom {
			return nil, fmt.Errorf("%s: a %s is a %s, not a %s", s.Where, kind, w, s.geom)
		}
		alt, err := s.num("altM", d.AltM)
		if err != nil {
			return nil, err
		}
		mode := AltRelative
		if m, ok := s.Props["altMode"]; ok {
			if mode, err = ParseAltMode(m); err != nil {
				return nil, fmt.Errorf("%s: %w", s.Where, err)
			}
		}
		switch kind {
		case ShapeSurvey, ShapeCorridor:
			ts := TransectStyle{AltMode: mode, TriggerInTurnaround: true}
			ts.Calc.AltM = alt
			if ts.Calc.SpacingM, err = s.num("spacingM", d.SpacingM); err != nil {
				return nil, err
			}
			if ts.Calc.TriggerDistM, err = s.num("triggerDistM", d.TriggerDistM); err != nil {
				return nil, err
			}
			if ts.TurnaroundM, err = s.num("turnaroundM", d.TurnaroundM); err != nil {
				return nil, err
			}
			if kind == ShapeSurvey {
				if err := CheckPolygon(s.Points); err != nil {
					return nil, fmt.Errorf("%s: %w", s.Where, err)
				}
				sv := &Survey{Polygon: s.Points, TransectStyle: ts}
				if sv.AngleDeg, err = s.num("angleDeg", 0); err != nil {
					return nil, err
				}
				if _, ok := s.Props["angleDeg"]; !ok {
					sv.AutoAngle = true
				}
				if err := sv.check(); err != nil {
					return nil, fmt.Errorf("%s: %w", s.Where, err)
				}
				p.Items = append(p.Items, sv)
			} else {
				c := &Corridor{Line: s.Points, TransectStyle: ts}
				if c.WidthM, err = s.num("widthM", d.CorridorWidthM); err != nil {
					return nil, err
				}
				if err := c.check(); err != nil {
					return nil, fmt.Errorf("%s: %w", s.Where, err)
				}
				p.Items = append(p.Items, c)
			}
		case ShapeOrbit:
			o := &Orbit{Center: s.Points[0], AltM: alt, AltMode: mode, Clockwise: s.Props["clockwise"] != "false"}
			if o.RadiusM, err = s.num("radiusM", 0); err != nil {
				return nil, err
			}
			if o.Turns, err = s.num("turns", 1); err != nil {
				return nil, err
			}
			w, err := s.num("waypoints", 0)
			if err != nil {
				return nil, err
			}
			if w != math.Trunc(w) || w < 0 || w > maxOrbitWaypoints {
				return nil, fmt.Errorf("%s: waypoints is %g, want a whole number", s.Where, w)
			}
			o.Waypoints = int(w)
			if err := o.check(); err != nil {
				return nil, fmt.Errorf("%s: %w", s.Where, err)
			}
			p.Items = append(p.Items, o)
		case ShapePatrol:
			pt := &Patrol{Polygon: s.Points, AltM: alt, AltMode: mode}
			if pt.InsetM, err = s.num("insetM", 0); err != nil {
				return nil, err
			}
			loops, err := s.num("loops", 1)
			if err != nil {
				return nil, err
			}
			if loops != math.Trunc(loops) || loops < 0 || loops > math.MaxInt32 {
				return nil, fmt.Errorf("%s: loops is %g, want a whole number (0 for ever)", s.Where, loops)
			}
			pt.Loops = int(loops)
			if _, err := pt.Route(); err != nil {
				return nil, fmt.Errorf("%s: %w", s.Where, err)
			}
			p.Items = append(p.Items, pt)
		case ShapeWaypoint:
			it := MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavWaypoint, Autocontinue: true,
				X: s.Points[0].Lat(), Y: s.Points[0].Lon(), Z: alt}
			if _, ok := s.Props["altM"]; !ok && s.AltsM[0] != 0 {
				it.Z = s.AltsM[0]
			}
			if c, ok := s.Props["command"]; ok {
				n, err := strconv.ParseUint(c, 10, 16)
				if err != nil {
					return nil, fmt.Errorf("%s: command is %q, want a MAV_CMD number", s.Where, c)
				}
				it.Command = uint16(n)
			}
			switch mode {
			case AltAMSL:
				it.Frame = FrameGlobal
			case AltTerrainFrame:
				it.Frame = FrameGlobalTerrainAlt
			}
			p.Items = append(p.Items, SimpleItem{it})
		case ShapeFenceInclusion, ShapeFenceExclusion:
			incl := kind == ShapeFenceInclusion
			if s.geom == "point" {
				r, err := s.num("radiusM", 0)
				if err != nil {
					return nil, err
				}
				if !(r > 0) {
					return nil, fmt.Errorf("%s: a fence circle needs a positive radiusM", s.Where)
				}
				p.Fence.Circles = append(p.Fence.Circles, FenceCircle{Inclusion: incl, Center: s.Points[0], RadiusM: r})
				continue
			}
			if err := CheckPolygon(s.Points); err != nil {
				return nil, fmt.Errorf("%s: %w", s.Where, err)
			}
			p.Fence.Polygons = append(p.Fence.Polygons, FencePolygon{Inclusion: incl, Vertices: s.Points})
		case ShapeRally:
			a, err := s.num("altM", s.AltsM[0])
			if err != nil {
				return nil, err
			}
			p.Rally = append(p.Rally, RallyPoint{Point: s.Points[0], AltM: a})
		case ShapeHome:
			p.Home, p.HomeAltMSLM, homeSet = s.Points[0], s.AltsM[0], true
		}
	}
	if len(p.Items) == 0 && p.Fence.IsEmpty() && len(p.Rally) == 0 {
		return nil, ErrNoShapes
	}
	if !homeSet { // plan from the first point, as QGroundControl does without a vehicle
		p.Home = firstPlanPoint(p)
	}
	return p, nil
}

func firstPlanPoint(p *Plan) orb.Point {
	for _, it := range p.Items {
		switch it := it.(type) {
		case SimpleItem:
			return orb.Point{it.Item.Y, it.Item.X}
		case *Survey:
			return it.Polygon[0]
		case *Corridor:
			return it.Line[0]
		case *Orbit:
			return it.Center
		case *Patrol:
			return it.Polygon[0]
		}
	}
	if len(p.Fence.Polygons) > 0 {
		return p.Fence.Polygons[0].Vertices[0]
	}
	if len(p.Fence.Circles) > 0 {
		return p.Fence.Circles[0].Center
	}
	if len(p.Rally) > 0 {
		return p.Rally[0].Point
	}
	return orb.Point{}
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// ShapesFromPlan returns what a map file can hold of a plan: home, survey areas, corridors,
// orbits and patrols with their main parameters, positional simple items as waypoints (with
// their command), fence zones, rally points, and the flight path (for display; ignored when
// read back). What a map file cannot hold (cameras, DO commands) is left out; use .plan
// for those.
func ShapesFromPlan(p *Plan, opt ExpandOptions) ([]Shape, error) {
	pt := func(kind ShapeKind, name string, p orb.Point, alt float64, props map[string]string) Shape {
		return Shape{Name: name, Kind: kind, Points: []orb.Point{p}, AltsM: []float64{alt}, Props: props, geom: "point"}
	}
	shapes := []Shape{pt(ShapeHome, "Home", p.Home, p.HomeAltMSLM, nil)}
	tsProps := func(ts *TransectStyle) map[string]string {
		m := map[string]string{"altM": fmtNum(ts.Calc.AltM), "spacingM": fmtNum(ts.Calc.SpacingM),
			"triggerDistM": fmtNum(ts.Calc.TriggerDistM), "turnaroundM": fmtNum(ts.TurnaroundM)}
		if ts.AltMode != 0 && ts.AltMode != AltRelative {
			m["altMode"] = ts.AltMode.String()
		}
		return m
	}
	for i, it := range p.Items {
		name := fmt.Sprintf("Item %d", i+1)
		switch it := it.(type) {
		case SimpleItem:
			loc, ok := missionItemPoint(it.Item)
			if !ok {
				continue
			}
			props := map[string]string{"altM": fmtNum(it.Item.Z)}
			if it.Item.Command != CmdNavWaypoint {
				props["command"] = strconv.Itoa(int(it.Item.Command))
			}
			switch it.Item.Frame {
			case FrameGlobal:
				props["altMode"] = AltAMSL.String()
			case FrameGlobalTerrainAlt:
				props["altMode"] = AltTerrainFrame.String()
			}
			shapes = append(shapes, pt(ShapeWaypoint, name, loc, it.Item.Z, props))
		case *Survey:
			props := tsProps(&it.TransectStyle)
			if !it.AutoAngle {
				props["angleDeg"] = fmtNum(it.AngleDeg)
			}
			poly := openRing(it.Polygon)
			shapes = append(shapes, Shape{Name: "Survey " + name, Kind: ShapeSurvey, Points: poly, AltsM: make([]float64, len(poly)), Props: props, geom: "polygon"})
		case *Corridor:
			props := tsProps(&it.TransectStyle)
			props["widthM"] = fmtNum(it.WidthM)
			shapes = append(shapes, Shape{Name: "Corridor " + name, Kind: ShapeCorridor, Points: it.Line, AltsM: make([]float64, len(it.Line)), Props: props, geom: "line"})
		case *Orbit:
			props := map[string]string{"altM": fmtNum(it.AltM), "radiusM": fmtNum(it.RadiusM), "turns": fmtNum(it.turns()),
				"waypoints": strconv.Itoa(it.Waypoints), "clockwise": strconv.FormatBool(it.Clockwise)}
			if it.AltMode != 0 && it.AltMode != AltRelative {
				props["altMode"] = it.AltMode.String()
			}
			shapes = append(shapes, pt(ShapeOrbit, "Orbit "+name, it.Center, it.AltM, props))
		case *Patrol:
			props := map[string]string{"altM": fmtNum(it.AltM), "insetM": fmtNum(it.InsetM), "loops": strconv.Itoa(it.Loops)}
			if it.AltMode != 0 && it.AltMode != AltRelative {
				props["altMode"] = it.AltMode.String()
			}
			poly := openRing(it.Polygon)
			shapes = append(shapes, Shape{Name: "Patrol " + name, Kind: ShapePatrol, Points: poly, AltsM: make([]float64, len(poly)), Props: props, geom: "polygon"})
		}
	}
	for i, f := range p.Fence.Polygons {
		kind := ShapeFenceExclusion
		if f.Inclusion {
			kind = ShapeFenceInclusion
		}
		v := openRing(f.Vertices)
		shapes = append(shapes, Shape{Name: fmt.Sprintf("Fence %d", i+1), Kind: kind, Points: v, AltsM: make([]float64, len(v)), geom: "polygon"})
	}
	for i, c := range p.Fence.Circles {
		kind := ShapeFenceExclusion
		if c.Inclusion {
			kind = ShapeFenceInclusion
		}
		shapes = append(shapes, pt(kind, fmt.Sprintf("Fence circle %d", i+1), c.Center, 0, map[string]string{"radiusM": fmtNum(c.RadiusM)}))
	}
	for i, r := range p.Rally {
		shapes = append(shapes, pt(ShapeRally, fmt.Sprintf("Rally %d", i+1), r.Point, r.AltM, map[string]string{"altM": fmtNum(r.AltM)}))
	}
	items, err := p.MissionItems(opt)
	if err != nil {
		return nil, err
	}
	var path []orb.Point
	var alts []float64
	for _, it := range items[1:] {
		if loc, ok := missionItemPoint(it); ok {
			path = append(path, loc)
			alts = append(alts, it.Z)
		}
	}
	if len(path) >= 2 {
		shapes = append(shapes, Shape{Name: "Flight path", Kind: ShapePath, Points: path, AltsM: alts, geom: "line"})
	}
	return shapes, nil
}

// sortedKeys returns m's keys in order, so files come out the same every time.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
