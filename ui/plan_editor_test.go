package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// Each tool makes its item from clicks on the map, selected and listed; deleting removes it.
func TestPlanViewTools(t *testing.T) {
	for _, c := range []struct {
		tool  PlanTool
		taps  [][2]float64
		done  bool
		check func(t *testing.T, p *gcs.Plan)
		title string
	}{
		{ToolWaypoint, [][2]float64{{100, 100}}, false, func(t *testing.T, p *gcs.Plan) {
			require.Len(t, p.Items, 3, "takeoff, the waypoint, return")
			it := p.Items[1].(gcs.SimpleItem).Item
			require.Equal(t, gcs.CmdNavWaypoint, it.Command)
			require.Equal(t, 30.0, it.Z)
		}, "2 Waypoint at 30 m"},
		{ToolOrbit, [][2]float64{{100, 100}, {100, 180}}, false, func(t *testing.T, p *gcs.Plan) {
			o := p.Items[1].(*gcs.Orbit)
			require.InDelta(t, 80, o.RadiusM, 1.5)
		}, "2 Orbit 80 m radius at 30 m"},
		{ToolCorridor, [][2]float64{{0, 0}, {100, 200}, {300, 200}}, true, func(t *testing.T, p *gcs.Plan) {
			c := p.Items[1].(*gcs.Corridor)
			require.Len(t, c.Line, 3)
			require.Equal(t, 50.0, c.WidthM)
		}, "2 Corridor 50 m wide, 3 points"},
		{ToolPatrol, [][2]float64{{0, 0}, {0, 200}, {200, 200}}, true, func(t *testing.T, p *gcs.Plan) {
			require.Len(t, p.Items[1].(*gcs.Patrol).Polygon, 3)
		}, "2 Patrol at 30 m, 3 corners"},
		{ToolFencePolygon, [][2]float64{{-300, -300}, {-300, 300}, {300, 300}, {300, -300}}, true, func(t *testing.T, p *gcs.Plan) {
			require.Empty(t, p.Items)
			require.Len(t, p.Fence.Polygons, 1)
			require.True(t, p.Fence.Polygons[0].Inclusion)
		}, "Fence 1: inclusion polygon, 4 vertices"},
		{ToolFenceCircle, [][2]float64{{0, 0}, {0, 0}}, false, func(t *testing.T, p *gcs.Plan) {
			require.Equal(t, 50.0, p.Fence.Circles[0].RadiusM, "a second click on the centre: the default radius")
		}, "Fence circle 1: inclusion, radius 50 m"},
		{ToolRally, [][2]float64{{-100, 0}}, false, func(t *testing.T, p *gcs.Plan) {
			require.Len(t, p.Rally, 1)
		}, "Rally point 1 at 30 m"},
	} {
		t.Run(c.tool.String(), func(t *testing.T) {
			f := newPlanFixture(t, nil, []gcs.Vehicle{vehicleAtHome()})
			f.useTool(c.tool)
			for _, tp := range c.taps {
				f.tap(tp[0], tp[1])
			}
			if c.done {
				test.Tap(f.v.done)
			}
			f.settle()
			p := f.v.Editor.Plan()
			c.check(t, p)
			require.Equal(t, c.title, f.v.elementTitle(f.v.Editor.Selected()), "the new item is selected")
			var titles []string
			for _, o := range f.v.list.Objects {
				if b, ok := o.(*widget.Button); ok {
					titles = append(titles, b.Text)
				}
			}
			require.Contains(t, titles, c.title)
			require.Empty(t, problemLabels(f.v))

			sel := f.v.Editor.Selected()
			before := len(f.v.Editor.elements())
			var del *widget.Button
			for _, o := range walk(f.v.form) {
				if b, ok := o.(*widget.Button); ok && b.Text == "Delete item" {
					del = b
				}
			}
			require.NotNil(t, del)
			test.Tap(del)
			f.settle()
			require.Len(t, f.v.Editor.elements(), before-1)
			require.NotEqual(t, sel, f.v.Editor.Selected())
		})
	}
}

// A survey keeps at least three vertices; a half-drawn shape is dropped by Cancel.
func TestPlanViewVertexLimits(t *testing.T) {
	f := newPlanFixture(t, nil, nil)
	f.useTool(ToolSurvey)
	f.tap(0, 0)
	f.tap(0, 100)
	test.Tap(f.v.done)
	require.Contains(t, f.v.status.Text, "a Survey area needs at least 3 points, 2 clicked")
	require.Len(t, f.v.Editor.Drawing(), 2)
	test.TapSecondary(f.v.Map)
	require.Len(t, f.v.Editor.Drawing(), 1, "a right click takes back the last vertex")
	f.useTool(ToolSelect)
	require.Empty(t, f.v.Editor.Drawing())

	s := f.drawSurvey([][2]float64{{0, 0}, {0, 100}, {100, 100}}, false)
	test.TapAt(f.v.Map, f.at(0, 100)) // select a vertex
	require.Equal(t, 1, f.v.Editor.vertex)
	require.ErrorIs(t, f.v.Editor.DeleteVertex(), ErrTooFewVertices)
	require.Len(t, s.Polygon, 3)
}
