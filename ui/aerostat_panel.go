package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// AerostatPanel is the tether of the selected aerostat: line out, speed, tension, winch
// state, power up the tether, wind, the aerostat's alarms in red, and the winch commands
// (each behind the confirmation).
type AerostatPanel struct {
	cmd    *Commander
	limits gcs.AerostatLimits
	sysID  uint8

	state  *widget.Label
	alarms *widget.Label
	length *widget.Entry
	box    *fyne.Container
}

// NewAerostatPanel builds the panel.
func NewAerostatPanel(cmd *Commander) *AerostatPanel {
	p := &AerostatPanel{cmd: cmd, state: widget.NewLabel("no aerostat selected"), alarms: widget.NewLabel("")}
	p.alarms.Importance = widget.DangerImportance
	p.alarms.Wrapping = fyne.TextWrapWord
	p.length = widget.NewEntry()
	p.length.SetPlaceHolder("line length, m")
	winch := func(c gcs.WinchCommand) func() {
		return func() { p.send(c) }
	}
	p.box = container.NewVBox(
		p.state, p.alarms,
		container.NewBorder(nil, nil, widget.NewLabel("Line to"), widget.NewButton("Send", p.toLength), p.length),
		container.NewGridWithColumns(3,
			widget.NewButton("Hold", winch(gcs.WinchCommand{Kind: gcs.WinchHold})),
			widget.NewButton("Lock (brake)", winch(gcs.WinchCommand{Kind: gcs.WinchLock})),
			widget.NewButton("Retract all", winch(gcs.WinchCommand{Kind: gcs.WinchRetract})),
		),
	)
	return p
}

// Object is the panel.
func (p *AerostatPanel) Object() fyne.CanvasObject { return p.box }

// Show draws the selected vehicle's tether from a snapshot.
func (p *AerostatPanel) Show(v gcs.Vehicle, ok bool, now time.Time) {
	p.sysID = 0
	if !ok || v.Winch == nil {
		text := "the selected vehicle has no tether winch"
		if !ok {
			text = "no vehicle selected"
		}
		p.state.SetText(text)
		p.alarms.SetText("")
		return
	}
	p.sysID = v.SysID
	w := v.Winch
	lines := []string{
		fmt.Sprintf("Aerostat %d: %.0f m up, line out %.1f m", v.SysID, v.Position.AltRelM, w.LineLengthM),
		fmt.Sprintf("Line speed %+.2f m/s, tension %.0f kg", w.SpeedMps, w.TensionKg),
		"Winch: " + w.Status.String(),
	}
	if tp := v.TetherPower; tp != nil {
		state := "NOT supplying"
		if tp.Supplying() {
			state = "supplying"
		}
		lines = append(lines, fmt.Sprintf("Tether power %s: %.0f V, %.1f A", state, tp.BusVoltageV, tp.LoadCurrentA))
	}
	if wd := v.Wind; wd != nil {
		lines = append(lines, fmt.Sprintf("Wind %.1f m/s from %03.0f°", wd.SpeedMps, wd.FromDeg))
	}
	p.state.SetText(strings.Join(lines, "\n"))
	var alarms []string
	for _, a := range p.limits.Check(v, now) {
		alarms = append(alarms, a.String())
	}
	p.alarms.SetText(strings.Join(alarms, "\n"))
}

func (p *AerostatPanel) toLength() {
	m, err := strconv.ParseFloat(strings.TrimSpace(p.length.Text), 64)
	if err != nil || m < 0 {
		p.cmd.show(fmt.Sprintf("line length %q: type metres of line", p.length.Text), widget.DangerImportance)
		return
	}
	p.send(gcs.WinchCommand{Kind: gcs.WinchToLength, LengthM: m})
}

func (p *AerostatPanel) send(c gcs.WinchCommand) {
	if p.sysID == 0 {
		p.cmd.show("select an aerostat first", widget.DangerImportance)
		return
	}
	p.cmd.Ask(gcs.Intent{SysID: p.sysID, Kind: gcs.IntentWinch, Winch: c})
}
