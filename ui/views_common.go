package ui

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// dialogConfirm asks the operator a yes/no question with a dialog on win, and calls yes
// only on yes.
func dialogConfirm(win fyne.Window) func(title, message string, yes func()) {
	return func(title, message string, yes func()) {
		dialog.ShowConfirm(title, message, func(ok bool) {
			if ok {
				yes()
			}
		}, win)
	}
}

// vehicleName is how the views name a vehicle in choices and sentences.
func vehicleName(sysID uint8) string { return fmt.Sprintf("Vehicle %d", sysID) }

// vehicleIDs returns the system ids of the fleet's vehicles, in order.
func vehicleIDs(vs []gcs.Vehicle) []uint8 {
	ids := make([]uint8, 0, len(vs))
	for _, v := range vs {
		ids = append(ids, v.SysID)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// maxReportLines bounds a view's report of answers.
const maxReportLines = 200

// reportBox is a short history of what happened to the operator's requests, newest at the
// bottom, refusals in red. Use on Fyne's goroutine.
type reportBox struct {
	lines  *fyne.Container
	scroll *container.Scroll
}

func newReportBox(minHeight float32) *reportBox {
	r := &reportBox{lines: container.NewVBox()}
	r.scroll = container.NewVScroll(r.lines)
	r.scroll.SetMinSize(fyne.NewSize(0, minHeight))
	return r
}

// add writes one line; bad lines are red.
func (r *reportBox) add(text string, bad bool) {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	if bad {
		l.Importance = widget.DangerImportance
	}
	r.lines.Add(l)
	if n := len(r.lines.Objects); n > maxReportLines {
		r.lines.Objects = r.lines.Objects[n-maxReportLines:]
		r.lines.Refresh()
	}
	r.scroll.ScrollToBottom()
}

// texts returns the lines and whether each is red, oldest first.
func (r *reportBox) texts() (texts []string, bad []bool) {
	for _, o := range r.lines.Objects {
		l := o.(*widget.Label)
		texts = append(texts, l.Text)
		bad = append(bad, l.Importance == widget.DangerImportance)
	}
	return texts, bad
}
