package ui

import (
	"image"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// BenchmarkPlanDragSurvey1km2 is one step of dragging a vertex of a 1 km² survey (a Sony
// ILCE-QX1 at 50 m: 46 lanes, about 3,000 photos, the auto angle): the vertex moves, the plan
// is analysed as the view's analyser does (survey planned, validated, summed up), and the
// editor's layer is drawn over a 1280×800 map. The sub-benchmarks time the two halves: the
// analysis runs on its own goroutine, the drawing on Fyne's.
func BenchmarkPlanDragSurvey1km2(b *testing.B) {
	e := NewPlanEditor(home, 584)
	cam, ok := gcs.FindCamera(cameraCatalogue(), "Sony ILCE-QX1")
	require.True(b, ok)
	e.Defaults.Survey.Calc.Camera = &cam
	var poly []orb.Point
	for _, c := range [][2]float64{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}} {
		poly = append(poly, gcs.OffsetNE(home, c[0]+50, c[1]+50))
	}
	e.tool, e.drawing = ToolSurvey, poly
	require.NoError(b, e.Finish())
	sel := e.selected
	corner := poly[2]
	pr := MapProjection{Centre: gcs.OffsetNE(home, 550, 550), MetresPerPx: 1.5, W: 1280, H: 800, Scale: 1}
	img := image.NewRGBA(image.Rect(0, 0, pr.W, pr.H))
	opt := gcs.ValidateOptions{Limits: gcs.DefaultVehicleLimits(false)}
	step := func(i int) *planAnalysis {
		e.moveHandle(sel, 2, gcs.OffsetNE(corner, float64(i%2)*20, float64(i%3)*10))
		e.changed(false)
		a := analysePlan(clonePlan(e.plan), opt)
		a.rev, a.structRev = e.rev, e.structRev
		return a
	}
	a := step(0)
	require.Empty(b, a.itemErr[1])
	require.Greater(b, a.figures[1].Lanes, 40)
	b.Run("drag_analyse_draw", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			e.analysis = step(i)
			e.Draw(img, pr)
		}
	})
	b.Run("analyse", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			step(i)
		}
	})
	b.Run("draw", func(b *testing.B) {
		e.analysis = step(1)
		for b.Loop() {
			e.Draw(img, pr)
		}
	})
}
