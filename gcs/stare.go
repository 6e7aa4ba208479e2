package gcs

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrCannotSee is returned, wrapped with ErrAboveHorizon or ErrOutOfRange and a sentence
// with the numbers, when a gimbal is asked to look at something it cannot see.
var ErrCannotSee = errors.New("the camera cannot see it")

// GimbalAim is where to point a stabilised gimbal: pitch above the horizon (negative looks
// down) and yaw clockwise from true north, both in degrees.
type GimbalAim struct {
	PitchDeg, YawDeg float64
}

// Aimer is a gimbal controller: where the camera should point at a moment, from the
// vehicle's pose then. Stare and SectorScan are Aimers.
type Aimer interface {
	Aim(now time.Time, p Pose) (GimbalAim, error)
}

// Stare keeps the camera's centre on one point as the vehicle drifts (a tethered aerostat
// swinging on its line): every call recomputes the angles from the pose.
type Stare struct {
	// Target is the point to watch; its AltMSLM is used.
	Target Position
	// Lead predicts the pose this far ahead with its velocity, to aim where the vehicle
	// will be while the command travels and holds (about half the update period plus the
	// link delay). Zero aims from the pose as it is.
	Lead time.Duration
	// MaxRangeM is the farthest the camera is useful. It defaults to Geotagger's 5 km.
	MaxRangeM float64
}

// Aim returns the gimbal angles that put the target at the image centre. It refuses, with
// an error wrapping ErrCannotSee and ErrAboveHorizon or ErrOutOfRange, a target level with
// or above the camera (a stabilised gimbal looking up sees sky, and geotagging needs the
// ground) or farther than MaxRangeM.
func (s Stare) Aim(_ time.Time, p Pose) (GimbalAim, error) {
	lead := s.Lead.Seconds()
	from := OffsetNE(p.Position.Point, p.Velocity.NorthMps*lead, p.Velocity.EastMps*lead)
	altMSLM := p.Position.AltMSLM - p.Velocity.DownMps*lead

	n, e := NorthEastM(from, s.Target.Point)
	horizM := math.Hypot(n, e)
	downM := altMSLM - s.Target.AltMSLM
	rangeM := math.Hypot(horizM, downM)
	maxRange := s.MaxRangeM
	if maxRange <= 0 {
		maxRange = geotagDefaultMaxRangeM
	}
	switch {
	case downM <= 0:
		return GimbalAim{}, fmt.Errorf("%w: %w: the point is %.0f m above the camera, %.0f m away", ErrCannotSee, ErrAboveHorizon, math.Max(-downM, 0), horizM)
	case rangeM > maxRange:
		return GimbalAim{}, fmt.Errorf("%w: %w: the point is %.0f m away, farther than %.0f m", ErrCannotSee, ErrOutOfRange, rangeM, maxRange)
	}
	aim := GimbalAim{PitchDeg: -math.Atan2(downM, horizM) * 180 / math.Pi}
	if horizM > 0.01 { // straight below, any yaw will do
		aim.YawDeg = math.Mod(math.Atan2(e, n)*180/math.Pi+360, 360)
	}
	return aim, nil
}
