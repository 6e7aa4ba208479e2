package gcs

import (
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

var (
	monitorNow  = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	monitorHome = Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}
)

// flyingAerostat is a healthy aerostat on 150 m of line, leaning 20 m downwind in 6 m/s.
func flyingAerostat() Vehicle {
	home := monitorHome
	return Vehicle{
		SysID:         3,
		PositionValid: true,
		Home:          &home,
		Position:      Position{Point: OffsetNE(home.Point, 20, 0), AltMSLM: home.AltMSLM + 148.6, AltRelM: 148.6},
		Battery:       Battery{RemainingPct: 100},
		Winch: &Winch{Time: monitorNow, LineLengthM: 150, TensionKg: 55, CurrentA: 14,
			Status: WinchHealthy | WinchClutchEngaged},
		TetherPower: &TetherPower{Status: GeneratorGenerating, BusVoltageV: 48},
		Wind:        &Wind{SpeedMps: 6, FromDeg: 180},
	}
}

func TestAerostatLimitsCheck(t *testing.T) {
	cases := []struct {
		name   string
		change func(v *Vehicle)
		kinds  []AlertKind
		text   string // of the first alert
	}{
		{"healthy", func(*Vehicle) {}, nil, ""},
		{"no winch: not an aerostat", func(v *Vehicle) { v.Winch = nil; v.Wind.SpeedMps = 30 }, nil, ""},
		{"tension high", func(v *Vehicle) { v.Winch.TensionKg = 83.4 }, []AlertKind{AlertTensionHigh},
			"tether tension 83 kg over the 75 kg high limit"},
		{"tension critical", func(v *Vehicle) { v.Winch.TensionKg = 114 }, []AlertKind{AlertTensionCritical},
			"tether tension 114 kg at or over the 95 kg critical limit: reduce it now (reel in slowly or retrieve)"},
		{"wind over the deploy limit", func(v *Vehicle) { v.Wind.SpeedMps = 13.2; v.Wind.FromDeg = 45 }, []AlertKind{AlertWindOverLimit},
			"wind 13.2 m/s from 045° over the 12 m/s deploy limit: retrieve the aerostat"},
		{"wind over the limit on the mooring", func(v *Vehicle) {
			v.Wind.SpeedMps = 13
			v.Winch.LineLengthM, v.Winch.Status = 0, WinchHealthy|WinchFullyRetracted
			v.Position = *v.Home
		}, []AlertKind{AlertWindOverLimit}, "wind 13.0 m/s from 180° over the 12 m/s deploy limit: do not launch"},
		{"winch stalled", func(v *Vehicle) { v.Winch.CurrentA, v.Winch.Status = 45, WinchClutchEngaged }, []AlertKind{AlertWinchStall},
			"winch stalled: motor drawing 45 A with the line not moving at 150 m (unhealthy, clutch engaged)"},
		{"high current while moving is no stall", func(v *Vehicle) { v.Winch.CurrentA, v.Winch.SpeedMps = 35, -2 }, nil, ""},
		{"winch fault", func(v *Vehicle) { v.Winch.Status = WinchLocked }, []AlertKind{AlertWinchFault},
			"winch reports a fault (unhealthy, locked) at 150 m of line"},
		{"tether power lost", func(v *Vehicle) {
			v.TetherPower = &TetherPower{Status: GeneratorOff | GeneratorPowerSourceFault}
			v.Battery.RemainingPct = 87
		}, []AlertKind{AlertTetherPowerLost}, "tether power lost (0 V): the aerostat runs on its battery (battery 87 %)"},
		{"leak: line lies on the ground", func(v *Vehicle) {
			v.Position = Position{Point: OffsetNE(v.Home.Point, 75, 0), AltMSLM: v.Home.AltMSLM + 75, AltRelM: 75}
		}, []AlertKind{AlertPayoutMismatch},
			"line out 150 m but the aerostat is only 106 m from the winch (75 m up): losing lift (leak) or the line is snagged"},
		{"sag within tolerance", func(v *Vehicle) { v.Position.AltMSLM -= 15 }, nil, ""},
		{"outside the watch circle", func(v *Vehicle) {
			v.Position = Position{Point: OffsetNE(v.Home.Point, 300, 100), AltMSLM: v.Home.AltMSLM + 120}
		}, []AlertKind{AlertWatchCircle},
			"aerostat outside its watch circle: 338 m from the winch on 150 m of line (tether parted or line count wrong)"},
		{"winch silent", func(v *Vehicle) { v.Winch.Time = monitorNow.Add(-8 * time.Second) }, []AlertKind{AlertWinchSilent},
			"no winch report for 8 s: line length and tension are stale"},
		{"critical first", func(v *Vehicle) { v.Wind.SpeedMps = 15; v.Winch.TensionKg = 100 },
			[]AlertKind{AlertTensionCritical, AlertWindOverLimit}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := flyingAerostat()
			tc.change(&v)
			alerts := AerostatLimits{}.Check(v, monitorNow)
			var kinds []AlertKind
			for _, a := range alerts {
				kinds = append(kinds, a.Kind)
				require.Equal(t, uint8(3), a.SysID)
			}
			require.Equal(t, tc.kinds, kinds, "%v", alerts)
			if tc.text != "" {
				require.Equal(t, tc.text, alerts[0].Text)
			}
		})
	}
}

// The monitor says once when an alert is raised, again when it worsens, and when it clears.
func TestAerostatMonitorRaisesAndClears(t *testing.T) {
	var m AerostatMonitor
	v := flyingAerostat()
	raised, cleared := m.Update(v, monitorNow)
	require.Empty(t, raised)
	require.Empty(t, cleared)

	v.Winch.TensionKg = 80
	raised, _ = m.Update(v, monitorNow)
	require.Len(t, raised, 1)
	require.Equal(t, AlertTensionHigh, raised[0].Kind)
	raised, _ = m.Update(v, monitorNow)
	require.Empty(t, raised, "still high: not said again")

	v.Winch.TensionKg = 96
	raised, cleared = m.Update(v, monitorNow)
	require.Equal(t, AlertTensionCritical, raised[0].Kind)
	require.Equal(t, AlertTensionHigh, cleared[0].Kind)
	require.Equal(t, []AerostatAlert{raised[0]}, m.Active(3))

	v.Winch.TensionKg = 55
	raised, cleared = m.Update(v, monitorNow)
	require.Empty(t, raised)
	require.Equal(t, AlertTensionCritical, cleared[0].Kind)
	require.Empty(t, m.Active(3))
}
