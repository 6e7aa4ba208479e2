package ui

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

var home = orb.Point{149.16523, -35.363261}

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
