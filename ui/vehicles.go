package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// alarmColour marks a vehicle that needs attention.
var alarmColour = color.RGBA{230, 60, 50, 255}

// VehicleLine is one vehicle's row in the vehicles strip: what an operator reads at a glance,
// and, in red, why it needs attention.
func VehicleLine(v gcs.Vehicle) (text string, alarms []string) {
	armed := "disarmed"
	if v.Armed {
		armed = "ARMED"
	}
	text = fmt.Sprintf("%d  %s  %s  %s  alt %.0f m  %.1f m/s  bat %.1f V %d%%  GPS fix %d, %d sats",
		v.SysID, orDash(v.Mode), armed, linkText(v), v.Position.AltRelM,
		v.GroundSpeedMps, v.Battery.VoltageV, v.Battery.RemainingPct, v.GPS.FixType, v.GPS.Satellites)
	if !v.Connected {
		alarms = append(alarms, "link lost")
	}
	if v.Battery.RemainingPct > 0 && v.Battery.RemainingPct < 25 {
		alarms = append(alarms, fmt.Sprintf("battery %d%%", v.Battery.RemainingPct))
	}
	if v.Fence != nil && v.Fence.Breached {
		alarms = append(alarms, "outside its geofence ("+v.Fence.LastBreach+")")
	}
	if !v.Armed && !v.PrearmHealthy && v.Connected {
		alarms = append(alarms, "not ready to arm"+lastText(v))
	}
	return text, alarms
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func linkText(v gcs.Vehicle) string {
	if !v.Connected {
		return "LINK LOST"
	}
	return fmt.Sprintf("link %.0f%% lost", v.Stats.LossPct())
}

func lastText(v gcs.Vehicle) string {
	for i := len(v.StatusTexts) - 1; i >= 0; i-- {
		if strings.HasPrefix(v.StatusTexts[i].Text, "PreArm") {
			return ": " + v.StatusTexts[i].Text
		}
	}
	return ""
}

// VehicleStrip lists the vehicles, one line each, alarms in red below their line.
type VehicleStrip struct {
	box *fyne.Container
}

// NewVehicleStrip returns an empty strip.
func NewVehicleStrip() *VehicleStrip {
	return &VehicleStrip{box: container.NewVBox(widget.NewLabel("no vehicle yet: waiting for heartbeats"))}
}

// Object is the strip's canvas object.
func (s *VehicleStrip) Object() fyne.CanvasObject { return s.box }

// Show redraws the strip from a snapshot. Call it on Fyne's goroutine.
func (s *VehicleStrip) Show(vs []gcs.Vehicle) {
	var objs []fyne.CanvasObject
	for _, v := range vs {
		text, alarms := VehicleLine(v)
		objs = append(objs, widget.NewLabel(text))
		if len(alarms) > 0 {
			t := canvas.NewText("   "+strings.Join(alarms, "; "), alarmColour)
			t.TextStyle.Bold = true
			objs = append(objs, t)
		}
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel("no vehicle yet: waiting for heartbeats"))
	}
	s.box.Objects = objs
	s.box.Refresh()
}
