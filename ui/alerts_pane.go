package ui

import (
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// AlertsPane lists the zone alerts, newest first, the unacknowledged ones in red: select one
// and acknowledge it.
type AlertsPane struct {
	list       *widget.List
	ack        *widget.Button
	selected   int
	selectedID int64 // the chosen alert: rows move as alerts arrive
	box        *fyne.Container

	mu    sync.Mutex
	shown []gcs.Alert

	// OnAcknowledge acknowledges an alert; OnSelect shows what it is about.
	OnAcknowledge func(id int64)
	OnSelect      func(a gcs.Alert)
}

// NewAlertsPane builds the pane.
func NewAlertsPane() *AlertsPane {
	p := &AlertsPane{selected: -1}
	p.list = widget.NewList(
		func() int {
			p.mu.Lock()
			defer p.mu.Unlock()
			return len(p.shown)
		},
		func() fyne.CanvasObject {
			return widget.NewLabel("00:00:00 A00 person inside Zone 1 (T1, T2) — acknowledged")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a, ok := p.at(i)
			if !ok {
				return
			}
			l := o.(*widget.Label)
			l.SetText(AlertLine(a))
			l.Importance = widget.MediumImportance
			if !a.Acknowledged() {
				l.Importance = widget.DangerImportance
			}
			l.Refresh()
		},
	)
	p.list.OnSelected = func(i widget.ListItemID) {
		p.selected = i
		a, ok := p.at(i)
		p.selectedID = a.ID
		if ok && p.OnSelect != nil {
			p.OnSelect(a)
		}
	}
	p.ack = widget.NewButton("Acknowledge", func() {
		if a, ok := p.at(p.selected); ok && a.ID == p.selectedID && p.OnAcknowledge != nil {
			p.OnAcknowledge(a.ID)
		}
	})
	ackAll := widget.NewButton("Acknowledge all", func() {
		p.mu.Lock()
		var ids []int64
		for _, a := range p.shown {
			if !a.Acknowledged() {
				ids = append(ids, a.ID)
			}
		}
		p.mu.Unlock()
		for _, id := range ids {
			if p.OnAcknowledge != nil {
				p.OnAcknowledge(id)
			}
		}
	})
	p.box = container.NewBorder(nil, container.NewHBox(p.ack, ackAll), nil, nil, p.list)
	return p
}

// Object is the pane.
func (p *AlertsPane) Object() fyne.CanvasObject { return p.box }

func (p *AlertsPane) at(i int) (gcs.Alert, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i < 0 || i >= len(p.shown) {
		return gcs.Alert{}, false
	}
	return p.shown[i], true
}

// Show replaces the alerts, newest first, and returns how many wait for acknowledgement.
func (p *AlertsPane) Show(as []gcs.Alert) (waiting int) {
	shown := make([]gcs.Alert, len(as))
	for i, a := range as {
		shown[len(as)-1-i] = a
		if !a.Acknowledged() {
			waiting++
		}
	}
	p.mu.Lock()
	changed := len(shown) != len(p.shown)
	if !changed {
		for i := range shown {
			if shown[i].ID != p.shown[i].ID || shown[i].AckTime != p.shown[i].AckTime {
				changed = true
				break
			}
		}
	}
	p.shown = shown
	p.mu.Unlock()
	if changed {
		// The selection stays on its alert as new ones arrive above it: acknowledging must
		// never take an alert the operator did not choose.
		p.reselect()
		p.list.Refresh()
	}
	return waiting
}

// reselect moves the selection to the row its alert is now on, or clears it.
func (p *AlertsPane) reselect() {
	if p.selectedID == 0 {
		return
	}
	p.mu.Lock()
	row := -1
	for i, a := range p.shown {
		if a.ID == p.selectedID {
			row = i
		}
	}
	p.mu.Unlock()
	if row == p.selected {
		return
	}
	onSel := p.list.OnSelected
	p.list.OnSelected = nil // following the selection must not move the map
	if row < 0 {
		p.list.UnselectAll()
		p.selectedID = 0
	} else {
		p.list.Select(row)
	}
	p.list.OnSelected = onSel
	p.selected = row
}

// AlertLine is an alert's row.
func AlertLine(a gcs.Alert) string {
	s := fmt.Sprintf("%s A%d %s", a.Time.Local().Format("15:04:05"), a.ID, a.Message)
	if a.Acknowledged() {
		s += " — acknowledged " + a.AckTime.Local().Format("15:04:05")
	}
	return s
}
