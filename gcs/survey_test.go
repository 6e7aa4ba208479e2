package gcs

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"
)

var surveyOrigin = orb.Point{149.165230, -35.363261}

// polyNE makes a polygon from north/east metre offsets of surveyOrigin.
func polyNE(ne ...[2]float64) []orb.Point {
	out := make([]orb.Point, len(ne))
	for i, p := range ne {
		out[i] = OffsetNE(surveyOrigin, p[0], p[1])
	}
	return out
}

var sonyQX1 = CameraSpec{Name: "Sony ILCE-QX1", SensorWidthMM: 23.2, SensorHeightMM: 15.4,
	ImageWidthPx: 5456, ImageHeightPx: 3632, FocalLengthMM: 16, Landscape: true}

func TestCameraCalcMatchesQGroundControl(t *testing.T) {
	portrait := sonyQX1
	portrait.Landscape = false
	for _, tc := range []struct {
		name                      string
		calc                      CameraCalc
		altM, gsd, spacing, trigg float64
	}{
		{
			// GSD = 50·23.2·100/(5456·16) = 1.32881; side 5456·GSD/100 = 72.5 m, front 48.26 m.
			name: "altitude given", calc: CameraCalc{Camera: &sonyQX1, AltM: 50, FrontOverlapPct: 70, SideOverlapPct: 70},
			altM: 50, gsd: 1.328812, spacing: 21.75, trigg: 14.479,
		},
		{
			// Altitude for 2 cm/px = 5456·2·16/(23.2·100) = 75.2552 m.
			name: "GSD given", calc: CameraCalc{Camera: &sonyQX1, AltFromGSD: true, GSDcm: 2, FrontOverlapPct: 80, SideOverlapPct: 60},
			altM: 75.2552, gsd: 2, spacing: 5456 * 0.02 * 0.4, trigg: 3632 * 0.02 * 0.2,
		},
		{
			name: "portrait swaps footprints", calc: CameraCalc{Camera: &portrait, AltM: 50, FrontOverlapPct: 70, SideOverlapPct: 70},
			altM: 50, gsd: 1.328812, spacing: 14.479, trigg: 21.75,
		},
		{name: "manual", calc: CameraCalc{AltM: 40, SpacingM: 25, TriggerDistM: 10}, altM: 40, spacing: 25, trigg: 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.calc
			require.NoError(t, c.Recalc())
			require.InDelta(t, tc.altM, c.AltM, 1e-3)
			require.InDelta(t, tc.gsd, c.GSDcm, 1e-5)
			require.InDelta(t, tc.spacing, c.SpacingM, 1e-2)
			require.InDelta(t, tc.trigg, c.TriggerDistM, 1e-2)
		})
	}
}

func TestCameraCalcErrors(t *testing.T) {
	for _, tc := range []struct {
		calc CameraCalc
		err  string
	}{
		{CameraCalc{}, "lane spacing 0 m: without a camera the spacing must be given and positive"},
		{CameraCalc{Camera: &sonyQX1, AltM: 50, SideOverlapPct: 100}, "side overlap 100 %: want 0 to under 100 %"},
		{CameraCalc{Camera: &sonyQX1}, "altitude 0 m: want a positive height above the ground"},
		{CameraCalc{Camera: &sonyQX1, AltFromGSD: true}, "ground sample distance 0 cm/px: want a positive value"},
	} {
		c := tc.calc
		require.EqualError(t, c.Recalc(), tc.err)
	}
}

func square(sizeM float64) []orb.Point {
	return polyNE([2]float64{0, 0}, [2]float64{0, sizeM}, [2]float64{sizeM, sizeM}, [2]float64{sizeM, 0})
}

func manualSurvey(poly []orb.Point, spacing float64) *Survey {
	return &Survey{Polygon: poly, TransectStyle: TransectStyle{
		Calc: CameraCalc{AltM: 30, SpacingM: spacing, TriggerDistM: 10}, TriggerInTurnaround: true}}
}

// laneOffsetsE returns the east offsets of north-south lanes.
func laneOffsetsE(t *testing.T, s *Survey) []float64 {
	lanes, err := s.Lanes()
	require.NoError(t, err)
	var es []float64
	for _, l := range lanes {
		_, e := NorthEastM(surveyOrigin, l[0])
		es = append(es, math.Round(e*100)/100)
	}
	return es
}

// QGroundControl lays its sweep lines from the bounding box's centre minus half of (its
// larger side + 2000 m), one spacing apart: for a 100 m square that is x = -1000 + k·s.
func TestSurveyLanesWhereQGroundControlPutsThem(t *testing.T) {
	for _, tc := range []struct {
		spacing float64
		lanes   []float64
	}{
		{21.75, []float64{0.5, 22.25, 44, 65.75, 87.5}}, // k = 46..50
		{30, []float64{20, 50, 80}},                     // 3 lanes, not ceil(100/30) = 4
		{35, []float64{15, 50, 85}},
		{150, []float64{50}}, // fewer than two: one through the centre
	} {
		s := manualSurvey(square(100), tc.spacing)
		got := laneOffsetsE(t, s)
		require.Len(t, got, len(tc.lanes), "spacing %g: %v", tc.spacing, got)
		for i := range got {
			require.InDelta(t, tc.lanes[i], got[i], 0.02, "spacing %g: %v", tc.spacing, got)
		}
	}
}

func TestSurveyEntryCornerAndTurnaround(t *testing.T) {
	s := manualSurvey(square(100), 30)
	s.TurnaroundM = 10
	for _, tc := range []struct {
		entry       EntryCorner
		firstN      float64
		firstE      float64
		laneForward bool // first lane flown north
	}{
		{EntryTopLeft, -10, 20, true},
		{EntryTopRight, -10, 80, true},
		{EntryBottomLeft, 110, 20, false},
		{EntryBottomRight, 110, 80, false},
	} {
		s.Entry = tc.entry
		path, err := s.Path()
		require.NoError(t, err)
		n, e := NorthEastM(surveyOrigin, path[0])
		require.InDelta(t, tc.firstN, n, 0.01, "entry %d", tc.entry)
		require.InDelta(t, tc.firstE, e, 0.01, "entry %d", tc.entry)
		require.Len(t, path, 3*4, "3 lanes of turnaround, entry, exit, turnaround")
	}
}

// lanesInside checks every lane stays in the polygon and returns them.
func lanesInside(t *testing.T, s *Survey) [][2]orb.Point {
	lanes, err := s.Lanes()
	require.NoError(t, err)
	poly := s.frame().ringXY(s.Polygon)
	for i, l := range lanes {
		a, b := s.frame().toXY(l[0]), s.frame().toXY(l[1])
		require.True(t, segmentInsideXY(poly, a, b, 0.01), "lane %d %v-%v leaves the area", i, a, b)
	}
	return lanes
}

// coverage checks every point of a 2 m grid inside the polygon is within one spacing of a
// lane: inside the image footprint of some lane at 50 % side overlap or more (the lanes'
// phase is QGroundControl's, so the outermost lane may be up to a spacing from the edge).
func coverage(t *testing.T, s *Survey, lanes [][2]orb.Point) {
	f := s.frame()
	poly := f.ringXY(s.Polygon)
	b := orb.MultiPoint(poly).Bound()
	for x := b.Min[0] + 1; x < b.Max[0]; x += 2 {
		for y := b.Min[1] + 1; y < b.Max[1]; y += 2 {
			p := orb.Point{x, y}
			if !ringContainsXY(poly, p) {
				continue
			}
			best := math.Inf(1)
			for _, l := range lanes {
				best = math.Min(best, planar.DistanceFromSegment(f.toXY(l[0]), f.toXY(l[1]), p))
			}
			require.LessOrEqual(t, best, s.Calc.SpacingM+0.01, "point %v is %.1f m from any lane", p, best)
		}
	}
}

var (
	// L: 120 m north-south arm on the west, 120 m east-west arm along the south, 40 m wide.
	lShape = polyNE([2]float64{0, 0}, [2]float64{0, 120}, [2]float64{40, 120}, [2]float64{40, 40}, [2]float64{120, 40}, [2]float64{120, 0})
	// U: open to the north, arms 30 m wide, 120 m tall, 150 m across.
	uShape = polyNE([2]float64{0, 0}, [2]float64{0, 150}, [2]float64{120, 150}, [2]float64{120, 120},
		[2]float64{30, 120}, [2]float64{30, 30}, [2]float64{120, 30}, [2]float64{120, 0})
)

func TestSurveyConcaveNoLaneLeavesTheArea(t *testing.T) {
	for _, tc := range []struct {
		name  string
		poly  []orb.Point
		angle float64
	}{
		{"L at 0°", lShape, 0}, {"L at 90°", lShape, 90}, {"L at 45°", lShape, 45},
		{"U at 0°", uShape, 0}, {"U at 90° (arms cut across)", uShape, 90}, {"U at 30°", uShape, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := manualSurvey(tc.poly, 10)
			s.AngleDeg = tc.angle
			lanes := lanesInside(t, s)
			coverage(t, s, lanes)
			// The way between cells stays inside too: every leg between a lane exit and
			// the next entry, or via outline corners.
			path, err := s.Path()
			require.NoError(t, err)
			f := s.frame()
			poly := f.ringXY(s.Polygon)
			for i := 1; i < len(path); i++ {
				a, b := f.toXY(path[i-1]), f.toXY(path[i])
				require.True(t, segmentInsideXY(poly, a, b, 0.05), "leg %d %v-%v leaves the area", i, a, b)
			}
		})
	}
}

func TestSurveyAutoAngleNeverWorseThanWholeDegrees(t *testing.T) {
	for _, poly := range [][]orb.Point{
		lShape, uShape,
		polyNE([2]float64{0, 0}, [2]float64{50, 200}, [2]float64{80, 190}, [2]float64{30, -10}), // a slanted strip
	} {
		s := manualSurvey(poly, 15)
		s.TurnaroundM = 5
		s.AutoAngle = true
		path, err := s.Path()
		require.NoError(t, err)
		auto := pathLengthGeo(path)
		for a := range 181 {
			o := manualSurvey(poly, 15)
			o.TurnaroundM = 5
			o.AngleDeg = float64(a)
			p, err := o.Path()
			require.NoError(t, err)
			require.LessOrEqual(t, auto, pathLengthGeo(p)+1e-6, "auto angle %.2f° longer than %d°", s.AngleDeg, a)
		}
	}
}

func pathLengthGeo(p []orb.Point) float64 {
	var l float64
	for i := 1; i < len(p); i++ {
		n, e := NorthEastM(p[i-1], p[i])
		l += math.Hypot(n, e)
	}
	return l
}

func TestClampGridAngle90(t *testing.T) {
	for in, want := range map[float64]float64{0: 0, 45: 45, 90: 90, 91: -89, 180: 0, 269: 89, 271: -89, 360: 0,
		-45: -45, -90: -90 + 180, -91: 89, -300: 60, 725: 5} {
		require.InDelta(t, want, clampGridAngle90(in), 1e-9, "%g°", in)
	}
}

func TestSurveyCrosshatchFliesBothWays(t *testing.T) {
	s := manualSurvey(square(100), 30)
	s.Crosshatch = true
	lanes, err := s.Lanes()
	require.NoError(t, err)
	require.Len(t, lanes, 6)
	for i, l := range lanes {
		n, e := NorthEastM(l[0], l[1])
		if i < 3 {
			require.InDelta(t, 0, e, 0.01, "first pass runs north-south")
			require.InDelta(t, 100, math.Abs(n), 0.01)
		} else {
			require.InDelta(t, 0, n, 0.01, "second pass runs east-west")
			require.InDelta(t, 100, math.Abs(e), 0.01)
		}
	}
}

func TestSurveyMissionItemsAsQGroundControl(t *testing.T) {
	s := manualSurvey(square(100), 30)
	s.TurnaroundM = 10
	p := &Plan{Home: surveyOrigin, HomeAltMSLM: 584, Items: []PlanItem{s}}
	items, err := p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	var cmds []uint16
	for _, it := range items[1:] {
		cmds = append(cmds, it.Command)
	}
	wp, trig := CmdNavWaypoint, CmdDoSetCamTriggDist
	// Trigger in turnaround: start at the first turnaround and at every lane entry (so a
	// resumed mission triggers), stop at the last turnaround.
	require.Equal(t, []uint16{
		wp, trig, wp, trig, wp, wp,
		wp, wp, trig, wp, wp,
		wp, wp, trig, wp, wp, trig,
	}, cmds)
	require.Equal(t, 10.0, items[2].Param1)
	require.Equal(t, 0.0, items[len(items)-1].Param1)
	require.Equal(t, FrameGlobalRelativeAlt, items[1].Frame)
	require.Equal(t, 30.0, items[1].Z)

	s.TriggerInTurnaround = false
	items, err = p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	cmds = cmds[:0]
	for _, it := range items[1:] {
		cmds = append(cmds, it.Command)
	}
	require.Equal(t, []uint16{
		wp, wp, trig, wp, trig, wp,
		wp, wp, trig, wp, trig, wp,
		wp, wp, trig, wp, trig, wp,
	}, cmds, "start and stop on every lane")

	s.Trigger = TriggerWaypoint
	items, err = p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	photos := 0
	for _, it := range items {
		if it.Command == CmdImageStartCapture {
			photos++
		}
	}
	require.Equal(t, 3*(2+9), photos, "a photo at both lane ends and every 10 m between")
}

func TestCheckPolygonErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		poly []orb.Point
		err  string
	}{
		{"bow tie", polyNE([2]float64{0, 0}, [2]float64{100, 100}, [2]float64{100, 0}, [2]float64{0, 100}),
			"bad polygon: edge 1-2 crosses edge 3-4; the outline must not cross itself"},
		{"two vertices", polyNE([2]float64{0, 0}, [2]float64{100, 100}), "bad polygon: 2 vertices, want at least 3"},
		{"flat", polyNE([2]float64{0, 0}, [2]float64{50, 50}, [2]float64{100, 100}), "bad polygon: it has no area (all vertices on one line)"},
		{"repeated vertex", polyNE([2]float64{0, 0}, [2]float64{0, 0}, [2]float64{100, 100}, [2]float64{0, 100}), "bad polygon: vertices 1 and 2 are the same point"},
		{"not a latitude", []orb.Point{{0, 0}, {0, 95}, {1, 1}}, "bad polygon: vertex 2 (95, 0) is not a latitude and longitude"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.EqualError(t, CheckPolygon(tc.poly), tc.err)
		})
	}
	require.NoError(t, CheckPolygon(lShape))
	require.NoError(t, CheckPolygon(append(uShape, uShape[0])), "a closed ring is fine")
}
