package gcs

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrScanInvalid is returned, wrapped in a sentence saying why, for a sector scan that
// cannot be flown.
var ErrScanInvalid = errors.New("sector scan refused")

// SectorScan sweeps the camera back and forth across a sector at a fixed depression angle:
// clockwise from FromDeg to ToDeg in one Period, back in the next, so the whole sector is
// covered once every Period.
type SectorScan struct {
	// FromDeg and ToDeg are the sector's edges, clockwise from true north; the sector runs
	// clockwise from FromDeg to ToDeg (350 to 30 is 40° across north).
	FromDeg, ToDeg float64
	// DepressionDeg is how far below the horizon the camera looks, in (0, 90].
	DepressionDeg float64
	// Period is the time of one pass from edge to edge.
	Period time.Duration
	// Start is when the sweep was at FromDeg: set it to the time the scan starts.
	Start time.Time
	// Step is the time between the runner's commands. When set, the sweep advances in
	// whole steps counted from Start: each pass sends both edges exactly (instead of samples
	// falling either side of them) and holds the far edge one step, so the camera dwells
	// two steps at each edge as it turns. Zero sweeps continuously.
	Step time.Duration
	// MaxRangeM is the farthest the camera is useful. It defaults to Geotagger's 5 km.
	MaxRangeM float64
}

// WidthDeg is the sector's width, clockwise from FromDeg to ToDeg, in (0, 360).
func (s SectorScan) WidthDeg() float64 {
	return math.Mod(math.Mod(s.ToDeg-s.FromDeg, 360)+360, 360)
}

// Validate says why a scan cannot be flown, wrapping ErrScanInvalid, or returns nil.
func (s SectorScan) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrScanInvalid, fmt.Sprintf(format, a...))
	}
	switch {
	case !finite(s.FromDeg) || !finite(s.ToDeg) || !finite(s.DepressionDeg):
		return bad("the bearings and depression must be numbers")
	case s.WidthDeg() == 0:
		return bad("from %g° to %g° has no width: give two different bearings", s.FromDeg, s.ToDeg)
	case s.DepressionDeg <= 0:
		return bad("a depression of %g° looks at or above the horizon: give an angle below it, in (0, 90]", s.DepressionDeg)
	case s.DepressionDeg > 90:
		return bad("a depression of %g° is past straight down: give an angle in (0, 90]", s.DepressionDeg)
	case s.Period < time.Second:
		return bad("a period of %s is too short: give at least 1 s", s.Period)
	}
	return nil
}

// Aim returns where the camera points at now: a triangle wave between the edges.
func (s SectorScan) Aim(now time.Time, p Pose) (GimbalAim, error) {
	if err := s.Validate(); err != nil {
		return GimbalAim{}, err
	}
	if err := s.checkRange(p); err != nil {
		return GimbalAim{}, err
	}
	frac := s.sweepFraction(now.Sub(s.Start))
	yaw := math.Mod(s.FromDeg+frac*s.WidthDeg()+360, 360)
	return GimbalAim{PitchDeg: -s.DepressionDeg, YawDeg: yaw}, nil
}

// sweepFraction is how far across the sector the camera is, 0 at FromDeg and 1 at ToDeg.
func (s SectorScan) sweepFraction(elapsed time.Duration) float64 {
	if s.Step > 0 {
		perPass := int64(max(2, math.Round(float64(s.Period)/float64(s.Step))))
		k := int64(math.Round(float64(elapsed) / float64(s.Step)))
		pass, idx := floorDiv(k, perPass), k-floorDiv(k, perPass)*perPass
		frac := float64(idx) / float64(perPass-1)
		if pass%2 != 0 {
			frac = 1 - frac
		}
		return frac
	}
	phase := math.Mod(elapsed.Seconds()/s.Period.Seconds(), 2)
	if phase < 0 {
		phase += 2
	}
	if phase > 1 { // coming back
		return 2 - phase
	}
	return phase
}

// floorDiv divides rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// checkRange refuses a depression so shallow that, from the pose's height above home-level
// ground, the camera centre meets the ground beyond MaxRangeM.
func (s SectorScan) checkRange(p Pose) error {
	maxRange := s.MaxRangeM
	if maxRange <= 0 {
		maxRange = geotagDefaultMaxRangeM
	}
	hM := p.Position.AltRelM
	if hM <= 0 {
		return nil // on the ground: nothing to check yet
	}
	if r := hM / math.Sin(s.DepressionDeg*math.Pi/180); r > maxRange {
		return fmt.Errorf("%w: %w: at %.0f m a %g° depression meets the ground %.0f m away, farther than %.0f m",
			ErrCannotSee, ErrOutOfRange, hM, s.DepressionDeg, r, maxRange)
	}
	return nil
}
