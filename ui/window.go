package ui

import (
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// Source is what the window draws: the station's snapshots (gcs.Station and its Fleet
// provide them through StationSource).
type Source interface {
	Vehicles() []gcs.Vehicle
	Targets() []gcs.Target
}

// StationSource adapts a Station to Source.
type StationSource struct{ Station *gcs.Station }

// Vehicles returns the fleet's vehicles.
func (s StationSource) Vehicles() []gcs.Vehicle { return s.Station.Fleet.Vehicles() }

// Targets returns the fused targets.
func (s StationSource) Targets() []gcs.Target { return s.Station.Targets() }

// trailLength is how many past positions a vehicle's trail keeps (a minute at the refresh
// rate).
const trailLength = 300

// refreshPeriod is how often the window redraws from the snapshots.
const refreshPeriod = 200 * time.Millisecond

// MainWindow is the fly-and-watch window: the map in the middle, the targets on the right,
// the vehicles strip below, the pointer's coordinates on top.
type MainWindow struct {
	Window  fyne.Window
	Map     *MapView
	Strip   *VehicleStrip
	targets *widget.List
	status  *widget.Label

	src      Source
	mu       sync.Mutex
	shown    []gcs.Target
	trails   map[uint8][]orb.Point
	centred  bool
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// NewMainWindow builds the window on app; Start begins drawing from src.
func NewMainWindow(app fyne.App, src Source, home orb.Point) *MainWindow {
	w := &MainWindow{
		Window: app.NewWindow("Vigil"),
		Map:    NewMapView(home, 1),
		Strip:  NewVehicleStrip(),
		status: widget.NewLabel("Vigil"),
		src:    src,
		trails: map[uint8][]orb.Point{},
	}
	w.targets = widget.NewList(
		func() int {
			w.mu.Lock()
			defer w.mu.Unlock()
			return len(w.shown)
		},
		func() fyne.CanvasObject { return widget.NewLabel("T000 person ±00.0 m, 000 sightings") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			w.mu.Lock()
			defer w.mu.Unlock()
			if i < len(w.shown) {
				o.(*widget.Label).SetText(TargetLine(w.shown[i]))
			}
		},
	)
	w.targets.OnSelected = func(i widget.ListItemID) {
		w.mu.Lock()
		var p orb.Point
		ok := i < len(w.shown)
		if ok {
			p = w.shown[i].Point
		}
		w.mu.Unlock()
		if ok {
			_, mpp := w.Map.View()
			w.Map.SetView(p, mpp) // click a target: the map centres on it
		}
	}
	w.Map.OnHover = func(p orb.Point) {
		w.status.SetText(fmt.Sprintf("%.6f, %.6f", p[1], p[0]))
	}
	targetsPane := container.NewBorder(widget.NewLabelWithStyle("Targets (newest first)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, w.targets)
	split := container.NewHSplit(w.Map, targetsPane)
	split.Offset = 0.78
	w.Window.SetContent(container.NewBorder(w.status, w.Strip.Object(), nil, nil, split))
	w.Window.Resize(fyne.NewSize(1280, 800))
	return w
}

// TargetLine is a target's row in the list.
func TargetLine(t gcs.Target) string {
	return fmt.Sprintf("T%d %s ±%.1f m, %d sightings, last %s", t.ID, t.Class, t.ErrorM, t.Sightings, t.LastSeen.Local().Format("15:04:05"))
}

// Start redraws the window from the source every refresh period until Close.
func (w *MainWindow) Start() {
	w.stop, w.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(w.done)
		tick := time.NewTicker(refreshPeriod)
		defer tick.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-tick.C:
				vs, ts := w.src.Vehicles(), w.src.Targets()
				fyne.Do(func() { w.Update(vs, ts) })
			}
		}
	}()
}

// Close stops the redrawing.
func (w *MainWindow) Close() {
	w.stopOnce.Do(func() {
		if w.stop != nil {
			close(w.stop)
			<-w.done
		}
	})
}

// Update draws one snapshot. Call it on Fyne's goroutine.
func (w *MainWindow) Update(vs []gcs.Vehicle, ts []gcs.Target) {
	snap := MapSnapshot{}
	for _, v := range vs {
		if !v.PositionValid {
			continue
		}
		tr := append(w.trails[v.SysID], v.Position.Point)
		if len(tr) > trailLength {
			tr = tr[len(tr)-trailLength:]
		}
		w.trails[v.SysID] = tr
		_, alarms := VehicleLine(v)
		snap.Vehicles = append(snap.Vehicles, MapVehicle{
			SysID: v.SysID, Point: v.Position.Point, HeadingDeg: v.HeadingDeg,
			Trail: tr, Footprint: footprint(v), Alarm: len(alarms) > 0,
		})
		if !w.centred {
			w.centred = true
			w.Map.SetView(v.Position.Point, 0.5)
		}
	}
	// Newest first: what needs attention is at the top.
	shown := make([]gcs.Target, len(ts))
	for i, t := range ts {
		shown[len(ts)-1-i] = t
	}
	w.mu.Lock()
	w.shown = shown
	w.mu.Unlock()
	snap.Targets = ts
	w.Map.SetSnapshot(snap)
	w.Strip.Show(vs)
	w.targets.Refresh()
}

// footprint is the camera's view on level ground at home altitude, when the vehicle has told
// enough about its camera.
func footprint(v gcs.Vehicle) []orb.Point {
	if v.Camera == nil || v.Gimbal == nil || v.Home == nil {
		return nil
	}
	cam, err := gcs.CameraFromInfo(*v.Camera)
	if err != nil {
		return nil
	}
	fp, err := gcs.CameraFootprint(gcs.Pose{Position: v.Position, Attitude: v.Attitude}, *v.Gimbal, cam, gcs.FlatGround{AltMSLM: v.Home.AltMSLM})
	if err != nil {
		return nil
	}
	return fp.Corners[:]
}
