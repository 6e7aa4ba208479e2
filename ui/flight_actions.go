package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// flightModes are the modes offered for a multirotor (ArduCopter's names; the vehicle
// refuses the ones it does not have, and says so).
var flightModes = []string{"GUIDED", "LOITER", "AUTO", "RTL", "LAND", "BRAKE", "ALT_HOLD", "POSHOLD", "CIRCLE", "SMART_RTL", "STABILIZE"}

// FlightActions is the toolbar that commands the selected vehicle: arm, take off to an
// altitude, land, return, change mode, start the mission. Every button goes through the
// Commander's confirmation.
type FlightActions struct {
	cmd      *Commander
	vehicle  *widget.Select
	altitude *widget.Entry
	mode     *widget.Select
	box      *fyne.Container

	selected uint8
	vehicles []gcs.Vehicle // the last snapshot
}

// NewFlightActions builds the toolbar.
func NewFlightActions(cmd *Commander) *FlightActions {
	f := &FlightActions{cmd: cmd}
	f.vehicle = widget.NewSelect(nil, func(s string) {
		var id uint8
		if _, err := fmt.Sscanf(s, "#%d ", &id); err == nil && id != 0 {
			f.selected = id
		}
	})
	f.vehicle.PlaceHolder = "no vehicle"
	f.altitude = widget.NewEntry()
	f.altitude.SetText("20")
	f.mode = widget.NewSelect(flightModes, nil)
	f.mode.PlaceHolder = "mode…"
	ask := func(kind gcs.IntentKind) func() {
		return func() { f.ask(gcs.Intent{Kind: kind}) }
	}
	f.box = container.NewHBox(
		widget.NewLabel("Vehicle"), f.vehicle,
		widget.NewButton("Arm", ask(gcs.IntentArm)),
		widget.NewButton("Disarm", ask(gcs.IntentDisarm)),
		widget.NewButton("Take off to", f.takeoff), container.NewGridWrap(fyne.NewSize(60, 36), f.altitude), widget.NewLabel("m"),
		widget.NewButton("Land", ask(gcs.IntentLand)),
		widget.NewButton("RTL", ask(gcs.IntentRTL)),
		container.NewGridWrap(fyne.NewSize(120, 36), f.mode), widget.NewButton("Set mode", f.setMode),
		widget.NewButton("Start mission", ask(gcs.IntentStartMission)),
	)
	return f
}

// Object is the toolbar.
func (f *FlightActions) Object() fyne.CanvasObject { return f.box }

// Selected returns the vehicle the buttons command (0: none yet).
func (f *FlightActions) Selected() uint8 { return f.selected }

// Select makes sysID the commanded vehicle.
func (f *FlightActions) Select(sysID uint8) {
	for _, o := range f.vehicle.Options {
		if strings.HasPrefix(o, fmt.Sprintf("#%d ", sysID)) {
			f.vehicle.SetSelected(o)
			return
		}
	}
}

// Show updates the vehicle chooser from a snapshot; the first vehicle is selected by itself.
func (f *FlightActions) Show(vs []gcs.Vehicle) {
	f.vehicles = vs
	var opts []string
	for _, v := range vs {
		opts = append(opts, fmt.Sprintf("#%d %s", v.SysID, vehicleKind(v)))
	}
	if !slices.Equal(opts, f.vehicle.Options) {
		f.vehicle.Options = opts
		f.vehicle.Refresh()
	}
	if f.selected == 0 && len(vs) > 0 {
		f.Select(vs[0].SysID)
	}
}

func vehicleKind(v gcs.Vehicle) string {
	switch {
	case v.Winch != nil || v.Type == gcs.VehicleFreeBalloon || v.Type == gcs.VehicleAirship:
		return "aerostat"
	case v.Type == gcs.VehicleFixedWing:
		return "plane"
	}
	return "copter"
}

func (f *FlightActions) ask(in gcs.Intent) {
	if f.selected == 0 {
		f.cmd.show("choose a vehicle first", widget.DangerImportance)
		return
	}
	in.SysID = f.selected
	f.cmd.Ask(in)
}

func (f *FlightActions) takeoff() {
	alt, err := strconv.ParseFloat(strings.TrimSpace(f.altitude.Text), 64)
	if err != nil || alt < 1 {
		f.cmd.show(fmt.Sprintf("take-off altitude %q: type a height above home in metres", f.altitude.Text), widget.DangerImportance)
		return
	}
	if f.selected == 0 {
		f.cmd.show("choose a vehicle first", widget.DangerImportance)
		return
	}
	// From the ground, take-off is three commands: GUIDED, arm, take off (ArduCopter takes
	// off by command only in GUIDED, armed). One confirmation names them all.
	var steps []gcs.Intent
	question := fmt.Sprintf("Take off vehicle %d to %g m above home", f.selected, alt)
	var notes []string
	for _, v := range f.vehicles {
		if v.SysID != f.selected {
			continue
		}
		if v.Mode != "GUIDED" {
			steps = append(steps, gcs.Intent{SysID: f.selected, Kind: gcs.IntentMode, Mode: "GUIDED"})
			notes = append(notes, "switching to GUIDED")
		}
		if !v.Armed {
			steps = append(steps, gcs.Intent{SysID: f.selected, Kind: gcs.IntentArm})
			notes = append(notes, "arming it")
		}
	}
	if len(notes) > 0 {
		question += " (" + strings.Join(notes, ", ") + ")"
	}
	steps = append(steps, gcs.Intent{SysID: f.selected, Kind: gcs.IntentTakeoff, AltM: alt})
	f.cmd.AskSteps(question, steps)
}

func (f *FlightActions) setMode() {
	if f.mode.Selected == "" {
		f.cmd.show("choose a mode first", widget.DangerImportance)
		return
	}
	f.ask(gcs.Intent{Kind: gcs.IntentMode, Mode: f.mode.Selected})
}
