package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/vigil-gcs/vigil/gcs"
)

var errFakeLink = errors.New("not in the fake link")

// fakeLink is a vehicle's parameters behind gcs.Link. A set is answered the way ArduPilot
// answers: refused names keep their value (mavlink.Client then returns an error), rounded
// ones are confirmed with the value the vehicle holds. Other methods fail.
type fakeLink struct {
	mu      sync.Mutex
	params  map[string]gcs.Param
	order   []string
	refuse  map[string]bool
	round   map[string]float64 // name → the value the vehicle holds instead
	sets    []string           // "NAME=VALUE" in the order they came
	pullErr error
	pulled  []uint8 // the vehicles asked for their parameters
}

func newFakeLink(ps ...gcs.Param) *fakeLink {
	l := &fakeLink{params: map[string]gcs.Param{}, refuse: map[string]bool{}, round: map[string]float64{}}
	for _, p := range ps {
		l.params[p.Name] = p
		l.order = append(l.order, p.Name)
	}
	return l
}

func (l *fakeLink) PullParams(_ context.Context, sysID uint8, progress func(done, total int)) ([]gcs.Param, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pulled = append(l.pulled, sysID)
	if l.pullErr != nil {
		return nil, l.pullErr
	}
	out := make([]gcs.Param, 0, len(l.order))
	for i, n := range l.order {
		out = append(out, l.params[n])
		if progress != nil {
			progress(i+1, len(l.order))
		}
	}
	return out, nil
}

func (l *fakeLink) SetParam(_ context.Context, sysID uint8, name string, value float64) (gcs.Param, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sets = append(l.sets, name+"="+gcs.FormatParamValue(gcs.Param{Value: value}))
	p, ok := l.params[name]
	switch {
	case !ok:
		return gcs.Param{}, fmt.Errorf("vehicle %d has no parameter %s", sysID, name)
	case l.refuse[name]:
		return gcs.Param{}, fmt.Errorf("vehicle %d kept %s = %g instead of %g (out of range or read-only?)", sysID, name, p.Value, value)
	}
	if r, ok := l.round[name]; ok {
		value = r
	}
	p.Value = value
	l.params[name] = p
	return p, nil
}

func (l *fakeLink) setsSoFar() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.sets...)
}

func (l *fakeLink) Arm(context.Context, uint8, bool) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) Disarm(context.Context, uint8, bool) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) SetMode(context.Context, uint8, string) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) Takeoff(context.Context, uint8, float64) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) Land(context.Context, uint8) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) RTL(context.Context, uint8) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) Goto(context.Context, uint8, gcs.Position) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) Orbit(context.Context, uint8, gcs.Position, float64) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) SetHome(context.Context, uint8, gcs.Position) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) StartMission(context.Context, uint8) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) SetROI(context.Context, uint8, gcs.Position) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) PointGimbal(context.Context, uint8, float64, float64, bool) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) Winch(context.Context, uint8, gcs.WinchCommand, gcs.TetherLimits) (gcs.CommandReply, error) {
	return gcs.CommandReply{}, errFakeLink
}
func (l *fakeLink) UploadMission(context.Context, uint8, gcs.MissionType, []gcs.MissionItem, func(done, total int)) error {
	return errFakeLink
}
func (l *fakeLink) DownloadMission(context.Context, uint8, gcs.MissionType, func(done, total int)) ([]gcs.MissionItem, error) {
	return nil, errFakeLink
}
