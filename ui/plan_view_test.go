package ui

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
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
