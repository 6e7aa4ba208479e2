package gcs

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// starPolygon is a concave polygon of n vertices: a star with n/2 points between radii of
// 300 and 400 m.
func starPolygon(n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range n {
		r := 400.0
		if i%2 == 1 {
			r = 300
		}
		a := 2 * math.Pi * float64(i) / float64(n)
		pts[i] = OffsetNE(surveyOrigin, r*math.Cos(a), r*math.Sin(a))
	}
	return pts
}

// BenchmarkSurvey1000Vertices plans a survey over a 1,000-vertex concave area 800 m across
// with 20 m lanes (goal: under 20 ms), at a given angle and with the auto angle.
func BenchmarkSurvey1000Vertices(b *testing.B) {
	poly := starPolygon(1000)
	require.NoError(b, CheckPolygon(poly))
	for _, auto := range []bool{false, true} {
		name := "angle"
		if auto {
			name = "auto_angle"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s := manualSurvey(poly, 20)
				s.TurnaroundM = 10
				s.AngleDeg = 30
				s.AutoAngle = auto
				p := &Plan{Home: surveyOrigin, Items: []PlanItem{s}}
				if _, err := p.MissionItems(ExpandOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSurveyAutoAngle20Vertices plans a survey with the auto angle over a more usual
// area: a 20-vertex concave outline 800 m across, 20 m lanes.
func BenchmarkSurveyAutoAngle20Vertices(b *testing.B) {
	poly := starPolygon(20)
	for b.Loop() {
		s := manualSurvey(poly, 20)
		s.TurnaroundM = 10
		s.AutoAngle = true
		if _, err := s.Path(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate1000Items validates a 1,000-item mission against a fence and a terrain
// model (every leg sampled every 10 m).
func BenchmarkValidate1000Items(b *testing.B) {
	p := &Plan{Home: surveyOrigin, HomeAltMSLM: 500, Fence: Fence{
		Polygons: []FencePolygon{{Inclusion: true, Vertices: polyNE([2]float64{-1000, -1000}, [2]float64{-1000, 2000}, [2]float64{2000, 2000}, [2]float64{2000, -1000})}},
		Circles:  []FenceCircle{{Inclusion: false, Center: OffsetNE(surveyOrigin, -500, -500), RadiusM: 50}},
	}}
	p.Items = append(p.Items, SimpleItem{MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavTakeoff, Autocontinue: true, Z: 100}})
	for i := range 999 {
		// A zigzag 1 km wide, 1 m north per item.
		e := 0.0
		if i%2 == 1 {
			e = 1000
		}
		p.Items = append(p.Items, wpNE(float64(i), e, 100))
	}
	opt := ValidateOptions{Ground: hillGround{}, Limits: VehicleLimits{MaxItems: 2000, MaxAltM: 500}}
	problems, err := Validate(p, opt)
	require.NoError(b, err)
	require.Empty(b, problems, "clear of the hill and inside the fence: %v", problemTexts(problems))
	for b.Loop() {
		if _, err := Validate(p, opt); err != nil {
			b.Fatal(err)
		}
	}
}
