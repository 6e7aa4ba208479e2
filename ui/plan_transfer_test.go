package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// transferLink is a vehicle link whose mission transfers the test controls.
type transferLink struct {
	gcs.Link // other commands are not expected: calling one panics the test

	mu       sync.Mutex
	uploaded map[gcs.MissionType][]gcs.MissionItem
	gate     chan struct{} // when set, an upload stops half way until it is closed
	failWith error
	started  []uint8
}

func (l *transferLink) UploadMission(ctx context.Context, sysID uint8, t gcs.MissionType, items []gcs.MissionItem, progress func(done, total int)) error {
	if l.failWith != nil {
		return l.failWith
	}
	for i := range items {
		if i == len(items)/2 && l.gate != nil && t == gcs.MissionTypeMission {
			select {
			case <-l.gate:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		progress(i+1, len(items))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.uploaded == nil {
		l.uploaded = map[gcs.MissionType][]gcs.MissionItem{}
	}
	l.uploaded[t] = items
	return nil
}

func (l *transferLink) DownloadMission(ctx context.Context, sysID uint8, t gcs.MissionType, progress func(done, total int)) ([]gcs.MissionItem, error) {
	l.mu.Lock()
	items, ok := l.uploaded[t]
	l.mu.Unlock()
	if !ok {
		return nil, errors.New("vehicle 1 has no " + t.String())
	}
	for i := range items {
		progress(i+1, len(items))
	}
	return items, nil
}

func (l *transferLink) StartMission(ctx context.Context, sysID uint8) (gcs.CommandReply, error) {
	l.mu.Lock()
	l.started = append(l.started, sysID)
	l.mu.Unlock()
	return gcs.CommandReply{Result: gcs.CommandAccepted}, nil
}

func stationWith(link gcs.Link, vs ...gcs.Vehicle) *gcs.Station {
	fleet := &gcs.Fleet{}
	for _, v := range vs {
		fleet.Update(v.SysID, func(x *gcs.Vehicle) { *x = v })
	}
	return &gcs.Station{Fleet: fleet, Link: link}
}

// tapDialogButton taps the button of the dialog on top of the window.
func tapDialogButton(t *testing.T, win fyne.Window, text string) string {
	t.Helper()
	top := win.Canvas().Overlays().Top()
	require.NotNil(t, top, "a dialog is shown")
	var msg []string
	var btn *widget.Button
	for _, o := range walk(top) {
		switch o := o.(type) {
		case *widget.Button:
			if o.Text == text {
				btn = o
			}
		case *widget.Label:
			msg = append(msg, o.Text)
		}
	}
	require.NotNil(t, btn, "a %q button in the dialog", text)
	test.Tap(btn)
	return strings.Join(msg, "\n")
}

// Upload shows its progress with the buttons disabled, then the vehicle's acceptance; a
// failing link shows its error. Start mission asks first, naming the vehicle.
func TestPlanViewUploadAndStart(t *testing.T) {
	link := &transferLink{gate: make(chan struct{})}
	f := newPlanFixture(t, stationWith(link, vehicleAtHome()), []gcs.Vehicle{vehicleAtHome()})
	f.drawSurvey(square, false)
	f.pickCamera("Sony ILCE-QX1")
	require.Empty(t, problemLabels(f.v))
	want, err := clonePlan(f.v.Editor.Plan()).MissionItems(gcs.ExpandOptions{})
	require.NoError(t, err)

	require.False(t, f.v.upload.Disabled())
	test.Tap(f.v.upload)
	f.q.pump(t, "half uploaded", func() bool { return f.v.progress.Value >= 0.5 })
	require.Equal(t, fmt.Sprintf("Uploading to vehicle 1: %d of %d items", len(want)/2, len(want)), f.v.status.Text)
	require.InDelta(t, 0.5, f.v.progress.Value, 0.02)
	require.True(t, f.v.upload.Disabled(), "one transfer at a time")
	require.True(t, f.v.start.Disabled())
	close(link.gate)
	f.q.pump(t, "upload finished", func() bool { return !f.v.busy })
	require.Equal(t, "Vehicle 1 accepted the plan.", f.v.status.Text)
	require.Equal(t, 1.0, f.v.progress.Value)
	require.False(t, f.v.upload.Disabled())
	require.Len(t, link.uploaded[gcs.MissionTypeMission], len(want))

	test.Tap(f.v.start)
	msg := tapDialogButton(t, f.win, "Start mission")
	require.Contains(t, msg, "Start vehicle 1's mission (AUTO)?")
	require.Contains(t, msg, "not armed")
	require.NotContains(t, msg, "not what the vehicle has", "the plan shown is the one uploaded")
	f.q.pump(t, "mission started", func() bool { return !f.v.busy })
	require.Equal(t, []uint8{1}, link.started)
	require.Equal(t, "Start vehicle 1's mission (AUTO): accepted.", f.v.status.Text)

	// Read back: the vehicle's plan replaces the one shown, after asking.
	test.Tap(f.v.download)
	tapDialogButton(t, f.win, "Yes")
	f.q.pump(t, "downloaded", func() bool { return !f.v.busy })
	require.Contains(t, f.v.status.Text, "Read vehicle 1's plan")
	require.Len(t, f.v.Editor.Plan().Items, len(want)-1, "the mission as simple items")

	link.failWith = errors.New("no answer from vehicle 1 to MISSION_COUNT in 1.5s")
	test.Tap(f.v.upload)
	f.q.pump(t, "upload failed", func() bool { return !f.v.busy })
	require.Equal(t, "Upload to vehicle 1 failed: uploading the mission: no answer from vehicle 1 to MISSION_COUNT in 1.5s", f.v.status.Text)
	require.Equal(t, 0.0, f.v.progress.Value)
	require.False(t, f.v.upload.Disabled(), "free to try again")
}

// Without a vehicle there is nothing to upload to.
func TestPlanViewWithoutVehicle(t *testing.T) {
	f := newPlanFixture(t, nil, nil)
	require.True(t, f.v.upload.Disabled())
	require.True(t, f.v.start.Disabled())
	f.v.showVehicles([]gcs.Vehicle{vehicleAtHome()})
	require.Equal(t, "Vehicle 1", f.v.vehicleSel.Selected)
	require.False(t, f.v.upload.Disabled())
}
