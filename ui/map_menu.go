package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// mapMenu is the map's right-click menu: what the selected vehicle should do at the point,
// and what the operator marks there.
func (w *MainWindow) mapMenu(p orb.Point) *fyne.Menu {
	id := w.Actions.Selected()
	v := fmt.Sprintf("vehicle %d", id)
	item := func(label string, fn func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, fn)
		it.Disabled = id == 0 && fn != nil && strings.Contains(label, "vehicle")
		return it
	}
	return fyne.NewMenu("",
		item("Fly "+v+" here", func() { w.cmd.Ask(gcs.Intent{SysID: id, Kind: gcs.IntentGoto, Point: p, AltM: w.altitudeOf(id)}) }),
		item("Point "+v+"'s camera here", func() { w.cmd.Ask(gcs.Intent{SysID: id, Kind: gcs.IntentLookAt, Point: p}) }),
		item("Orbit here with "+v+"…", func() { w.askOrbit(id, p) }),
		item("Set "+v+"'s home here", func() { w.cmd.Ask(gcs.Intent{SysID: id, Kind: gcs.IntentSetHome, Point: p}) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Mark an incident here…", func() { w.askIncident(p, nil) }),
		fyne.NewMenuItem("Start a zone here", func() { w.startZone(p) }),
		fyne.NewMenuItem("Centre the map here", func() {
			_, mpp := w.Map.View()
			w.Map.SetView(p, mpp)
		}),
	)
}

// askOrbit asks the radius and direction, then sends the orbit through the confirmation.
func (w *MainWindow) askOrbit(id uint8, p orb.Point) {
	radius := widget.NewEntry()
	radius.SetText("50")
	dir := widget.NewRadioGroup([]string{"clockwise", "counter-clockwise"}, nil)
	dir.SetSelected("clockwise")
	alt := widget.NewEntry()
	alt.SetPlaceHolder("current")
	dialog.ShowForm("Orbit "+fmtLatLon(p), "Next", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Radius (m)", radius),
		widget.NewFormItem("Direction", dir),
		widget.NewFormItem("Altitude above home (m)", alt),
	}, func(ok bool) {
		if !ok {
			return
		}
		r, err := strconv.ParseFloat(strings.TrimSpace(radius.Text), 64)
		if err != nil || r <= 0 {
			w.cmd.show(fmt.Sprintf("orbit radius %q: type metres", radius.Text), widget.DangerImportance)
			return
		}
		if dir.Selected == "counter-clockwise" {
			r = -r
		}
		a := 0.0 // empty: the vehicle's current altitude
		if text := strings.TrimSpace(alt.Text); text != "" {
			if a, err = strconv.ParseFloat(text, 64); err != nil || a < 1 {
				w.cmd.show(fmt.Sprintf("orbit altitude %q: type metres above home, or leave it empty for the current altitude", alt.Text), widget.DangerImportance)
				return
			}
		}
		w.cmd.Ask(gcs.Intent{SysID: id, Kind: gcs.IntentOrbit, Point: p, RadiusM: r, AltM: a})
	}, w.Window)
}

// askIncident asks category, severity and note, then records an incident at p (or on
// target t, when promoting one).
func (w *MainWindow) askIncident(p orb.Point, t *gcs.Target) {
	category := widget.NewSelectEntry(gcs.IncidentCategories)
	category.SetText(gcs.IncidentCategories[0])
	severity := widget.NewSelect([]string{"low", "medium", "high", "critical"}, nil)
	severity.SetSelected("medium")
	note := widget.NewMultiLineEntry()
	if t != nil {
		note.SetText(fmt.Sprintf("%s target T%d, %d sightings", t.Class, t.ID, t.Sightings))
	}
	title := "Mark an incident at " + fmtLatLon(p)
	if t != nil {
		title = fmt.Sprintf("Promote target T%d to an incident", t.ID)
	}
	dialog.ShowForm(title, "Record", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Category", category),
		widget.NewFormItem("Severity", severity),
		widget.NewFormItem("Note", note),
	}, func(ok bool) {
		if !ok {
			return
		}
		sev, err := gcs.ParseIncidentSeverity(severity.Selected)
		var in gcs.Incident
		if err == nil {
			if t != nil {
				in, err = gcs.MarkTarget(time.Now(), *t, category.Text, sev, note.Text)
			} else {
				in, err = gcs.MarkPoint(time.Now(), p, category.Text, sev, note.Text)
			}
		}
		if err == nil {
			in, err = w.st.AddIncident(in)
		}
		if err != nil {
			dialog.ShowError(err, w.Window)
			return
		}
		w.cmd.show(fmt.Sprintf("incident I%d recorded: %s", in.ID, in.Category), widget.SuccessImportance)
	}, w.Window)
}

func fmtLatLon(p orb.Point) string { return fmt.Sprintf("%.6f, %.6f", p.Lat(), p.Lon()) }

// altitudeOf is the vehicle's altitude above home, so "fly here" says the altitude it keeps.
func (w *MainWindow) altitudeOf(id uint8) float64 {
	if v, ok := w.st.Fleet.Vehicle(id); ok && v.Position.AltRelM >= 1 {
		return math.Round(v.Position.AltRelM)
	}
	return 0
}
