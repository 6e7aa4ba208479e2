package gcs

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func wpNE(n, e, alt float64) SimpleItem {
	p := OffsetNE(surveyOrigin, n, e)
	return SimpleItem{MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavWaypoint, Autocontinue: true, X: p.Lat(), Y: p.Lon(), Z: alt}}
}

func problemTexts(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Text)
	}
	return out
}

func TestValidateNamesEachProblem(t *testing.T) {
	takeoff := SimpleItem{MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavTakeoff, Autocontinue: true, Z: 30}}
	base := func() *Plan {
		return &Plan{Home: surveyOrigin, HomeAltMSLM: 500,
			Fence: Fence{
				Polygons: []FencePolygon{
					{Inclusion: true, Vertices: polyNE([2]float64{-100, -100}, [2]float64{-100, 400}, [2]float64{400, 400}, [2]float64{400, -100})},
					{Inclusion: false, Vertices: polyNE([2]float64{100, 100}, [2]float64{100, 150}, [2]float64{150, 150}, [2]float64{150, 100})},
				},
				Circles: []FenceCircle{{Inclusion: false, Center: OffsetNE(surveyOrigin, 300, 0), RadiusM: 20}},
			}}
	}
	for _, tc := range []struct {
		name  string
		items []PlanItem
		opt   ValidateOptions
		want  []string
	}{
		{"clean", []PlanItem{takeoff, wpNE(50, 0, 30), wpNE(50, 50, 30)}, ValidateOptions{Limits: DefaultVehicleLimits(false)}, nil},
		{"outside inclusion", []PlanItem{takeoff, wpNE(0, 500, 30)}, ValidateOptions{},
			[]string{"item 2 (waypoint) is outside inclusion fence 1", "the leg from home to item 2 (waypoint) leaves inclusion fence 1"}},
		{"inside exclusion", []PlanItem{takeoff, wpNE(120, 120, 30)}, ValidateOptions{},
			[]string{"item 2 (waypoint) is inside exclusion fence 2"}},
		{"leg through exclusion", []PlanItem{takeoff, wpNE(125, 50, 30), wpNE(125, 200, 30)}, ValidateOptions{},
			[]string{"the leg from item 2 (waypoint) to item 3 (waypoint) crosses exclusion fence 2"}},
		{"leg through exclusion circle", []PlanItem{takeoff, wpNE(300, -50, 30), wpNE(300, 50, 30)}, ValidateOptions{},
			[]string{"the leg from item 2 (waypoint) to item 3 (waypoint) passes 0 m from the centre of exclusion circle 1 (radius 20 m)"}},
		{"too low without terrain", []PlanItem{takeoff, wpNE(50, 0, 30), wpNE(60, 0, 5)}, ValidateOptions{},
			[]string{"the leg from item 2 (waypoint) to item 3 (waypoint) is 5 m above the ground at item 3 (waypoint), less than the 10 m margin (no terrain model: level ground at home's altitude assumed)"}},
		{"into a hill", []PlanItem{takeoff, wpNE(0, 50, 40), wpNE(0, 250, 40)}, ValidateOptions{Ground: hillGround{}},
			[]string{"the leg from item 2 (waypoint) to item 3 (waypoint) is"}},
		{"ceiling", []PlanItem{takeoff, wpNE(50, 0, 150)}, ValidateOptions{Limits: DefaultVehicleLimits(false)},
			[]string{"item 2 (waypoint) is 150 m above home, above the 120 m ceiling"}},
		{"after RTL", []PlanItem{takeoff, SimpleItem{MissionItem{Frame: FrameMission, Command: CmdNavReturnToLaunch}}, wpNE(50, 0, 30)}, ValidateOptions{},
			[]string{"item 3 (waypoint) comes after item 2 (RTL), which ends the mission: it will not be flown"}},
		{"bad jump", []PlanItem{takeoff, SimpleItem{MissionItem{Frame: FrameMission, Command: CmdDoJump, Param1: 9, Param2: 1}}}, ValidateOptions{},
			[]string{"item 2 (DO_JUMP) jumps to item 9, but the mission has items 1 to 2"}},
		{"endurance", []PlanItem{takeoff, &Patrol{Polygon: square(300), AltM: 30, Loops: 10}},
			ValidateOptions{Limits: VehicleLimits{SpeedMS: 5, Endurance: 10 * time.Minute}},
			[]string{"the mission is 12.0 km, about 40m0s at 5 m/s, longer than the vehicle's 10m0s endurance"}},
		{"forever", []PlanItem{takeoff, &Patrol{Polygon: square(300), AltM: 30}}, ValidateOptions{},
			[]string{"a DO_JUMP repeats for ever: the vehicle flies until its battery fails safe (one loop is 2.4 km, 8m0s)"}},
		{"storage", []PlanItem{takeoff, wpNE(50, 0, 30)}, ValidateOptions{Limits: VehicleLimits{MaxItems: 2}},
			[]string{"the mission has 3 items, more than the 2 the vehicle stores"}},
		{"survey over a no-fly zone names the lanes", []PlanItem{takeoff, surveyAcross()}, ValidateOptions{},
			[]string{
				"the leg from item 2 (waypoint of plan item 2, survey) to item 4 (waypoint of plan item 2, survey) crosses exclusion fence 2",
				"the leg from item 5 (waypoint of plan item 2, survey) to item 7 (waypoint of plan item 2, survey) crosses exclusion fence 2",
			}},
		{"home and rally outside the fence", []PlanItem{takeoff, wpNE(50, 0, 30)}, ValidateOptions{}, []string{
			"home is outside inclusion fence 1", "rally point 1 is inside exclusion fence 2", "rally point 2 is inside exclusion circle 1",
			"the leg from home to item 2 (waypoint) leaves inclusion fence 1"}},
		{"plane turns", []PlanItem{takeoff, manualSurvey(square(100), 20)}, ValidateOptions{Limits: DefaultVehicleLimits(true)},
			[]string{"plan item 2 (survey): lanes 20 m apart need turns tighter than a plane's 30 m radius; fly alternate lanes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base()
			p.Items = tc.items
			if tc.name == "endurance" || tc.name == "forever" || strings.HasPrefix(tc.name, "plane") {
				p.Fence = Fence{}
			}
			if strings.HasPrefix(tc.name, "home and rally") {
				p.Home = OffsetNE(surveyOrigin, -200, 0)
				p.Items[0] = SimpleItem{MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavTakeoff, Autocontinue: true, Z: 30}}
				p.Items[1] = wpNE(-50, 0, 30)
				p.Rally = []RallyPoint{{Point: OffsetNE(surveyOrigin, 120, 120), AltM: 30}, {Point: OffsetNE(surveyOrigin, 300, 0), AltM: 30}}
			}
			got, err := Validate(p, tc.opt)
			require.NoError(t, err)
			texts := problemTexts(got)
			require.Len(t, texts, len(tc.want), "%q", texts)
			for i := range tc.want {
				require.True(t, strings.HasPrefix(texts[i], tc.want[i]), "got %q\nwant %q", texts[i], tc.want[i])
			}
		})
	}
}

// surveyAcross is a survey whose two east-west lanes cross exclusion fence 2 of the
// validation tests (north 100-150 m, east 100-150 m).
func surveyAcross() *Survey {
	s := manualSurvey(polyNE([2]float64{110, 0}, [2]float64{110, 300}, [2]float64{140, 300}, [2]float64{140, 0}), 20)
	s.AngleDeg = 90
	return s
}

func TestPlanStats(t *testing.T) {
	p := &Plan{Home: surveyOrigin, HoverSpeedMS: 5, Items: []PlanItem{
		SimpleItem{MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavTakeoff, Autocontinue: true, Z: 30}},
		wpNE(100, 0, 30), wpNE(100, 100, 30),
		SimpleItem{MissionItem{Frame: FrameMission, Command: CmdDoJump, Param1: 2, Param2: 1}},
		SimpleItem{MissionItem{Frame: FrameMission, Command: CmdNavReturnToLaunch}},
	}}
	st, err := p.Stats(ExpandOptions{}, 0)
	require.NoError(t, err)
	// home→2 100, 2→3 100, jump: 3→2 100, 2→3 100, RTL 141.4
	require.InDelta(t, 541.4, st.DistanceM, 0.5)
	require.InDelta(t, (541.4 / 5), st.Duration.Seconds(), 0.2)
	require.False(t, st.Forever)
	require.Equal(t, 6, st.Items)
	require.InDelta(t, 141.4, st.FarthestM, 0.2)
	require.Equal(t, 30.0, st.MaxAltM)

	s := manualSurvey(square(100), 30)
	p.Items = []PlanItem{s}
	st, err = p.Stats(ExpandOptions{}, 10)
	require.NoError(t, err)
	require.InDelta(t, 10000, st.AreaM2, 1)
	require.Equal(t, 3*(10+1), st.Photos)
}
