package gcs

import (
	"errors"
	"fmt"
	"math"
)

// ErrWinchCommandInvalid is returned, wrapped in a sentence saying why, when a winch command
// is refused before anything is sent: a length beyond the tether, a rate over the winch's
// limit, or a length asked before the winch has said how much line is out.
var ErrWinchCommandInvalid = errors.New("winch command refused")

// WinchCommandKind is what the operator asks of the winch.
type WinchCommandKind int

// Winch commands.
const (
	// WinchToLength pays out or reels in to an absolute line length, at RateMps (0: the
	// winch's own speed).
	WinchToLength WinchCommandKind = iota
	// WinchAtRate runs the line at RateMps: positive pays out, negative reels in.
	WinchAtRate
	// WinchHold holds the line where it is with the motor.
	WinchHold
	// WinchLock sets the brake at the current length and relieves the motor.
	WinchLock
	// WinchRetract reels all the line in (retrieve), at RateMps or the winch's speed.
	WinchRetract
	// WinchRelax lets the motor freewheel: the balloon pulls line out. Rarely wanted.
	WinchRelax
)

var winchCommandNames = [...]string{"length", "rate", "hold", "lock", "retract", "relax"}

func (k WinchCommandKind) String() string {
	if k >= 0 && int(k) < len(winchCommandNames) {
		return winchCommandNames[k]
	}
	return fmt.Sprintf("winch command %d", int(k))
}

// WinchCommand is one operator command to a winch.
type WinchCommand struct {
	Kind    WinchCommandKind
	LengthM float64 // WinchToLength: the line length wanted
	RateMps float64 // WinchAtRate: signed rate; WinchToLength, WinchRetract: speed, 0 = default
}

// String says the command as an operator would ("winch length 150 m").
func (c WinchCommand) String() string {
	switch c.Kind {
	case WinchToLength:
		return fmt.Sprintf("winch length %g m", c.LengthM)
	case WinchAtRate:
		return fmt.Sprintf("winch rate %g m/s", c.RateMps)
	}
	return "winch " + c.Kind.String()
}

// WinchAction is MAVLink's WINCH_ACTIONS, the p2 of MAV_CMD_DO_WINCH.
type WinchAction uint8

// Winch actions (WINCH_ACTIONS).
const (
	WinchActionRelaxed        WinchAction = 0
	WinchActionRelativeLength WinchAction = 1
	WinchActionRate           WinchAction = 2
	WinchActionLock           WinchAction = 3
	WinchActionHold           WinchAction = 5
	WinchActionRetract        WinchAction = 6
)

// WinchOrder is a winch command as MAV_CMD_DO_WINCH carries it: an action, a relative
// length (p3) and a rate (p4).
type WinchOrder struct {
	Action   WinchAction
	LengthM  float64 // relative: positive pays out
	RateMps  float64
	Describe string // the operator's words, for messages
}

// TetherLimits are what a winch can do; commands outside them are refused before sending.
type TetherLimits struct {
	// TetherLengthM is the usable line on the drum. It defaults to 300 m.
	TetherLengthM float64
	// RateMaxMps is the winch's fastest line speed. It defaults to 2 m/s.
	RateMaxMps float64
}

// Default tether limits: the simulated aerostat's.
const (
	DefaultTetherLengthM   = 300
	DefaultWinchRateMaxMps = 2
)

func (l TetherLimits) withDefaults() TetherLimits {
	if l.TetherLengthM <= 0 {
		l.TetherLengthM = DefaultTetherLengthM
	}
	if l.RateMaxMps <= 0 {
		l.RateMaxMps = DefaultWinchRateMaxMps
	}
	return l
}

// Plan checks a command against the limits and turns it into the order to send. The winch's
// last report (nil when none came yet) is needed to turn an absolute length into the
// relative one MAVLink carries; the winch then moves by that much from where it is. Errors
// wrap ErrWinchCommandInvalid and say what is wrong.
func (l TetherLimits) Plan(cmd WinchCommand, now *Winch) (WinchOrder, error) {
	l = l.withDefaults()
	bad := func(format string, a ...any) (WinchOrder, error) {
		return WinchOrder{}, fmt.Errorf("%w: %s", ErrWinchCommandInvalid, fmt.Sprintf(format, a...))
	}
	if !finite(cmd.RateMps) || !finite(cmd.LengthM) {
		return bad("%s: length and rate must be numbers", cmd)
	}
	if r := math.Abs(cmd.RateMps); r > l.RateMaxMps {
		return bad("rate %g m/s is over the winch's %g m/s limit", r, l.RateMaxMps)
	}
	o := WinchOrder{Describe: cmd.String()}
	switch cmd.Kind {
	case WinchToLength:
		switch {
		case cmd.LengthM < 0:
			return bad("length %g m is negative: 0 is fully retracted", cmd.LengthM)
		case cmd.LengthM > l.TetherLengthM:
			return bad("length %g m is beyond the %g m tether", cmd.LengthM, l.TetherLengthM)
		case cmd.RateMps < 0:
			return bad("give the speed for a length as a positive number, got %g m/s", cmd.RateMps)
		case now == nil || !finite(now.LineLengthM):
			return bad("the winch has not reported its line length yet, so %g m cannot be turned into a change", cmd.LengthM)
		}
		o.Action, o.LengthM, o.RateMps = WinchActionRelativeLength, cmd.LengthM-now.LineLengthM, cmd.RateMps
	case WinchAtRate:
		if cmd.RateMps == 0 {
			return bad("rate 0 m/s: use winch hold to stop the line")
		}
		o.Action, o.RateMps = WinchActionRate, cmd.RateMps
	case WinchRetract:
		if cmd.RateMps < 0 {
			return bad("give the retract speed as a positive number, got %g m/s", cmd.RateMps)
		}
		o.Action, o.RateMps = WinchActionRetract, cmd.RateMps
	case WinchHold:
		o.Action = WinchActionHold
	case WinchLock:
		o.Action = WinchActionLock
	case WinchRelax:
		o.Action = WinchActionRelaxed
	default:
		return bad("unknown winch command %d", int(cmd.Kind))
	}
	return o, nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
