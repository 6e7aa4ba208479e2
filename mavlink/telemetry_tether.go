package mavlink

import (
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"

	"github.com/vigil-gcs/vigil/gcs"
)

// applyTetherTelemetry decodes what a tethered vehicle adds to the usual telemetry: its
// winch's WINCH_STATUS, the tether power converter's GENERATOR_STATUS and the wind
// estimate. It reports whether msg was one of them.
func (c *Client) applyTetherTelemetry(sys, comp uint8, msg message.Message, now time.Time) bool {
	switch m := msg.(type) {
	case *common.MessageWinchStatus:
		w := gcs.Winch{
			Time:         now,
			CompID:       comp,
			LineLengthM:  float64(m.LineLength),
			SpeedMps:     float64(m.Speed),
			TensionKg:    float64(m.Tension),
			VoltageV:     float64(m.Voltage),
			CurrentA:     float64(m.Current),
			TemperatureC: math.NaN(),
			Status:       gcs.WinchStatus(m.Status),
		}
		if m.Temperature != math.MaxInt16 {
			w.TemperatureC = float64(m.Temperature)
		}
		c.Fleet.Update(sys, func(v *gcs.Vehicle) { v.Winch = &w })

	case *common.MessageGeneratorStatus:
		p := gcs.TetherPower{
			Time:         now,
			Status:       gcs.GeneratorStatus(m.Status),
			BusVoltageV:  float64(m.BusVoltage),
			LoadCurrentA: float64(m.LoadCurrent),
			PowerW:       float64(m.PowerGenerated),
		}
		c.Fleet.Update(sys, func(v *gcs.Vehicle) { v.TetherPower = &p })

	case *ardupilotmega.MessageWind:
		w := gcs.Wind{Time: now, SpeedMps: float64(m.Speed), FromDeg: math.Mod(float64(m.Direction)+360, 360)}
		if math.IsNaN(w.SpeedMps) || math.IsNaN(w.FromDeg) {
			return true // no estimate: keep the last one
		}
		c.Fleet.Update(sys, func(v *gcs.Vehicle) { v.Wind = &w })

	default:
		return false
	}
	return true
}
