package gcs

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/paulmach/orb"
)

// WriteQGCPlan writes a plan as QGroundControl writes a .plan file (version 1, mission
// version 2, geoFence version 2, rallyPoints version 2), with each complex item's parameters
// and its expanded mission items, so that QGroundControl and Vigil fly it alike. Orbits and
// patrols, which QGroundControl has no complex item for, are written as their simple items.
// opt is needed when items follow the terrain.
func WriteQGCPlan(w io.Writer, p *Plan, opt ExpandOptions) error {
	seq := 1
	var items []any
	for i, it := range p.Items {
		switch it := it.(type) {
		case SimpleItem:
			items = append(items, qgcSimpleItem(it.Item, seq, true))
			seq++
		case *Survey, *Corridor:
			obj, n, err := qgcTransectItem(p, it, seq, opt)
			if err != nil {
				return fmt.Errorf("plan item %d (%s): %w", i+1, it.(complexItem).kind(), err)
			}
			items = append(items, obj)
			seq += n
		case complexItem:
			exp, err := p.expandAlone(it, opt)
			if err != nil {
				return fmt.Errorf("plan item %d (%s): %w", i+1, it.kind(), err)
			}
			base := seq - 1 // jump targets are numbered as if the item followed home
			for _, e := range exp {
				if e.Command == CmdDoJump {
					e.Param1 += float64(base)
				}
				items = append(items, qgcSimpleItem(e, seq, true))
				seq++
			}
		}
	}
	if items == nil {
		items = []any{}
	}
	polys := []any{}
	for _, fp := range p.Fence.Polygons {
		polys = append(polys, map[string]any{"inclusion": fp.Inclusion, "polygon": latLons(openRing(fp.Vertices)), "version": 1})
	}
	circles := []any{}
	for _, c := range p.Fence.Circles {
		circles = append(circles, map[string]any{
			"circle":    map[string]any{"center": []any{c.Center.Lat(), c.Center.Lon()}, "radius": c.RadiusM},
			"inclusion": c.Inclusion, "version": 1,
		})
	}
	fence := map[string]any{"circles": circles, "polygons": polys, "version": 2}
	if p.Fence.HasReturn {
		fence["breachReturn"] = []any{p.Fence.ReturnPoint.Lat(), p.Fence.ReturnPoint.Lon(), p.Fence.ReturnAltM}
	}
	rally := []any{}
	for _, r := range p.Rally {
		rally = append(rally, []any{r.Point.Lat(), r.Point.Lon(), r.AltM})
	}
	cruise, hover := p.CruiseSpeedMS, p.HoverSpeedMS
	if cruise == 0 {
		cruise = 15
	}
	if hover == 0 {
		hover = 5
	}
	firmware, vehicle := p.FirmwareType, p.VehicleType
	if firmware == 0 {
		firmware = 3 // MAV_AUTOPILOT_ARDUPILOTMEGA
	}
	if vehicle == 0 {
		vehicle = 2 // MAV_TYPE_QUADROTOR
	}
	doc := map[string]any{
		"fileType":      "Plan",
		"groundStation": "Vigil",
		"version":       1,
		"geoFence":      fence,
		"rallyPoints":   map[string]any{"points": rally, "version": 2},
		"mission": map[string]any{
			"cruiseSpeed": cruise, "hoverSpeed": hover, "firmwareType": firmware, "vehicleType": vehicle,
			"globalPlanAltitudeMode": 1,
			"items":                  items,
			"plannedHomePosition":    []any{p.Home.Lat(), p.Home.Lon(), p.HomeAltMSLM},
			"version":                2,
		},
	}
	if err := checkPlanNumbers(doc, ""); err != nil {
		return err
	}
	data, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// checkPlanNumbers refuses infinities, which JSON cannot hold (NaN is written as null).
func checkPlanNumbers(v any, path string) error {
	switch v := v.(type) {
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Errorf("%s: %v cannot be written to a plan file", path, v)
		}
	case map[string]any:
		for k, x := range v {
			if err := checkPlanNumbers(x, path+"."+k); err != nil {
				return err
			}
		}
	case []any:
		for i, x := range v {
			if err := checkPlanNumbers(x, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func latLons(pts []orb.Point) []any {
	out := make([]any, len(pts))
	for i, p := range pts {
		out[i] = []any{p.Lat(), p.Lon()}
	}
	return out
}

// qgcParam is a parameter as QGroundControl writes it: NaN ("unset") as null.
func qgcParam(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

// qgcSimpleItem is an item as QGroundControl's SimpleMissionItem saves it; visual adds the
// altitude fields it keeps for items shown on the map.
func qgcSimpleItem(it MissionItem, seq int, visual bool) map[string]any {
	m := map[string]any{
		"autoContinue": it.Autocontinue,
		"command":      int(it.Command),
		"doJumpId":     seq,
		"frame":        int(it.Frame),
		"params": []any{qgcParam(it.Param1), qgcParam(it.Param2), qgcParam(it.Param3), qgcParam(it.Param4),
			qgcParam(it.X), qgcParam(it.Y), qgcParam(it.Z)},
		"type": "SimpleItem",
	}
	if visual && it.IsGlobal() {
		mode := 1 // relative
		switch it.Frame {
		case FrameGlobal:
			mode = 2
		case FrameGlobalTerrainAlt:
			mode = 4 // QGroundControl's AltitudeModeTerrainFrame
		}
		m["AMSLAltAboveTerrain"] = nil
		m["Altitude"] = qgcParam(it.Z)
		m["AltitudeMode"] = mode
	}
	return m
}

// qgcTransectItem writes a survey or corridor as QGroundControl's complex item, with its
// expanded items, and returns how many items it expands to.
func qgcTransectItem(p *Plan, it PlanItem, seq int, opt ExpandOptions) (map[string]any, int, error) {
	exp, err := p.expandAlone(it.(complexItem), opt)
	if err != nil {
		return nil, 0, err
	}
	inner := make([]any, len(exp))
	for i, e := range exp {
		inner[i] = qgcSimpleItem(e, seq+i, false)
	}
	ts := transectStyleOf(it)
	var visual []orb.Point
	var crosshatch bool
	obj := map[string]any{"type": "ComplexItem"}
	switch c := it.(type) {
	case *Survey:
		if len(c.Items) == 0 { // the path the items were made from
			visual, _ = c.Path()
		}
		crosshatch = c.Crosshatch
		obj["complexItemType"] = "survey"
		obj["version"] = 5
		obj["angle"] = c.AngleDeg
		obj["entryLocation"] = int(c.Entry)
		obj["flyAlternateTransects"] = c.FlyAlternate
		obj["splitConcavePolygons"] = true
		obj["polygon"] = latLons(openRing(c.Polygon))
	case *Corridor:
		if len(c.Items) == 0 {
			visual, _ = c.Path()
		}
		obj["complexItemType"] = "CorridorScan"
		obj["version"] = 3
		obj["CorridorWidth"] = c.WidthM
		obj["EntryPoint"] = c.Entry
		obj["polyline"] = latLons(c.Line)
	}
	if visual == nil {
		for _, e := range exp {
			if pt, ok := missionItemPoint(e); ok && e.Command == CmdNavWaypoint {
				visual = append(visual, pt)
			}
		}
	}
	shots := 0
	if s, ok := it.(*Survey); ok {
		shots = s.CameraShots()
	}
	obj["TransectStyleComplexItem"] = map[string]any{
		"version":                   2,
		"CameraCalc":                qgcCameraCalc(ts),
		"CameraShots":               shots,
		"CameraTriggerInTurnAround": ts.TriggerInTurnaround,
		"HoverAndCapture":           ts.Trigger == TriggerWaypoint,
		"Refly90Degrees":            crosshatch,
		"TurnAroundDistance":        ts.TurnaroundM,
		"VisualTransectPoints":      latLons(visual),
		"Items":                     inner,
	}
	return obj, len(exp), nil
}

func qgcCameraCalc(ts *TransectStyle) map[string]any {
	c := ts.Calc
	trigger := c.TriggerDistM
	if ts.Trigger == TriggerNone {
		trigger = 0
	}
	mode := ts.AltMode
	if mode == 0 {
		mode = AltRelative
	}
	m := map[string]any{
		"version":                  2,
		"AdjustedFootprintFrontal": trigger,
		"AdjustedFootprintSide":    c.SpacingM,
		"DistanceToSurface":        c.AltM,
		"DistanceMode":             int(mode),
		"CameraName":               qgcManualCamera,
	}
	if c.Camera != nil {
		cam := c.Camera
		m["CameraName"] = cam.Name
		m["SensorWidth"] = cam.SensorWidthMM
		m["SensorHeight"] = cam.SensorHeightMM
		m["ImageWidth"] = cam.ImageWidthPx
		m["ImageHeight"] = cam.ImageHeightPx
		m["FocalLength"] = cam.FocalLengthMM
		m["Landscape"] = cam.Landscape
		m["FixedOrientation"] = cam.FixedOrientation
		m["MinTriggerInterval"] = cam.MinTriggerIntervalS
		m["ValueSetIsDistance"] = !c.AltFromGSD
		m["ImageDensity"] = c.GSDcm
		m["FrontalOverlap"] = c.FrontOverlapPct
		m["SideOverlap"] = c.SideOverlapPct
	}
	return m
}
