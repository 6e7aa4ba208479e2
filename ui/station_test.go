package ui

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// scriptedLink is a vehicle link that answers every command with Reply and remembers what
// it was asked.
type scriptedLink struct {
	mu     sync.Mutex
	Reply  gcs.CommandReply
	Sent   []string
	Winchs []gcs.WinchCommand
}

func (l *scriptedLink) note(what string) (gcs.CommandReply, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.Sent = append(l.Sent, what)
	return l.Reply, nil
}

func (l *scriptedLink) sent() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.Sent...)
}

func (l *scriptedLink) Arm(context.Context, uint8, bool) (gcs.CommandReply, error) {
	return l.note("arm")
}
func (l *scriptedLink) Disarm(context.Context, uint8, bool) (gcs.CommandReply, error) {
	return l.note("disarm")
}
func (l *scriptedLink) SetMode(_ context.Context, _ uint8, m string) (gcs.CommandReply, error) {
	return l.note("mode " + m)
}
func (l *scriptedLink) Takeoff(context.Context, uint8, float64) (gcs.CommandReply, error) {
	return l.note("takeoff")
}
func (l *scriptedLink) Land(context.Context, uint8) (gcs.CommandReply, error) { return l.note("land") }
func (l *scriptedLink) RTL(context.Context, uint8) (gcs.CommandReply, error)  { return l.note("rtl") }
func (l *scriptedLink) Goto(context.Context, uint8, gcs.Position) (gcs.CommandReply, error) {
	return l.note("goto")
}
func (l *scriptedLink) Orbit(context.Context, uint8, gcs.Position, float64) (gcs.CommandReply, error) {
	return l.note("orbit")
}
func (l *scriptedLink) SetHome(context.Context, uint8, gcs.Position) (gcs.CommandReply, error) {
	return l.note("sethome")
}
func (l *scriptedLink) StartMission(context.Context, uint8) (gcs.CommandReply, error) {
	return l.note("start")
}
func (l *scriptedLink) SetROI(context.Context, uint8, gcs.Position) (gcs.CommandReply, error) {
	return l.note("roi")
}
func (l *scriptedLink) PointGimbal(context.Context, uint8, float64, float64, bool) (gcs.CommandReply, error) {
	return l.note("gimbal")
}
func (l *scriptedLink) Winch(_ context.Context, _ uint8, c gcs.WinchCommand, _ gcs.TetherLimits) (gcs.CommandReply, error) {
	l.mu.Lock()
	l.Winchs = append(l.Winchs, c)
	l.mu.Unlock()
	return l.note("winch")
}
func (l *scriptedLink) UploadMission(context.Context, uint8, gcs.MissionType, []gcs.MissionItem, func(int, int)) error {
	return errors.New("not scripted")
}
func (l *scriptedLink) DownloadMission(context.Context, uint8, gcs.MissionType, func(int, int)) ([]gcs.MissionItem, error) {
	return nil, errors.New("not scripted")
}
func (l *scriptedLink) PullParams(context.Context, uint8, func(int, int)) ([]gcs.Param, error) {
	return nil, errors.New("not scripted")
}
func (l *scriptedLink) SetParam(context.Context, uint8, string, float64) (gcs.Param, error) {
	return gcs.Param{}, errors.New("not scripted")
}

// testStation is a station with the given vehicles in its fleet and a scripted link.
func testStation(vs ...gcs.Vehicle) (*gcs.Station, *scriptedLink) {
	fleet := &gcs.Fleet{}
	for _, v := range vs {
		fleet.Update(v.SysID, func(x *gcs.Vehicle) { *x = v })
	}
	link := &scriptedLink{Reply: gcs.CommandReply{Result: gcs.CommandAccepted}}
	return &gcs.Station{Fleet: fleet, Link: link}, link
}

// findButton finds a button by its text among the window's content and overlays (dialogs,
// menus), nil when there is none.
func findButton(c fyne.Canvas, text string) *widget.Button {
	roots := append(c.Overlays().List(), c.Content())
	for _, r := range roots {
		for _, o := range test.LaidOutObjects(r) {
			if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
				return b
			}
		}
	}
	return nil
}

// waitFor polls until cond holds, running Fyne's queued work, for up to 2 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
