package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// formInput returns the input next to a label in the selected item's settings.
func (f *planFixture) formInput(label string) fyne.CanvasObject {
	f.t.Helper()
	for _, o := range f.v.form.Objects {
		if c, ok := o.(*fyne.Container); ok {
			for i := 0; i+1 < len(c.Objects); i += 2 {
				if l, ok := c.Objects[i].(*widget.Label); ok && l.Text == label {
					return c.Objects[i+1]
				}
			}
		}
	}
	f.t.Fatalf("no %q in the form", label)
	return nil
}

// Typing the altitude, overlaps or a field of view changes the figures at once, as gcs
// computes them; a value that cannot be is refused with the reason.
func TestPlanViewCameraSettingsLive(t *testing.T) {
	f := newPlanFixture(t, nil, []gcs.Vehicle{vehicleAtHome()})
	f.drawSurvey(square, false)
	f.pickCamera("Sony ILCE-QX1")
	cam, _ := gcs.FindCamera(cameraCatalogue(), "Sony ILCE-QX1")
	for _, c := range []struct {
		label, value string
		want         gcs.CameraCalc
	}{
		{"Altitude (m)", "100", gcs.CameraCalc{Camera: &cam, AltM: 100, FrontOverlapPct: 70, SideOverlapPct: 70}},
		{"Front overlap (%)", "80", gcs.CameraCalc{Camera: &cam, AltM: 100, FrontOverlapPct: 80, SideOverlapPct: 70}},
		{"Side overlap (%)", "60", gcs.CameraCalc{Camera: &cam, AltM: 100, FrontOverlapPct: 80, SideOverlapPct: 60}},
	} {
		f.formInput(c.label).(*widget.Entry).SetText(c.value)
		f.settle()
		require.NoError(t, c.want.Recalc())
		require.Contains(t, f.v.figures.Text, fmt.Sprintf("GSD %.2f cm/px at %.1f m", c.want.GSDcm, c.want.AltM), c.label)
		require.Contains(t, f.v.figures.Text, fmt.Sprintf("Lanes %.1f m apart, a photo every %.1f m", c.want.SpacingM, c.want.TriggerDistM), c.label)
	}
	f.formInput("Side overlap (%)").(*widget.Entry).SetText("100")
	require.Equal(t, "Side overlap (%): want 0 to under 100 %", f.v.formErr.Text)
	f.formInput("Altitude (m)").(*widget.Entry).SetText("fifty")
	require.Equal(t, `Altitude (m): "fifty" is not a number`, f.v.formErr.Text)

	// A camera given by its field of view: 90° across 4000 px at 100 m is 5 cm/px.
	f.formInput("Camera").(*widget.Select).SetSelected(cameraCustom)
	f.formInput("Field of view (°)").(*widget.Entry).SetText("90")
	f.formInput("Image width (px)").(*widget.Entry).SetText("4000")
	f.settle()
	require.Contains(t, f.v.figures.Text, "GSD 5.00 cm/px at 100.0 m")
	// The next survey gets the same camera.
	require.Equal(t, gcs.QGCCustomCameraName, f.v.Editor.Defaults.Survey.Calc.Camera.Name)

	// Stop and shoot: a photo at each stop instead of distance triggering.
	f.formInput("Camera trigger").(*widget.Select).SetSelected("Stop and shoot (hover)")
	f.settle()
	items, err := clonePlan(f.v.Editor.Plan()).MissionItems(gcs.ExpandOptions{})
	require.NoError(t, err)
	captures := 0
	for _, it := range items {
		require.NotEqual(t, gcs.CmdDoSetCamTriggDist, it.Command)
		if it.Command == gcs.CmdImageStartCapture {
			captures++
		}
	}
	require.Equal(t, f.v.analysis.figures[1].Photos, captures, "one photo per stop, as many as the figures say")

	// Another entry corner starts the survey elsewhere.
	first := f.v.analysis.path[1]
	f.formInput("Entry corner").(*widget.Select).SetSelected("Bottom right")
	f.settle()
	require.Greater(t, gcs.DistanceM(first, f.v.analysis.path[1]), 50.0)
}
