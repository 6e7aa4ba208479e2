package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// ParamsView is the parameters page: pick a vehicle, read all its parameters, search them
// as you type, change one behind a confirmation and see the value the vehicle confirmed,
// save them to a file, or load a file: its differences from the vehicle are shown and only
// the ticked ones are written. Nothing here blocks the window: transfers run beside it and
// report through fyne.Do.
type ParamsView struct {
	// Confirm asks the operator before anything is written to a vehicle, and calls yes only
	// on yes. It defaults to a dialog on the window.
	Confirm func(title, message string, yes func())

	st  *gcs.Station
	win fyne.Window

	vehicle  *widget.Select
	refresh  *widget.Button
	save     *widget.Button
	load     *widget.Button
	progress *widget.ProgressBar
	search   *widget.Entry
	count    *widget.Label
	table    *widget.Table
	report   *reportBox
	obj      fyne.CanvasObject

	// State, on Fyne's goroutine.
	sysID  uint8       // the vehicle params belong to; 0 before the first read
	params []gcs.Param // sorted by name
	shown  []int       // indices into params matching the search
	busy   bool
	done   [2]int     // the progress bar's count: done, total
	diff   *paramDiff // the file being loaded, while its differences are shown

	ctx    context.Context
	cancel context.CancelFunc
	jobs   sync.WaitGroup // transfers under way, for tests
}

// NewParamsView builds the parameters page for st's vehicles; dialogs open on win.
func NewParamsView(st *gcs.Station, win fyne.Window) *ParamsView {
	v := &ParamsView{st: st, win: win, Confirm: dialogConfirm(win)}
	v.ctx, v.cancel = context.WithCancel(context.Background())
	v.vehicle = widget.NewSelect(nil, nil)
	v.vehicle.PlaceHolder = "(no vehicle)"
	v.refresh = widget.NewButton("Refresh", v.Refresh)
	v.save = widget.NewButton("Save to file…", v.chooseSaveFile)
	v.load = widget.NewButton("Load file…", v.chooseLoadFile)
	v.progress = widget.NewProgressBar()
	v.progress.TextFormatter = func() string {
		if v.done[1] == 0 {
			return ""
		}
		return fmt.Sprintf("%d of %d", v.done[0], v.done[1])
	}
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Search parameters (e.g. WPNAV, BATT_)")
	v.search.OnChanged = func(string) { v.filter() }
	v.count = widget.NewLabel("")
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.shown), 3 },
		func() fyne.CanvasObject { return widget.NewLabel("WPNAV_SPEED_DN__") },
		v.updateCell,
	)
	v.table.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("Value") }
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		l.TextStyle.Bold = true
		if id.Row >= 0 {
			l.SetText("") // no row numbers
			return
		}
		l.SetText([...]string{"Name", "Value", "Type"}[id.Col])
	}
	v.table.ShowHeaderColumn = false
	v.table.SetColumnWidth(0, 220)
	v.table.SetColumnWidth(1, 160)
	v.table.SetColumnWidth(2, 90)
	v.table.OnSelected = func(id widget.TableCellID) {
		v.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(v.shown) {
			v.askEdit(v.params[v.shown[id.Row]])
		}
	}
	v.report = newReportBox(90)
	v.setBusy(false)
	v.UpdateVehicles()
	v.vehicle.OnChanged = func(string) { v.vehicleChosen() }

	top := container.NewVBox(
		container.NewBorder(nil, nil,
			container.NewHBox(widget.NewLabel("Vehicle"), v.vehicle, v.refresh),
			container.NewHBox(v.save, v.load), v.progress),
		container.NewBorder(nil, nil, nil, v.count, v.search),
	)
	v.obj = container.NewBorder(top, v.report.scroll, nil, nil, v.table)
	return v
}

// Object is the page's content.
func (v *ParamsView) Object() fyne.CanvasObject { return v.obj }

// Close abandons the transfers under way.
func (v *ParamsView) Close() { v.cancel() }

// Wait blocks until the transfers under way have ended. Do not call it on Fyne's
// goroutine, which they report through.
func (v *ParamsView) Wait() { v.jobs.Wait() }

// UpdateVehicles refreshes the vehicle choice from the fleet; with a single vehicle, it is
// chosen. Call it on Fyne's goroutine.
func (v *ParamsView) UpdateVehicles() {
	ids := vehicleIDs(v.st.Fleet.Vehicles())
	opts := make([]string, len(ids))
	for i, id := range ids {
		opts[i] = vehicleName(id)
	}
	v.vehicle.SetOptions(opts)
	if v.vehicle.Selected == "" && len(opts) == 1 {
		v.vehicle.SetSelected(opts[0])
	}
}

// SelectIfNone chooses vehicle id when the operator has not chosen one (the window passes
// the vehicle its toolbar commands).
func (v *ParamsView) SelectIfNone(id uint8) {
	if v.vehicle.Selected == "" && id != 0 && slices.Contains(v.vehicle.Options, vehicleName(id)) {
		v.vehicle.SetSelected(vehicleName(id))
	}
}

// vehicleChosen empties the table when another vehicle is chosen: what it shows must never
// look like the chosen vehicle's parameters when it is not.
func (v *ParamsView) vehicleChosen() {
	id, ok := v.selectedVehicle()
	if !ok || id == v.sysID || len(v.params) == 0 {
		return
	}
	v.sysID, v.params = 0, nil
	v.filter()
	v.setBusy(v.busy)
	v.report.add(fmt.Sprintf("Press Refresh to read vehicle %d's parameters.", id), false)
}

func (v *ParamsView) selectedVehicle() (uint8, bool) {
	var id uint8
	if _, err := fmt.Sscanf(v.vehicle.Selected, "Vehicle %d", &id); err != nil || id == 0 {
		return 0, false
	}
	return id, true
}

func (v *ParamsView) setBusy(busy bool) {
	v.busy = busy
	for _, b := range []*widget.Button{v.refresh, v.save, v.load} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if busy {
		v.vehicle.Disable() // the answers belong to the vehicle asked
	} else {
		v.vehicle.Enable()
	}
	if !busy && len(v.params) == 0 {
		v.save.Disable()
		v.load.Disable()
	}
}

// Refresh reads all the chosen vehicle's parameters, with the progress bar moving as they
// arrive. Call it on Fyne's goroutine; it returns at once.
func (v *ParamsView) Refresh() {
	v.UpdateVehicles()
	if v.busy {
		return
	}
	id, ok := v.selectedVehicle()
	if !ok {
		v.report.add("Choose a vehicle first: none is connected or chosen.", true)
		return
	}
	v.setBusy(true)
	v.setProgress(0, 0)
	v.run(func() {
		ps, err := v.st.Params(v.ctx, id, func(done, total int) {
			if total > 0 {
				fyne.Do(func() { v.setProgress(done, total) })
			}
		})
		fyne.Do(func() {
			defer v.setBusy(false)
			if err != nil {
				v.report.add(fmt.Sprintf("Reading vehicle %d's parameters failed: %v", id, err), true)
				return
			}
			slices.SortFunc(ps, func(a, b gcs.Param) int { return strings.Compare(a.Name, b.Name) })
			v.sysID, v.params = id, ps
			v.setProgress(len(ps), len(ps))
			v.filter()
			v.report.add(fmt.Sprintf("Vehicle %d: %d parameters read.", id, len(ps)), false)
		})
	})
}

// setProgress moves the progress bar to done of total.
func (v *ParamsView) setProgress(done, total int) {
	v.done = [2]int{done, total}
	if total == 0 {
		v.progress.SetValue(0)
		return
	}
	v.progress.SetValue(float64(done) / float64(total))
}

// run does work beside Fyne's goroutine; the work reports through fyne.Do.
func (v *ParamsView) run(work func()) {
	v.jobs.Add(1)
	go func() {
		defer v.jobs.Done()
		work()
	}()
}

// filter shows the parameters whose name holds the search text, ignoring case.
func (v *ParamsView) filter() {
	q := strings.ToUpper(strings.TrimSpace(v.search.Text))
	v.shown = v.shown[:0]
	for i, p := range v.params {
		if strings.Contains(strings.ToUpper(p.Name), q) {
			v.shown = append(v.shown, i)
		}
	}
	if q == "" || len(v.params) == 0 {
		v.count.SetText(fmt.Sprintf("%d parameters", len(v.params)))
	} else {
		v.count.SetText(fmt.Sprintf("%d of %d", len(v.shown), len(v.params)))
	}
	v.table.Refresh()
}

// Shown returns the names of the parameters the table shows, in order.
func (v *ParamsView) Shown() []string {
	names := make([]string, len(v.shown))
	for i, j := range v.shown {
		names[i] = v.params[j].Name
	}
	return names
}

func (v *ParamsView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row < 0 || id.Row >= len(v.shown) {
		l.SetText("")
		return
	}
	p := v.params[v.shown[id.Row]]
	switch id.Col {
	case 0:
		l.SetText(p.Name)
	case 1:
		l.SetText(gcs.FormatParamValue(p))
	case 2:
		l.SetText(p.Type.String())
	}
}

func (v *ParamsView) param(name string) (gcs.Param, int, bool) {
	i, ok := slices.BinarySearchFunc(v.params, name, func(p gcs.Param, n string) int { return strings.Compare(p.Name, n) })
	if !ok {
		return gcs.Param{}, 0, false
	}
	return v.params[i], i, true
}

// askEdit opens the dialog where the operator types a parameter's new value.
func (v *ParamsView) askEdit(p gcs.Param) {
	if v.busy {
		return
	}
	e := widget.NewEntry()
	e.SetText(gcs.FormatParamValue(p))
	lo, hi, integer := p.Type.Range()
	hint := "a number"
	if p.Type == 0 {
		hint = "the type is unknown: a number"
	}
	if integer {
		hint = fmt.Sprintf("a whole number from %s to %s", formatWireValue(lo), formatWireValue(hi))
	}
	items := []*widget.FormItem{{Text: "New value", Widget: e, HintText: p.Type.String() + ": " + hint}}
	d := dialog.NewForm(fmt.Sprintf("%s on vehicle %d", p.Name, v.sysID), "Set…", "Cancel", items, func(ok bool) {
		if ok {
			v.Edit(p.Name, e.Text)
		}
	}, v.win)
	d.Show()
	v.win.Canvas().Focus(e)
}

// Edit asks the operator to confirm setting a parameter to the typed value, naming the
// vehicle, the parameter, the old and the new value, then sets it and reports the value the
// vehicle confirmed. A value the parameter cannot hold is reported without asking.
func (v *ParamsView) Edit(name, text string) {
	p, _, ok := v.param(name)
	if !ok {
		v.report.add(fmt.Sprintf("%s: vehicle %d has no such parameter.", name, v.sysID), true)
		return
	}
	nv, err := gcs.ParseParamValue(text, p.Type)
	if err != nil {
		v.report.add(fmt.Sprintf("%s not changed: %v", name, err), true)
		return
	}
	if gcs.SameParamValue(nv, p.Value) {
		v.report.add(fmt.Sprintf("%s is already %s on vehicle %d.", name, gcs.FormatParamValue(p), v.sysID), false)
		return
	}
	ch := gcs.ParamChange{Name: name, Old: p.Value, New: nv, Kind: gcs.ParamChanged}
	v.Confirm("Change a parameter",
		fmt.Sprintf("Set vehicle %d's %s from %s to %s?", v.sysID, name, gcs.FormatParamValue(p), formatNew(p, nv)),
		func() { v.write([]gcs.ParamChange{ch}) })
}

func formatNew(p gcs.Param, value float64) string {
	p.Value = value
	return gcs.FormatParamValue(p)
}

// write sets the changes one after the other and reports each answer: the value the
// vehicle confirmed, or in red what it kept or why nothing came back.
func (v *ParamsView) write(changes []gcs.ParamChange) {
	id := v.sysID
	if len(changes) == 0 {
		return
	}
	if v.busy {
		v.report.add(fmt.Sprintf("Nothing written: vehicle %d is busy with another transfer; try again when it ends.", id), true)
		return
	}
	v.setBusy(true)
	v.setProgress(0, len(changes))
	v.run(func() {
		written := 0
		for i, ch := range changes {
			got, err := v.st.SetParam(v.ctx, id, ch.Name, ch.New)
			ok := err == nil && gcs.SameParamValue(got.Value, ch.New)
			if ok {
				written++
			}
			fyne.Do(func() {
				v.setProgress(i+1, len(changes))
				v.answer(id, ch, got, err)
			})
			if v.ctx.Err() != nil {
				break
			}
		}
		fyne.Do(func() {
			if len(changes) > 1 {
				v.report.add(fmt.Sprintf("Vehicle %d confirmed %d of %d parameters.", id, written, len(changes)), written < len(changes))
			}
			v.setBusy(false)
		})
	})
}

// answer reports one set's outcome and keeps the table to what the vehicle holds.
func (v *ParamsView) answer(id uint8, ch gcs.ParamChange, got gcs.Param, err error) {
	if err != nil {
		v.report.add(fmt.Sprintf("%s not set to %s: %v", ch.Name, formatWireValue(ch.New), err), true)
		return
	}
	if id != v.sysID {
		return // the table shows another vehicle now
	}
	_, i, ok := v.param(ch.Name)
	if ok {
		v.params[i].Value = got.Value
		if got.Type != 0 {
			v.params[i].Type = got.Type
		}
		v.table.Refresh()
	}
	held := gcs.FormatParamValue(gcs.Param{Value: got.Value, Type: got.Type})
	if !gcs.SameParamValue(got.Value, ch.New) {
		v.report.add(fmt.Sprintf("%s: vehicle %d holds %s, not %s (it rounded or limited the value).",
			ch.Name, id, held, formatWireValue(ch.New)), true)
		return
	}
	v.report.add(fmt.Sprintf("%s = %s, confirmed by vehicle %d (was %s).", ch.Name, held, id, formatWireValue(ch.Old)), false)
}

func formatWireValue(x float64) string { return gcs.FormatParamValue(gcs.Param{Value: x}) }
