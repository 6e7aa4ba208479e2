package ui

import (
	"image"
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

var home = orb.Point{149.16523, -35.363261}

type fakeSource struct {
	vs []gcs.Vehicle
	ts []gcs.Target
}

func (f fakeSource) Vehicles() []gcs.Vehicle { return f.vs }
func (f fakeSource) Targets() []gcs.Target   { return f.ts }

func flyingVehicle() gcs.Vehicle {
	return gcs.Vehicle{
		SysID: 1, Connected: true, Mode: "GUIDED", Armed: true, PrearmHealthy: true, PositionValid: true,
		Position: gcs.Position{Point: gcs.OffsetNE(home, 20, 0), AltMSLM: 664, AltRelM: 80},
		Battery:  gcs.Battery{VoltageV: 16, RemainingPct: 80}, GPS: gcs.GPS{FixType: 3, Satellites: 12},
	}
}

func colourAt(img image.Image, x, y int) color.RGBA {
	r, g, b, a := img.At(x, y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// The map draws a vehicle where it is and a target with its error circle, on the offline
// grid; the view follows drags and the wheel.
func TestMapDrawsVehiclesAndTargets(t *testing.T) {
	test.NewTempApp(t)
	m := NewMapView(home, 1)
	m.Resize(fyne.NewSize(400, 300))
	v := flyingVehicle()
	m.SetSnapshot(MapSnapshot{
		Vehicles: []MapVehicle{{SysID: 1, Point: v.Position.Point}},
		Targets:  []gcs.Target{{ID: 3, Class: "person", Point: gcs.OffsetNE(home, 0, -50), ErrorM: 10}},
	})
	img := m.draw(400, 300)
	require.Equal(t, mapVehicle, colourAt(img, 200, 150-20), "the vehicle 20 m north is 20 px above the centre")
	require.Equal(t, mapTarget, colourAt(img, 150, 150), "the target 50 m west")
	require.Equal(t, mapTarget, colourAt(img, 160, 150), "its 10 m error circle")

	m.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 50}})
	c, _ := m.View()
	n, e := gcs.NorthEastM(home, c)
	require.InDelta(t, -50, e, 0.01, "dragging the map right moves the view west")
	require.InDelta(t, 0, n, 0.01)
	m.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: 10}})
	_, mpp := m.View()
	require.InDelta(t, 0.8, mpp, 1e-9, "wheel up zooms in")
	p := m.PointAt(fyne.NewPos(200, 0), fyne.NewSize(400, 300))
	n, _ = gcs.NorthEastM(c, p)
	require.InDelta(t, 150*0.8, n, 0.01, "the top edge is half a map north of the centre")
}

func TestGridSpacing(t *testing.T) {
	for want, got := range map[float64]float64{0.7: 1, 1: 1, 1.1: 2, 3: 5, 7: 10, 120: 200, 4300: 5000} {
		require.Equal(t, got, gridSpacingM(want), "%g", want)
	}
}

// The window shows the vehicle on the map, its line in the strip, alarms in red with the
// reason, and the targets newest first.
func TestMainWindowShowsTheStation(t *testing.T) {
	app := test.NewTempApp(t)
	lost := flyingVehicle()
	lost.SysID, lost.Connected = 2, false
	lowBattery := flyingVehicle()
	lowBattery.SysID, lowBattery.Battery.RemainingPct = 3, 12
	src := fakeSource{
		vs: []gcs.Vehicle{flyingVehicle(), lost, lowBattery},
		ts: []gcs.Target{
			{ID: 1, Class: "vehicle", Point: home, ErrorM: 2.5, Sightings: 40, LastSeen: time.Now()},
			{ID: 2, Class: "person", Point: gcs.OffsetNE(home, 5, 5), ErrorM: 1.2, Sightings: 7, LastSeen: time.Now()},
		},
	}
	w := NewMainWindow(app, src, home)
	w.Update(src.Vehicles(), src.Targets())

	var texts []string
	for _, o := range w.Strip.Object().(*fyne.Container).Objects {
		switch o := o.(type) {
		case *canvas.Text:
			require.Equal(t, alarmColour, o.Color, "alarms are red")
			texts = append(texts, o.Text)
		}
	}
	require.Len(t, texts, 2)
	require.Contains(t, texts[0], "link lost")
	require.Contains(t, texts[1], "battery 12%")
	require.Len(t, w.shown, 2)
	require.Equal(t, int64(2), w.shown[0].ID, "the newest target first")
	require.Contains(t, TargetLine(w.shown[0]), "T2 person ±1.2 m, 7 sightings")
	c, mpp := w.Map.View()
	require.InDelta(t, 0, gcs.DistanceM(c, flyingVehicle().Position.Point), 0.01, "the map centres on the first vehicle")
	require.Equal(t, 0.5, mpp)

	w.targets.Select(1) // the older target: the map centres on it
	c, _ = w.Map.View()
	require.InDelta(t, 0, gcs.DistanceM(c, home), 0.01)
}
