package gcs

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// AlertKind names what an alert is about, so a UI can group, silence and clear alerts.
type AlertKind string

// Aerostat alerts.
const (
	AlertTensionHigh     AlertKind = "tension-high"
	AlertTensionCritical AlertKind = "tension-critical"
	AlertWindOverLimit   AlertKind = "wind-over-limit"
	AlertPayoutMismatch  AlertKind = "payout-mismatch"
	AlertTetherPowerLost AlertKind = "tether-power-lost"
	AlertWatchCircle     AlertKind = "watch-circle-breach"
	AlertWinchStall      AlertKind = "winch-stall"
	AlertWinchFault      AlertKind = "winch-fault"
	AlertWinchSilent     AlertKind = "winch-silent"
)

// AerostatAlert is one condition of a tethered aerostat the operator must know about, in a
// sentence with the numbers.
type AerostatAlert struct {
	SysID    uint8
	Kind     AlertKind
	Severity Severity // SeverityCritical or SeverityWarning
	Text     string
}

func (a AerostatAlert) String() string { return fmt.Sprintf("%s: %s", a.Severity, a.Text) }

// AerostatLimits are the safety limits of a tethered aerostat system. The zero value uses
// the defaults, which suit the simulated aerostat (a 300 m tether rated 150 kg, a winch that
// pulls 100 kg).
type AerostatLimits struct {
	Tether TetherLimits

	// TensionHighKg warns and TensionCriticalKg alarms on line tension. They default to
	// 75 kg and 95 kg.
	TensionHighKg, TensionCriticalKg float64
	// DeployWindMaxMps is the strongest wind the aerostat may fly in. It defaults to 12 m/s.
	DeployWindMaxMps float64
	// PayoutToleranceM is how much shorter than the line the straight distance from the
	// winch to the balloon may be before the line is suspected slack (a leak: the balloon
	// sinks and the line lies on the ground) or snagged. It defaults to 5 m plus 10 % of
	// the line out, room for the tether's sag.
	PayoutToleranceM float64
	// WatchCircleMarginM is how far beyond its line the balloon may seem to be (GNSS error)
	// before it is declared outside its watch circle. It defaults to 15 m.
	WatchCircleMarginM float64
	// StallCurrentA is the motor current that, with the line not moving, means a stalled
	// winch. It defaults to 30 A.
	StallCurrentA float64
	// StaleAfter is how long without a winch report before it is called silent. It defaults
	// to 5 seconds.
	StaleAfter time.Duration
}

// Default aerostat limits.
const (
	defaultTensionHighKg      = 75
	defaultTensionCriticalKg  = 95
	defaultDeployWindMaxMps   = 12
	defaultPayoutToleranceM   = 5
	payoutToleranceFrac       = 0.10
	defaultWatchCircleMarginM = 15
	defaultStallCurrentA      = 30
	defaultWinchStaleAfter    = 5 * time.Second
	// deployedLineM is the line out above which the aerostat counts as flying.
	deployedLineM = 10
	// stoppedSpeedMps is a line speed that counts as not moving.
	stoppedSpeedMps = 0.05
)

func (l AerostatLimits) withDefaults() AerostatLimits {
	l.Tether = l.Tether.withDefaults()
	def := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.TensionHighKg, defaultTensionHighKg)
	def(&l.TensionCriticalKg, defaultTensionCriticalKg)
	def(&l.DeployWindMaxMps, defaultDeployWindMaxMps)
	def(&l.PayoutToleranceM, defaultPayoutToleranceM)
	def(&l.WatchCircleMarginM, defaultWatchCircleMarginM)
	def(&l.StallCurrentA, defaultStallCurrentA)
	if l.StaleAfter <= 0 {
		l.StaleAfter = defaultWinchStaleAfter
	}
	return l
}

// Check turns one snapshot of an aerostat into the alerts that hold now, most severe first.
// It is a pure function of the snapshot and the time: a condition that has passed is simply
// absent (AerostatMonitor turns that into "cleared"). A vehicle without a winch gets none.
func (l AerostatLimits) Check(v Vehicle, now time.Time) []AerostatAlert {
	w := v.Winch
	if w == nil {
		return nil
	}
	l = l.withDefaults()
	var out []AerostatAlert
	add := func(k AlertKind, sev Severity, format string, a ...any) {
		out = append(out, AerostatAlert{SysID: v.SysID, Kind: k, Severity: sev, Text: fmt.Sprintf(format, a...)})
	}
	deployed := w.LineLengthM > deployedLineM && !w.Status.Has(WinchFullyRetracted)

	switch {
	case w.TensionKg >= l.TensionCriticalKg:
		add(AlertTensionCritical, SeverityCritical, "tether tension %.0f kg at or over the %.0f kg critical limit: reduce it now (reel in slowly or retrieve)", w.TensionKg, l.TensionCriticalKg)
	case w.TensionKg >= l.TensionHighKg:
		add(AlertTensionHigh, SeverityWarning, "tether tension %.0f kg over the %.0f kg high limit", w.TensionKg, l.TensionHighKg)
	}

	stopped := !finite(w.SpeedMps) || math.Abs(w.SpeedMps) < stoppedSpeedMps
	switch {
	case w.CurrentA >= l.StallCurrentA && stopped:
		add(AlertWinchStall, SeverityCritical, "winch stalled: motor drawing %.0f A with the line not moving at %.0f m (%s)", w.CurrentA, w.LineLengthM, w.Status)
	case !w.Status.Has(WinchHealthy):
		add(AlertWinchFault, SeverityCritical, "winch reports a fault (%s) at %.0f m of line", w.Status, w.LineLengthM)
	}

	if p := v.TetherPower; p != nil && !p.Supplying() && deployed {
		batt := "battery level unknown"
		if v.Battery.RemainingPct >= 0 {
			batt = fmt.Sprintf("battery %d %%", v.Battery.RemainingPct)
		}
		add(AlertTetherPowerLost, SeverityCritical, "tether power lost (%.0f V): the aerostat runs on its battery (%s)", p.BusVoltageV, batt)
	}

	if wind := v.Wind; wind != nil && wind.SpeedMps > l.DeployWindMaxMps {
		what := "retrieve the aerostat"
		if !deployed {
			what = "do not launch"
		}
		add(AlertWindOverLimit, SeverityWarning, "wind %.1f m/s from %03.0f° over the %.0f m/s deploy limit: %s", wind.SpeedMps, wind.FromDeg, l.DeployWindMaxMps, what)
	}

	if deployed && v.PositionValid && v.Home != nil {
		out = append(out, l.checkGeometry(v, w)...)
	}

	if age := now.Sub(w.Time); age > l.StaleAfter {
		add(AlertWinchSilent, SeverityWarning, "no winch report for %.0f s: line length and tension are stale", age.Seconds())
	}
	sortAlerts(out)
	return out
}

// WatchRadiusM is the radius around the winch the balloon must stay in on lineM of line:
// the line plus the GNSS margin (what the watch-circle alarm checks, drawn on the map).
func (l AerostatLimits) WatchRadiusM(lineM float64) float64 {
	return lineM + l.withDefaults().WatchCircleMarginM
}

// checkGeometry compares where the balloon is with the line out. The winch is at home, so
// the straight distance from home to the balloon (the chord) can never exceed the line; it
// falls short of it by the tether's sag, and by much more when the line lies on the ground
// (lift lost) or is caught on something.
func (l AerostatLimits) checkGeometry(v Vehicle, w *Winch) []AerostatAlert {
	n, e := NorthEastM(v.Home.Point, v.Position.Point)
	horizM := math.Hypot(n, e)
	upM := v.Position.AltMSLM - v.Home.AltMSLM
	chordM := math.Hypot(horizM, upM)
	line := w.LineLengthM
	switch {
	case chordM > line+l.WatchCircleMarginM:
		return []AerostatAlert{{SysID: v.SysID, Kind: AlertWatchCircle, Severity: SeverityCritical, Text: fmt.Sprintf(
			"aerostat outside its watch circle: %.0f m from the winch on %.0f m of line (tether parted or line count wrong)", chordM, line)}}
	case line-chordM > l.PayoutToleranceM+payoutToleranceFrac*line:
		return []AerostatAlert{{SysID: v.SysID, Kind: AlertPayoutMismatch, Severity: SeverityWarning, Text: fmt.Sprintf(
			"line out %.0f m but the aerostat is only %.0f m from the winch (%.0f m up): losing lift (leak) or the line is snagged", line, chordM, upM)}}
	}
	return nil
}

// sortAlerts puts the most severe alerts first, keeping the order of equals.
func sortAlerts(a []AerostatAlert) {
	slices.SortStableFunc(a, func(x, y AerostatAlert) int { return int(x.Severity) - int(y.Severity) })
}

// AerostatMonitor follows the alerts of one or more aerostats over time and says what
// changed: alerts newly raised (or whose severity changed) and alerts that cleared. It is
// not safe for concurrent use.
type AerostatMonitor struct {
	Limits AerostatLimits

	active map[uint8]map[AlertKind]AerostatAlert
}

// Update checks a snapshot and returns what was raised and what cleared since the last
// update of that vehicle.
func (m *AerostatMonitor) Update(v Vehicle, now time.Time) (raised, cleared []AerostatAlert) {
	if m.active == nil {
		m.active = make(map[uint8]map[AlertKind]AerostatAlert)
	}
	prev := m.active[v.SysID]
	cur := make(map[AlertKind]AerostatAlert)
	for _, a := range m.Limits.Check(v, now) {
		cur[a.Kind] = a
		if p, ok := prev[a.Kind]; !ok || p.Severity != a.Severity {
			raised = append(raised, a)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(prev)) {
		if _, ok := cur[k]; !ok {
			cleared = append(cleared, prev[k])
		}
	}
	sortAlerts(cleared)
	m.active[v.SysID] = cur
	return raised, cleared
}

// Active returns the alerts holding for a vehicle at its last update, most severe first.
func (m *AerostatMonitor) Active(sysID uint8) []AerostatAlert {
	var out []AerostatAlert
	for _, k := range slices.Sorted(maps.Keys(m.active[sysID])) {
		out = append(out, m.active[sysID][k])
	}
	sortAlerts(out)
	return out
}
