package gcs

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

func TestCorridorLanesAsQGroundControl(t *testing.T) {
	line := polyNE([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}) // north, then east
	for _, tc := range []struct {
		width, spacing float64
		lanes          int
		offsets        []float64 // east offset of each lane, in flight order
	}{
		// ceil(50/20) = 3 lanes offset 25−10, 25−30 and 25−50 m to the left (west) of the line.
		{50, 20, 3, []float64{-15, 5, 25}},
		{50, 60, 1, []float64{0}}, // one lane on the line
		{0, 20, 1, []float64{0}},
	} {
		c := &Corridor{Line: line, WidthM: tc.width, TransectStyle: TransectStyle{Calc: CameraCalc{AltM: 30, SpacingM: tc.spacing, TriggerDistM: 5}}}
		require.Equal(t, tc.lanes, c.TransectCount())
		path, err := c.Path()
		require.NoError(t, err)
		require.Len(t, path, 3*tc.lanes, "three points a lane")
		var got []float64
		for i := 0; i < len(path); i += 3 {
			start := path[i]
			if (i/3)%2 == 1 { // lawnmower: odd lanes flown back, their start is the far end
				start = path[i+2]
			}
			_, e := NorthEastM(surveyOrigin, start)
			got = append(got, math.Round(e*1000)/1000)
		}
		require.Equal(t, tc.offsets, got, "width %g", tc.width)
	}
}

func TestCorridorErrors(t *testing.T) {
	c := &Corridor{Line: polyNE([2]float64{0, 0}), WidthM: 10, TransectStyle: TransectStyle{Calc: CameraCalc{SpacingM: 5}}}
	_, err := c.Path()
	require.EqualError(t, err, "the line has 1 points, want at least 2")
	c.Line = polyNE([2]float64{0, 0}, [2]float64{0, 0})
	_, err = c.Path()
	require.EqualError(t, err, "line points 1 and 2 are the same point")
}

func TestOrbitLoiterTurnsAndCircleOfWaypoints(t *testing.T) {
	centre := OffsetNE(surveyOrigin, 100, 100)
	o := &Orbit{Center: centre, RadiusM: 40, AltM: 30, Turns: 2, Clockwise: false}
	p := &Plan{Home: surveyOrigin, Items: []PlanItem{o}}
	items, err := p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	require.Len(t, items, 2)
	require.Equal(t, CmdNavLoiterTurns, items[1].Command)
	require.Equal(t, 2.0, items[1].Param1)
	require.Equal(t, -40.0, items[1].Param3, "negative radius: counter-clockwise")

	o.Waypoints, o.Turns, o.Clockwise = 8, 1, true
	items, err = p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	require.Equal(t, CmdNavWaypoint, items[1].Command)
	require.Equal(t, CmdDoSetROILocation, items[2].Command, "ROI once on the circle")
	require.InDelta(t, centre.Lat(), items[2].X, 1e-9)
	require.Equal(t, CmdDoSetROINone, items[len(items)-1].Command)
	wps := 0
	for _, it := range items[1:] {
		if it.Command == CmdNavWaypoint {
			wps++
			require.InDelta(t, 40, DistanceM(centre, orb.Point{it.Y, it.X}), 0.05)
		}
	}
	require.Equal(t, 9, wps, "8 a turn and back to the first")
	// Clockwise seen from above: the second waypoint is east of the first (north) one.
	_, e := NorthEastM(centre, orb.Point{items[3].Y, items[3].X})
	require.Greater(t, e, 0.0)
}

func TestPatrolInsetLoopsAndForever(t *testing.T) {
	poly := square(100)
	for _, tc := range []struct {
		loops  int
		repeat float64
	}{{3, 2}, {0, -1}, {1, 0}} {
		p := &Plan{Home: surveyOrigin, Items: []PlanItem{
			SimpleItem{MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavTakeoff, Autocontinue: true, Z: 20}},
			&Patrol{Polygon: poly, InsetM: 10, AltM: 25, Loops: tc.loops},
		}}
		items, err := p.MissionItems(ExpandOptions{})
		require.NoError(t, err)
		for _, it := range items[2:6] {
			n, e := NorthEastM(surveyOrigin, orb.Point{it.Y, it.X})
			require.True(t, math.Abs(n-10) < 0.01 || math.Abs(n-90) < 0.01, "corner %.2f,%.2f is 10 m inside", n, e)
			require.True(t, math.Abs(e-10) < 0.01 || math.Abs(e-90) < 0.01, "corner %.2f,%.2f is 10 m inside", n, e)
		}
		if tc.loops == 1 {
			require.Len(t, items, 7, "home, takeoff, 4 corners, back to the first")
			continue
		}
		require.Len(t, items, 8)
		jump := items[6]
		require.Equal(t, CmdDoJump, jump.Command)
		require.Equal(t, 2.0, jump.Param1, "back to the first corner, item 2")
		require.Equal(t, tc.repeat, jump.Param2)
	}
	_, err := (&Patrol{Polygon: poly, InsetM: 60, AltM: 20}).Route()
	require.EqualError(t, err, "bad polygon: an inset of 60 m leaves no area inside the outline")
}

// slopeGround rises 1 m for every 10 m east of surveyOrigin, from 500 m.
type slopeGround struct{}

func (slopeGround) HeightAt(p orb.Point) (float64, bool) {
	_, e := NorthEastM(surveyOrigin, p)
	if e > 5000 {
		return 0, false
	}
	return 500 + e/10, true
}

// hillGround has a 60 m hill 150 m east of surveyOrigin.
type hillGround struct{}

func (hillGround) HeightAt(p orb.Point) (float64, bool) {
	n, e := NorthEastM(surveyOrigin, p)
	return 500 + 60*math.Exp(-((e-150)*(e-150)+n*n)/(2*30*30)), true
}

func TestTerrainFollowing(t *testing.T) {
	patrol := &Patrol{Polygon: square(300), AltM: 40, AltMode: AltAboveTerrain, Loops: 1}
	p := &Plan{Home: surveyOrigin, Items: []PlanItem{patrol}}
	_, err := p.MissionItems(ExpandOptions{})
	require.ErrorIs(t, err, ErrNeedTerrain)
	require.EqualError(t, err, "plan item 1 (patrol): terrain following needs a terrain model (--dem)")

	items, err := p.MissionItems(ExpandOptions{Ground: slopeGround{}})
	require.NoError(t, err)
	for _, it := range items[1:] {
		require.Equal(t, FrameGlobal, it.Frame)
		h, _ := slopeGround{}.HeightAt(orb.Point{it.Y, it.X})
		require.InDelta(t, h+40, it.Z, 1e-6, "40 m above the ground, as AMSL")
	}
	require.Len(t, items, 6, "a straight slope needs no extra points")

	// Over a hill, points are added along the leg so the vehicle keeps within 10 m.
	line := &Corridor{Line: polyNE([2]float64{0, 0}, [2]float64{0, 300}), TransectStyle: TransectStyle{
		Calc: CameraCalc{AltM: 40, SpacingM: 10}, AltMode: AltAboveTerrain, Trigger: TriggerNone}}
	p.Items = []PlanItem{line}
	items, err = p.MissionItems(ExpandOptions{Ground: hillGround{}})
	require.NoError(t, err)
	require.Greater(t, len(items), 3)
	for i := 2; i < len(items); i++ {
		a, b := items[i-1], items[i]
		for f := 0.0; f <= 1; f += 0.05 {
			pt := orb.Point{a.Y + (b.Y-a.Y)*f, a.X + (b.X-a.X)*f}
			h, _ := hillGround{}.HeightAt(pt)
			alt := a.Z + (b.Z-a.Z)*f
			require.InDelta(t, 40, alt-h, 10.5, "between items %d and %d", i-1, i)
		}
	}

	// The terrain frame leaves it to the vehicle.
	patrol.AltMode = AltTerrainFrame
	p.Items = []PlanItem{patrol}
	items, err = p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	require.Equal(t, FrameGlobalTerrainAlt, items[1].Frame)
	require.Equal(t, 40.0, items[1].Z)

	// Missing terrain is named.
	patrol.AltMode = AltAboveTerrain
	patrol.Polygon = polyNE([2]float64{0, 0}, [2]float64{0, 6000}, [2]float64{100, 6000})
	_, err = p.MissionItems(ExpandOptions{Ground: slopeGround{}})
	require.ErrorContains(t, err, "no terrain height at")
}
