package gcs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/paulmach/orb"
)

// maxPlanFileBytes bounds the plan files Vigil reads: far more than any real plan (a
// thousand-lane survey is about 2 MB), far less than would strain the station.
const maxPlanFileBytes = 32 << 20

// readAllLimited reads r whole, refusing more than maxPlanFileBytes.
func readAllLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPlanFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPlanFileBytes {
		return nil, fmt.Errorf("larger than %d MB", maxPlanFileBytes>>20)
	}
	return data, nil
}

// QGroundControl's names for cameras that are not in its list.
const (
	qgcManualCamera = "Manual (no camera specs)"
	// QGCCustomCameraName is QGroundControl's name for a camera described by hand.
	QGCCustomCameraName = "Custom Camera"
)

// ReadQGCPlan reads a QGroundControl .plan file (JSON, version 1): the mission with its
// simple items and "survey" and "CorridorScan" complex items, the geofence's polygons and
// circles, rally points and the planned home. Complex items keep the mission items
// QGroundControl stored with them and fly those, as QGroundControl does. DO_JUMP targets,
// which the file gives as doJumpId, become sequence numbers. Errors name the element
// ("mission.items[3].command: want a number, got a string").
func ReadQGCPlan(r io.Reader) (*Plan, error) {
	data, err := readAllLimited(r)
	if err != nil {
		return nil, err
	}
	var top map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&top); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")) + 1
			return nil, fmt.Errorf("line %d: not JSON: %w", line, err)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) || top == nil {
			return nil, errors.New("not a plan file: want a JSON object")
		}
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	o := jsonObj{m: top}
	ft, err := o.str("fileType")
	if err != nil {
		return nil, fmt.Errorf("not a QGroundControl plan: %w", err)
	}
	if ft != "Plan" {
		return nil, fmt.Errorf("fileType: %q, want \"Plan\"", ft)
	}
	ver, err := o.num("version", nil)
	if err != nil {
		return nil, err
	}
	if ver != 1 {
		return nil, fmt.Errorf("version: %v, this reader knows .plan version 1", ver)
	}
	p := &Plan{}
	mission, err := o.obj("mission")
	if err != nil {
		return nil, err
	}
	if err := readQGCMission(mission, p); err != nil {
		return nil, err
	}
	if o.has("geoFence") {
		fence, err := o.obj("geoFence")
		if err != nil {
			return nil, err
		}
		if p.Fence, err = readQGCFence(fence); err != nil {
			return nil, err
		}
	}
	if o.has("rallyPoints") {
		rally, err := o.obj("rallyPoints")
		if err != nil {
			return nil, err
		}
		pts, err := rally.arr("points")
		if err != nil {
			return nil, err
		}
		for i, v := range pts {
			ll, alt, err := latLon(v, fmt.Sprintf("%s.points[%d]", rally.path, i), true)
			if err != nil {
				return nil, err
			}
			p.Rally = append(p.Rally, RallyPoint{Point: orb.Point(ll), AltM: alt})
		}
	}
	return p, nil
}

func readQGCMission(m jsonObj, p *Plan) error {
	ver, err := m.num("version", nil)
	if err != nil {
		return err
	}
	if ver != 2 {
		return fmt.Errorf("mission.version: %v, this reader knows mission version 2", ver)
	}
	if p.CruiseSpeedMS, err = m.num("cruiseSpeed", ptr(0.0)); err != nil {
		return err
	}
	if p.HoverSpeedMS, err = m.num("hoverSpeed", ptr(0.0)); err != nil {
		return err
	}
	if p.VehicleType, err = m.int("vehicleType", ptr(0.0), 0, 255); err != nil {
		return err
	}
	if p.FirmwareType, err = m.int("firmwareType", ptr(0.0), 0, 255); err != nil {
		return err
	}
	home, ok := m.m["plannedHomePosition"]
	if !ok {
		return errors.New("mission.plannedHomePosition: missing")
	}
	ll, alt, err := latLon(home, "mission.plannedHomePosition", true)
	if err != nil {
		return err
	}
	p.Home, p.HomeAltMSLM = orb.Point(ll), alt
	items, err := m.arr("items")
	if err != nil {
		return err
	}
	jumpIDs := map[int]int{} // doJumpId → sequence number
	seq := 1
	for i, v := range items {
		path := fmt.Sprintf("mission.items[%d]", i)
		om, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want an object, got %s", path, jsonTypeName(v))
		}
		io := jsonObj{om, path}
		typ, err := io.str("type")
		if err != nil {
			return err
		}
		switch typ {
		case "SimpleItem":
			it, id, err := readQGCSimpleItem(io)
			if err != nil {
				return err
			}
			if id > 0 {
				jumpIDs[id] = seq
			}
			p.Items = append(p.Items, SimpleItem{it})
			seq++
		case "ComplexItem":
			ci, err := readQGCComplexItem(io)
			if err != nil {
				return err
			}
			p.Items = append(p.Items, ci)
			n := len(transectStyleOf(ci).Items)
			if n == 0 {
				if x, err := (&Plan{}).expandAlone(ci.(complexItem), ExpandOptions{}); err == nil {
					n = len(x)
				}
			}
			seq += n
		default:
			return fmt.Errorf("%s.type: %q, want \"SimpleItem\" or \"ComplexItem\"", path, typ)
		}
	}
	// DO_JUMP names its target by doJumpId; the vehicle wants the sequence number.
	for i, it := range p.Items {
		if s, ok := it.(SimpleItem); ok && s.Item.Command == CmdDoJump {
			if to, ok := jumpIDs[int(s.Item.Param1)]; ok {
				s.Item.Param1 = float64(to)
				p.Items[i] = s
			}
		}
	}
	return nil
}

// readQGCSimpleItem reads a SimpleItem (or an item of a complex item's Items): params as
// seven values, or the old layout of four params and a coordinate. A null param is NaN
// ("unset"), as QGroundControl means it.
func readQGCSimpleItem(o jsonObj) (MissionItem, int, error) {
	var it MissionItem
	cmd, err := o.int("command", nil, 0, 65535)
	if err != nil {
		return it, 0, err
	}
	frame, err := o.int("frame", nil, 0, 255)
	if err != nil {
		return it, 0, err
	}
	it.Command, it.Frame = uint16(cmd), uint8(frame)
	if it.Autocontinue, err = o.boolean("autoContinue", ptr(true)); err != nil {
		return it, 0, err
	}
	id, err := o.int("doJumpId", ptr(0.0), 0, math.MaxInt32)
	if err != nil {
		return it, 0, err
	}
	params, err := o.arr("params")
	if err != nil {
		return it, 0, err
	}
	var vals [7]float64
	switch {
	case len(params) == 7:
	case len(params) == 4 && o.has("coordinate"):
		c, err := o.arr("coordinate")
		if err != nil {
			return it, 0, err
		}
		if len(c) != 3 {
			return it, 0, fmt.Errorf("%s: %d values, want [latitude, longitude, altitude]", o.at("coordinate"), len(c))
		}
		params = append(append([]any(nil), params...), c...)
	default:
		return it, 0, fmt.Errorf("%s: %d values, want 7 (param1-4, latitude, longitude, altitude)", o.at("params"), len(params))
	}
	for i, v := range params {
		switch v := v.(type) {
		case nil:
			vals[i] = math.NaN()
		case float64:
			vals[i] = v
		default:
			return it, 0, fmt.Errorf("%s[%d]: want a number or null, got %s", o.at("params"), i, jsonTypeName(v))
		}
	}
	it.Param1, it.Param2, it.Param3, it.Param4 = vals[0], vals[1], vals[2], vals[3]
	it.X, it.Y, it.Z = vals[4], vals[5], vals[6]
	if it.IsGlobal() && !math.IsNaN(it.X) && (math.Abs(it.X) > 90 || math.Abs(it.Y) > 360) {
		return it, 0, fmt.Errorf("%s: %v, %v is not a latitude and longitude", o.at("params"), it.X, it.Y)
	}
	return it, id, nil
}

func transectStyleOf(ci PlanItem) *TransectStyle {
	switch c := ci.(type) {
	case *Survey:
		return &c.TransectStyle
	case *Corridor:
		return &c.TransectStyle
	}
	return &TransectStyle{}
}

func readQGCComplexItem(o jsonObj) (PlanItem, error) {
	typ, err := o.str("complexItemType")
	if err != nil {
		return nil, err
	}
	ver, err := o.num("version", nil)
	if err != nil {
		return nil, err
	}
	switch typ {
	case "survey":
		if ver != 4 && ver != 5 {
			return nil, fmt.Errorf("%s: survey version %v, this reader knows 4 and 5", o.at("version"), ver)
		}
		s := &Survey{}
		poly, err := o.arr("polygon")
		if err != nil {
			return nil, err
		}
		for i, v := range poly {
			ll, _, err := latLon(v, fmt.Sprintf("%s[%d]", o.at("polygon"), i), false)
			if err != nil {
				return nil, err
			}
			s.Polygon = append(s.Polygon, orb.Point(ll))
		}
		if err := CheckPolygon(s.Polygon); err != nil {
			return nil, fmt.Errorf("%s: %w", o.at("polygon"), err)
		}
		if s.AngleDeg, err = o.num("angle", nil); err != nil {
			return nil, err
		}
		entry, err := o.int("entryLocation", ptr(0.0), 0, 3)
		if err != nil {
			return nil, err
		}
		s.Entry = EntryCorner(entry)
		if s.FlyAlternate, err = o.boolean("flyAlternateTransects", ptr(false)); err != nil {
			return nil, err
		}
		if err := readQGCTransectStyle(o, &s.TransectStyle, &s.Crosshatch); err != nil {
			return nil, err
		}
		return s, nil
	case "CorridorScan":
		if ver != 2 && ver != 3 {
			return nil, fmt.Errorf("%s: CorridorScan version %v, this reader knows 2 and 3", o.at("version"), ver)
		}
		c := &Corridor{}
		line, err := o.arr("polyline")
		if err != nil {
			return nil, err
		}
		for i, v := range line {
			ll, _, err := latLon(v, fmt.Sprintf("%s[%d]", o.at("polyline"), i), false)
			if err != nil {
				return nil, err
			}
			c.Line = append(c.Line, orb.Point(ll))
		}
		if c.WidthM, err = o.num("CorridorWidth", nil); err != nil {
			return nil, err
		}
		if c.Entry, err = o.int("EntryPoint", ptr(0.0), 0, 3); err != nil {
			return nil, err
		}
		var crosshatch bool
		if err := readQGCTransectStyle(o, &c.TransectStyle, &crosshatch); err != nil {
			return nil, err
		}
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", o.path, err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("%s: complex item %q is not supported (survey and CorridorScan are)", o.at("complexItemType"), typ)
}

func readQGCTransectStyle(o jsonObj, ts *TransectStyle, refly *bool) error {
	in, err := o.obj("TransectStyleComplexItem")
	if err != nil {
		return err
	}
	v, err := in.num("version", ptr(1.0))
	if err != nil {
		return err
	}
	if v != 1 && v != 2 {
		return fmt.Errorf("%s: TransectStyleComplexItem version %v, this reader knows 1 and 2", in.at("version"), v)
	}
	if ts.TurnaroundM, err = in.num("TurnAroundDistance", nil); err != nil {
		return err
	}
	if ts.TriggerInTurnaround, err = in.boolean("CameraTriggerInTurnAround", ptr(true)); err != nil {
		return err
	}
	hover, err := in.boolean("HoverAndCapture", ptr(false))
	if err != nil {
		return err
	}
	if hover {
		ts.Trigger = TriggerWaypoint
	}
	if *refly, err = in.boolean("Refly90Degrees", ptr(false)); err != nil {
		return err
	}
	followTerrain, err := in.boolean("FollowTerrain", ptr(false))
	if err != nil {
		return err
	}
	calc, err := in.obj("CameraCalc")
	if err != nil {
		return err
	}
	if err := readQGCCameraCalc(calc, ts); err != nil {
		return err
	}
	if followTerrain {
		ts.AltMode = AltAboveTerrain
	}
	if ts.Calc.TriggerDistM == 0 {
		ts.Trigger = TriggerNone
	}
	if in.has("Items") {
		items, err := in.arr("Items")
		if err != nil {
			return err
		}
		for i, v := range items {
			path := fmt.Sprintf("%s.Items[%d]", in.path, i)
			m, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: want an object, got %s", path, jsonTypeName(v))
			}
			it, _, err := readQGCSimpleItem(jsonObj{m, path})
			if err != nil {
				return err
			}
			ts.Items = append(ts.Items, it)
		}
	}
	return nil
}

func readQGCCameraCalc(c jsonObj, ts *TransectStyle) error {
	v, err := c.num("version", ptr(1.0))
	if err != nil {
		return err
	}
	if v != 1 && v != 2 {
		return fmt.Errorf("%s: CameraCalc version %v, this reader knows 1 and 2", c.at("version"), v)
	}
	cc := &ts.Calc
	if cc.AltM, err = c.num("DistanceToSurface", nil); err != nil {
		return err
	}
	if cc.SpacingM, err = c.num("AdjustedFootprintSide", nil); err != nil {
		return err
	}
	if cc.TriggerDistM, err = c.num("AdjustedFootprintFrontal", nil); err != nil {
		return err
	}
	ts.AltMode = AltRelative
	if c.has("DistanceMode") {
		m, err := c.int("DistanceMode", nil, 1, 4)
		if err != nil {
			return err
		}
		ts.AltMode = AltMode(m)
	} else if rel, err := c.boolean("DistanceToSurfaceRelative", ptr(true)); err != nil {
		return err
	} else if !rel {
		ts.AltMode = AltAMSL
	}
	name, err := c.str("CameraName")
	if err != nil {
		return err
	}
	if name == qgcManualCamera {
		return nil
	}
	spec := CameraSpec{Name: name}
	for _, f := range []struct {
		key string
		dst *float64
	}{{"SensorWidth", &spec.SensorWidthMM}, {"SensorHeight", &spec.SensorHeightMM}, {"FocalLength", &spec.FocalLengthMM},
		{"MinTriggerInterval", &spec.MinTriggerIntervalS}, {"ImageDensity", &cc.GSDcm},
		{"FrontalOverlap", &cc.FrontOverlapPct}, {"SideOverlap", &cc.SideOverlapPct}} {
		if *f.dst, err = c.num(f.key, ptr(0.0)); err != nil {
			return err
		}
	}
	if spec.ImageWidthPx, err = c.int("ImageWidth", ptr(0.0), 0, 1<<20); err != nil {
		return err
	}
	if spec.ImageHeightPx, err = c.int("ImageHeight", ptr(0.0), 0, 1<<20); err != nil {
		return err
	}
	if spec.Landscape, err = c.boolean("Landscape", ptr(true)); err != nil {
		return err
	}
	if spec.FixedOrientation, err = c.boolean("FixedOrientation", ptr(false)); err != nil {
		return err
	}
	valueIsDistance, err := c.boolean("ValueSetIsDistance", ptr(true))
	if err != nil {
		return err
	}
	cc.AltFromGSD = !valueIsDistance
	cc.Camera = &spec
	if err := spec.check(); err != nil {
		return fmt.Errorf("%s: camera %q: %w", c.path, name, err)
	}
	return nil
}

func readQGCFence(f jsonObj) (Fence, error) {
	var fence Fence
	ver, err := f.num("version", nil)
	if err != nil {
		return fence, err
	}
	switch ver {
	case 1: // QGroundControl 3.2: one inclusion polygon
		poly, err := f.arr("polygon")
		if err != nil {
			return fence, err
		}
		if len(poly) > 0 {
			fp, err := readFencePolygon(poly, f.at("polygon"), true)
			if err != nil {
				return fence, err
			}
			fence.Polygons = append(fence.Polygons, fp)
		}
		return fence, nil
	case 2:
	default:
		return fence, fmt.Errorf("%s: %v, this reader knows geoFence versions 1 and 2", f.at("version"), ver)
	}
	polys, err := f.arr("polygons")
	if err != nil {
		return fence, err
	}
	for i, v := range polys {
		path := fmt.Sprintf("%s[%d]", f.at("polygons"), i)
		m, ok := v.(map[string]any)
		if !ok {
			return fence, fmt.Errorf("%s: want an object, got %s", path, jsonTypeName(v))
		}
		po := jsonObj{m, path}
		incl, err := po.boolean("inclusion", ptr(true))
		if err != nil {
			return fence, err
		}
		vs, err := po.arr("polygon")
		if err != nil {
			return fence, err
		}
		fp, err := readFencePolygon(vs, po.at("polygon"), incl)
		if err != nil {
			return fence, err
		}
		fence.Polygons = append(fence.Polygons, fp)
	}
	circles, err := f.arr("circles")
	if err != nil {
		return fence, err
	}
	for i, v := range circles {
		path := fmt.Sprintf("%s[%d]", f.at("circles"), i)
		m, ok := v.(map[string]any)
		if !ok {
			return fence, fmt.Errorf("%s: want an object, got %s", path, jsonTypeName(v))
		}
		co := jsonObj{m, path}
		incl, err := co.boolean("inclusion", ptr(true))
		if err != nil {
			return fence, err
		}
		c, err := co.obj("circle")
		if err != nil {
			return fence, err
		}
		center, ok := c.m["center"]
		if !ok {
			return fence, fmt.Errorf("%s: missing", c.at("center"))
		}
		ll, _, err := latLon(center, c.at("center"), false)
		if err != nil {
			return fence, err
		}
		r, err := c.num("radius", nil)
		if err != nil {
			return fence, err
		}
		if !(r > 0) {
			return fence, fmt.Errorf("%s: %v m, want a positive radius", c.at("radius"), r)
		}
		fence.Circles = append(fence.Circles, FenceCircle{Inclusion: incl, Center: orb.Point(ll), RadiusM: r})
	}
	if f.has("breachReturn") {
		ll, alt, err := latLon(f.m["breachReturn"], f.at("breachReturn"), true)
		if err != nil {
			return fence, err
		}
		fence.ReturnPoint, fence.ReturnAltM, fence.HasReturn = orb.Point(ll), alt, true
	}
	return fence, nil
}

func readFencePolygon(vs []any, path string, incl bool) (FencePolygon, error) {
	fp := FencePolygon{Inclusion: incl}
	for j, v := range vs {
		ll, _, err := latLon(v, fmt.Sprintf("%s[%d]", path, j), false)
		if err != nil {
			return fp, err
		}
		fp.Vertices = append(fp.Vertices, orb.Point(ll))
	}
	if err := CheckPolygon(fp.Vertices); err != nil {
		return fp, fmt.Errorf("%s: %w", path, err)
	}
	return fp, nil
}
