package main

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/ui"
)

// runGUI is the desktop app: `vigil run` with a window that draws it. Fyne's event loop
// runs on this (the main) goroutine; the station works beside it until the window closes.
func runGUI(ctx context.Context, args []string) error {
	return runStation(ctx, args, func(ctx context.Context, st *gcs.Station, video ui.VideoFeed, loop func(context.Context) error) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		a := app.NewWithID("org.vigil-gcs.vigil")
		home, _ := parseHome(defaultHome) // until the first vehicle: the map centres on it
		w := ui.NewMainWindow(a, ui.StationSource{Station: st}, orb.Point(home.Point))
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
