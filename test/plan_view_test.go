package test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fynetest "fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/ui"
)

// As an operator would, from the plan view alone: draw a survey on the map, upload it to the
// simulated copter, start the mission behind its confirmation, and watch the copter fly the
// survey's lanes in AUTO.
func TestPlanViewDrawUploadFly(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{speedup: 20}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	eventually(t, 10*time.Second, "vehicle 1 has a home", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return v.Home != nil, describe(v)
	})
	st := &gcs.Station{Fleet: c.Fleet, Link: c}

	fynetest.NewTempApp(t)
	win := fynetest.NewTempWindow(t, nil)
	view := ui.NewPlanView(st, win, c.Fleet.Vehicles)
	queue := make(chan func(), 4096) // the test's goroutine is Fyne's
	view.RunOnUI = func(f func()) { queue <- f }
	view.Start()
	t.Cleanup(view.Close)
	win.SetContent(view.Object())
	win.Resize(fyne.NewSize(1400, 900))
	pump := func(what string, d time.Duration, cond func() bool) {
		t.Helper()
		deadline := time.After(d)
		for !cond() {
			select {
			case f := <-queue:
				f()
			case <-deadline:
				v, _ := c.Fleet.Vehicle(1)
				t.Fatalf("%s: not within %s (status %q; %s)", what, d, view.Status(), describe(v))
			}
		}
	}
	pump("the plan starts at the vehicle's home", 5*time.Second, func() bool {
		return view.Editor.Plan().Home == home.Point
	})

	// A 100 m × 60 m area north-east of home, clicked corner by corner.
	view.Map.SetView(home.Point, 1)
	at := func(n, e float64) fyne.Position {
		x, y := view.Map.Projection().ToPx(gcs.OffsetNE(home.Point, n, e))
		return fyne.NewPos(float32(x), float32(y))
	}
	view.Editor.SetTool(ui.ToolSurvey)
	corners := [][2]float64{{20, 20}, {80, 20}, {80, 120}, {20, 120}, {20, 20}}
	for _, p := range corners {
		fynetest.TapAt(view.Map, at(p[0], p[1]))
	}
	p := view.Editor.Plan()
	require.Len(t, p.Items, 3, "takeoff, survey, return")
	survey := p.Items[1].(*gcs.Survey)
	lanes, err := survey.Lanes()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(lanes), 2)
	want, err := p.MissionItems(gcs.ExpandOptions{})
	require.NoError(t, err)

	view.Upload()
	pump("uploaded", 20*time.Second, func() bool {
		return strings.Contains(view.Status(), "accepted the plan") || strings.Contains(view.Status(), "failed")
	})
	require.Equal(t, "Vehicle 1 accepted the plan.", view.Status())
	got, err := c.DownloadMission(ctxT(t, 10*time.Second), 1, gcs.MissionTypeMission, nil)
	require.NoError(t, err)
	require.Len(t, got, len(want), "the vehicle holds the survey")

	ctx := ctxT(t, 2*time.Minute)
	_, err = st.Do(ctx, gcs.Intent{SysID: 1, Kind: gcs.IntentMode, Mode: "GUIDED"})
	require.NoError(t, err)
	_, err = st.Do(ctx, gcs.Intent{SysID: 1, Kind: gcs.IntentArm})
	require.NoError(t, err)
	// At once: the copter disarms by itself if it stays on the ground (0.5 s at 20×).

	view.StartMission()
	top := win.Canvas().Overlays().Top()
	require.NotNil(t, top, "Start mission asks first")
	var confirm *widget.Button
	var text string
	for _, o := range fynetest.LaidOutObjects(top) {
		switch o := o.(type) {
		case *widget.Button:
			if o.Text == "Start mission" {
				confirm = o
			}
		case *widget.Label:
			text += o.Text
		}
	}
	require.Contains(t, text, "Start vehicle 1's mission (AUTO)?")
	require.NotNil(t, confirm)
	fynetest.Tap(confirm)
	pump("mission started", 10*time.Second, func() bool {
		return strings.HasSuffix(view.Status(), "accepted.") || strings.Contains(view.Status(), "vehicle 1:")
	})
	require.Equal(t, "Start vehicle 1's mission (AUTO): accepted.", view.Status())

	// The copter flies the survey in AUTO: it reaches the return to launch after the lanes.
	var track []orb.Point
	pump("survey flown", 90*time.Second, func() bool {
		v, _ := c.Fleet.Vehicle(1)
		if v.PositionValid && v.Position.AltRelM > 20 {
			track = append(track, v.Position.Point)
		}
		return v.Mode == "AUTO" && v.MissionCurrent >= len(want)-1
	})
	f := localFrameAt(home.Point)
	trackXY := make(orb.LineString, len(track))
	for i, q := range track {
		trackXY[i] = f(q)
	}
	for i, l := range lanes {
		mid := f(orb.Point{(l[0][0] + l[1][0]) / 2, (l[0][1] + l[1][1]) / 2})
		require.Less(t, planar.DistanceFrom(trackXY, mid), 3.0, "lane %d was flown", i+1)
	}
}
