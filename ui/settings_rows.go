package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// vehicleRows edits a setting that has one value per vehicle (a stream URL, a camera): a
// row per vehicle with its system id, the value, and a button to remove it.
type vehicleRows struct {
	what     string // "video URL", for errors
	newValue func() (obj fyne.CanvasObject, get func() string, set func(string))
	box      *fyne.Container
	rows     []*vehicleRow
}

type vehicleRow struct {
	id  *widget.Entry
	get func() string
	set func(string)
	obj fyne.CanvasObject
}

func newVehicleRows(what string, newValue func() (fyne.CanvasObject, func() string, func(string))) *vehicleRows {
	return &vehicleRows{what: what, newValue: newValue, box: container.NewVBox()}
}

// object is the rows with an "Add" button below them.
func (r *vehicleRows) object() fyne.CanvasObject {
	add := widget.NewButtonWithIcon("Add a vehicle's "+r.what, theme.ContentAddIcon(), func() { r.add("", "") })
	return container.NewVBox(r.box, container.NewHBox(add))
}

func (r *vehicleRows) add(id, value string) *vehicleRow {
	row := &vehicleRow{id: widget.NewEntry()}
	row.id.SetPlaceHolder("id")
	row.id.SetText(id)
	var v fyne.CanvasObject
	v, row.get, row.set = r.newValue()
	row.set(value)
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	remove.OnTapped = func() {
		r.rows = slices.DeleteFunc(r.rows, func(x *vehicleRow) bool { return x == row })
		r.box.Remove(row.obj)
	}
	idBox := container.NewGridWrap(fyne.NewSize(70, row.id.MinSize().Height), row.id)
	row.obj = container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel("Vehicle"), idBox), remove, v)
	r.rows = append(r.rows, row)
	r.box.Add(row.obj)
	return row
}

// set replaces the rows with m's entries, in system id order.
func (r *vehicleRows) set(m map[uint8]string) {
	r.rows = nil
	r.box.RemoveAll()
	for _, id := range sortedKeys(m) {
		r.add(strconv.Itoa(int(id)), m[id])
	}
}

// values reads the rows; rows left empty are ignored. Errors name the row's problem.
func (r *vehicleRows) values() (map[uint8]string, error) {
	out := map[uint8]string{}
	for i, row := range r.rows {
		idText, value := strings.TrimSpace(row.id.Text), strings.TrimSpace(row.get())
		if idText == "" && value == "" {
			continue
		}
		id, err := strconv.Atoi(idText)
		if err != nil || id < 1 || id > 255 {
			return nil, fmt.Errorf("row %d: vehicle %q is not a system id (1-255)", i+1, idText)
		}
		if _, dup := out[uint8(id)]; dup {
			return nil, fmt.Errorf("row %d: vehicle %d has two rows", i+1, id)
		}
		out[uint8(id)] = value
	}
	return out, nil
}

func sortedKeys(m map[uint8]string) []uint8 {
	ids := make([]uint8, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
