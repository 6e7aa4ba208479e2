package ui

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// paramFileExtensions are the files the parameters page opens and writes.
var paramFileExtensions = []string{".param", ".parm", ".params"}

// maxConfirmLines is how many changes a confirmation lists before "… and N more".
const maxConfirmLines = 12

func (v *ParamsView) chooseSaveFile() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.report.add(fmt.Sprintf("Saving: %v", err), true)
			return
		}
		if w == nil {
			return // cancelled
		}
		err = v.SaveFile(w.URI().Name(), w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			v.report.add(fmt.Sprintf("%s not saved: %v", w.URI().Name(), err), true)
			return
		}
		v.report.add(fmt.Sprintf("Vehicle %d's %d parameters saved to %s.", v.sysID, len(v.params), w.URI().Name()), false)
	}, v.win)
	d.SetFileName(fmt.Sprintf("vehicle%d.param", v.sysID))
	d.SetFilter(storage.NewExtensionFileFilter(paramFileExtensions))
	d.Show()
}

// SaveFile writes the vehicle's parameters as read (and as since confirmed) in the format
// name's extension says (.param, .parm or .params). Nothing is written when they cannot be.
func (v *ParamsView) SaveFile(name string, w io.Writer) error {
	if len(v.params) == 0 {
		return fmt.Errorf("no parameters read yet: press Refresh first")
	}
	var compID uint8 = 1
	if veh, ok := v.st.Fleet.Vehicle(v.sysID); ok && veh.CompID != 0 {
		compID = veh.CompID
	}
	var b bytes.Buffer
	if err := gcs.WriteParamFile(name, &b, v.params, v.sysID, compID); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (v *ParamsView) chooseLoadFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			v.report.add(fmt.Sprintf("Opening: %v", err), true)
			return
		}
		if r == nil {
			return
		}
		defer r.Close()
		v.LoadFile(r.URI().Name(), r)
	}, v.win)
	d.SetFilter(storage.NewExtensionFileFilter(paramFileExtensions))
	d.Show()
}

// LoadFile reads a parameter file and shows how it differs from the vehicle's parameters,
// each change ticked; the operator unticks what should stay and writes the rest after one
// confirmation. A file that cannot be read is reported with the reader's sentence.
func (v *ParamsView) LoadFile(name string, r io.Reader) {
	if len(v.params) == 0 {
		v.report.add("Press Refresh before loading a file: the vehicle's parameters are needed to compare.", true)
		return
	}
	file, err := gcs.ReadParamFile(name, r)
	if err != nil {
		msg := err.Error()
		if base := filepath.Base(name); !strings.HasPrefix(msg, base+":") {
			msg = base + ": " + msg
		}
		v.report.add(msg, true)
		return
	}
	d := newParamDiff(filepath.Base(name), v.sysID, gcs.DiffParams(v.params, file))
	if len(d.writable) == 0 {
		v.report.add(fmt.Sprintf("%s: nothing to write, vehicle %d already holds its values%s.", d.file, v.sysID, d.unknownNote()), false)
		return
	}
	v.diff = d
	d.dialog = dialog.NewCustomConfirm(fmt.Sprintf("Load %s into vehicle %d", d.file, v.sysID), "Write ticked…", "Cancel",
		d.object(), func(ok bool) {
			if ok {
				v.WriteTicked()
			} else {
				v.diff = nil
			}
		}, v.win)
	d.dialog.Resize(fyne.NewSize(560, 480))
	d.dialog.Show()
}

// WriteTicked asks once to write the ticked changes of the file being loaded, then writes
// them, reporting each answer.
func (v *ParamsView) WriteTicked() {
	d := v.diff
	v.diff = nil
	if d == nil {
		return
	}
	changes := d.ticked()
	if len(changes) == 0 {
		v.report.add(fmt.Sprintf("%s: nothing ticked, nothing written.", d.file), false)
		return
	}
	lines := make([]string, 0, maxConfirmLines+1)
	for i, ch := range changes {
		if i == maxConfirmLines {
			lines = append(lines, fmt.Sprintf("… and %d more", len(changes)-maxConfirmLines))
			break
		}
		lines = append(lines, ch.String())
	}
	v.Confirm("Write parameters",
		fmt.Sprintf("Write %d parameters from %s to vehicle %d?\n\n%s", len(changes), d.file, d.sysID, strings.Join(lines, "\n")),
		func() { v.write(changes) })
}

// paramDiff is a file's differences from the vehicle, with a tick per change that can be
// written.
type paramDiff struct {
	file      string
	sysID     uint8
	writable  []gcs.ParamChange
	checks    []*widget.Check
	unknown   []gcs.ParamChange // in the file, not on the vehicle
	notInFile int
	dialog    *dialog.ConfirmDialog
}

func newParamDiff(file string, sysID uint8, changes []gcs.ParamChange) *paramDiff {
	d := &paramDiff{file: file, sysID: sysID}
	for _, ch := range changes {
		switch ch.Kind {
		case gcs.ParamChanged:
			d.writable = append(d.writable, ch)
			c := widget.NewCheck(ch.String(), nil)
			c.SetChecked(true)
			d.checks = append(d.checks, c)
		case gcs.ParamOnlyInFile:
			d.unknown = append(d.unknown, ch)
		case gcs.ParamOnlyOnVehicle:
			d.notInFile++
		}
	}
	return d
}

func (d *paramDiff) ticked() []gcs.ParamChange {
	var out []gcs.ParamChange
	for i, c := range d.checks {
		if c.Checked {
			out = append(out, d.writable[i])
		}
	}
	return out
}

func (d *paramDiff) unknownNote() string {
	if len(d.unknown) == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d parameters of the file are not on the vehicle)", len(d.unknown))
}

func (d *paramDiff) setAll(on bool) {
	for _, c := range d.checks {
		c.SetChecked(on)
	}
}

func (d *paramDiff) object() fyne.CanvasObject {
	rows := container.NewVBox()
	for _, c := range d.checks {
		rows.Add(c)
	}
	for _, ch := range d.unknown {
		l := widget.NewLabel(ch.String())
		l.Importance = widget.WarningImportance
		rows.Add(l)
	}
	summary := fmt.Sprintf("%d values differ from vehicle %d's; untick those to keep.", len(d.writable), d.sysID)
	if d.notInFile > 0 {
		summary += fmt.Sprintf(" %d parameters of the vehicle are not in the file and stay as they are.", d.notInFile)
	}
	head := widget.NewLabel(summary)
	head.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(
		widget.NewButton("Tick all", func() { d.setAll(true) }),
		widget.NewButton("Untick all", func() { d.setAll(false) }))
	return container.NewBorder(container.NewVBox(head, buttons), nil, nil, nil, container.NewVScroll(rows))
}
