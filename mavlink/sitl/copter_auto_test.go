package sitl

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

// navItem is a mission item at a point north/east of home, altitude above home.
func navItem(cmd uint16, northM, eastM, altM float64, params ...float64) gcs.MissionItem {
	p := offset(northM, eastM)
	it := gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: cmd, Autocontinue: true, X: p.Lat(), Y: p.Lon(), Z: altM}
	setParams(&it, params)
	return it
}

// doItem is a mission item that is not a position.
func doItem(cmd uint16, params ...float64) gcs.MissionItem {
	it := gcs.MissionItem{Frame: gcs.FrameMission, Command: cmd, Autocontinue: true}
	setParams(&it, params)
	return it
}

func setParams(it *gcs.MissionItem, p []float64) {
	dst := []*float64{&it.Param1, &it.Param2, &it.Param3, &it.Param4}
	for i, v := range p {
		*dst[i] = v
	}
}

// surveyMission is 20 items: takeoff, a leg flown three times by DO_JUMP, an ROI, loiters and
// a return.
func surveyMission() []gcs.MissionItem {
	roi := offset(100, 100)
	return []gcs.MissionItem{
		navItem(gcs.CmdNavWaypoint, 0, 0, 0), // 0 home
		{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavTakeoff, Autocontinue: true, Z: 20},                            // 1
		doItem(gcs.CmdDoChangeSpeed, 1, 8, -1),                                                                                // 2
		navItem(gcs.CmdNavWaypoint, 50, 0, 20),                                                                                // 3
		{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdDoSetROILocation, Autocontinue: true, X: roi.Lat(), Y: roi.Lon()}, // 4
		navItem(gcs.CmdNavWaypoint, 50, 50, 20),                                                                               // 5
		navItem(gcs.CmdNavWaypoint, 0, 50, 0),                                                                                 // 6: altitude 0 keeps the current one
		doItem(gcs.CmdDoJump, 5, 2),                                                                                           // 7
		navItem(gcs.CmdNavWaypoint, 0, 100, 25),                                                                               // 8
		doItem(gcs.CmdDoSetCamTriggDist, 20),                                                                                  // 9
		navItem(gcs.CmdNavWaypoint, 50, 100, 25),                                                                              // 10
		doItem(gcs.CmdDoSetROINone),                                                                                           // 11
		navItem(gcs.CmdNavLoiterTime, 50, 150, 25, 2),                                                                         // 12
		doItem(gcs.CmdDoMountControl, -90, 0, 0),                                                                              // 13
		navItem(gcs.CmdNavWaypoint, 100, 150, 25),                                                                             // 14
		navItem(gcs.CmdNavLoiterTurns, 100, 100, 25, 1, 0, 15),                                                                // 15
		doItem(gcs.CmdDoChangeSpeed, 1, 12, -1),                                                                               // 16
		navItem(gcs.CmdNavWaypoint, 100, 0, 25),                                                                               // 17
		navItem(gcs.CmdNavWaypoint, 50, -20, 25, 1),                                                                           // 18: hold 1 s
		doItem(gcs.CmdNavReturnToLaunch),                                                                                      // 19
	}
}

func TestCopterAutoMission(t *testing.T) {
	c := newFixedCopter(t)
	items := surveyMission()
	require.Len(t, items, 20)
	require.Equal(t, missionAccepted, c.SetMission(gcs.MissionTypeMission, items))
	require.Equal(t, 20, c.State().MissionCount)

	require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	require.Equal(t, resultAccepted, c.Command(cmdMissionStart, [7]float64{}, 0))
	require.Equal(t, modeAuto, c.State().CustomMode)

	var seqs []int
	var reached []string
	var sawROI, sawNoROI, sawFast bool
	runUntil(t, c, 10*time.Minute, func(s VehicleState) bool {
		if len(seqs) == 0 || seqs[len(seqs)-1] != s.MissionCurrent {
			seqs = append(seqs, s.MissionCurrent)
		}
		for _, txt := range texts(c) {
			reached = append(reached, txt)
		}
		speed := math.Hypot(s.Velocity.NorthMps, s.Velocity.EastMps)
		switch s.MissionCurrent {
		case 3:
			require.LessOrEqual(t, speed, 8.05, "DO_CHANGE_SPEED 8")
		case 6:
			require.NotNil(t, s.ROI)
			require.True(t, s.Gimbal.EarthFrame)
			sawROI = true
		case 12:
			require.Nil(t, s.ROI)
			sawNoROI = true
		case 17:
			sawFast = sawFast || speed > 11
		}
		return !s.Armed
	})
	require.Equal(t, []int{1, 3, 5, 6, 5, 6, 5, 6, 8, 10, 12, 14, 15, 17, 18, 19}, seqs)
	require.True(t, sawROI && sawNoROI && sawFast)

	var want []string
	for _, seq := range []int{1, 3, 5, 6, 5, 6, 5, 6, 8, 10, 12, 14, 15, 17, 18, 19} {
		want = append(want, fmt.Sprintf("Reached command #%d", seq))
	}
	got := slices.DeleteFunc(slices.Clone(reached), func(s string) bool { return len(s) < 7 || s[:7] != "Reached" })
	require.Equal(t, want, got)
	require.Contains(t, reached, "Mission complete")
	require.Contains(t, reached, "Disarming motors")

	s := c.State()
	require.True(t, s.Landed)
	require.Less(t, distTo(s, testHome.Point), 1.0)
	require.InDelta(t, -90, rad2deg(s.Gimbal.PitchRad), 0.01)
	require.Greater(t, c.CameraTriggers(), 10)
}

func TestCopterAutoWaitsForArming(t *testing.T) {
	c := newFixedCopter(t)
	require.Equal(t, missionAccepted, c.SetMission(gcs.MissionTypeMission, surveyMission()))
	require.Equal(t, resultAccepted, c.SetMode(modeAuto))
	runFor(c, 2*time.Second)
	require.True(t, c.State().Landed)
	require.Equal(t, 1, c.State().MissionCurrent)

	require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return s.MissionCurrent == 3 })
	require.InDelta(t, 20, c.State().Position.AltRelM, 1)
}

func TestCopterSetMissionCurrent(t *testing.T) {
	c := newFixedCopter(t)
	require.Equal(t, missionAccepted, c.SetMission(gcs.MissionTypeMission, surveyMission()))
	require.False(t, c.SetMissionCurrent(20))
	require.False(t, c.SetMissionCurrent(-1))
	takeOff(t, c, 20)
	require.Equal(t, resultAccepted, c.SetMode(modeAuto))
	require.True(t, c.SetMissionCurrent(14))
	require.Equal(t, 14, c.State().MissionCurrent)
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return s.MissionCurrent == 15 })
	require.Less(t, distTo(c.State(), offset(100, 150)), 3.0)
}

func TestCopterAutoPausesWithoutAutocontinue(t *testing.T) {
	c := newFixedCopter(t)
	items := []gcs.MissionItem{
		navItem(gcs.CmdNavWaypoint, 0, 0, 0),
		{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavTakeoff, Autocontinue: true, Z: 10},
		navItem(gcs.CmdNavWaypoint, 30, 0, 10),
		navItem(gcs.CmdNavWaypoint, 30, 30, 10),
	}
	items[2].Autocontinue = false
	require.Equal(t, missionAccepted, c.SetMission(gcs.MissionTypeMission, items))
	require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	require.Equal(t, resultAccepted, c.Command(cmdMissionStart, [7]float64{}, 0))
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return s.MissionCurrent == 3 })
	runFor(c, 10*time.Second)
	require.Less(t, distTo(c.State(), offset(30, 0)), 2.5, "waits at the item")
	require.Equal(t, resultAccepted, c.Command(cmdDoPauseContinue, [7]float64{1}, 0))
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return distTo(s, offset(30, 30)) < 2 })
}

func TestCopterMissionStorage(t *testing.T) {
	c := newFixedCopter(t)
	home := c.Mission(gcs.MissionTypeMission)
	require.Len(t, home, 1)
	require.Equal(t, gcs.MissionItem{Frame: gcs.FrameGlobal, Command: gcs.CmdNavWaypoint, Autocontinue: true,
		X: testHome.Point.Lat(), Y: testHome.Point.Lon(), Z: testHome.AltMSLM}, home[0])
	require.Equal(t, 1, c.State().MissionCount)

	items := surveyMission()
	require.Equal(t, missionAccepted, c.SetMission(gcs.MissionTypeMission, items))
	got := c.Mission(gcs.MissionTypeMission)
	require.Equal(t, home[0], got[0], "item 0 is home, refreshed")
	require.Equal(t, items[1:], got[1:])

	// DO_SET_HOME moves item 0.
	p := offset(10, 10)
	require.Equal(t, resultAccepted, c.Command(gcs.CmdDoSetHome, [7]float64{0, 0, 0, 0, p.Lat(), p.Lon(), 500}, 0))
	got = c.Mission(gcs.MissionTypeMission)
	require.InDelta(t, p.Lat(), got[0].X, 1e-9)
	require.Equal(t, 500.0, got[0].Z)

	rally := []gcs.MissionItem{navItem(gcs.CmdNavRallyPoint, 50, 50, 20)}
	require.Equal(t, missionAccepted, c.SetMission(gcs.MissionTypeRally, rally))
	require.Equal(t, rally, c.Mission(gcs.MissionTypeRally))
	require.Equal(t, missionUnsupported, c.SetMission(gcs.MissionTypeRally, []gcs.MissionItem{doItem(gcs.CmdDoJump)}))
}
