package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/assets"
	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/gcs/store"
	"github.com/vigil-gcs/vigil/mavlink"
	"github.com/vigil-gcs/vigil/ui"
)

// runGUI is the desktop app: `vigil run` with a window that draws it. Fyne's event loop
// runs on this (the main) goroutine; the station works beside it until the window closes.
func runGUI(ctx context.Context, args []string) error { return runGUIWith(ctx, args, guiOptions{}) }

// guiOptions are what a caller (the demo) adds to the window.
type guiOptions struct {
	base ui.MapBase // the map's ground, instead of the settings' tiles or the grid
}

func runGUIWith(ctx context.Context, args []string, opt guiOptions) error {
	return runStation(ctx, args, func(ctx context.Context, st *gcs.Station, video ui.VideoFeed, loop func(context.Context) error, settingsPath string) error {
		parentCtx := ctx
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		a := app.NewWithID("org.vigil-gcs.vigil")
		home, _ := parseHome(defaultHome) // until the first vehicle: the map centres on it
		base, closeBase, err := mapBase(opt.base, settingsPath)
		if err != nil {
			return err
		}
		defer closeBase()
		w := ui.NewMainWindow(a, st, ui.Options{Home: orb.Point(home.Point), Export: recordExport(st), Base: base})
		w.CoordText = coordText
		views := addViews(w, st, settingsPath, base)
		if tb, ok := base.(*ui.TileBase); ok {
			// A tile arrived: both maps draw their ground again.
			tb.SetOnChange(func() {
				fyne.Do(func() {
					w.Map.InvalidateBase()
					views.plan.Map.InvalidateBase()
				})
			})
		}
		panel := ui.NewVideoPanel(st, video)
		w.SetVideo(panel.Object())
		panel.Start()
		w.Start()
		defer w.Close()
		defer panel.Close()
		defer views.close()
		// The station stopping (--for, an error) closes the window; the window closing (by the
		// operator) stops the station. Ctrl-C and SIGTERM reach both: Fyne quits by itself
		// then, and a second Quit racing its shutdown would touch a GLFW already gone. Quit is
		// asked only while the window runs, for the other reasons.
		parent := parentCtx
		var quitMu sync.Mutex
		running := true
		errc := make(chan error, 1)
		go func() {
			errc <- loop(ctx)
			quitMu.Lock()
			defer quitMu.Unlock()
			if running && !errors.Is(parent.Err(), context.Canceled) {
				fyne.Do(a.Quit)
			}
		}()
		w.Window.ShowAndRun()
		quitMu.Lock()
		running = false
		quitMu.Unlock()
		cancel()
		return <-errc
	})
}

// recordExport exports from the mission record, which has every detection as well as the
// targets; nil (the station's own targets) when there is no record.
func recordExport(st *gcs.Station) func() (gcs.Export, error) {
	if rec, ok := st.Record.(*store.Store); ok {
		return rec.Export
	}
	return nil
}

// appViews are the window's other pages, started and stopped with it.
type appViews struct {
	plan   *ui.PlanView
	params *ui.ParamsView
	log    *ui.LogView
}

// addViews adds the plan, parameters, settings and log pages to the window.
func addViews(w *ui.MainWindow, st *gcs.Station, settingsPath string, base ui.MapBase) *appViews {
	v := &appViews{
		plan:   ui.NewPlanView(st, w.Window, st.Fleet.Vehicles),
		params: ui.NewParamsView(st, w.Window),
		log:    ui.NewLogView(ui.StationLogSource{Station: st}),
	}
	if base != nil {
		v.plan.Map.SetBase(base) // the plan is drawn on the same ground as the flight
	}
	cams, _ := gcs.ParseCameraCatalogue(assets.CamerasJSON) // embedded and tested: cannot fail
	settings := ui.NewSettingsView(settingsPath, cams, w.Window)
	settings.CheckLink = func(s string) error { _, err := mavlink.ParseConnection(s); return err }
	w.AddView("Plan", v.plan.Object())
	w.AddView("Parameters", v.params.Object())
	w.AddView("Log", v.log.Object())
	w.AddView("Settings", settings.Object())
	w.OnRefresh = func() {
		v.params.UpdateVehicles()
		v.params.SelectIfNone(w.Actions.Selected())
	}
	v.plan.Start()
	v.log.Start()
	return v
}

func (v *appViews) close() {
	v.plan.Close()
	v.params.Close()
	v.params.Wait()
	v.log.Close()
}

// mapBase is the map's ground: the caller's (the demo's world), else the settings' tiles or
// MBTiles file, else nil (the built-in grid).
func mapBase(given ui.MapBase, settingsPath string) (ui.MapBase, func(), error) {
	if given != nil {
		return given, func() {}, nil
	}
	settings, err := gcs.LoadSettings(settingsPath)
	if err != nil {
		return nil, nil, err
	}
	tb, err := ui.NewTileBase(ui.MapBaseOptions{Source: settings.MapSource, CacheDir: settings.MapCacheDir})
	if err != nil {
		return nil, nil, fmt.Errorf("map source %q: %w", settings.MapSource, err)
	}
	if tb == nil {
		return nil, func() {}, nil
	}
	return tb, tb.Close, nil
}

// coordText is the pointer's position as the operator reads it: decimal degrees and MGRS.
func coordText(p orb.Point) string {
	dd := fmt.Sprintf("%.6f, %.6f", p.Lat(), p.Lon())
	if m, err := gcs.MGRS(p, 5); err == nil {
		return dd + "   MGRS " + m
	}
	return dd
}
