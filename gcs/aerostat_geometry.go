package gcs

import (
	"fmt"
	"math"
)

// maxLeanCos is the steepest lean LineForHeight extrapolates from: beyond about 70° from
// vertical the balloon is blown down and more line buys little height.
const maxLeanCos = 0.35

// LineForHeight estimates the line that puts a tethered aerostat heightM above its winch,
// from how it leans now: the line keeps its angle from vertical, so length = height / cos θ,
// with cos θ = (height now) / (distance from the winch now). The lean changes a little with
// the length (a longer line weighs more), so a deploy by height may want a second, small
// correction. On its mooring the balloon is taken to stand straight up. Errors wrap
// ErrWinchCommandInvalid.
func LineForHeight(v Vehicle, heightM float64) (float64, error) {
	switch {
	case !finite(heightM) || heightM < 0:
		return 0, fmt.Errorf("%w: height %g m must be zero or more", ErrWinchCommandInvalid, heightM)
	case !v.PositionValid || v.Home == nil:
		return 0, fmt.Errorf("%w: vehicle %d has no position or home yet, so a height cannot be turned into a line length", ErrWinchCommandInvalid, v.SysID)
	}
	n, e := NorthEastM(v.Home.Point, v.Position.Point)
	upM := v.Position.AltMSLM - v.Home.AltMSLM
	chordM := math.Sqrt(n*n + e*e + upM*upM)
	if chordM < deployedLineM {
		return heightM, nil
	}
	cos := upM / chordM
	if cos < maxLeanCos {
		return 0, fmt.Errorf("%w: the aerostat leans %.0f° from vertical: too blown down to deploy by height", ErrWinchCommandInvalid, math.Acos(max(-1, min(1, cos)))*180/math.Pi)
	}
	return heightM / cos, nil
}
