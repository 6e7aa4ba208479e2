package ui

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/assets"
	"github.com/vigil-gcs/vigil/gcs"
)

// Camera choices besides the catalogue's.
const (
	cameraManual = "Manual (lane spacing)"
	cameraCustom = "Custom (field of view)"
)

// cameraCatalogue is the survey cameras gcs knows (QGroundControl's list).
func cameraCatalogue() []gcs.CameraSpec {
	cams, err := gcs.ParseCameraCatalogue(assets.CamerasJSON)
	if err != nil {
		return nil // the embedded catalogue is tested in gcs; without it, custom cameras remain
	}
	return cams
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// formField is one labelled input of the selected item's settings.
type formField struct {
	label string
	obj   fyne.CanvasObject
}

// numField is an entry for a number; set applies it (or says why not) and the plan is
// analysed again.
func (v *PlanView) numField(label string, value float64, set func(float64) error) formField {
	en := widget.NewEntry()
	en.SetText(fmtNum(math.Round(value*1000) / 1000))
	en.OnChanged = func(s string) {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			v.formErr.SetText(fmt.Sprintf("%s: %q is not a number", label, s))
			return
		}
		if err := set(f); err != nil {
			v.formErr.SetText(fmt.Sprintf("%s: %v", label, err))
			return
		}
		v.formErr.SetText("")
		v.formChanged()
	}
	return formField{label, en}
}

func (v *PlanView) checkField(label string, value bool, set func(bool)) formField {
	c := widget.NewCheck("", func(b bool) {
		set(b)
		v.formChanged()
	})
	c.SetChecked(value)
	return formField{label, c}
}

// formChanged tells the editor a setting changed, without rebuilding the form being typed in.
func (v *PlanView) formChanged() {
	v.inForm = true
	defer func() { v.inForm = false }()
	v.Editor.changed(false)
}

func positive(name string) func(float64) error {
	return func(f float64) error {
		if !(f > 0) {
			return fmt.Errorf("want a positive %s", name)
		}
		return nil
	}
}

// rebuildForm shows the settings of the selected element.
func (v *PlanView) rebuildForm() {
	e := v.Editor
	v.formFor = e.selected
	v.formErr.SetText("")
	p := e.plan
	var fields []formField
	var buttons []fyne.CanvasObject
	deleteItem := widget.NewButton("Delete item", func() { e.DeleteSelected() })
	deleteVertex := widget.NewButton("Delete vertex", func() {
		if err := e.DeleteVertex(); err != nil {
			v.formErr.SetText(err.Error())
		}
	})
	switch el := e.selected; el.kind {
	case elemHome:
		fields = append(fields, v.numField("Altitude (m AMSL)", p.HomeAltMSLM, func(f float64) error {
			p.HomeAltMSLM = f
			return nil
		}))
	case elemItem:
		buttons = append(buttons, deleteItem)
		switch it := p.Items[el.i].(type) {
		case gcs.SimpleItem:
			if it.Item.IsGlobal() || it.Item.Command == gcs.CmdNavTakeoff {
				fields = append(fields, v.numField("Altitude (m)", it.Item.Z, func(f float64) error {
					it.Item.Z = f
					p.Items[el.i] = it
					return nil
				}))
			}
		case *gcs.Survey:
			fields = append(fields, v.transectFields(&it.TransectStyle)...)
			fields = append(fields,
				v.numField("Angle (° from north)", it.AngleDeg, func(f float64) error {
					it.AngleDeg, it.AutoAngle, it.Items = f, false, nil
					return nil
				}),
				v.checkField("Shortest angle (auto)", it.AutoAngle, func(b bool) { it.AutoAngle, it.Items = b, nil }),
				v.checkField("Crosshatch", it.Crosshatch, func(b bool) { it.Crosshatch, it.Items = b, nil }),
				v.choiceField("Entry corner", entryNames[:], nameAt(entryNames[:], int(it.Entry)), func(i int) { it.Entry, it.Items = gcs.EntryCorner(i), nil }))
			buttons = append(buttons, deleteVertex)
		case *gcs.Corridor:
			fields = append(fields, v.numField("Width (m)", it.WidthM, func(f float64) error {
				if f < 0 {
					return errors.New("want 0 or more")
				}
				it.WidthM, it.Items = f, nil
				v.Editor.Defaults.CorridorWidthM = f
				return nil
			}))
			fields = append(fields, v.transectFields(&it.TransectStyle)...)
			buttons = append(buttons, deleteVertex)
		case *gcs.Orbit:
			fields = append(fields,
				v.numField("Radius (m)", it.RadiusM, func(f float64) error {
					if err := positive("radius")(f); err != nil {
						return err
					}
					it.RadiusM = f
					return nil
				}),
				v.numField("Altitude (m)", it.AltM, func(f float64) error { it.AltM = f; return nil }),
				v.numField("Turns", it.Turns, func(f float64) error { it.Turns = f; return nil }),
				v.checkField("Clockwise", it.Clockwise, func(b bool) { it.Clockwise = b }))
		case *gcs.Patrol:
			fields = append(fields,
				v.numField("Altitude (m)", it.AltM, func(f float64) error { it.AltM = f; return nil }),
				v.numField("Inset (m)", it.InsetM, func(f float64) error { it.InsetM = f; return nil }),
				v.numField("Loops (0: for ever)", float64(it.Loops), func(f float64) error {
					if f < 0 || f != math.Trunc(f) {
						return errors.New("want a whole number, 0 or more")
					}
					it.Loops = int(f)
					return nil
				}))
			buttons = append(buttons, deleteVertex)
		}
	case elemFencePolygon:
		f := &p.Fence.Polygons[el.i]
		fields = append(fields, v.checkField("Inclusion (keep in)", f.Inclusion, func(b bool) { f.Inclusion = b }))
		buttons = append(buttons, deleteItem, deleteVertex)
	case elemFenceCircle:
		c := &p.Fence.Circles[el.i]
		fields = append(fields,
			v.checkField("Inclusion (keep in)", c.Inclusion, func(b bool) { c.Inclusion = b }),
			v.numField("Radius (m)", c.RadiusM, func(f float64) error {
				if err := positive("radius")(f); err != nil {
					return err
				}
				c.RadiusM = f
				return nil
			}))
		buttons = append(buttons, deleteItem)
	case elemRally:
		r := &p.Rally[el.i]
		fields = append(fields, v.numField("Altitude (m)", r.AltM, func(f float64) error { r.AltM = f; return nil }))
		buttons = append(buttons, deleteItem)
	default:
		v.formTitle = nil
		v.form.Objects = []fyne.CanvasObject{widget.NewLabel("Nothing selected: click an item on the map or in the list.")}
		v.form.Refresh()
		v.figures.SetText("")
		return
	}
	v.formTitle = widget.NewLabel(v.elementTitle(e.selected))
	objs := []fyne.CanvasObject{v.formTitle}
	grid := container.New(newFormLayout())
	for _, f := range fields {
		grid.Add(widget.NewLabel(f.label))
		grid.Add(f.obj)
	}
	objs = append(objs, grid)
	if len(buttons) > 0 {
		objs = append(objs, container.NewHBox(buttons...))
	}
	v.form.Objects = objs
	v.form.Refresh()
	v.figures.SetText(v.figuresText())
	v.relayout()
}

func newFormLayout() fyne.Layout { return formLayout{} }

// formLayout is two columns: labels as wide as the widest, inputs the rest.
type formLayout struct{}

func (formLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	lw := float32(0)
	for i := 0; i < len(objs); i += 2 {
		lw = max(lw, objs[i].MinSize().Width)
	}
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		h := max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(lw, h))
		objs[i+1].Move(fyne.NewPos(lw+4, y))
		objs[i+1].Resize(fyne.NewSize(max(size.Width-lw-4, objs[i+1].MinSize().Width), h))
		y += h + 2
	}
}

func (formLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	lw, iw, h := float32(0), float32(0), float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		lw = max(lw, objs[i].MinSize().Width)
		iw = max(iw, objs[i+1].MinSize().Width)
		h += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height) + 2
	}
	return fyne.NewSize(lw+4+iw, h)
}

// transectFields are a survey's or corridor's camera and lane settings. Every change makes
// the item planned again (a .plan's stored items are dropped) and becomes the default of
// the next survey.
func (v *PlanView) transectFields(ts *gcs.TransectStyle) []formField {
	c := &ts.Calc
	edited := func() {
		// Keep the spacing the camera gives in the item itself: map files and the
		// list read it from there.
		_ = c.Recalc()
		ts.Items = nil
		v.Editor.Defaults.Survey = *ts
		v.Editor.Defaults.Survey.Items = nil
	}
	cams := cameraCatalogue()
	opts := []string{cameraManual, cameraCustom}
	for _, cam := range cams {
		opts = append(opts, cam.Name)
	}
	current := cameraManual
	if c.Camera != nil {
		current = cameraCustom
		if _, ok := gcs.FindCamera(cams, c.Camera.Name); ok {
			current = c.Camera.Name
		}
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelected(current)
	sel.OnChanged = func(s string) {
		switch s {
		case cameraManual:
			if c.Camera != nil { // keep the lanes the camera gave
				_ = c.Recalc()
				c.Camera = nil
			}
		case cameraCustom:
			cam, _ := gcs.CameraFromHFOV(gcs.QGCCustomCameraName, 69, 4000, 3000)
			c.Camera = &cam
		default:
			if cam, ok := gcs.FindCamera(cams, s); ok {
				c.Camera = &cam
			}
		}
		edited()
		v.formChanged()
		v.rebuildForm() // the fields depend on the kind of camera
	}
	fields := []formField{{"Camera", sel}}
	fields = append(fields, v.numField("Altitude (m)", c.AltM, func(f float64) error {
		if err := positive("altitude")(f); err != nil {
			return err
		}
		c.AltM, c.AltFromGSD = f, false
		edited()
		return nil
	}))
	if c.Camera == nil {
		fields = append(fields,
			v.numField("Lane spacing (m)", c.SpacingM, func(f float64) error {
				if err := positive("spacing")(f); err != nil {
					return err
				}
				c.SpacingM = f
				edited()
				return nil
			}),
			v.numField("Photo every (m, 0: none)", c.TriggerDistM, func(f float64) error {
				if f < 0 {
					return errors.New("want 0 or more")
				}
				c.TriggerDistM = f
				edited()
				return nil
			}))
	} else {
		if current == cameraCustom {
			hfov := 2 * math.Atan(c.Camera.SensorWidthMM/2/c.Camera.FocalLengthMM) * 180 / math.Pi
			w, h := c.Camera.ImageWidthPx, c.Camera.ImageHeightPx
			custom := func() error {
				cam, err := gcs.CameraFromHFOV(gcs.QGCCustomCameraName, hfov, w, h)
				if err != nil {
					return err
				}
				c.Camera = &cam
				edited()
				return nil
			}
			fields = append(fields,
				v.numField("Field of view (°)", hfov, func(f float64) error { hfov = f; return custom() }),
				v.numField("Image width (px)", float64(w), func(f float64) error { w = int(f); return custom() }),
				v.numField("Image height (px)", float64(h), func(f float64) error { h = int(f); return custom() }))
		}
		overlap := func(p *float64) func(float64) error {
			return func(f float64) error {
				if f < 0 || f >= 100 {
					return errors.New("want 0 to under 100 %")
				}
				*p = f
				edited()
				return nil
			}
		}
		fields = append(fields,
			v.numField("Front overlap (%)", c.FrontOverlapPct, overlap(&c.FrontOverlapPct)),
			v.numField("Side overlap (%)", c.SideOverlapPct, overlap(&c.SideOverlapPct)))
	}
	fields = append(fields, v.numField("Turnaround (m)", ts.TurnaroundM, func(f float64) error {
		if f < 0 {
			return errors.New("want 0 or more")
		}
		ts.TurnaroundM = f
		edited()
		return nil
	}))
	fields = append(fields, v.choiceField("Camera trigger", triggerNames[:], nameAt(triggerNames[:], int(ts.Trigger)), func(i int) {
		ts.Trigger = gcs.TriggerMode(i)
		// Hover and capture stops at each photo: there is nothing to trigger in turns.
		ts.TriggerInTurnaround = ts.Trigger == gcs.TriggerDistance
		edited()
	}))
	return fields
}

// triggerNames are the camera trigger modes, in gcs.TriggerMode's order.
var triggerNames = [...]string{"By distance", "Stop and shoot (hover)", "None"}

// entryNames are the survey's entry corners, in gcs.EntryCorner's order.
var entryNames = [...]string{"Top left", "Top right", "Bottom left", "Bottom right"}

// nameAt is names[i], or "" for a value out of range (read from a file).
func nameAt(names []string, i int) string {
	if i < 0 || i >= len(names) {
		return ""
	}
	return names[i]
}

// choiceField is a choice among names; set gets the index chosen.
func (v *PlanView) choiceField(label string, names []string, current string, set func(int)) formField {
	sel := widget.NewSelect(names, nil)
	sel.SetSelected(current)
	sel.OnChanged = func(s string) {
		for i, n := range names {
			if n == s {
				set(i)
			}
		}
		v.formChanged()
	}
	return formField{label, sel}
}

// defaultsForm sets what new items get, and the planning speed.
func (v *PlanView) defaultsForm() fyne.CanvasObject {
	d := &v.Editor.Defaults
	grid := container.New(newFormLayout())
	for _, f := range []formField{
		v.numField("Altitude (m above home)", d.AltM, func(f float64) error {
			if err := positive("altitude")(f); err != nil {
				return err
			}
			d.AltM = f
			return nil
		}),
		v.numField("Speed (m/s)", v.Editor.plan.SpeedMS(false), func(f float64) error {
			if err := positive("speed")(f); err != nil {
				return err
			}
			v.Editor.plan.HoverSpeedMS = f
			return nil
		}),
	} {
		grid.Add(widget.NewLabel(f.label))
		grid.Add(f.obj)
	}
	return grid
}
