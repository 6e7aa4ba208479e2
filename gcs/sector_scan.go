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
	phase := math.Mod(now.Sub(s.Start).Seconds()/s.Period.Seconds(), 2)
	if phase < 0 {
		phase += 2
	}
	frac := phase // 0..1 going clockwise, 1..2 coming back
	if phase > 1 {
		frac = 2 - phase
	}
	yaw := math.Mod(s.FromDeg+frac*s.WidthDeg()+360, 360)
	return GimbalAim{PitchDeg: -s.DepressionDeg, YawDeg: yaw}, nil
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
