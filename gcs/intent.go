package gcs

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// ErrBadIntent is wrapped by the sentence that says why an operator's intent was refused
// before anything was sent.
var ErrBadIntent = errors.New("command not sent")

// IntentKind is what the operator asks a vehicle to do.
type IntentKind int

// Intents. All but IntentLookAt and IntentPointGimbal move the vehicle or its tether and
// ask for the operator's confirmation first (Actuating).
const (
	IntentArm IntentKind = iota
	IntentDisarm
	IntentTakeoff
	IntentLand
	IntentRTL
	IntentMode
	IntentGoto
	IntentOrbit
	IntentSetHome
	IntentStartMission
	IntentLookAt
	IntentPointGimbal
	IntentWinch
)

// Intent is one operator command to one vehicle, as a button or a map click makes it.
type Intent struct {
	SysID uint8
	Kind  IntentKind
	// AltM is above home: the takeoff altitude, or the altitude to fly to (Goto, Orbit; 0
	// keeps the vehicle's current altitude) or to look at (LookAt; the ground at home
	// altitude when 0).
	AltM float64
	// Mode is the flight mode's name for IntentMode ("GUIDED", "AUTO").
	Mode string
	// Point is where to fly, orbit, look or put home, {lon, lat}.
	Point orb.Point
	// RadiusM is the orbit's radius: positive clockwise seen from above.
	RadiusM float64
	// PitchDeg and YawDeg point the gimbal (IntentPointGimbal); yaw is from the vehicle's nose.
	PitchDeg, YawDeg float64
	// Force skips the vehicle's checks (arm, disarm in flight).
	Force bool
	// Winch is the tether command for IntentWinch.
	Winch WinchCommand
}

// Actuating reports whether the intent moves the vehicle, its tether or its mission, and
// therefore goes behind a confirmation that names the vehicle and the action.
func (in Intent) Actuating() bool {
	return in.Kind != IntentLookAt && in.Kind != IntentPointGimbal
}

// String says the intent as the confirmation asks it: "Take off vehicle 1 to 20 m".
func (in Intent) String() string {
	v := fmt.Sprintf("vehicle %d", in.SysID)
	at := fmt.Sprintf("%.6f, %.6f", in.Point.Lat(), in.Point.Lon())
	alt := "at its current altitude"
	if in.AltM > 0 {
		alt = fmt.Sprintf("at %g m above home", in.AltM)
	}
	switch in.Kind {
	case IntentArm:
		if in.Force {
			return "Force-arm " + v + " (skipping its pre-arm checks)"
		}
		return "Arm " + v
	case IntentDisarm:
		if in.Force {
			return "Force-disarm " + v + " (it falls if it is flying)"
		}
		return "Disarm " + v
	case IntentTakeoff:
		return fmt.Sprintf("Take off %s to %g m above home", v, in.AltM)
	case IntentLand:
		return "Land " + v + " where it is"
	case IntentRTL:
		return "Return " + v + " to launch"
	case IntentMode:
		return fmt.Sprintf("Switch %s to %s", v, in.Mode)
	case IntentGoto:
		return fmt.Sprintf("Fly %s to %s %s", v, at, alt)
	case IntentOrbit:
		dir := "clockwise"
		if in.RadiusM < 0 {
			dir = "counter-clockwise"
		}
		return fmt.Sprintf("Orbit %s around %s, radius %g m %s, %s", v, at, math.Abs(in.RadiusM), dir, alt)
	case IntentSetHome:
		return fmt.Sprintf("Set %s's home to %s", v, at)
	case IntentStartMission:
		return "Start " + v + "'s mission (AUTO)"
	case IntentLookAt:
		return fmt.Sprintf("Point %s's camera at %s", v, at)
	case IntentPointGimbal:
		return fmt.Sprintf("Point %s's gimbal to pitch %.0f°, yaw %.0f°", v, in.PitchDeg, in.YawDeg)
	case IntentWinch:
		return fmt.Sprintf("Tether of %s: %s", v, in.Winch)
	}
	return fmt.Sprintf("command %d to %s", int(in.Kind), v)
}

// check refuses intents that cannot be right whatever the vehicle says.
func (in Intent) check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadIntent, fmt.Sprintf(format, a...))
	}
	switch in.Kind {
	case IntentTakeoff:
		if !(in.AltM >= 1 && in.AltM <= 1000) {
			return bad("take-off altitude %g m: give a height above home between 1 and 1000 m", in.AltM)
		}
	case IntentMode:
		if in.Mode == "" {
			return bad("say which mode")
		}
	case IntentGoto, IntentOrbit, IntentSetHome, IntentLookAt:
		if !(in.Point.Lat() >= -90 && in.Point.Lat() <= 90 && in.Point.Lon() >= -180 && in.Point.Lon() <= 180) || in.Point == (orb.Point{}) {
			return bad("the point %v is not on the map", in.Point)
		}
		if !(in.AltM >= 0 && in.AltM <= 5000) {
			return bad("altitude %g m above home is out of range", in.AltM)
		}
		if in.Kind == IntentOrbit && !(math.Abs(in.RadiusM) >= 1 && math.Abs(in.RadiusM) <= 10000) {
			return bad("orbit radius %g m: give 1 m to 10 km", in.RadiusM)
		}
	case IntentPointGimbal:
		if !(in.PitchDeg >= -90 && in.PitchDeg <= 30) || !(in.YawDeg >= -180 && in.YawDeg <= 360) {
			return bad("gimbal pitch %g°, yaw %g° is out of range", in.PitchDeg, in.YawDeg)
		}
	}
	return nil
}
