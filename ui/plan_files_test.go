package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// A plan saved to a file opens again the same, in every format; a broken file says what is
// wrong with it and leaves the plan shown alone.
func TestPlanViewSaveOpen(t *testing.T) {
	for _, ext := range []string{".plan", ".geojson", ".kml"} {
		t.Run(ext, func(t *testing.T) {
			f := newPlanFixture(t, nil, []gcs.Vehicle{vehicleAtHome()})
			f.drawSurvey(square, false)
			f.pickCamera("Sony ILCE-QX1")
			f.useTool(ToolFenceCircle)
			f.tap(150, 200)
			f.tap(150, 700)
			f.useTool(ToolRally)
			f.tap(-50, -50)
			f.settle()
			require.Empty(t, problemLabels(f.v))
			wantStats := f.v.analysis.stats

			name := filepath.Join(t.TempDir(), "survey"+ext)
			out, err := os.Create(name)
			require.NoError(t, err)
			_, err = f.v.SavePlan(name, out)
			require.NoError(t, err)
			require.NoError(t, out.Close())

			g := newPlanFixture(t, nil, nil)
			in, err := os.Open(name)
			require.NoError(t, err)
			defer in.Close()
			require.NoError(t, g.v.OpenPlan(name, in))
			g.settle()
			p := g.v.Editor.Plan()
			var s *gcs.Survey
			at := 0
			for i, it := range p.Items {
				if sv, ok := it.(*gcs.Survey); ok {
					s, at = sv, i
				}
			}
			require.NotNil(t, s)
			require.Len(t, s.Polygon, 4)
			orig := f.v.Editor.Plan().Items[1].(*gcs.Survey)
			for i := range s.Polygon {
				require.InDelta(t, 0, gcs.DistanceM(orig.Polygon[i], s.Polygon[i]), 0.01)
			}
			require.Len(t, p.Fence.Circles, 1)
			require.InDelta(t, 500, p.Fence.Circles[0].RadiusM, 1)
			require.Len(t, p.Rally, 1)
			require.Equal(t, f.v.analysis.figures[1].Lanes, g.v.analysis.figures[at].Lanes)
			if ext == ".plan" { // map files keep only items with a position: no takeoff or return
				require.Equal(t, wantStats, g.v.analysis.stats)
				require.Equal(t, "Sony ILCE-QX1", s.Calc.Camera.Name)
			}
		})
	}

	f := newPlanFixture(t, nil, nil)
	f.drawSurvey(square, false)
	for _, c := range []struct{ name, data, want string }{
		{"broken.plan", `{"fileType": "Plan", "mission": {"items": [`, "broken.plan: "},
		{"area.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[149.1,-35.3],[149.2,-35.3]]]}}]}`, "area.geojson: "},
		{"notes.docx", "", "unknown plan format; want .plan, .waypoints, .kml or .geojson"},
	} {
		err := f.v.OpenPlan(c.name, strings.NewReader(c.data))
		require.Error(t, err, c.name)
		require.Contains(t, err.Error(), c.want)
		require.Len(t, f.v.Editor.Plan().Items, 3, "the plan shown stays")
	}
	var buf bytes.Buffer
	notes, err := f.v.SavePlan("x.waypoints", &buf)
	require.NoError(t, err)
	require.Contains(t, strings.Join(notes, "\n"), "survey is written as its waypoints")
}
