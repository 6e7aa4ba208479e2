package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/vigil-gcs/vigil/gcs"
)

// planExtensions are the file names the plan view opens and saves (gcs.PlanFormatOf's).
var planExtensions = []string{".plan", ".waypoints", ".txt", ".mission", ".kml", ".geojson", ".json"}

// OpenPlan reads a plan file into the editor. Its error names the file and says what the
// parser found wrong.
func (v *PlanView) OpenPlan(name string, r io.Reader) error {
	f, err := gcs.PlanFormatOf(name)
	if err != nil {
		return err
	}
	p, err := gcs.ReadPlan(r, f, gcs.DefaultShapeDefaults)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	v.Editor.SetPlan(p)
	v.fitView(planPoints(p))
	v.setStatus(fmt.Sprintf("Opened %s: %d items.", filepath.Base(name), len(p.Items)))
	return nil
}

// SavePlan writes the plan in the format its name's extension says, and returns what the
// format could not hold.
func (v *PlanView) SavePlan(name string, w io.Writer) (notes []string, err error) {
	f, err := gcs.PlanFormatOf(name)
	if err != nil {
		return nil, err
	}
	opt := gcs.ExpandOptions{}
	if v.st != nil {
		opt.Ground = v.st.Ground
	}
	notes, err = gcs.WritePlan(w, f, v.Editor.plan, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	return notes, nil
}

func (v *PlanView) showOpen() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, v.win)
			return
		}
		if rc == nil {
			return // cancelled
		}
		defer rc.Close()
		if err := v.OpenPlan(rc.URI().Name(), rc); err != nil {
			dialog.ShowError(err, v.win)
		}
	}, v.win)
	d.SetFilter(storage.NewExtensionFileFilter(planExtensions))
	d.Show()
}

func (v *PlanView) showSave() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, v.win)
			return
		}
		if wc == nil {
			return // cancelled
		}
		notes, err := v.SavePlan(wc.URI().Name(), wc)
		cerr := wc.Close()
		if err == nil {
			err = cerr
		}
		if err != nil {
			_ = storage.Delete(wc.URI()) // no half-written or empty file left behind
			dialog.ShowError(err, v.win)
			return
		}
		v.setStatus("Saved " + wc.URI().Name() + ".")
		if len(notes) > 0 {
			dialog.ShowInformation("Saved, with notes", strings.Join(notes, "\n"), v.win)
		}
	}, v.win)
	d.SetFileName("plan.plan")
	d.Show()
}
