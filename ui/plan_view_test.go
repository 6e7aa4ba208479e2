package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// uiQueue stands for Fyne's goroutine in tests: what other goroutines hand to fyne.Do is
// queued here and run by the test's goroutine when it pumps.
type uiQueue chan func()

func (q uiQueue) do(f func()) { q <- f }

// pump runs queued functions until cond holds.
func (q uiQueue) pump(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case f := <-q:
			f()
		case <-deadline:
			t.Fatalf("%s: not within 10 s", what)
		}
	}
}

type planFixture struct {
	t   *testing.T
	v   *PlanView
	q   uiQueue
	win fyne.Window
}

func newPlanFixture(t *testing.T, st *gcs.Station, vs []gcs.Vehicle) *planFixture {
	t.Helper()
	test.NewTempApp(t)
	q := make(uiQueue, 4096)
	if st == nil {
		st = &gcs.Station{Fleet: &gcs.Fleet{}}
	}
	win := test.NewTempWindow(t, nil)
	v := NewPlanView(st, win, func() []gcs.Vehicle { return vs })
	v.RunOnUI = q.do
	v.startAnalysis() // not Start: the tests give the vehicles themselves
	t.Cleanup(v.Close)
	win.SetContent(v.Object())
	win.Resize(fyne.NewSize(1400, 900))
	v.Map.SetView(home, 1)
	f := &planFixture{t: t, v: v, q: q, win: win}
	f.settle()
	return f
}

// settle waits until the analysis shown is of the plan as it is.
func (f *planFixture) settle() {
	f.t.Helper()
	f.q.pump(f.t, "plan analysed", f.v.analysed)
}

// at is where a ground point north and east of home is on the map.
func (f *planFixture) at(n, e float64) fyne.Position {
	x, y := f.v.Map.Projection().ToPx(gcs.OffsetNE(home, n, e))
	return fyne.NewPos(float32(x), float32(y))
}

func (f *planFixture) tap(n, e float64) { test.TapAt(f.v.Map, f.at(n, e)) }

func (f *planFixture) useTool(tool PlanTool) {
	f.v.tool.SetSelected(tool.String())
	require.Equal(f.t, tool, f.v.Editor.Tool())
}

// square are the corners of a 300 m × 200 m area north-east of home, in the order tapped.
var square = [][2]float64{{50, 50}, {250, 50}, {250, 350}, {50, 350}}

// drawSurvey taps the corners with the survey tool and finishes (first vertex or Done).
func (f *planFixture) drawSurvey(corners [][2]float64, byDone bool) *gcs.Survey {
	f.t.Helper()
	f.useTool(ToolSurvey)
	for _, c := range corners {
		f.tap(c[0], c[1])
	}
	require.Len(f.t, f.v.Editor.Drawing(), len(corners))
	if byDone {
		test.Tap(f.v.done)
	} else {
		f.tap(corners[0][0], corners[0][1])
	}
	require.Equal(f.t, ToolSelect, f.v.Editor.Tool(), "finishing goes back to selecting")
	f.settle()
	for _, it := range f.v.Editor.Plan().Items {
		if s, ok := it.(*gcs.Survey); ok {
			return s
		}
	}
	f.t.Fatal("no survey in the plan")
	return nil
}

// pickCamera chooses a camera in the selected survey's settings.
func (f *planFixture) pickCamera(name string) {
	f.t.Helper()
	for _, o := range walk(f.v.form) {
		if s, ok := o.(*widget.Select); ok && len(s.Options) > 2 && s.Options[0] == cameraManual {
			s.SetSelected(name)
			f.settle()
			return
		}
	}
	f.t.Fatal("no camera choice in the form")
}

// walk lists o and everything inside it, widgets' parts included.
func walk(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			out = append(out, walk(ch)...)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			out = append(out, walk(ch)...)
		}
	}
	return out
}

func problemLabels(v *PlanView) []string {
	var out []string
	for _, o := range v.list.Objects {
		if l, ok := o.(*widget.Label); ok && l.Importance == widget.DangerImportance {
			out = append(out, strings.TrimSpace(l.Text))
		}
	}
	return out
}

// hasColourNear reports whether a pixel next to (x, y) has colour c.
func hasColourNear(img image.Image, x, y float64, c color.RGBA) bool {
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if colourAt(img, int(math.Round(x))+dx, int(math.Round(y))+dy) == c {
				return true
			}
		}
	}
	return false
}

// drawMap renders the map at its size.
func drawMap(m *MapView) image.Image {
	sz := m.Size()
	return m.draw(int(sz.Width), int(sz.Height))
}

func vehicleAtHome() gcs.Vehicle {
	h := gcs.Position{Point: home, AltMSLM: 584}
	return gcs.Vehicle{SysID: 1, Connected: true, PositionValid: true, Position: h, Home: &h, Mode: "GUIDED"}
}

// coverage returns the largest distance from a point of the area to the nearest lane.
func coverage(t *testing.T, s *gcs.Survey) float64 {
	lanes, err := s.Lanes()
	require.NoError(t, err)
	ring := orb.Ring(append(append([]orb.Point(nil), s.Polygon...), s.Polygon[0]))
	worst := 0.0
	b := ring.Bound()
	for lat := b.Min.Lat(); lat <= b.Max.Lat(); lat += 0.00005 {
		for lon := b.Min.Lon(); lon <= b.Max.Lon(); lon += 0.00005 {
			p := orb.Point{lon, lat}
			if !ringContains(ring, p) {
				continue
			}
			best := math.Inf(1)
			for _, l := range lanes {
				best = math.Min(best, segmentDistanceM(l[0], l[1], p))
			}
			worst = math.Max(worst, best)
		}
	}
	return worst
}

// Drawing a polygon with the survey tool makes a survey whose lanes cover it, with a
// takeoff before it and a return after; the figures shown are the ones gcs computes for the
// camera chosen.
func TestPlanViewDrawSurvey(t *testing.T) {
	for _, byDone := range []bool{false, true} {
		t.Run(fmt.Sprintf("done button %v", byDone), func(t *testing.T) {
			f := newPlanFixture(t, nil, []gcs.Vehicle{vehicleAtHome()})
			s := f.drawSurvey(square, byDone)
			p := f.v.Editor.Plan()
			require.Len(t, p.Items, 3)
			require.Equal(t, gcs.CmdNavTakeoff, p.Items[0].(gcs.SimpleItem).Item.Command)
			require.Equal(t, gcs.CmdNavReturnToLaunch, p.Items[2].(gcs.SimpleItem).Item.Command)
			require.Len(t, s.Polygon, 4)
			for i, c := range square {
				n, e := gcs.NorthEastM(home, s.Polygon[i])
				require.InDelta(t, c[0], n, 1.5, "vertex %d", i+1)
				require.InDelta(t, c[1], e, 1.5, "vertex %d", i+1)
			}
			require.Equal(t, planElem{elemItem, 1}, f.v.Editor.Selected(), "the new survey is selected")
			require.Equal(t, home, p.Home, "home is the vehicle's")

			f.pickCamera("Sony ILCE-QX1")
			sv := clonePlan(p).Items[1].(*gcs.Survey)
			require.NoError(t, sv.Calc.Recalc())
			require.InDelta(t, 0, coverage(t, sv), sv.Calc.SpacingM/2+0.5, "every point of the area is within half a lane spacing of a lane")

			cams := cameraCatalogue()
			cam, ok := gcs.FindCamera(cams, "Sony ILCE-QX1")
			require.True(t, ok)
			want := gcs.CameraCalc{Camera: &cam, AltM: 50, FrontOverlapPct: 70, SideOverlapPct: 70}
			require.NoError(t, want.Recalc())
			shots := sv.CameraShots()
			require.Positive(t, shots)
			require.Contains(t, f.v.figures.Text, fmt.Sprintf("GSD %.2f cm/px at 50.0 m", want.GSDcm))
			require.Contains(t, f.v.figures.Text, fmt.Sprintf("Lanes %.1f m apart, a photo every %.1f m", want.SpacingM, want.TriggerDistM))
			require.Contains(t, f.v.figures.Text, fmt.Sprintf("%d photos", shots))
			st, err := clonePlan(p).Stats(gcs.ExpandOptions{}, 0)
			require.NoError(t, err)
			require.Contains(t, f.v.planStats.Text, fmt.Sprintf("%d mission items, %.2f km, about %s", st.Items, st.DistanceM/1000, st.Duration.Round(time.Second)))
			require.Contains(t, f.v.planStats.Text, fmt.Sprintf("%d photos", st.Photos))
			require.Empty(t, problemLabels(f.v))

			// The map shows the path: the first lane's start is drawn in the path colour.
			img := drawMap(f.v.Map)
			lanes, err := sv.Lanes()
			require.NoError(t, err)
			mid := orb.Point{(lanes[1][0][0] + lanes[1][1][0]) / 2, (lanes[1][0][1] + lanes[1][1][1]) / 2}
			x, y := f.v.Map.Projection().ToPx(mid)
			require.True(t, hasColourNear(img, x, y, planPath), "the second lane is drawn")
		})
	}
}

// Dragging a vertex moves it and plans the survey again; the figures follow.
func TestPlanViewDragVertex(t *testing.T) {
	f := newPlanFixture(t, nil, []gcs.Vehicle{vehicleAtHome()})
	f.drawSurvey(square, false)
	f.pickCamera("Sony ILCE-QX1")
	before := f.v.figures.Text
	areaBefore := f.v.analysis.figures[1].AreaM2

	from := f.at(250, 350)
	to := f.at(450, 550)
	f.v.Map.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.Delta{DX: to.X - from.X, DY: to.Y - from.Y}})
	f.v.Map.DragEnd()
	f.settle()

	s := f.v.Editor.Plan().Items[1].(*gcs.Survey)
	n, e := gcs.NorthEastM(home, s.Polygon[2])
	require.InDelta(t, 450, n, 1.5)
	require.InDelta(t, 550, e, 1.5)
	require.NotEqual(t, before, f.v.figures.Text)
	require.Greater(t, f.v.analysis.figures[1].Photos, 0)
	require.Greater(t, f.v.analysis.figures[1].AreaM2, areaBefore*1.2, "the area grew")
	require.InDelta(t, gcs.AreaM2(s.Polygon), f.v.analysis.figures[1].AreaM2, 1)
	sv := clonePlan(f.v.Editor.Plan()).Items[1].(*gcs.Survey)
	require.NoError(t, sv.Calc.Recalc())
	side, _ := sv.Calc.Camera.FootprintM(sv.Calc.GSDcm)
	require.Less(t, coverage(t, sv), side/2, "every point of the new area is in a photo")

	// A click on an edge's middle adds a vertex; a right click on it deletes it again.
	mid := f.at(50, 200)
	test.TapAt(f.v.Map, mid)
	require.Len(t, s.Polygon, 5)
	test.TapSecondaryAt(f.v.Map, mid)
	f.settle()
	require.Len(t, f.v.Editor.Plan().Items[1].(*gcs.Survey).Polygon, 4)
}

// A polygon that crosses itself is kept, drawn in red, with the reason under it in the
// list; uploading is refused until it is fixed.
func TestPlanViewCrossingPolygonShowsItsProblem(t *testing.T) {
	f := newPlanFixture(t, nil, []gcs.Vehicle{vehicleAtHome()})
	f.drawSurvey([][2]float64{{50, 50}, {250, 350}, {250, 50}, {50, 350}}, true)
	probs := problemLabels(f.v)
	require.Len(t, probs, 1)
	require.Contains(t, probs[0], "edge 1-2 crosses edge 3-4; the outline must not cross itself")
	require.Equal(t, "", f.v.analysis.itemErr[0], "the takeoff is fine")

	f.v.Editor.Select(planElem{elemHome, 0}) // the survey unselected is drawn in red
	f.settle()
	img := drawMap(f.v.Map)
	x, y := f.v.Map.Projection().ToPx(gcs.OffsetNE(home, 250, 200))
	require.Equal(t, planProblem, colourAt(img, int(math.Round(x)), int(math.Round(y))), "the survey's north edge is red")

	// Other items are still analysed: a fence that leaves home outside says so.
	f.useTool(ToolFenceCircle)
	f.tap(500, 500)
	f.tap(500, 550)
	f.settle()
	require.Contains(t, strings.Join(problemLabels(f.v), "\n"), "home is outside inclusion circle 1")
}

// A plan saved to a file opens again the same, in every format; a broken file says what is
// wrong with it and leaves the plan shown alone.
func TestPlanViewSaveOpen(t *testing.T) {
	for _, ext := range []string{".plan", ".geojson", ".kml"} {
		t.Run(ext, func(t *testing.T) {
			f := newPlanFixture(t, nil, []gcs.Vehicle{vehicleAtHome()})
			f.drawSurvey(square, false)
			f.pickCamera("Sony ILCE-QX1")
			f.useTool(ToolFenceCircle)
			f.tap(150, 200)
			f.tap(150, 700)
			f.useTool(ToolRally)
			f.tap(-50, -50)
			f.settle()
			require.Empty(t, problemLabels(f.v))
			wantStats := f.v.analysis.stats

			name := filepath.Join(t.TempDir(), "survey"+ext)
			out, err := os.Create(name)
			require.NoError(t, err)
			_, err = f.v.SavePlan(name, out)
			require.NoError(t, err)
			require.NoError(t, out.Close())

			g := newPlanFixture(t, nil, nil)
			in, err := os.Open(name)
			require.NoError(t, err)
			defer in.Close()
			require.NoError(t, g.v.OpenPlan(name, in))
			g.settle()
			p := g.v.Editor.Plan()
			var s *gcs.Survey
			at := 0
			for i, it := range p.Items {
				if sv, ok := it.(*gcs.Survey); ok {
					s, at = sv, i
				}
			}
			require.NotNil(t, s)
			require.Len(t, s.Polygon, 4)
			orig := f.v.Editor.Plan().Items[1].(*gcs.Survey)
			for i := range s.Polygon {
				require.InDelta(t, 0, gcs.DistanceM(orig.Polygon[i], s.Polygon[i]), 0.01)
			}
			require.Len(t, p.Fence.Circles, 1)
			require.InDelta(t, 500, p.Fence.Circles[0].RadiusM, 1)
			require.Len(t, p.Rally, 1)
			require.Equal(t, f.v.analysis.figures[1].Lanes, g.v.analysis.figures[at].Lanes)
			if ext == ".plan" { // map files keep only items with a position: no takeoff or return
				require.Equal(t, wantStats, g.v.analysis.stats)
				require.Equal(t, "Sony ILCE-QX1", s.Calc.Camera.Name)
			}
		})
	}

	f := newPlanFixture(t, nil, nil)
	f.drawSurvey(square, false)
	for _, c := range []struct{ name, data, want string }{
		{"broken.plan", `{"fileType": "Plan", "mission": {"items": [`, "broken.plan: "},
		{"area.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[149.1,-35.3],[149.2,-35.3]]]}}]}`, "area.geojson: "},
		{"notes.docx", "", "unknown plan format; want .plan, .waypoints, .kml or .geojson"},
	} {
		err := f.v.OpenPlan(c.name, strings.NewReader(c.data))
		require.Error(t, err, c.name)
		require.Contains(t, err.Error(), c.want)
		require.Len(t, f.v.Editor.Plan().Items, 3, "the plan shown stays")
	}
	var buf bytes.Buffer
	notes, err := f.v.SavePlan("x.waypoints", &buf)
	require.NoError(t, err)
	require.Contains(t, strings.Join(notes, "\n"), "survey is written as its waypoints")
}

// fakeLink is a vehicle link whose mission transfers the test controls.
type fakeLink struct {
	gcs.Link // other commands are not expected: calling one panics the test

	mu       sync.Mutex
	uploaded map[gcs.MissionType][]gcs.MissionItem
	gate     chan struct{} // when set, an upload stops half way until it is closed
	failWith error
	started  []uint8
}

func (l *fakeLink) UploadMission(ctx context.Context, sysID uint8, t gcs.MissionType, items []gcs.MissionItem, progress func(done, total int)) error {
	if l.failWith != nil {
		return l.failWith
	}
	for i := range items {
		if i == len(items)/2 && l.gate != nil && t == gcs.MissionTypeMission {
			select {
			case <-l.gate:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		progress(i+1, len(items))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.uploaded == nil {
		l.uploaded = map[gcs.MissionType][]gcs.MissionItem{}
	}
	l.uploaded[t] = items
	return nil
}

func (l *fakeLink) DownloadMission(ctx context.Context, sysID uint8, t gcs.MissionType, progress func(done, total int)) ([]gcs.MissionItem, error) {
	l.mu.Lock()
	items := l.uploaded[t]
	l.mu.Unlock()
	if items == nil {
		return nil, errors.New("vehicle 1 has no " + t.String())
	}
	for i := range items {
		progress(i+1, len(items))
	}
	return items, nil
}

func (l *fakeLink) StartMission(ctx context.Context, sysID uint8) (gcs.CommandReply, error) {
	l.mu.Lock()
	l.started = append(l.started, sysID)
	l.mu.Unlock()
	return gcs.CommandReply{Result: gcs.CommandAccepted}, nil
}

func stationWith(link gcs.Link, vs ...gcs.Vehicle) *gcs.Station {
	fleet := &gcs.Fleet{}
	for _, v := range vs {
		fleet.Update(v.SysID, func(x *gcs.Vehicle) { *x = v })
	}
	return &gcs.Station{Fleet: fleet, Link: link}
}

// tapDialogButton taps the button of the dialog on top of the window.
func tapDialogButton(t *testing.T, win fyne.Window, text string) string {
	t.Helper()
	top := win.Canvas().Overlays().Top()
	require.NotNil(t, top, "a dialog is shown")
	var msg []string
	var btn *widget.Button
	for _, o := range walk(top) {
		switch o := o.(type) {
		case *widget.Button:
			if o.Text == text {
				btn = o
			}
		case *widget.Label:
			msg = append(msg, o.Text)
		}
	}
	require.NotNil(t, btn, "a %q button in the dialog", text)
	test.Tap(btn)
	return strings.Join(msg, "\n")
}

// Upload shows its progress with the buttons disabled, then the vehicle's acceptance; a
// failing link shows its error. Start mission asks first, naming the vehicle.
func TestPlanViewUploadAndStart(t *testing.T) {
	link := &fakeLink{gate: make(chan struct{})}
	f := newPlanFixture(t, stationWith(link, vehicleAtHome()), []gcs.Vehicle{vehicleAtHome()})
	f.drawSurvey(square, false)
	f.pickCamera("Sony ILCE-QX1")
	require.Empty(t, problemLabels(f.v))
	want, err := clonePlan(f.v.Editor.Plan()).MissionItems(gcs.ExpandOptions{})
	require.NoError(t, err)

	require.False(t, f.v.upload.Disabled())
	test.Tap(f.v.upload)
	f.q.pump(t, "half uploaded", func() bool { return f.v.progress.Value >= 0.5 })
	require.Equal(t, fmt.Sprintf("Uploading to vehicle 1: %d of %d items", len(want)/2, len(want)), f.v.status.Text)
	require.InDelta(t, 0.5, f.v.progress.Value, 0.02)
	require.True(t, f.v.upload.Disabled(), "one transfer at a time")
	require.True(t, f.v.start.Disabled())
	close(link.gate)
	f.q.pump(t, "upload finished", func() bool { return !f.v.busy })
	require.Equal(t, "Vehicle 1 accepted the plan.", f.v.status.Text)
	require.Equal(t, 1.0, f.v.progress.Value)
	require.False(t, f.v.upload.Disabled())
	require.Len(t, link.uploaded[gcs.MissionTypeMission], len(want))

	test.Tap(f.v.start)
	msg := tapDialogButton(t, f.win, "Start mission")
	require.Contains(t, msg, "Start vehicle 1's mission (AUTO)?")
	require.Contains(t, msg, "not armed")
	require.NotContains(t, msg, "not what the vehicle has", "the plan shown is the one uploaded")
	f.q.pump(t, "mission started", func() bool { return !f.v.busy })
	require.Equal(t, []uint8{1}, link.started)
	require.Equal(t, "Start vehicle 1's mission (AUTO): accepted.", f.v.status.Text)

	// Read back: the vehicle's plan replaces the one shown, after asking.
	test.Tap(f.v.download)
	tapDialogButton(t, f.win, "Yes")
	f.q.pump(t, "downloaded", func() bool { return !f.v.busy })
	require.Contains(t, f.v.status.Text, "Read vehicle 1's plan")
	require.Len(t, f.v.Editor.Plan().Items, len(want)-1, "the mission as simple items")

	link.failWith = errors.New("no answer from vehicle 1 to MISSION_COUNT in 1.5s")
	test.Tap(f.v.upload)
	f.q.pump(t, "upload failed", func() bool { return !f.v.busy })
	require.Equal(t, "Upload to vehicle 1 failed: uploading the mission: no answer from vehicle 1 to MISSION_COUNT in 1.5s", f.v.status.Text)
	require.Equal(t, 0.0, f.v.progress.Value)
	require.False(t, f.v.upload.Disabled(), "free to try again")
}

// Without a vehicle there is nothing to upload to.
func TestPlanViewWithoutVehicle(t *testing.T) {
	f := newPlanFixture(t, nil, nil)
	require.True(t, f.v.upload.Disabled())
	require.True(t, f.v.start.Disabled())
	f.v.showVehicles([]gcs.Vehicle{vehicleAtHome()})
	require.Equal(t, "Vehicle 1", f.v.vehicleSel.Selected)
	require.False(t, f.v.upload.Disabled())
}

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

// formInput returns the input next to a label in the selected item's settings.
func (f *planFixture) formInput(label string) fyne.CanvasObject {
	f.t.Helper()
	for _, o := range f.v.form.Objects {
		if c, ok := o.(*fyne.Container); ok {
			for i := 0; i+1 < len(c.Objects); i += 2 {
				if l, ok := c.Objects[i].(*widget.Label); ok && l.Text == label {
					return c.Objects[i+1]
				}
			}
		}
	}
	f.t.Fatalf("no %q in the form", label)
	return nil
}

// Typing the altitude, overlaps or a field of view changes the figures at once, as gcs
// computes them; a value that cannot be is refused with the reason.
func TestPlanViewCameraSettingsLive(t *testing.T) {
	f := newPlanFixture(t, nil, []gcs.Vehicle{vehicleAtHome()})
	f.drawSurvey(square, false)
	f.pickCamera("Sony ILCE-QX1")
	cam, _ := gcs.FindCamera(cameraCatalogue(), "Sony ILCE-QX1")
	for _, c := range []struct {
		label, value string
		want         gcs.CameraCalc
	}{
		{"Altitude (m)", "100", gcs.CameraCalc{Camera: &cam, AltM: 100, FrontOverlapPct: 70, SideOverlapPct: 70}},
		{"Front overlap (%)", "80", gcs.CameraCalc{Camera: &cam, AltM: 100, FrontOverlapPct: 80, SideOverlapPct: 70}},
		{"Side overlap (%)", "60", gcs.CameraCalc{Camera: &cam, AltM: 100, FrontOverlapPct: 80, SideOverlapPct: 60}},
	} {
		f.formInput(c.label).(*widget.Entry).SetText(c.value)
		f.settle()
		require.NoError(t, c.want.Recalc())
		require.Contains(t, f.v.figures.Text, fmt.Sprintf("GSD %.2f cm/px at %.1f m", c.want.GSDcm, c.want.AltM), c.label)
		require.Contains(t, f.v.figures.Text, fmt.Sprintf("Lanes %.1f m apart, a photo every %.1f m", c.want.SpacingM, c.want.TriggerDistM), c.label)
	}
	f.formInput("Side overlap (%)").(*widget.Entry).SetText("100")
	require.Equal(t, "Side overlap (%): want 0 to under 100 %", f.v.formErr.Text)
	f.formInput("Altitude (m)").(*widget.Entry).SetText("fifty")
	require.Equal(t, `Altitude (m): "fifty" is not a number`, f.v.formErr.Text)

	// A camera given by its field of view: 90° across 4000 px at 100 m is 5 cm/px.
	f.formInput("Camera").(*widget.Select).SetSelected(cameraCustom)
	f.formInput("Field of view (°)").(*widget.Entry).SetText("90")
	f.formInput("Image width (px)").(*widget.Entry).SetText("4000")
	f.settle()
	require.Contains(t, f.v.figures.Text, "GSD 5.00 cm/px at 100.0 m")
	// The next survey gets the same camera.
	require.Equal(t, gcs.QGCCustomCameraName, f.v.Editor.Defaults.Survey.Calc.Camera.Name)
}
