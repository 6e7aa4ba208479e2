package gcs

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// QGroundControl's SurveyComplexItemTest, case for case: a 100 m square at 47.63° N, manual
// spacing 49 m (half the width less 1 m) so that exactly two lanes fit, photos every 25 m.
func qgcTestSurvey() *Survey {
	v0 := orb.Point{-122.08982199, 47.633550640000003}
	v1 := OffsetNE(v0, 0, 100)
	v2 := OffsetNE(v1, -100, 0)
	v3 := OffsetNE(v2, 0, -100)
	return &Survey{Polygon: []orb.Point{v0, v1, v2, v3}, TransectStyle: TransectStyle{
		Calc: CameraCalc{AltM: 50, SpacingM: 49, TriggerDistM: 25}}}
}

func commandsOf(t *testing.T, s *Survey) []uint16 {
	items, err := (&Plan{Home: s.Polygon[0], Items: []PlanItem{s}}).MissionItems(ExpandOptions{})
	require.NoError(t, err)
	var cmds []uint16
	for _, it := range items[1:] {
		cmds = append(cmds, it.Command)
	}
	return cmds
}

// _testItemGeneration without its DO_MOUNT_CONTROL items (QGroundControl's gimbal setting,
// which Vigil leaves to the operator) and with waypoints where it may use CONDITION_GATE.
func TestSurveyItemsAsQGroundControlsTest(t *testing.T) {
	wp, trig, photo := CmdNavWaypoint, CmdDoSetCamTriggDist, CmdImageStartCapture
	for _, tc := range []struct {
		name         string
		inTurnaround bool
		turnaroundM  float64
		hover        bool
		want         []uint16
	}{
		{"trigger per lane, no turnaround", false, 0, false, []uint16{wp, trig, wp, trig, wp, trig, wp, trig}},
		{"trigger per lane, turnaround", false, 50, false, []uint16{wp, wp, trig, wp, trig, wp, wp, wp, trig, wp, trig, wp}},
		{"images in turnaround, turnaround", true, 50, false, []uint16{wp, trig, wp, trig, wp, wp, wp, wp, trig, wp, wp, trig}},
		{"images in turnaround, no turnaround", true, 0, false, []uint16{wp, trig, wp, wp, trig, wp, trig}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := qgcTestSurvey()
			s.TriggerInTurnaround, s.TurnaroundM = tc.inTurnaround, tc.turnaroundM
			require.Equal(t, tc.want, commandsOf(t, s))
		})
	}
	t.Run("hover and capture", func(t *testing.T) {
		s := qgcTestSurvey()
		s.TurnaroundM = 50
		s.Calc.TriggerDistM = 100.0/3 + 1 // two photo stops inside each lane
		s.Trigger = TriggerWaypoint
		lane := []uint16{wp, wp, photo, wp, photo, wp, photo, wp, photo, wp}
		require.Equal(t, append(append([]uint16{}, lane...), lane...), commandsOf(t, s))
	})
}

// _testGridAngle: the first lane runs along the grid angle (modulo 180°) for every whole
// degree from -360° to 360°.
func TestSurveyGridAngleAsQGroundControlsTest(t *testing.T) {
	clamp180 := func(a float64) float64 { return math.Mod(math.Mod(a, 180)+180, 180) }
	for a := -360.0; a <= 360; a++ {
		s := qgcTestSurvey()
		s.AngleDeg = a
		lanes, err := s.Lanes()
		require.NoError(t, err)
		az := BearingDeg(lanes[0][0], lanes[0][1])
		d := math.Abs(clamp180(math.Round(a)) - clamp180(math.Round(az)))
		require.True(t, d == 0 || d == 180, "grid angle %g°: first lane runs at %.1f°", a, az)
	}
}

// _testEntryLocation: the four entry corners start at four different places.
func TestSurveyEntryCornersDifferAsQGroundControlsTest(t *testing.T) {
	for a := -360.0; a <= 360; a += 15 {
		seen := map[orb.Point]bool{}
		for e := EntryTopLeft; e <= EntryBottomRight; e++ {
			s := qgcTestSurvey()
			s.AngleDeg, s.Entry = a, e
			path, err := s.Path()
			require.NoError(t, err)
			require.False(t, seen[path[0]], "angle %g°: entry %d starts where another does", a, e)
			seen[path[0]] = true
		}
	}
}
