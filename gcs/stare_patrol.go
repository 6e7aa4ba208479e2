package gcs

import (
	"errors"
	"fmt"
	"time"
)

// ErrPatrolInvalid is returned, wrapped in a sentence saying why, for a patrol that cannot
// be flown.
var ErrPatrolInvalid = errors.New("stare patrol refused")

// StarePatrol is a schedule of views: the camera stares at each point for Dwell, then at the
// next, and starts over after the last.
type StarePatrol struct {
	// Points are the places to watch, in order; their AltMSLM is used.
	Points []Position
	// Dwell is how long each point is watched.
	Dwell time.Duration
	// Start is when the patrol began with the first point.
	Start time.Time
	// Lead and MaxRangeM are as in Stare.
	Lead      time.Duration
	MaxRangeM float64
}

// Current is the index of the point watched at now.
func (p StarePatrol) Current(now time.Time) int {
	if len(p.Points) == 0 || p.Dwell <= 0 {
		return 0
	}
	n := int64(len(p.Points))
	k := floorDiv(int64(now.Sub(p.Start)), int64(p.Dwell))
	return int(k - floorDiv(k, n)*n)
}

// Aim stares at the point of the moment; see Stare.Aim for what it refuses.
func (p StarePatrol) Aim(now time.Time, pose Pose) (GimbalAim, error) {
	if len(p.Points) == 0 {
		return GimbalAim{}, fmt.Errorf("%w: it has no points", ErrPatrolInvalid)
	}
	i := p.Current(now)
	aim, err := p.stare(i).Aim(now, pose)
	if err != nil {
		return GimbalAim{}, fmt.Errorf("patrol point %d of %d: %w", i+1, len(p.Points), err)
	}
	return aim, nil
}

func (p StarePatrol) stare(i int) Stare {
	return Stare{Target: p.Points[i], Lead: p.Lead, MaxRangeM: p.MaxRangeM}
}

// Check refuses a patrol before it starts: no points, no dwell, or a point the camera
// cannot see from pose (the first such is named).
func (p StarePatrol) Check(pose Pose) error {
	switch {
	case len(p.Points) == 0:
		return fmt.Errorf("%w: it has no points", ErrPatrolInvalid)
	case p.Dwell < time.Second:
		return fmt.Errorf("%w: a dwell of %s is too short: give at least 1 s", ErrPatrolInvalid, p.Dwell)
	}
	for i := range p.Points {
		if _, err := p.stare(i).Aim(time.Time{}, pose); err != nil {
			return fmt.Errorf("%w: point %d of %d: %w", ErrPatrolInvalid, i+1, len(p.Points), err)
		}
	}
	return nil
}
