package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// rebuildList lists the plan's elements, each a button that selects it, with its problems
// below it in red (warnings in amber); the plan's own problems come first.
func (v *PlanView) rebuildList() {
	e, a := v.Editor, v.analysis
	fresh := a != nil && a.structRev == e.structRev
	var objs []fyne.CanvasObject
	problem := func(text string, warning bool) {
		l := widget.NewLabel("  " + text)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		if warning {
			l.Importance = widget.WarningImportance
		}
		objs = append(objs, l)
	}
	if fresh {
		for _, pr := range a.planProblems {
			problem(pr.Text, pr.Warning)
		}
	}
	for _, el := range e.elements() {
		b := widget.NewButton(v.elementTitle(el), func() { e.Select(el) })
		b.Alignment = widget.ButtonAlignLeading
		if el == e.selected {
			b.Importance = widget.HighImportance
		}
		objs = append(objs, b)
		if fresh && el.kind == elemItem && el.i < len(a.itemErr) {
			if a.itemErr[el.i] != "" {
				problem(a.itemErr[el.i], false)
			}
			for _, pr := range a.itemProblems[el.i] {
				problem(pr.Text, pr.Warning)
			}
		}
	}
	v.list.Objects = objs
	v.list.Refresh()
	v.relayout()
}

// elementTitle names an element in the list: "2 Survey 4.20 ha, 14 lanes".
func (v *PlanView) elementTitle(el planElem) string {
	p := v.Editor.plan
	switch el.kind {
	case elemHome:
		return fmt.Sprintf("Home %.6f, %.6f, %.0f m AMSL", p.Home.Lat(), p.Home.Lon(), p.HomeAltMSLM)
	case elemItem:
		n := el.i + 1
		switch it := p.Items[el.i].(type) {
		case gcs.SimpleItem:
			return fmt.Sprintf("%d %s", n, simpleItemTitle(it.Item))
		case *gcs.Survey:
			t := fmt.Sprintf("%d Survey %.2f ha", n, gcs.AreaM2(it.Polygon)/1e4)
			if f, ok := v.figuresOf(el.i); ok && f.Lanes > 0 {
				t += fmt.Sprintf(", %d lanes", f.Lanes)
			}
			return t
		case *gcs.Corridor:
			return fmt.Sprintf("%d Corridor %.0f m wide, %d points", n, it.WidthM, len(it.Line))
		case *gcs.Orbit:
			return fmt.Sprintf("%d Orbit %.0f m radius at %.0f m", n, it.RadiusM, it.AltM)
		case *gcs.Patrol:
			return fmt.Sprintf("%d Patrol at %.0f m, %d corners", n, it.AltM, len(it.Polygon))
		}
		return fmt.Sprintf("%d item", n)
	case elemFencePolygon:
		f := p.Fence.Polygons[el.i]
		return fmt.Sprintf("Fence %d: %s polygon, %d vertices", el.i+1, inclusionName(f.Inclusion), len(f.Vertices))
	case elemFenceCircle:
		c := p.Fence.Circles[el.i]
		return fmt.Sprintf("Fence circle %d: %s, radius %.0f m", el.i+1, inclusionName(c.Inclusion), c.RadiusM)
	case elemRally:
		return fmt.Sprintf("Rally point %d at %.0f m", el.i+1, p.Rally[el.i].AltM)
	}
	return ""
}

func inclusionName(in bool) string {
	if in {
		return "inclusion"
	}
	return "exclusion"
}

func simpleItemTitle(it gcs.MissionItem) string {
	switch it.Command {
	case gcs.CmdNavTakeoff:
		return fmt.Sprintf("Takeoff to %.0f m", it.Z)
	case gcs.CmdNavWaypoint:
		return fmt.Sprintf("Waypoint at %.0f m", it.Z)
	case gcs.CmdNavReturnToLaunch:
		return "Return to launch"
	case gcs.CmdNavLand:
		return "Land"
	case gcs.CmdNavLoiterTime:
		return fmt.Sprintf("Loiter %.0f s at %.0f m", it.Param1, it.Z)
	case gcs.CmdNavLoiterTurns:
		return fmt.Sprintf("Loiter %.0f turns at %.0f m", it.Param1, it.Z)
	case gcs.CmdNavLoiterUnlim:
		return fmt.Sprintf("Loiter at %.0f m", it.Z)
	case gcs.CmdDoSetCamTriggDist:
		return fmt.Sprintf("Camera every %.1f m", it.Param1)
	case gcs.CmdDoChangeSpeed:
		return fmt.Sprintf("Speed %.1f m/s", it.Param2)
	case gcs.CmdDoJump:
		return fmt.Sprintf("Jump to item %.0f", it.Param1)
	case gcs.CmdDoSetROILocation:
		return "Look at (ROI)"
	}
	return fmt.Sprintf("Command %d", it.Command)
}

func (v *PlanView) figuresOf(i int) (transectFigures, bool) {
	a := v.analysis
	if a == nil || a.structRev != v.Editor.structRev {
		return transectFigures{}, false
	}
	f, ok := a.figures[i]
	return f, ok
}

// showFigures shows the plan's statistics and the selected survey's camera figures.
func (v *PlanView) showFigures() {
	a := v.analysis
	if a == nil {
		return
	}
	st := a.stats
	text := fmt.Sprintf("%d mission items, %.2f km, about %s at %g m/s", st.Items, st.DistanceM/1000,
		st.Duration.Round(time.Second), v.Editor.plan.SpeedMS(false))
	if st.Photos > 0 {
		text += fmt.Sprintf(", %d photos", st.Photos)
	}
	if st.Forever {
		text += " (one loop: it repeats for ever)"
	}
	if a.statsErr != "" {
		text += "\n" + a.statsErr
	}
	v.planStats.SetText(text)
	v.figures.SetText(v.figuresText())
	if v.formTitle != nil && v.formFor == v.Editor.selected {
		v.formTitle.SetText(v.elementTitle(v.formFor))
	}
}

// figuresText is the selected survey's or corridor's live figures.
func (v *PlanView) figuresText() string {
	sel := v.Editor.selected
	if sel.kind != elemItem {
		return ""
	}
	f, ok := v.figuresOf(sel.i)
	if !ok {
		return ""
	}
	if f.Err != "" {
		return f.Err
	}
	c := f.Calc
	var text string
	if c.Camera != nil {
		text = fmt.Sprintf("GSD %.2f cm/px at %.1f m\n", c.GSDcm, c.AltM)
	}
	text += fmt.Sprintf("Lanes %.1f m apart", c.SpacingM)
	if c.TriggerDistM > 0 {
		text += fmt.Sprintf(", a photo every %.1f m", c.TriggerDistM)
	}
	text += fmt.Sprintf("\n%d lanes, %d photos, %.2f ha", f.Lanes, f.Photos, f.AreaM2/1e4)
	if _, ok := v.Editor.plan.Items[sel.i].(*gcs.Survey); ok {
		text += fmt.Sprintf(", lanes at %.1f°", f.AngleDeg)
	}
	return text
}
