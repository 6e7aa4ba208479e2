package ui

import (
	"fmt"
	"image"
	"math"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// zoneEditor draws a new zone on the map: each click adds a corner, a click on the first
// corner (or Finish) closes it; corners can be dragged.
type zoneEditor struct {
	corners []orb.Point
	drag    int // corner being dragged, -1 none
	// onClose is called when the ring is closed by a click on the first corner.
	onClose func()
}

// grabPx is how close to a corner, in pixels, a click or a drag must start to take it.
const grabPx = 10

func (z *zoneEditor) nearest(p orb.Point, pr MapProjection) int {
	x, y := pr.ToPx(p)
	for i, c := range z.corners {
		cx, cy := pr.ToPx(c)
		if math.Hypot(cx-x, cy-y) <= grabPx {
			return i
		}
	}
	return -1
}

func (z *zoneEditor) Tapped(p orb.Point, pr MapProjection) bool {
	if len(z.corners) >= 3 && z.nearest(p, pr) == 0 {
		if z.onClose != nil {
			z.onClose()
		}
		return true
	}
	z.corners = append(z.corners, p)
	return true
}

func (z *zoneEditor) DragStart(p orb.Point, pr MapProjection) bool {
	z.drag = z.nearest(p, pr)
	return z.drag >= 0
}

func (z *zoneEditor) Drag(p orb.Point) {
	if z.drag >= 0 && z.drag < len(z.corners) {
		z.corners[z.drag] = p
	}
}

func (z *zoneEditor) DragEnd() { z.drag = -1 }

func (z *zoneEditor) Draw(img *image.RGBA, pr MapProjection) {
	polyline(img, pr, z.corners, len(z.corners) >= 3, mapZone)
	for i, c := range z.corners {
		x, y := pr.ToPx(c)
		r := 4 * pr.Scale
		if i == 0 {
			r = 6 * pr.Scale
		}
		circle(img, x, y, r, mapZone)
	}
}

// zoneRules are the rules offered for a new zone, as ParseZoneRule reads them.
var zoneRules = []string{"any inside", "person inside", "vehicle inside", "any enters", "person enters", "vehicle enters", "more than 5 person"}

// startZone begins drawing a zone with its first corner at p.
func (w *MainWindow) startZone(p orb.Point) {
	z := &zoneEditor{corners: []orb.Point{p}, drag: -1}
	z.onClose = func() { w.finishZone(z) }
	w.Map.SetEditor(z)
	w.setEditorBar("Drawing a zone: click to add corners, click the first corner to finish", func() { w.finishZone(z) })
}

// finishZone asks the zone's name and rule and starts watching it.
func (w *MainWindow) finishZone(z *zoneEditor) {
	if len(z.corners) < 3 {
		w.cmd.show("a zone needs at least three corners", widget.DangerImportance)
		return
	}
	name := widget.NewEntry()
	name.SetText(fmt.Sprintf("Zone %d", len(w.st.Zones())+1))
	rule := widget.NewSelectEntry(zoneRules)
	rule.SetText(zoneRules[0])
	dialog.ShowForm("New zone", "Watch it", "Keep drawing", []*widget.FormItem{
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Alert when", rule),
	}, func(ok bool) {
		if !ok {
			return
		}
		r, err := gcs.ParseZoneRule(rule.Text)
		if err == nil {
			ring := append(orb.Ring{}, z.corners...)
			_, err = w.st.AddZone(gcs.Zone{Name: strings.TrimSpace(name.Text), Polygon: orb.Polygon{ring}, Rules: []gcs.ZoneRule{r}})
		}
		if err != nil {
			dialog.ShowError(err, w.Window)
			return
		}
		w.Map.SetEditor(nil)
		w.setEditorBar("", nil)
		w.cmd.show(fmt.Sprintf("watching zone %q: alert when %s", name.Text, r), widget.SuccessImportance)
	}, w.Window)
}
