package gcs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakePointer records gimbal commands and answers with err.
type fakePointer struct {
	mu   sync.Mutex
	aims []GimbalAim
	err  error
}

func (f *fakePointer) PointGimbal(_ context.Context, _ uint8, pitchDeg, yawDeg float64, earthYaw bool) (CommandReply, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !earthYaw {
		return CommandReply{}, errors.New("runner must send earth-framed yaw")
	}
	f.aims = append(f.aims, GimbalAim{PitchDeg: pitchDeg, YawDeg: yawDeg})
	return CommandReply{}, f.err
}

type fixedPose struct{ p Pose }

func (f fixedPose) Latest() (Pose, bool) { return f.p, true }

func TestGimbalRunnerSendsEveryPeriod(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ptr := &fakePointer{}
	var sentAt []time.Time
	target := Position{Point: OffsetNE(monitorHome.Point, 0, 100), AltMSLM: monitorHome.AltMSLM}
	r := &GimbalRunner{SysID: 1, Pointer: ptr, Period: 20 * time.Millisecond,
		Poses: fixedPose{Pose{Position: Position{Point: monitorHome.Point, AltMSLM: monitorHome.AltMSLM + 100}}},
		Aimer: Stare{Target: target},
		OnAim: func(_ GimbalAim, err error) {
			require.NoError(t, err)
			if sentAt = append(sentAt, time.Now()); len(sentAt) == 5 {
				cancel()
			}
		}}
	require.NoError(t, r.Run(ctx), "stopping is not an error")
	ptr.mu.Lock()
	defer ptr.mu.Unlock()
	require.Len(t, ptr.aims, 5)
	require.InDelta(t, -45, ptr.aims[0].PitchDeg, 1e-6)
	require.InDelta(t, 90, ptr.aims[0].YawDeg, 1e-6)
	require.GreaterOrEqual(t, sentAt[4].Sub(sentAt[0]), 4*r.Period-5*time.Millisecond, "one command a period, not a burst")
}

// Unanswered commands stop the runner after MaxFailures; an aim out of view does not.
func TestGimbalRunnerGivesUp(t *testing.T) {
	ptr := &fakePointer{err: errors.New("no answer from vehicle 1 to gimbal in 3s")}
	var reports []error
	r := &GimbalRunner{SysID: 1, Pointer: ptr, Period: time.Millisecond,
		Poses: fixedPose{Pose{Position: Position{AltMSLM: 100}}},
		Aimer: Stare{Target: Position{AltMSLM: 0}}, OnAim: func(_ GimbalAim, err error) { reports = append(reports, err) }}
	err := r.Run(context.Background())
	require.True(t, errors.Is(err, ErrGimbalNotAnswering))
	require.EqualError(t, err, "gimbal not answering: 3 commands in a row failed, the last: no answer from vehicle 1 to gimbal in 3s")
	require.Len(t, reports, 3)

	ptr = &fakePointer{}
	r = &GimbalRunner{SysID: 1, Pointer: ptr, Period: time.Millisecond,
		Poses: fixedPose{Pose{Position: Position{AltMSLM: 100}}},
		Aimer: Stare{Target: Position{AltMSLM: 200}}} // above the camera: refused every time
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	require.NoError(t, r.Run(ctx))
	require.Empty(t, ptr.aims)
}
