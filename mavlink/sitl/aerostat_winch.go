package sitl

import (
	"fmt"
	"math"

	"github.com/vigil-gcs/vigil/gcs"
)

// cmdDoWinch is MAV_CMD_DO_WINCH: p1 instance, p2 action, p3 relative length, p4 rate.
const cmdDoWinch uint16 = 42600

// winchMode is what the winch is doing (the WINCH_ACTIONS it was last given).
type winchMode int

const (
	winchRelaxed winchMode = iota // motor freewheels, brake off: lift pulls line out
	winchLength                   // paying out or reeling in to a target length
	winchRate                     // running at a set rate
	winchHold                     // motor holds the line
	winchLocked                   // brake on, motor off
	winchRetract                  // reeling in to fully retracted
)

// The simulated winch: a ground winch for a 300 m power tether, after the small tactical
// aerostat winches (about 100 kg of pull, 2 m/s of line).
const (
	winchAccelMps2     = 1.0  // how fast the line speed changes
	winchFreeSpoolMps  = 1.0  // line speed when relaxed and the balloon pulls
	winchIdleA         = 0.3  // electronics, brake or freewheel
	winchAmpsPerKg     = 0.25 // motor current per kilogram of tension it holds
	winchAmpsPerMps    = 2.0  // and per m/s of line it reels in
	winchStallA        = 45   // a stalled motor at its current limit
	winchBusV          = 48
	winchOhm           = 0.05 // bus sag per amp
	winchAmbientC      = 25
	winchHeatCPerA2    = 0.1   // steady temperature rise per amp² (14 A: +20 °C)
	winchThermalTau    = 120.0 // seconds
	winchOvertempC     = 90
	winchRatedPullKg   = 100 // beyond this the motor cannot reel in
	winchArriveM       = 0.02
	winchRetractedM    = 0.05
	winchDefaultRateFr = 1.0 // a length or retract without a rate runs at the limit
)

// winch is the tether winch: line, motor, brake and the faults injected into them.
type winch struct {
	maxLineM, maxRateMps float64

	mode     winchMode
	targetM  float64 // winchLength
	rateMps  float64 // winchRate: signed; winchLength, winchRetract: magnitude
	lineM    float64
	speedMps float64 // positive pays out
	currentA float64
	tempC    float64

	stalled   bool // injected: the motor cannot turn
	overtemp  bool
	overload  bool // tension beyond what the motor can pull in
	stallSaid bool
}

func newWinch(maxLineM, maxRateMps, lineM float64) winch {
	w := winch{maxLineM: maxLineM, maxRateMps: maxRateMps, lineM: clamp(lineM, 0, maxLineM), tempC: winchAmbientC}
	w.mode = winchLocked
	if w.lineM <= winchRetractedM {
		w.mode = winchRetract
	}
	return w
}

// command is MAV_CMD_DO_WINCH. It returns a MAV_RESULT and, for a refusal, why.
func (w *winch) command(p [7]float64) (uint8, string) {
	if inst := p[0]; inst != 0 && inst != 1 {
		return resultFailed, fmt.Sprintf("Winch: no instance %g", inst)
	}
	rate := p[3]
	if math.IsNaN(rate) {
		rate = 0
	}
	if math.Abs(rate) > w.maxRateMps+1e-6 {
		return resultDenied, fmt.Sprintf("Winch: rate %.2f m/s over the %.1f m/s limit", math.Abs(rate), w.maxRateMps)
	}
	if w.overtemp {
		return resultTemporarilyRejected, "Winch: motor over temperature, cooling"
	}
	switch gcs.WinchAction(p[1]) {
	case gcs.WinchActionRelaxed:
		w.mode = winchRelaxed
	case gcs.WinchActionRelativeLength:
		target := w.lineM + p[2]
		if math.IsNaN(target) || target < -winchArriveM || target > w.maxLineM+winchArriveM {
			return resultDenied, fmt.Sprintf("Winch: length %.1f m outside 0-%.0f m", target, w.maxLineM)
		}
		w.mode, w.targetM, w.rateMps = winchLength, clamp(target, 0, w.maxLineM), math.Abs(rate)
	case gcs.WinchActionRate:
		w.mode, w.rateMps = winchRate, rate
	case gcs.WinchActionLock:
		w.mode = winchLocked
	case gcs.WinchActionHold:
		w.mode = winchHold
	case gcs.WinchActionRetract:
		w.mode, w.rateMps = winchRetract, math.Abs(rate)
	default:
		return resultUnsupported, fmt.Sprintf("Winch: action %g not supported", p[1])
	}
	w.overload = false
	return resultAccepted, ""
}

// wantSpeed is the line speed a motorised mode wants, before limits.
func (w *winch) wantSpeed() (mps float64, motor bool) {
	rate := func(r float64) float64 {
		if r <= 0 {
			return w.maxRateMps * winchDefaultRateFr
		}
		return r
	}
	switch w.mode {
	case winchLength:
		d := w.targetM - w.lineM
		// Slow down to arrive: v² = 2·a·d.
		v := math.Min(rate(w.rateMps), math.Sqrt(2*winchAccelMps2*math.Abs(d)))
		return math.Copysign(v, d), true
	case winchRate:
		return w.rateMps, true
	case winchRetract:
		return -math.Min(rate(w.rateMps), math.Sqrt(2*winchAccelMps2*w.lineM)), w.lineM > winchRetractedM
	case winchHold:
		return 0, true
	}
	return 0, false
}

// step moves the line for dt seconds against tension (N); liftPulls says whether the
// balloon pulls line out when the winch freewheels. It returns messages for the operator.
func (w *winch) step(dt, tensionN float64, liftPulls bool) []string {
	var say []string
	tensionKg := tensionN / gravityMps2
	want, motor := w.wantSpeed()
	if w.mode == winchRelaxed && liftPulls {
		want = winchFreeSpoolMps
	}
	if w.overtemp {
		want, motor = 0, false
	}
	if motor && want < 0 && tensionKg > winchRatedPullKg {
		if !w.overload {
			say = append(say, fmt.Sprintf("Winch: tension %.0f kg over the %d kg rated pull, holding", tensionKg, winchRatedPullKg))
		}
		w.overload = true
		want = 0
	} else if tensionKg <= winchRatedPullKg*0.9 {
		w.overload = false
	}
	stalled := w.stalled && motor && want != 0
	if stalled {
		want = 0
		w.speedMps = 0
		if !w.stallSaid {
			say = append(say, fmt.Sprintf("Winch: motor stalled at %.1f m", w.lineM))
			w.stallSaid = true
		}
	} else {
		w.stallSaid = false
		w.speedMps = approach(w.speedMps, want, winchAccelMps2*dt)
	}
	w.lineM += w.speedMps * dt
	switch {
	case w.lineM <= 0:
		w.lineM, w.speedMps = 0, 0
	case w.lineM >= w.maxLineM:
		w.lineM, w.speedMps = w.maxLineM, 0
	}
	if w.mode == winchLength && math.Abs(w.targetM-w.lineM) < winchArriveM && math.Abs(w.speedMps) < 0.1 {
		w.lineM, w.speedMps, w.mode = w.targetM, 0, winchHold
	}

	switch {
	case stalled:
		w.currentA = winchStallA
	case motor:
		w.currentA = winchIdleA + winchAmpsPerKg*tensionKg + winchAmpsPerMps*math.Max(-w.speedMps, 0)
	default:
		w.currentA = winchIdleA
	}
	steady := winchAmbientC + winchHeatCPerA2*w.currentA*w.currentA
	w.tempC += (steady - w.tempC) * math.Min(dt/winchThermalTau, 1)
	if !w.overtemp && w.tempC >= winchOvertempC {
		w.overtemp = true
		w.mode = winchLocked
		say = append(say, fmt.Sprintf("Winch: motor %.0f °C over temperature, brake on", w.tempC))
	} else if w.overtemp && w.tempC < winchOvertempC-20 {
		w.overtemp = false
	}
	return say
}

// status is what WINCH_STATUS reports.
func (w *winch) status(tensionN float64) gcs.Winch {
	var flags gcs.WinchStatus
	if !w.stalled && !w.overtemp && !w.overload {
		flags |= gcs.WinchHealthy
	}
	if w.lineM <= winchRetractedM {
		flags |= gcs.WinchFullyRetracted
	}
	if math.Abs(w.speedMps) > 0.01 {
		flags |= gcs.WinchMoving
	}
	if w.mode == winchLocked {
		flags |= gcs.WinchLocked
	}
	if w.mode == winchRetract && w.lineM > winchRetractedM {
		flags |= gcs.WinchRetracting
	}
	if w.mode != winchRelaxed && w.mode != winchLocked {
		flags |= gcs.WinchClutchEngaged
	}
	return gcs.Winch{
		CompID:       mavCompWinch,
		LineLengthM:  w.lineM,
		SpeedMps:     w.speedMps,
		TensionKg:    tensionN / gravityMps2,
		VoltageV:     winchBusV - winchOhm*w.currentA,
		CurrentA:     w.currentA,
		TemperatureC: math.Round(w.tempC),
		Status:       flags,
	}
}
