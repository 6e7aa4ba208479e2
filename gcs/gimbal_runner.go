package gcs

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// GimbalPointer sends gimbal angles to a vehicle and waits for its answer; the MAVLink
// client satisfies it. earthYaw makes the yaw relative to north.
type GimbalPointer interface {
	PointGimbal(ctx context.Context, sysID uint8, pitchDeg, yawDeg float64, earthYaw bool) (CommandReply, error)
}

// PoseSource gives a vehicle's newest pose; *PoseHistory is one.
type PoseSource interface {
	Latest() (Pose, bool)
}

// GimbalRunner drives a gimbal from an Aimer: every Period it reads the newest pose, asks
// the Aimer where to point and sends that, earth-framed, to the vehicle.
type GimbalRunner struct {
	SysID   uint8
	Pointer GimbalPointer
	Poses   PoseSource
	Aimer   Aimer
	// Period is the time between commands. It defaults to 1 second.
	Period time.Duration
	// MaxFailures is how many commands in a row may go unanswered or refused before Run
	// gives up. It defaults to 3.
	MaxFailures int
	// OnAim, if set, is told every aim sent and every failure (an aim the Aimer refused
	// because the point went out of view is skipped, not fatal).
	OnAim func(aim GimbalAim, err error)

	timeNow func() time.Time
}

// ErrGimbalNotAnswering is returned, wrapping the last error, when the vehicle failed
// MaxFailures gimbal commands in a row.
var ErrGimbalNotAnswering = errors.New("gimbal not answering")

// Run points the gimbal until ctx ends (then it returns nil) or the vehicle stops
// answering. Each command waits for its acknowledgement; commands are never retried, the
// next period's aim replaces a lost one.
func (r *GimbalRunner) Run(ctx context.Context) error {
	period := r.Period
	if period <= 0 {
		period = time.Second
	}
	maxFail := r.MaxFailures
	if maxFail <= 0 {
		maxFail = 3
	}
	now := r.timeNow
	if now == nil {
		now = time.Now
	}
	tick := time.NewTicker(period)
	defer tick.Stop()
	failures := 0
	for {
		if err := r.once(ctx, now()); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var refused aimRefused
			if !errors.As(err, &refused) {
				failures++
				if failures >= maxFail {
					return fmt.Errorf("%w: %d commands in a row failed, the last: %w", ErrGimbalNotAnswering, failures, err)
				}
			}
		} else {
			failures = 0
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// aimRefused marks the Aimer's refusal: the pose moved the point out of view, not a link
// failure.
type aimRefused struct{ error }

func (e aimRefused) Unwrap() error { return e.error }

func (r *GimbalRunner) once(ctx context.Context, now time.Time) error {
	pose, ok := r.Poses.Latest()
	if !ok {
		err := aimRefused{fmt.Errorf("vehicle %d has no pose yet", r.SysID)}
		r.report(GimbalAim{}, err)
		return err
	}
	aim, err := r.Aimer.Aim(now, pose)
	if err != nil {
		r.report(aim, aimRefused{err})
		return aimRefused{err}
	}
	_, err = r.Pointer.PointGimbal(ctx, r.SysID, aim.PitchDeg, aim.YawDeg, true)
	r.report(aim, err)
	return err
}

func (r *GimbalRunner) report(aim GimbalAim, err error) {
	if r.OnAim != nil {
		r.OnAim(aim, err)
	}
}
