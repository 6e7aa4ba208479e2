package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// ExportFormats are the writers the targets list exports with, by file extension.
var ExportFormats = map[string]func(io.Writer, gcs.Export) error{
	".geojson": gcs.WriteGeoJSON,
	".json":    gcs.WriteGeoJSON,
	".kml":     gcs.WriteKML,
	".csv":     gcs.WriteCSV,
	".cot":     func(w io.Writer, e gcs.Export) error { return gcs.WriteCoT(w, e, gcs.CoTConfig{}, time.Now()) },
}

// TargetsPane is the list of fused targets, newest first: click one to centre the map on it,
// point a camera at it, or promote it to an incident; export them all.
type TargetsPane struct {
	list     *widget.List
	selected int
	box      *fyne.Container

	mu    sync.Mutex
	shown []gcs.Target

	// OnCentre, OnLook and OnPromote act on the chosen target; OnExport writes them all.
	OnCentre  func(orb.Point)
	OnLook    func(orb.Point)
	OnPromote func(gcs.Target)
	OnExport  func()
}

// NewTargetsPane builds the pane.
func NewTargetsPane() *TargetsPane {
	p := &TargetsPane{selected: -1}
	p.list = widget.NewList(
		func() int {
			p.mu.Lock()
			defer p.mu.Unlock()
			return len(p.shown)
		},
		func() fyne.CanvasObject { return widget.NewLabel("T000 person ±00.0 m, 000 sightings, last 00:00:00") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if t, ok := p.at(i); ok {
				o.(*widget.Label).SetText(TargetLine(t))
			}
		},
	)
	p.list.OnSelected = func(i widget.ListItemID) {
		p.selected = i
		if t, ok := p.at(i); ok && p.OnCentre != nil {
			p.OnCentre(t.Point) // click a target: the map centres on it
		}
	}
	withTarget := func(fn func(gcs.Target)) func() {
		return func() {
			if t, ok := p.at(p.selected); ok && fn != nil {
				fn(t)
			}
		}
	}
	buttons := container.NewHBox(
		widget.NewButton("Look at", withTarget(func(t gcs.Target) { p.OnLook(t.Point) })),
		widget.NewButton("Promote to incident…", withTarget(func(t gcs.Target) { p.OnPromote(t) })),
		widget.NewButton("Export…", func() {
			if p.OnExport != nil {
				p.OnExport()
			}
		}),
	)
	p.box = container.NewBorder(nil, buttons, nil, nil, p.list)
	return p
}

// Object is the pane.
func (p *TargetsPane) Object() fyne.CanvasObject { return p.box }

func (p *TargetsPane) at(i int) (gcs.Target, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i < 0 || i >= len(p.shown) {
		return gcs.Target{}, false
	}
	return p.shown[i], true
}

// Show replaces the targets, newest first: what needs attention is at the top. The
// selection follows its target as new ones arrive above it.
func (p *TargetsPane) Show(ts []gcs.Target) {
	selID := int64(-1)
	if t, ok := p.at(p.selected); ok {
		selID = t.ID
	}
	shown := make([]gcs.Target, len(ts))
	for i, t := range ts {
		shown[len(ts)-1-i] = t
	}
	p.mu.Lock()
	p.shown = shown
	p.mu.Unlock()
	if selID >= 0 {
		for i, t := range shown {
			if t.ID == selID && i != p.selected {
				p.selected = i
				onSel := p.list.OnSelected
				p.list.OnSelected = nil // following the selection must not re-centre the map
				p.list.Select(i)
				p.list.OnSelected = onSel
			}
		}
	}
	p.list.Refresh()
}

// TargetLine is a target's row in the list.
func TargetLine(t gcs.Target) string {
	return fmt.Sprintf("T%d %s ±%.1f m, %d sightings, last %s", t.ID, t.Class, t.ErrorM, t.Sightings, t.LastSeen.Local().Format("15:04:05"))
}

// exportTargets asks where to write and writes the station's export there, the format from
// the file's extension.
func (w *MainWindow) exportTargets() {
	d := dialog.NewFileSave(func(f fyne.URIWriteCloser, err error) {
		if err != nil || f == nil {
			return
		}
		w.exportTo(f, f.URI().Path())
	}, w.Window)
	d.SetFileName("targets-" + time.Now().Format("20060102-1504") + ".geojson")
	d.Show()
}

// exportTo writes the export to f, the format from path's extension, away from the window's
// goroutine (a long mission's record takes a while), and says how it went.
func (w *MainWindow) exportTo(f io.WriteCloser, path string) {
	write, ok := ExportFormats[strings.ToLower(filepath.Ext(path))]
	if !ok {
		f.Close()
		dialog.ShowError(fmt.Errorf("%s: name the file .geojson, .kml, .csv or .cot to choose the format", filepath.Base(path)), w.Window)
		return
	}
	w.cmd.show("exporting to "+path+"…", widget.MediumImportance)
	w.cmd.async(func() {
		e, err := w.export()
		if err == nil {
			err = write(f, e)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(fmt.Errorf("exporting to %s: %w", path, err), w.Window)
				w.cmd.show("export failed: "+err.Error(), widget.DangerImportance)
				return
			}
			w.cmd.show(fmt.Sprintf("exported %d targets to %s", len(e.Targets), path), widget.SuccessImportance)
		})
	})
}
