package ui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// refreshPeriod is how often the window redraws from the station's snapshots.
const refreshPeriod = 200 * time.Millisecond

// Options are the window's optional parts.
type Options struct {
	// Home is where the map looks until the first vehicle reports its position.
	Home orb.Point
	// Export gives what "Export…" writes; by default the station's targets, incidents and
	// vehicles (the command line passes the record, which also has every detection).
	Export func() (gcs.Export, error)
	// Base draws the map's ground (tiles); nil is the built-in grid.
	Base MapBase
}

// MainWindow is the operator's window: the flight toolbar on top, the map with its layers in
// the middle, the video, targets, alerts and tether on the right, the vehicles strip and
// the pointer's coordinates below; other views (plan, parameters, settings, log) in tabs.
type MainWindow struct {
	Window   fyne.Window
	Map      *MapView
	Strip    *VehicleStrip
	Actions  *FlightActions
	Targets  *TargetsPane
	Alerts   *AlertsPane
	Aerostat *AerostatPanel

	st        *gcs.Station
	cmd       *Commander
	export    func() (gcs.Export, error)
	views     *container.AppTabs
	side      *container.AppTabs
	alertsTab *container.TabItem
	video     *fyne.Container
	editorBar *fyne.Container
	banner    *widget.Label
	coords    *widget.Label
	builder   *snapshotBuilder
	centred   bool

	goalsMu sync.Mutex
	goals   map[uint8]orb.Point // accepted fly-here and orbit points

	// OnRefresh, when set, is called on Fyne's goroutine after each redraw (other views
	// follow the fleet with it).
	OnRefresh func()

	// CoordText writes a point for the coordinates line (decimal degrees by default).
	CoordText func(orb.Point) string

	loop refresher
	// reads are the plan downloads under way; Close cancels and waits for them.
	reads       sync.WaitGroup
	cancelReads context.CancelFunc
}

// NewMainWindow builds the window on app for the station; Start begins drawing it.
func NewMainWindow(app fyne.App, st *gcs.Station, opt Options) *MainWindow {
	w := &MainWindow{
		Window:  app.NewWindow("Vigil"),
		Map:     NewMapView(opt.Home, 1),
		Strip:   NewVehicleStrip(),
		Targets: NewTargetsPane(),
		Alerts:  NewAlertsPane(),
		st:      st,
		export:  opt.Export,
		banner:  widget.NewLabel(""),
		coords:  widget.NewLabel(""),
		builder: newSnapshotBuilder(),
		video:   container.NewStack(widget.NewLabel("no video")),
	}
	if opt.Base != nil {
		w.Map.SetBase(opt.Base)
	}
	if w.export == nil {
		w.export = func() (gcs.Export, error) {
			return gcs.Export{Targets: st.Targets(), Incidents: st.Incidents(), Vehicles: st.Fleet.Vehicles()}, nil
		}
	}
	w.CoordText = func(p orb.Point) string { return fmtLatLon(p) }
	w.cmd = NewCommander(st, w.Window)
	w.goals = map[uint8]orb.Point{}
	w.cmd.OnAnswer = func(in gcs.Intent, _ string, ok bool) {
		if !ok || !in.Actuating() {
			return
		}
		w.goalsMu.Lock()
		defer w.goalsMu.Unlock()
		// The mark shows where the vehicle was sent; any other order replaces that errand.
		if in.Kind == gcs.IntentGoto || in.Kind == gcs.IntentOrbit {
			w.goals[in.SysID] = in.Point
		} else if in.Kind != gcs.IntentWinch {
			delete(w.goals, in.SysID)
		}
	}
	w.Actions = NewFlightActions(w.cmd)
	w.Aerostat = NewAerostatPanel(w.cmd)
	w.banner.Importance = widget.DangerImportance

	w.Map.OnHover = func(p orb.Point) { w.coords.SetText(w.CoordText(p)) }
	w.Map.OnSecondaryTap = func(p orb.Point, at fyne.Position) {
		widget.ShowPopUpMenuAtPosition(w.mapMenu(p), w.Window.Canvas(), at)
	}
	w.Targets.OnCentre = w.centreOn
	w.Targets.OnLook = func(p orb.Point) {
		w.cmd.Ask(gcs.Intent{SysID: w.Actions.Selected(), Kind: gcs.IntentLookAt, Point: p})
	}
	w.Targets.OnPromote = func(t gcs.Target) { w.askIncident(t.Point, &t) }
	w.Targets.OnExport = w.exportTargets
	w.Alerts.OnSelect = func(a gcs.Alert) { w.centreOnAlert(a) }
	w.Alerts.OnAcknowledge = func(id int64) {
		if _, err := w.st.AcknowledgeAlert(id); err != nil {
			w.cmd.show(err.Error(), widget.DangerImportance)
			return
		}
		w.Refresh()
	}

	w.editorBar = container.NewHBox()
	w.editorBar.Hide()
	mapArea := container.NewStack(w.Map, container.NewBorder(
		container.NewHBox(widget.NewButton("Layers", w.showLayers), w.editorBar), nil, nil, nil))
	w.alertsTab = container.NewTabItem("Alerts", w.Alerts.Object())
	w.side = container.NewAppTabs(
		container.NewTabItem("Targets", w.Targets.Object()),
		w.alertsTab,
		container.NewTabItem("Tether", w.Aerostat.Object()),
	)
	right := container.NewVSplit(w.video, w.side)
	right.Offset = 0.5
	fly := container.NewHSplit(mapArea, right)
	fly.Offset = 0.62
	w.views = container.NewAppTabs(container.NewTabItem("Fly", fly))
	top := container.NewVBox(w.Actions.Object(), container.NewBorder(nil, nil, nil, w.banner, w.cmd.Answer()))
	bottom := container.NewVBox(w.Strip.Object(), w.coords)
	w.Window.SetContent(container.NewBorder(top, bottom, nil, nil, w.views))
	w.Window.Resize(fyne.NewSize(1400, 860))
	return w
}

// AddView adds a view (plan, parameters, settings, log) as a tab beside "Fly".
func (w *MainWindow) AddView(name string, obj fyne.CanvasObject) {
	w.views.Append(container.NewTabItem(name, obj))
}

// SetVideo puts the video panel above the targets.
func (w *MainWindow) SetVideo(obj fyne.CanvasObject) {
	w.video.Objects = []fyne.CanvasObject{obj}
	w.video.Refresh()
}

// centreOnAlert shows the targets that raised an alert (or its zone).
func (w *MainWindow) centreOnAlert(a gcs.Alert) {
	var pts []orb.Point
	for _, t := range w.st.Targets() {
		if slices.Contains(a.Targets, t.ID) {
			pts = append(pts, t.Point)
		}
	}
	if len(pts) == 0 {
		for _, z := range w.st.Zones() {
			if z.Name == a.ZoneName && len(z.Polygon) > 0 {
				pts = append(pts, z.Polygon[0]...)
			}
		}
	}
	if len(pts) > 0 {
		w.centreOn(orb.MultiPoint(pts).Bound().Center())
	}
}

func (w *MainWindow) centreOn(p orb.Point) {
	_, mpp := w.Map.View()
	w.Map.SetView(p, mpp)
}

// setEditorBar shows what a map tool is doing, with Finish and Cancel; empty text hides it.
func (w *MainWindow) setEditorBar(text string, finish func()) {
	if text == "" {
		w.editorBar.Objects = nil
		w.editorBar.Hide()
		return
	}
	w.editorBar.Objects = []fyne.CanvasObject{
		widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewButton("Finish", finish),
		widget.NewButton("Cancel", func() {
			w.Map.SetEditor(nil)
			w.setEditorBar("", nil)
		}),
	}
	w.editorBar.Show()
	w.editorBar.Refresh()
}

// showLayers pops up a switch for each map layer.
func (w *MainWindow) showLayers() {
	shown := w.Map.Layers()
	box := container.NewVBox()
	for l := MapLayer(0); l < layerCount; l++ {
		c := widget.NewCheck(l.String(), func(on bool) { w.Map.ShowLayer(l, on) })
		c.SetChecked(shown[l])
		box.Add(c)
	}
	pop := widget.NewPopUp(box, w.Window.Canvas())
	pop.ShowAtRelativePosition(fyne.NewPos(0, 40), w.Map)
}

// Start redraws the window from the station every refresh period until Close. The
// snapshot is built on the loop's goroutine; only the widgets' update runs on Fyne's.
func (w *MainWindow) Start() {
	asked := map[uint8]bool{} // vehicles whose plan was asked for; the loop's own
	ctx, cancel := context.WithCancel(context.Background())
	w.cancelReads = cancel
	w.loop.start(refreshPeriod, func() {
		w.readPlans(ctx, asked)
		sv := w.read()
		snap := w.builder.build(sv, time.Now())
		fyne.Do(func() { w.apply(sv, snap) })
	})
}

// readPlans reads each new vehicle's mission, fence and rally points once, in the
// background, as QGroundControl does on connection: the map shows what the vehicle will fly
// even when another station uploaded it.
func (w *MainWindow) readPlans(ctx context.Context, asked map[uint8]bool) {
	for _, v := range w.st.Fleet.Vehicles() {
		if asked[v.SysID] || !v.Connected || w.st.Plan(v.SysID) != nil {
			continue
		}
		asked[v.SysID] = true
		w.reads.Add(1)
		go func(id uint8) {
			defer w.reads.Done()
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			if _, err := w.st.DownloadPlan(ctx, id, nil); err != nil && ctx.Err() == nil {
				fyne.Do(func() {
					w.cmd.show(fmt.Sprintf("vehicle %d's mission could not be read: %v", id, err), widget.DangerImportance)
				})
			}
		}(v.SysID)
	}
}

// Close stops the redrawing and the plan reads.
func (w *MainWindow) Close() {
	w.loop.close()
	if w.cancelReads != nil {
		w.cancelReads()
	}
	w.reads.Wait()
	w.cmd.Close()
}

// Refresh draws the station's state now when the refresh loop is not running (tests);
// while it runs, its next tick shows the change. Call it on Fyne's goroutine.
func (w *MainWindow) Refresh() {
	if w.loop.running() {
		return // the refresh loop owns the builder; its next tick shows the change
	}
	sv := w.read()
	w.apply(sv, w.builder.build(sv, time.Now()))
}

// read takes one snapshot of the station and of the window's own state.
func (w *MainWindow) read() stationView {
	sv := readStation(w.st)
	w.goalsMu.Lock()
	sv.goals = maps.Clone(w.goals)
	w.goalsMu.Unlock()
	return sv
}

// apply shows one snapshot. It runs on Fyne's goroutine.
func (w *MainWindow) apply(sv stationView, snap MapSnapshot) {
	if !w.centred {
		for _, v := range sv.vehicles {
			if v.PositionValid {
				w.centred = true
				w.Map.SetView(v.Position.Point, 1)
				break
			}
		}
	}
	w.Map.SetSnapshot(snap)
	w.Strip.Show(sv.vehicles)
	w.Actions.Show(sv.vehicles)
	w.Targets.Show(sv.targets)
	waiting := w.Alerts.Show(sv.alerts)
	title := "Alerts"
	w.banner.SetText("")
	if waiting > 0 {
		title = fmt.Sprintf("Alerts (%d)", waiting)
		w.banner.SetText(fmt.Sprintf("%d zone alert(s) wait for acknowledgement", waiting))
	}
	if w.alertsTab.Text != title {
		w.alertsTab.Text = title
		w.side.Refresh()
	}
	var sel gcs.Vehicle
	found := false
	for _, v := range sv.vehicles {
		if v.SysID == w.Actions.Selected() {
			sel, found = v, true
		}
	}
	w.Aerostat.Show(sel, found, time.Now())
	if w.OnRefresh != nil {
		w.OnRefresh()
	}
}
