package ui

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// PlanTool is what a click on the plan map does.
type PlanTool int

// Plan tools. Shapes are drawn by clicking their vertices; a polygon is finished by clicking
// its first vertex again (or Done), a corridor's line with Done, an orbit or fence circle by a
// second click that sets the radius.
const (
	ToolSelect PlanTool = iota
	ToolWaypoint
	ToolSurvey
	ToolCorridor
	ToolOrbit
	ToolPatrol
	ToolFencePolygon
	ToolFenceCircle
	ToolRally
	toolCount
)

var toolNames = [...]string{"Select / move", "Waypoint", "Survey area", "Corridor", "Orbit", "Patrol",
	"Fence polygon", "Fence circle", "Rally point"}

func (t PlanTool) String() string { return toolNames[t] }

// elemKind is what part of a plan an element is.
type elemKind int

const (
	elemNone elemKind = iota
	elemHome
	elemItem // Plan.Items[i]
	elemFencePolygon
	elemFenceCircle
	elemRally
)

// planElem names one editable element of the plan.
type planElem struct {
	kind elemKind
	i    int
}

// handleRadiusPx is how near (in Fyne units) a click must be to a vertex to take it.
const handleRadiusPx = 9

// PlanDefaults are what new items get.
type PlanDefaults struct {
	AltM           float64 // above home: waypoints, orbits, takeoff, rally points
	OrbitRadiusM   float64 // when the radius click is on the centre
	CorridorWidthM float64
	FenceInclusion bool // new fences keep the vehicle in (true) or out
	// Survey is the camera and lane settings of the next survey or corridor (the last one
	// edited), QGroundControl's defaults at first.
	Survey gcs.TransectStyle
}

// PlanEditor is the plan being edited and the tool on the map: it takes the map's clicks and
// drags (MapEditor) and draws the plan. Its methods run on Fyne's goroutine; OnChange is
// called after every change (structural when items were added, removed or replaced).
type PlanEditor struct {
	plan     *gcs.Plan
	tool     PlanTool
	drawing  []orb.Point // vertices clicked so far with a drawing tool
	selected planElem
	vertex   int // the selected vertex of the selected element, -1 none
	dragging bool
	Defaults PlanDefaults

	// rev counts changes; structRev counts changes to which elements exist.
	rev, structRev int
	analysis       *planAnalysis

	OnChange func(structural bool)
}

// NewPlanEditor returns an editor of an empty plan with home at home.
func NewPlanEditor(home orb.Point, homeAltMSLM float64) *PlanEditor {
	ts := gcs.TransectStyle{AltMode: gcs.AltRelative, TurnaroundM: 10, TriggerInTurnaround: true}
	ts.Calc = gcs.CameraCalc{AltM: 50, FrontOverlapPct: 70, SideOverlapPct: 70,
		SpacingM: gcs.DefaultShapeDefaults.SpacingM, TriggerDistM: gcs.DefaultShapeDefaults.TriggerDistM}
	return &PlanEditor{
		plan:   &gcs.Plan{Home: home, HomeAltMSLM: homeAltMSLM},
		vertex: -1,
		Defaults: PlanDefaults{AltM: 30, OrbitRadiusM: 50, CorridorWidthM: gcs.DefaultShapeDefaults.CorridorWidthM,
			FenceInclusion: true, Survey: ts},
	}
}

// Plan returns the plan being edited. Change it only through the editor.
func (e *PlanEditor) Plan() *gcs.Plan { return e.plan }

// SetPlan replaces the plan (opened from a file or read from a vehicle).
func (e *PlanEditor) SetPlan(p *gcs.Plan) {
	e.plan = p
	e.drawing, e.tool = nil, ToolSelect
	e.selected, e.vertex = planElem{}, -1
	e.changed(true)
}

// Tool returns the tool in use.
func (e *PlanEditor) Tool() PlanTool { return e.tool }

// SetTool picks the tool; a shape half drawn is dropped.
func (e *PlanEditor) SetTool(t PlanTool) {
	e.tool, e.drawing = t, nil
	e.changed(false)
}

// Drawing returns the vertices clicked so far with a drawing tool.
func (e *PlanEditor) Drawing() []orb.Point { return e.drawing }

// Selected returns the selected element.
func (e *PlanEditor) Selected() planElem { return e.selected }

// Select selects an element (and no vertex of it).
func (e *PlanEditor) Select(el planElem) {
	e.selected, e.vertex = el, -1
	e.changed(false)
}

func (e *PlanEditor) changed(structural bool) {
	e.rev++
	if structural {
		e.structRev++
	}
	if e.OnChange != nil {
		e.OnChange(structural)
	}
}

// Tapped implements MapEditor: a drawing tool adds a vertex; the select tool picks a vertex
// or an item.
func (e *PlanEditor) Tapped(p orb.Point, pr MapProjection) bool {
	near := func(a, b orb.Point) bool {
		ax, ay := pr.ToPx(a)
		bx, by := pr.ToPx(b)
		return math.Hypot(ax-bx, ay-by) <= handleRadiusPx*pr.Scale
	}
	switch e.tool {
	case ToolSelect:
		if el, v, ok := e.handleAt(p, pr); ok {
			e.selected, e.vertex = el, v
			e.changed(false)
			return true
		}
		if el, ok := e.elementAt(p, pr); ok {
			e.Select(el)
			return true
		}
		return false
	case ToolWaypoint:
		e.insertItem(gcs.SimpleItem{Item: gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavWaypoint,
			Autocontinue: true, X: p.Lat(), Y: p.Lon(), Z: e.Defaults.AltM}})
		return true
	case ToolRally:
		e.plan.Rally = append(e.plan.Rally, gcs.RallyPoint{Point: p, AltM: e.Defaults.AltM})
		e.selected, e.vertex = planElem{elemRally, len(e.plan.Rally) - 1}, -1
		e.changed(true)
		return true
	case ToolOrbit, ToolFenceCircle:
		if len(e.drawing) == 0 {
			e.drawing = []orb.Point{p}
			e.changed(false)
			return true
		}
		r := gcs.DistanceM(e.drawing[0], p)
		if near(e.drawing[0], p) {
			r = e.Defaults.OrbitRadiusM
		}
		c := e.drawing[0]
		e.drawing = nil
		if e.tool == ToolOrbit {
			e.insertItem(&gcs.Orbit{Center: c, RadiusM: r, AltM: e.Defaults.AltM, AltMode: gcs.AltRelative, Turns: 1, Clockwise: true})
		} else {
			e.plan.Fence.Circles = append(e.plan.Fence.Circles, gcs.FenceCircle{Inclusion: e.Defaults.FenceInclusion, Center: c, RadiusM: r})
			e.selected, e.vertex = planElem{elemFenceCircle, len(e.plan.Fence.Circles) - 1}, -1
			e.changed(true)
		}
		e.tool = ToolSelect
		return true
	case ToolSurvey, ToolPatrol, ToolFencePolygon, ToolCorridor:
		if e.tool != ToolCorridor && len(e.drawing) >= 3 && near(e.drawing[0], p) {
			_ = e.Finish() // three vertices or more always make a shape; its problems show on it
			return true
		}
		if n := len(e.drawing); n > 0 && near(e.drawing[n-1], p) {
			if e.tool == ToolCorridor && n >= 2 {
				_ = e.Finish() // the last point clicked again ends the line
			}
			return true
		}
		e.drawing = append(e.drawing, p)
		e.changed(false)
		return true
	}
	return false
}

// ErrTooFewVertices is returned by Finish for a shape with too few vertices.
var ErrTooFewVertices = errors.New("too few vertices")

// Finish ends the shape being drawn (the Done button) and selects it.
func (e *PlanEditor) Finish() error {
	pts := append([]orb.Point(nil), e.drawing...)
	want := 3
	if e.tool == ToolCorridor {
		want = 2
	}
	if len(pts) < want {
		return fmt.Errorf("%w: a %s needs at least %d points, %d clicked", ErrTooFewVertices, e.tool, want, len(pts))
	}
	ts := e.Defaults.Survey
	ts.Items = nil
	switch e.tool {
	case ToolSurvey:
		e.insertItem(&gcs.Survey{Polygon: pts, TransectStyle: ts, AutoAngle: true})
	case ToolCorridor:
		e.insertItem(&gcs.Corridor{Line: pts, WidthM: e.Defaults.CorridorWidthM, TransectStyle: ts})
	case ToolPatrol:
		e.insertItem(&gcs.Patrol{Polygon: pts, AltM: e.Defaults.AltM, AltMode: gcs.AltRelative, Loops: 1})
	case ToolFencePolygon:
		e.plan.Fence.Polygons = append(e.plan.Fence.Polygons, gcs.FencePolygon{Inclusion: e.Defaults.FenceInclusion, Vertices: pts})
		e.selected, e.vertex = planElem{elemFencePolygon, len(e.plan.Fence.Polygons) - 1}, -1
	default:
		return nil
	}
	e.drawing, e.tool = nil, ToolSelect
	e.changed(true)
	return nil
}

// insertItem puts a mission item after the selected one, or else before a closing RTL or
// land, or at the end. A first item gets a takeoff before it and a return to launch after
// it, so that a new plan flies as it is.
func (e *PlanEditor) insertItem(it gcs.PlanItem) {
	items := e.plan.Items
	if len(items) == 0 {
		items = []gcs.PlanItem{
			gcs.SimpleItem{Item: gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavTakeoff, Autocontinue: true, Z: e.takeoffAltM(it)}},
			gcs.SimpleItem{Item: gcs.MissionItem{Frame: gcs.FrameMission, Command: gcs.CmdNavReturnToLaunch, Autocontinue: true}},
		}
	}
	at := len(items)
	if e.selected.kind == elemItem && e.selected.i < len(items) && !endsMission(items[e.selected.i]) {
		at = e.selected.i + 1
	} else if at > 0 && endsMission(items[at-1]) {
		at--
	}
	items = append(items[:at], append([]gcs.PlanItem{it}, items[at:]...)...)
	e.plan.Items = items
	if e.plan.Home == (orb.Point{}) {
		e.plan.Home = itemHandles(it)[0]
	}
	e.selected, e.vertex = planElem{elemItem, at}, -1
	e.changed(true)
}

func (e *PlanEditor) takeoffAltM(it gcs.PlanItem) float64 {
	if s, ok := it.(*gcs.Survey); ok && s.Calc.Camera != nil {
		if c := s.Calc; c.Recalc() == nil {
			return c.AltM
		}
	}
	return e.Defaults.AltM
}

func endsMission(it gcs.PlanItem) bool {
	s, ok := it.(gcs.SimpleItem)
	return ok && (s.Item.Command == gcs.CmdNavReturnToLaunch || s.Item.Command == gcs.CmdNavLand)
}

// DeleteSelected removes the selected element (home cannot be removed).
func (e *PlanEditor) DeleteSelected() {
	el := e.selected
	p := e.plan
	switch el.kind {
	case elemItem:
		if el.i < len(p.Items) {
			p.Items = append(p.Items[:el.i], p.Items[el.i+1:]...)
		}
	case elemFencePolygon:
		if el.i < len(p.Fence.Polygons) {
			p.Fence.Polygons = append(p.Fence.Polygons[:el.i], p.Fence.Polygons[el.i+1:]...)
		}
	case elemFenceCircle:
		if el.i < len(p.Fence.Circles) {
			p.Fence.Circles = append(p.Fence.Circles[:el.i], p.Fence.Circles[el.i+1:]...)
		}
	case elemRally:
		if el.i < len(p.Rally) {
			p.Rally = append(p.Rally[:el.i], p.Rally[el.i+1:]...)
		}
	default:
		return
	}
	e.selected, e.vertex = planElem{}, -1
	e.changed(true)
}

// DeleteVertex removes the selected vertex of a polygon or corridor line, keeping at least
// three (two for a line).
func (e *PlanEditor) DeleteVertex() error {
	if e.vertex < 0 {
		return errors.New("no vertex selected: click one first")
	}
	pts, set, min := e.vertices(e.selected)
	if set == nil {
		return errors.New("this item has no vertices to delete")
	}
	if len(pts) <= min {
		return fmt.Errorf("%w: the shape keeps at least %d; delete the item instead", ErrTooFewVertices, min)
	}
	pts = append(append([]orb.Point(nil), pts[:e.vertex]...), pts[e.vertex+1:]...)
	set(pts)
	e.vertex = -1
	e.changed(false)
	return nil
}

// SecondaryTap deletes the vertex under a right click (within tolM metres), or, while
// drawing, the last vertex clicked. It reports whether it did anything.
func (e *PlanEditor) SecondaryTap(p orb.Point, tolM float64) bool {
	if n := len(e.drawing); n > 0 {
		e.drawing = e.drawing[:n-1]
		e.changed(false)
		return true
	}
	for _, el := range e.elements() {
		pts, set, _ := e.vertices(el)
		if set == nil {
			continue
		}
		for i, q := range pts {
			if gcs.DistanceM(p, q) <= tolM {
				e.selected, e.vertex = el, i
				return e.DeleteVertex() == nil
			}
		}
	}
	return false
}

// vertices returns the editable vertices of a polygon or line element, a setter, and the
// fewest it may keep; set is nil for other elements.
func (e *PlanEditor) vertices(el planElem) (pts []orb.Point, set func([]orb.Point), min int) {
	p := e.plan
	switch el.kind {
	case elemItem:
		if el.i >= len(p.Items) {
			return nil, nil, 0
		}
		switch it := p.Items[el.i].(type) {
		case *gcs.Survey:
			return it.Polygon, func(v []orb.Point) { it.Polygon, it.Items = v, nil }, 3
		case *gcs.Patrol:
			return it.Polygon, func(v []orb.Point) { it.Polygon = v }, 3
		case *gcs.Corridor:
			return it.Line, func(v []orb.Point) { it.Line, it.Items = v, nil }, 2
		}
	case elemFencePolygon:
		if el.i < len(p.Fence.Polygons) {
			fp := &p.Fence.Polygons[el.i]
			return fp.Vertices, func(v []orb.Point) { fp.Vertices = v }, 3
		}
	}
	return nil, nil, 0
}

// elements lists every element of the plan, home first.
func (e *PlanEditor) elements() []planElem {
	p := e.plan
	els := []planElem{{elemHome, 0}}
	for i := range p.Items {
		els = append(els, planElem{elemItem, i})
	}
	for i := range p.Fence.Polygons {
		els = append(els, planElem{elemFencePolygon, i})
	}
	for i := range p.Fence.Circles {
		els = append(els, planElem{elemFenceCircle, i})
	}
	for i := range p.Rally {
		els = append(els, planElem{elemRally, i})
	}
	return els
}

// DragStart implements MapEditor: a drag that starts on a vertex moves it.
func (e *PlanEditor) DragStart(p orb.Point, pr MapProjection) bool {
	if e.tool != ToolSelect {
		return false
	}
	el, v, ok := e.handleAt(p, pr)
	if !ok {
		return false
	}
	e.selected, e.vertex, e.dragging = el, v, true
	return true
}

// Drag implements MapEditor: the vertex follows the pointer and the item is planned again.
func (e *PlanEditor) Drag(p orb.Point) {
	if !e.dragging {
		return
	}
	e.moveHandle(e.selected, e.vertex, p)
	e.changed(false)
}

// DragEnd implements MapEditor.
func (e *PlanEditor) DragEnd() {
	if e.dragging {
		e.dragging = false
		e.changed(false) // what waited for the end of the drag (the list) follows now
	}
}
