package ui

import (
	"context"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// The window shows the vehicles on the map, their lines in the strip with alarms in red and
// the reason, and the targets newest first; a click on a target centres the map on it.
func TestMainWindowShowsTheStation(t *testing.T) {
	app := test.NewTempApp(t)
	lost := flyingVehicle()
	lost.SysID, lost.Connected = 2, false
	lowBattery := flyingVehicle()
	lowBattery.SysID, lowBattery.Battery.RemainingPct = 3, 12
	st, _ := testStation(flyingVehicle(), lost, lowBattery)
	w := NewMainWindow(app, st, Options{Home: home})
	w.cmd.async = func(f func()) { f() }
	w.Refresh()

	var texts []string
	for _, o := range w.Strip.Object().(*fyne.Container).Objects {
		if o, ok := o.(*canvas.Text); ok {
			require.Equal(t, alarmColour, o.Color, "alarms are red")
			texts = append(texts, o.Text)
		}
	}
	require.Len(t, texts, 2)
	require.Contains(t, texts[0], "link lost")
	require.Contains(t, texts[1], "battery 12%")
	c, mpp := w.Map.View()
	require.InDelta(t, 0, gcs.DistanceM(c, flyingVehicle().Position.Point), 0.01, "the map centres on the first vehicle")
	require.Equal(t, 1.0, mpp)
	require.Equal(t, uint8(1), w.Actions.Selected(), "the first vehicle is selected by itself")
	require.Len(t, w.Map.Snapshot().Vehicles, 3)
}

func TestTargetsPaneNewestFirstAndCentres(t *testing.T) {
	test.NewTempApp(t)
	p := NewTargetsPane()
	var centred orb.Point
	p.OnCentre = func(pt orb.Point) { centred = pt }
	ts := []gcs.Target{
		{ID: 1, Class: "vehicle", Point: home, ErrorM: 2.5, Sightings: 40, LastSeen: time.Now()},
		{ID: 2, Class: "person", Point: gcs.OffsetNE(home, 5, 5), ErrorM: 1.2, Sightings: 7, LastSeen: time.Now()},
	}
	p.Show(ts)
	first, _ := p.at(0)
	require.Equal(t, int64(2), first.ID, "the newest target first")
	require.Contains(t, TargetLine(first), "T2 person ±1.2 m, 7 sightings")
	p.list.Select(1)
	require.Equal(t, home, centred, "a click on the older target centres the map on it")

	// A new target arrives: the selection stays on T1, now one row lower, without moving the map.
	centred = orb.Point{}
	p.Show(append(ts, gcs.Target{ID: 3, Class: "person", Point: gcs.OffsetNE(home, 9, 9), LastSeen: time.Now()}))
	sel, _ := p.at(p.selected)
	require.Equal(t, int64(1), sel.ID)
	require.Equal(t, orb.Point{}, centred)
}

// Arming goes behind a confirmation that names the vehicle and the action; Cancel sends
// nothing; confirming sends once and shows the vehicle's answer as it came.
func TestArmNeedsConfirmationAndShowsTheAnswer(t *testing.T) {
	app := test.NewTempApp(t)
	st, link := testStation(flyingVehicle())
	link.Reply = gcs.CommandReply{Result: gcs.CommandDenied, Reason: "PreArm: GPS not healthy"}
	w := NewMainWindow(app, st, Options{Home: home})
	w.cmd.async = func(f func()) { f() }
	w.Window.Resize(fyne.NewSize(1400, 860))
	w.Refresh()

	test.Tap(findButton(w.Window.Canvas(), "Arm"))
	confirm := findButton(w.Window.Canvas(), "Arm 1")
	require.NotNil(t, confirm, "the confirm button names the action and the vehicle")
	require.True(t, hasText(w.Window.Canvas(), "Arm vehicle 1?"))
	test.Tap(findButton(w.Window.Canvas(), "Cancel"))
	require.Empty(t, link.sent(), "cancel sends nothing")

	test.Tap(findButton(w.Window.Canvas(), "Arm"))
	test.Tap(findButton(w.Window.Canvas(), "Arm 1"))
	waitFor(t, func() bool { return len(link.sent()) == 1 }, "the arm command")
	waitFor(t, func() bool { return w.cmd.Answer().Text == "Arm vehicle 1: denied: PreArm: GPS not healthy" }, "the answer: "+w.cmd.Answer().Text)
	require.Equal(t, widget.DangerImportance, w.cmd.Answer().Importance, "a refusal is shown in red")
	log := st.CommandLog()
	require.Len(t, log, 1)
	require.Equal(t, "denied: PreArm: GPS not healthy", log[0].Answer)

	// Take off uses the altitude typed beside the button.
	link.Reply = gcs.CommandReply{Result: gcs.CommandAccepted}
	w.Actions.altitude.SetText("35")
	test.Tap(findButton(w.Window.Canvas(), "Take off to"))
	require.True(t, hasText(w.Window.Canvas(), "Take off vehicle 1 to 35 m above home?"))
	test.Tap(findButton(w.Window.Canvas(), "Take off 1"))
	waitFor(t, func() bool { return w.cmd.Answer().Text == "Take off vehicle 1 to 35 m above home: accepted" }, "takeoff accepted")
	require.Equal(t, widget.SuccessImportance, w.cmd.Answer().Importance)
}

// From the ground, one confirmed "take off" switches to GUIDED, arms and takes off, and
// stops at the first refusal with the vehicle's reason.
func TestTakeoffFromTheGround(t *testing.T) {
	app := test.NewTempApp(t)
	v := flyingVehicle()
	v.Mode, v.Armed = "STABILIZE", false
	st, link := testStation(v)
	w := NewMainWindow(app, st, Options{Home: home})
	w.cmd.async = func(f func()) { f() }
	w.Refresh()
	test.Tap(findButton(w.Window.Canvas(), "Take off to"))
	require.True(t, hasText(w.Window.Canvas(), "Take off vehicle 1 to 20 m above home (switching to GUIDED, arming it)?"))
	test.Tap(findButton(w.Window.Canvas(), "Take off 1"))
	require.Equal(t, []string{"mode GUIDED", "arm", "takeoff"}, link.sent())
	require.Equal(t, "Take off vehicle 1 to 20 m above home (switching to GUIDED, arming it): mode GUIDED accepted, arm accepted, take-off accepted", w.cmd.Answer().Text)

	link.Sent = nil
	link.Reply = gcs.CommandReply{Result: gcs.CommandDenied, Reason: "PreArm: GPS not healthy"}
	test.Tap(findButton(w.Window.Canvas(), "Take off to"))
	test.Tap(findButton(w.Window.Canvas(), "Take off 1"))
	require.Equal(t, []string{"mode GUIDED"}, link.sent(), "nothing more after a refusal")
	require.Contains(t, w.cmd.Answer().Text, "mode GUIDED denied: PreArm: GPS not healthy")
	require.Equal(t, widget.DangerImportance, w.cmd.Answer().Importance)
}

// hasTextContaining reports whether some text on the canvas or its overlays contains s.
func hasTextContaining(c fyne.Canvas, s string) bool {
	for _, r := range append(c.Overlays().List(), c.Content()) {
		for _, o := range test.LaidOutObjects(r) {
			switch o := o.(type) {
			case *widget.Label:
				if strings.Contains(o.Text, s) {
					return true
				}
			case *canvas.Text:
				if strings.Contains(o.Text, s) {
					return true
				}
			case *widget.RichText:
				if strings.Contains(o.String(), s) {
					return true
				}
			}
		}
	}
	return false
}

// hasText reports whether a label or text with exactly s is on the canvas or its overlays.
func hasText(c fyne.Canvas, s string) bool {
	for _, r := range append(c.Overlays().List(), c.Content()) {
		for _, o := range test.LaidOutObjects(r) {
			switch o := o.(type) {
			case *widget.Label:
				if o.Text == s {
					return true
				}
			case *canvas.Text:
				if o.Text == s {
					return true
				}
			}
		}
	}
	return false
}

// Right-click → "Fly vehicle 1 here" flies to the clicked point after confirmation; "Point
// the camera" needs none.
func TestMapMenuFliesAndLooks(t *testing.T) {
	app := test.NewTempApp(t)
	st, link := testStation(flyingVehicle())
	w := NewMainWindow(app, st, Options{Home: home})
	w.cmd.async = func(f func()) { f() }
	w.Refresh()
	p := gcs.OffsetNE(home, 100, 50)
	menu := w.mapMenu(p)
	labels := map[string]*fyne.MenuItem{}
	for _, it := range menu.Items {
		labels[it.Label] = it
	}
	for _, want := range []string{"Fly vehicle 1 here", "Point vehicle 1's camera here", "Orbit here with vehicle 1…",
		"Set vehicle 1's home here", "Mark an incident here…", "Start a zone here"} {
		require.Contains(t, labels, want)
	}
	labels["Point vehicle 1's camera here"].Action()
	waitFor(t, func() bool { return len(link.sent()) == 1 }, "look at, without confirmation")
	labels["Fly vehicle 1 here"].Action()
	require.True(t, hasText(w.Window.Canvas(), "Fly vehicle 1 to "+fmtLatLon(p)+" at 80 m above home?"), "the altitude it keeps")
	test.Tap(findButton(w.Window.Canvas(), "Fly 1 there"))
	waitFor(t, func() bool { return len(link.sent()) == 2 }, "goto")
	require.Equal(t, []string{"roi", "goto"}, link.sent())
	w.Refresh()
	require.Equal(t, p, *w.Map.Snapshot().Vehicles[0].Goal, "the map shows where the vehicle was sent")
}

// Drawing a zone: right-click starts it, clicks add corners, a click on the first corner
// asks its name and rule, and the station watches it; a target inside raises an alert that
// colours the zone until the operator acknowledges it.
func TestDrawZoneRaiseAndAcknowledgeAlert(t *testing.T) {
	app := test.NewTempApp(t)
	st, _ := testStation(flyingVehicle())
	w := NewMainWindow(app, st, Options{Home: home})
	w.cmd.async = func(f func()) { f() }
	w.Map.Resize(fyne.NewSize(400, 300))
	w.Map.SetView(home, 1)
	w.Refresh()
	w.Map.SetView(home, 1)

	corners := []fyne.Position{{X: 150, Y: 100}, {X: 250, Y: 100}, {X: 250, Y: 200}, {X: 150, Y: 200}}
	w.startZone(w.Map.PointAt(corners[0], w.Map.Size()))
	for _, c := range corners[1:] {
		w.Map.Tapped(&fyne.PointEvent{Position: c})
	}
	w.Map.Tapped(&fyne.PointEvent{Position: corners[0]}) // close the ring
	test.Tap(findButton(w.Window.Canvas(), "Watch it"))
	require.Len(t, st.Zones(), 1)
	require.Nil(t, w.Map.Editor(), "the drawing tool is put away")
	require.True(t, st.Zones()[0].Contains(home), "the zone is where it was drawn")

	// A person is seen at home (the zone's middle): the zone alerts.
	fleet := st.Fleet
	gimbal := gcs.GimbalAttitude{PitchRad: -1.5707963}
	fleet.Update(1, func(v *gcs.Vehicle) {
		v.Home = &gcs.Position{Point: home, AltMSLM: 584}
		v.Gimbal = &gimbal
		v.Camera = &gcs.CameraInfo{VideoResolutionH: 640, VideoResolutionV: 360, VideoHFOVDeg: 69}
	})
	now := time.Now()
	for i := range 5 {
		at := now.Add(time.Duration(i-5) * 100 * time.Millisecond)
		fleet.Poses(1).AddPosition(at, gcs.Position{Point: home, AltMSLM: 664, AltRelM: 80}, gcs.Velocity{})
		fleet.Poses(1).AddAttitude(at, gcs.Attitude{})
	}
	for i := range 4 {
		_, err := st.Sight(gcs.Sighting{SysID: 1, TrackID: 1, Captured: now.Add(time.Duration(i-4) * 100 * time.Millisecond), Class: "person",
			Score: 0.9, Box: gcs.Box{MinU: 318, MinV: 176, MaxU: 322, MaxV: 184}, FrameW: 640, FrameH: 360})
		require.NoError(t, err)
	}
	require.NotEmpty(t, st.Alerts(), "a person inside the zone raises an alert")
	w.Refresh()
	require.True(t, w.Map.Snapshot().Zones[0].Alerting, "the zone is coloured while alerting")
	require.Equal(t, "Alerts (1)", w.alertsTab.Text)
	require.Contains(t, w.banner.Text, "1 zone alert(s) wait")

	w.Alerts.list.Select(0)
	test.Tap(w.Alerts.ack)
	require.True(t, st.Alerts()[0].Acknowledged())
	require.False(t, w.Map.Snapshot().Zones[0].Alerting, "acknowledged: the zone is no longer red")
	require.Equal(t, "Alerts", w.alertsTab.Text)
	require.Empty(t, w.banner.Text)
}

// The tether panel shows the aerostat's line and sends winch commands behind confirmation.
func TestAerostatPanel(t *testing.T) {
	app := test.NewTempApp(t)
	v := flyingVehicle()
	v.Home = &gcs.Position{Point: home, AltMSLM: 584}
	v.Winch = &gcs.Winch{Time: time.Now(), LineLengthM: 152, TensionKg: 41, Status: gcs.WinchHealthy}
	st, link := testStation(v)
	w := NewMainWindow(app, st, Options{Home: home})
	w.cmd.async = func(f func()) { f() }
	w.Refresh()
	require.Contains(t, w.Aerostat.state.Text, "line out 152.0 m")
	require.Contains(t, w.Aerostat.state.Text, "tension 41 kg")
	w.side.SelectIndex(2)
	w.Aerostat.length.SetText("200")
	test.Tap(findButton(w.Window.Canvas(), "Send"))
	require.True(t, hasText(w.Window.Canvas(), "Tether of vehicle 1: winch length 200 m?"))
	test.Tap(findButton(w.Window.Canvas(), "Send to winch 1"))
	waitFor(t, func() bool { return len(link.sent()) == 1 }, "winch command")
	require.Equal(t, gcs.WinchCommand{Kind: gcs.WinchToLength, LengthM: 200}, link.Winchs[0])
	snap := w.Map.Snapshot()
	require.NotNil(t, snap.Vehicles[0].Tether, "the map draws the tether and watch circle")
	require.InDelta(t, 152+15, snap.Vehicles[0].Tether.WatchRadiusM, 0.01)
}

// Layers switch off and on.
func TestLayersSwitch(t *testing.T) {
	test.NewTempApp(t)
	m := NewMapView(home, 1)
	m.Resize(fyne.NewSize(400, 300))
	m.SetSnapshot(MapSnapshot{Targets: []gcs.Target{{ID: 3, Class: "person", Point: gcs.OffsetNE(home, 0, -50), ErrorM: 10}}})
	require.Equal(t, mapTarget, colourAt(m.draw(400, 300), 160, 150))
	m.ShowLayer(LayerTargets, false)
	require.NotEqual(t, mapTarget, colourAt(m.draw(400, 300), 160, 150), "targets hidden")
}

// Each alarm of the strip says why: link lost, low battery, geofence, pre-arm failure.
func TestVehicleLineAlarms(t *testing.T) {
	v := flyingVehicle()
	_, alarms := VehicleLine(v)
	require.Empty(t, alarms)
	v.Fence = &gcs.FenceStatus{Breached: true, LastBreach: "boundary"}
	v.Battery.RemainingPct = 20
	_, alarms = VehicleLine(v)
	require.Equal(t, []string{"battery 20%", "outside its geofence (boundary)"}, alarms)
	v = flyingVehicle()
	v.Armed, v.PrearmHealthy = false, false
	v.StatusTexts = []gcs.StatusText{{Text: "PreArm: GPS not healthy"}}
	_, alarms = VehicleLine(v)
	require.Equal(t, []string{"not ready to arm: PreArm: GPS not healthy"}, alarms)
}

// countingBase is a map base that counts its drawings.
type countingBase struct{ draws int }

func (b *countingBase) DrawBase(img *image.RGBA, _ orb.Point, _ float64) {
	b.draws++
	fill(img, color.RGBA{10, 80, 10, 255})
}

// The base is drawn once per view: layers redraw over a copy until the map moves.
func TestMapBaseCachedPerView(t *testing.T) {
	test.NewTempApp(t)
	m := NewMapView(home, 1)
	m.Resize(fyne.NewSize(200, 100))
	b := &countingBase{}
	m.SetBase(b)
	img := m.draw(200, 100)
	require.Equal(t, color.RGBA{10, 80, 10, 255}, colourAt(img, 5, 50))
	m.draw(200, 100)
	require.Equal(t, 1, b.draws, "same view: no new base")
	m.SetView(gcs.OffsetNE(home, 10, 0), 1)
	m.draw(200, 100)
	require.Equal(t, 2, b.draws, "panned: drawn again")
	m.InvalidateBase()
	m.draw(200, 100)
	require.Equal(t, 3, b.draws, "a tile arrived: drawn again")
}

// Export writes the targets in the format the file's name says.
func TestExportTargets(t *testing.T) {
	app := test.NewTempApp(t)
	st, _ := testStation(flyingVehicle())
	w := NewMainWindow(app, st, Options{Home: home, Export: func() (gcs.Export, error) {
		return gcs.Export{Targets: []gcs.Target{{ID: 7, Class: "person", Point: home, ErrorM: 2, LastSeen: time.Now()}}}, nil
	}})
	w.cmd.async = func(f func()) { f() }
	path := filepath.Join(t.TempDir(), "targets.geojson")
	f, err := os.Create(path)
	require.NoError(t, err)
	w.exportTo(f, path)
	require.Equal(t, "exported 1 targets to "+path, w.cmd.Answer().Text)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(data), `"FeatureCollection"`)
	require.Contains(t, string(data), "149.16523")

	bad := filepath.Join(t.TempDir(), "targets.txt")
	f, err = os.Create(bad)
	require.NoError(t, err)
	w.exportTo(f, bad)
	require.True(t, hasTextContaining(w.Window.Canvas(), "name the file .geojson, .kml, .csv or .cot"), "an error dialog says how to choose the format")
}

// The parameters page starts on the vehicle the toolbar commands, unless the operator chose.
func TestParamsFollowTheToolbarUntilChosen(t *testing.T) {
	app := test.NewTempApp(t)
	v2 := flyingVehicle()
	v2.SysID = 2
	st, _ := testStation(flyingVehicle(), v2)
	w := NewMainWindow(app, st, Options{Home: home})
	p := NewParamsView(st, w.Window)
	p.UpdateVehicles()
	p.SelectIfNone(2)
	require.Equal(t, "Vehicle 2", p.vehicle.Selected)
	p.SelectIfNone(1)
	require.Equal(t, "Vehicle 2", p.vehicle.Selected, "a choice stays")
}

// The window reads each vehicle's plan once when it appears, and the map shows its mission.
func TestWindowReadsTheVehiclesPlan(t *testing.T) {
	app := test.NewTempApp(t)
	st, _ := testStation(flyingVehicle())
	link := &planLink{scriptedLink: st.Link.(*scriptedLink), items: []gcs.MissionItem{
		{Command: gcs.CmdNavWaypoint, Frame: gcs.FrameGlobalRelativeAlt, X: home.Lat(), Y: home.Lon()},
		{Command: gcs.CmdDoChangeSpeed, Frame: gcs.FrameMission, Param2: 5},
		{Command: gcs.CmdNavWaypoint, Frame: gcs.FrameGlobalRelativeAlt, X: -35.3620, Y: 149.1660, Z: 30},
	}}
	st.Link = link
	w := NewMainWindow(app, st, Options{Home: home})
	w.Start()
	waitFor(t, func() bool { return st.Plan(1) != nil }, "the plan read")
	w.Close()
	w.Refresh()
	mv := w.Map.Snapshot().Vehicles[0]
	require.Equal(t, []orb.Point{{149.1660, -35.3620}}, mv.Mission)
	require.Equal(t, []int{2}, mv.MissionSeqs, "the waypoint keeps its item number past the speed change")
	require.Equal(t, 1, link.downloads(), "read once")
}

// planLink is a scripted link holding a mission (and no fence or rally points).
type planLink struct {
	*scriptedLink
	items []gcs.MissionItem
	mu    sync.Mutex
	n     int
}

func (l *planLink) DownloadMission(_ context.Context, _ uint8, typ gcs.MissionType, _ func(int, int)) ([]gcs.MissionItem, error) {
	if typ != gcs.MissionTypeMission {
		return nil, nil
	}
	l.mu.Lock()
	l.n++
	l.mu.Unlock()
	return l.items, nil
}

func (l *planLink) downloads() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

// A new alert arriving above the chosen one does not move the choice: Acknowledge takes the
// alert the operator chose.
func TestAcknowledgeTakesTheChosenAlert(t *testing.T) {
	test.NewTempApp(t)
	p := NewAlertsPane()
	var acked []int64
	p.OnAcknowledge = func(id int64) { acked = append(acked, id) }
	a1 := gcs.Alert{ID: 1, Time: time.Now(), Message: "person inside Zone 1"}
	p.Show([]gcs.Alert{a1})
	p.list.Select(0)
	p.Show([]gcs.Alert{a1, {ID: 2, Time: time.Now(), Message: "any inside Zone 2"}})
	test.Tap(p.ack)
	require.Equal(t, []int64{1}, acked)
}
