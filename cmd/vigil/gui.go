package main

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/gcs/store"
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
	return runStation(ctx, args, func(ctx context.Context, st *gcs.Station, loop func(context.Context) error) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		a := app.NewWithID("org.vigil-gcs.vigil")
		home, _ := parseHome(defaultHome) // until the first vehicle: the map centres on it
		w := ui.NewMainWindow(a, st, ui.Options{Home: orb.Point(home.Point), Export: recordExport(st), Base: opt.base})
		w.Start()
		defer w.Close()
		errc := make(chan error, 1)
		go func() {
			errc <- loop(ctx)
			fyne.Do(a.Quit) // the station stopped (Ctrl-C, --for): close the window too
		}()
		w.Window.ShowAndRun()
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
