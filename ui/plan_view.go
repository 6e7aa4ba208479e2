package ui

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// PlanView is the plan editor: its own map with the plan drawn on it (click to draw, drag
// vertices to move them) and a side panel with the tools, the items and their problems,
// the selected item's settings with the survey's figures live, files, and the transfer to
// and from the selected vehicle. Transfers and the plan's analysis run on their own
// goroutines; widgets change only on Fyne's.
type PlanView struct {
	Map    *MapView
	Editor *PlanEditor

	// RunOnUI is how the view's goroutines hand work to Fyne's goroutine. It defaults to
	// fyne.Do; a test that acts as Fyne's goroutine sets its own before Start.
	RunOnUI func(func())

	st       *gcs.Station
	win      fyne.Window
	vehicles func() []gcs.Vehicle

	an       *analyser
	analysis *planAnalysis

	tool       *widget.Select
	fenceKind  *widget.RadioGroup
	done       *widget.Button
	hint       *widget.Label
	list       *fyne.Container
	form       *fyne.Container
	formErr    *widget.Label
	formTitle  *widget.Label
	formFor    planElem
	inForm     bool
	figures    *widget.Label
	planStats  *widget.Label
	vehicleSel *widget.Select
	upload     *widget.Button
	download   *widget.Button
	start      *widget.Button
	scroll     *container.Scroll
	progress   *widget.ProgressBar
	status     *widget.Label
	object     fyne.CanvasObject

	vs          []gcs.Vehicle
	sysIDs      []uint8
	centred     bool
	busy        bool
	uploadedRev int // the editor's rev when the plan was last uploaded or downloaded

	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	stop     chan struct{}
	stopOnce sync.Once
}

// NewPlanView returns the plan view of a station; vehicles lists the vehicles to upload to.
// Start brings it to life (the plan's analysis, the vehicles followed); Close stops
// everything the view started.
func NewPlanView(st *gcs.Station, win fyne.Window, vehicles func() []gcs.Vehicle) *PlanView {
	v := &PlanView{st: st, win: win, vehicles: vehicles, uploadedRev: -1}
	v.ctx, v.cancel = context.WithCancel(context.Background())
	vs := vehicles()
	home, homeAlt := orb.Point{}, 0.0
	centre := orb.Point{}
	for _, ve := range vs {
		if ve.Home != nil {
			home, homeAlt = ve.Home.Point, ve.Home.AltMSLM
		}
		if ve.PositionValid {
			centre = ve.Position.Point
			v.centred = true
			if ve.Home == nil {
				home = centre
			}
			break
		}
	}
	if centre == (orb.Point{}) {
		centre = home
	}
	v.Editor = NewPlanEditor(home, homeAlt)
	v.Editor.OnChange = v.editorChanged
	v.Map = NewMapView(centre, 1)
	v.Map.SetEditor(v.Editor)
	v.Map.OnSecondaryTap = func(p orb.Point, _ fyne.Position) {
		_, mpp := v.Map.View()
		if v.Editor.SecondaryTap(p, handleRadiusPx*mpp) {
			v.Map.Refresh()
		}
	}
	v.an = newAnalyser(func(a *planAnalysis) { v.runOnUI(func() { v.applyAnalysis(a) }) })
	v.build()
	v.showVehicles(vs)
	v.requestAnalysis()
	return v
}

// Object is the view's canvas object.
func (v *PlanView) Object() fyne.CanvasObject { return v.object }

// Start analyses the plan as it changes and follows the vehicles (the list to upload to,
// their positions on the map) until Close.
func (v *PlanView) Start() {
	v.startAnalysis()
	v.stop = make(chan struct{})
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		tick := time.NewTicker(refreshPeriod)
		defer tick.Stop()
		for {
			select {
			case <-v.stop:
				return
			case <-tick.C:
				vs := v.vehicles()
				v.runOnUI(func() { v.showVehicles(vs) })
			}
		}
	}()
}

// startAnalysis starts the analyser: the plan's path, problems and figures follow it.
func (v *PlanView) startAnalysis() {
	if v.RunOnUI == nil {
		v.RunOnUI = fyne.Do
	}
	v.an.start()
}

// runOnUI runs f on Fyne's goroutine.
func (v *PlanView) runOnUI(f func()) {
	if v.RunOnUI == nil {
		fyne.Do(f)
		return
	}
	v.RunOnUI(f)
}

// Status is the last sentence about files and transfers ("Vehicle 1 accepted the plan.").
func (v *PlanView) Status() string { return v.status.Text }

// Close stops the view's goroutines: a transfer under way is cancelled.
func (v *PlanView) Close() {
	v.stopOnce.Do(func() {
		v.cancel()
		if v.stop != nil {
			close(v.stop)
		}
		v.an.Close()
		v.wg.Wait()
	})
}

func (v *PlanView) build() {
	names := make([]string, toolCount)
	for t := range toolCount {
		names[t] = t.String()
	}
	v.hint = widget.NewLabel("")
	v.hint.Wrapping = fyne.TextWrapWord
	v.tool = widget.NewSelect(names, func(s string) {
		for t := range toolCount {
			if t.String() == s && v.Editor.Tool() != t {
				v.Editor.SetTool(t)
			}
		}
	})
	v.fenceKind = widget.NewRadioGroup([]string{"Inclusion", "Exclusion"}, func(s string) {
		v.Editor.Defaults.FenceInclusion = s != "Exclusion"
	})
	v.fenceKind.Horizontal = true
	v.fenceKind.SetSelected("Inclusion")
	v.done = widget.NewButton("Done", func() {
		if err := v.Editor.Finish(); err != nil {
			v.setStatus(err.Error())
		}
	})
	cancel := widget.NewButton("Cancel", func() { v.Editor.SetTool(ToolSelect) })

	v.list = container.NewVBox()
	v.form = container.NewVBox()
	v.formErr = widget.NewLabel("")
	v.formErr.Importance = widget.DangerImportance
	v.formErr.Wrapping = fyne.TextWrapWord
	v.figures = widget.NewLabel("")
	v.figures.Wrapping = fyne.TextWrapWord
	v.planStats = widget.NewLabel("")
	v.planStats.Wrapping = fyne.TextWrapWord

	v.vehicleSel = widget.NewSelect(nil, nil)
	v.vehicleSel.PlaceHolder = "(no vehicle)"
	v.upload = widget.NewButton("Upload", v.Upload)
	v.download = widget.NewButton("Download", v.Download)
	v.start = widget.NewButton("Start mission", v.StartMission)
	v.progress = widget.NewProgressBar()
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	open := widget.NewButton("Open…", v.showOpen)
	save := widget.NewButton("Save…", v.showSave)

	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	panel := container.NewVBox(
		bold("Vehicle"),
		container.NewBorder(nil, nil, nil, container.NewHBox(v.upload, v.download, v.start), v.vehicleSel),
		v.progress, v.status,
		container.NewHBox(open, save),
		bold("Draw"),
		v.tool, v.fenceKind, container.NewHBox(v.done, cancel), v.hint,
		bold("Plan"), v.planStats,
		v.list,
		bold("Selected"), v.form, v.formErr, v.figures,
		bold("New items"), v.defaultsForm(),
	)
	v.scroll = container.NewVScroll(panel)
	split := container.NewHSplit(v.Map, v.scroll)
	split.Offset = 0.66
	v.object = split
	v.syncTool()
	v.rebuildList()
	v.rebuildForm()
}

// editorChanged follows every change of the plan or the tool.
func (v *PlanView) editorChanged(structural bool) {
	v.requestAnalysis()
	v.Map.Refresh()
	if v.Editor.dragging && !structural {
		return // the list and the form follow when the drag ends: a long list is slow to build
	}
	v.syncTool()
	v.rebuildList()
	if !v.inForm { // not while typing in it: the entry would lose its place
		v.rebuildForm()
	}
}

func (v *PlanView) requestAnalysis() {
	e := v.Editor
	opt := gcs.ValidateOptions{Limits: gcs.DefaultVehicleLimits(v.selectedVehicle().Type == gcs.VehicleFixedWing)}
	if v.st != nil {
		opt.Ground = v.st.Ground
	}
	v.an.request(&analysisJob{plan: clonePlan(e.plan), opt: opt, rev: e.rev, structRev: e.structRev})
}

// applyAnalysis shows an analysis; one made before items were added or removed is dropped
// (its item numbers are not the plan's any more).
func (v *PlanView) applyAnalysis(a *planAnalysis) {
	if a.structRev != v.Editor.structRev {
		return
	}
	v.analysis, v.Editor.analysis = a, a
	if a.rev == v.Editor.rev {
		// The auto angle found is the survey's angle (shown, and saved in a .plan).
		for i, f := range a.figures {
			if s, ok := v.Editor.plan.Items[i].(*gcs.Survey); ok && s.AutoAngle {
				s.AngleDeg = f.AngleDeg
			}
		}
	}
	if !v.Editor.dragging {
		v.rebuildList()
	}
	v.showFigures()
	v.Map.Refresh()
}

// analysed reports whether the analysis shown is of the plan as it is now.
func (v *PlanView) analysed() bool {
	return v.analysis != nil && v.analysis.rev == v.Editor.rev
}

func (v *PlanView) syncTool() {
	t := v.Editor.Tool()
	if v.tool.Selected != t.String() {
		v.tool.SetSelected(t.String())
	}
	hints := map[PlanTool]string{
		ToolSelect:       "Click an item or a vertex to select it; drag a vertex to move it, click an edge's middle to add one, right-click a vertex to delete it.",
		ToolWaypoint:     "Click the map to add waypoints after the selected item.",
		ToolSurvey:       "Click the corners of the area; click the first again (or Done) to finish. Right-click removes the last.",
		ToolCorridor:     "Click along the corridor's centre line; click the last point again (or Done) to finish.",
		ToolOrbit:        "Click the centre, then a point on the circle.",
		ToolPatrol:       "Click the corners of the area to patrol round; click the first again (or Done) to finish.",
		ToolFencePolygon: "Click the corners of the fence; click the first again (or Done) to finish.",
		ToolFenceCircle:  "Click the centre, then a point on the circle.",
		ToolRally:        "Click the map to add rally points.",
	}
	text := hints[t]
	if n := len(v.Editor.Drawing()); n > 0 {
		text = fmt.Sprintf("%s (%d clicked)", text, n)
	}
	v.hint.SetText(text)
	if t == ToolSurvey || t == ToolCorridor || t == ToolPatrol || t == ToolFencePolygon {
		v.done.Enable()
	} else {
		v.done.Disable()
	}
}

// showVehicles follows the vehicles: the list to upload to, and where they are on the map.
func (v *PlanView) showVehicles(vs []gcs.Vehicle) {
	v.vs = vs
	var opts []string
	var ids []uint8
	snap := MapSnapshot{}
	for _, ve := range vs {
		opts = append(opts, vehicleName(ve.SysID))
		ids = append(ids, ve.SysID)
		if ve.PositionValid {
			snap.Vehicles = append(snap.Vehicles, MapVehicle{SysID: ve.SysID, Point: ve.Position.Point, HeadingDeg: ve.HeadingDeg, Home: homePoint(ve)})
		}
	}
	if fmt.Sprint(ids) != fmt.Sprint(v.sysIDs) {
		v.sysIDs = ids
		sel := v.vehicleSel.Selected
		v.vehicleSel.SetOptions(opts)
		if sel == "" && len(opts) > 0 {
			v.vehicleSel.SetSelected(opts[0])
		}
	}
	ve := v.selectedVehicle()
	if ve.SysID != 0 && len(v.Editor.plan.Items) == 0 && ve.Home != nil && v.Editor.plan.Home != ve.Home.Point {
		// Until something is planned, the plan starts where the vehicle's home is.
		v.Editor.plan.Home, v.Editor.plan.HomeAltMSLM = ve.Home.Point, ve.Home.AltMSLM
		v.Editor.changed(false)
	}
	if !v.centred && ve.PositionValid {
		v.centred = true
		_, mpp := v.Map.View()
		v.Map.SetView(ve.Position.Point, mpp)
	}
	v.Map.SetSnapshot(snap)
	v.updateButtons()
}

func homePoint(ve gcs.Vehicle) *orb.Point {
	if ve.Home == nil {
		return nil
	}
	p := ve.Home.Point
	return &p
}

// selectedVehicle returns the vehicle chosen to upload to (SysID 0 when none).
func (v *PlanView) selectedVehicle() gcs.Vehicle {
	if v.vehicleSel == nil {
		return gcs.Vehicle{}
	}
	for _, ve := range v.vs {
		if vehicleName(ve.SysID) == v.vehicleSel.Selected {
			return ve
		}
	}
	return gcs.Vehicle{}
}

func (v *PlanView) updateButtons() {
	ok := !v.busy && v.selectedVehicle().SysID != 0
	for _, b := range []*widget.Button{v.upload, v.download, v.start} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (v *PlanView) setStatus(s string) { v.status.SetText(s) }

// relayout lays the side panel out again after its contents changed size.
func (v *PlanView) relayout() {
	if v.scroll != nil {
		v.scroll.Content.Refresh()
		v.scroll.Refresh()
	}
}

// fitView centres the map on points and zooms so that they fill most of it.
func (v *PlanView) fitView(pts []orb.Point) {
	if len(pts) == 0 {
		return
	}
	b := orb.MultiPoint(pts).Bound()
	c := b.Center()
	n, e := gcs.NorthEastM(b.Min, b.Max)
	sz := v.Map.Size()
	w, h := float64(sz.Width), float64(sz.Height)
	if w < 100 || h < 100 {
		w, h = 800, 600
	}
	mpp := math.Max(math.Max(e/w, n/h)*1.25, 0.2)
	v.Map.SetView(c, mpp)
	v.centred = true
}

// planPoints are every point of the plan, for fitting the map to it.
func planPoints(p *gcs.Plan) []orb.Point {
	var pts []orb.Point
	if p.Home != (orb.Point{}) {
		pts = append(pts, p.Home)
	}
	for _, it := range p.Items {
		pts = append(pts, itemHandles(it)...)
	}
	for _, f := range p.Fence.Polygons {
		pts = append(pts, f.Vertices...)
	}
	for _, c := range p.Fence.Circles {
		pts = append(pts, c.Center)
	}
	for _, r := range p.Rally {
		pts = append(pts, r.Point)
	}
	return pts
}
