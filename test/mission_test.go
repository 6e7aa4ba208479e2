package test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// mission20 is a 20-item survey-like mission (item 0 is home) with a DO_JUMP that repeats a
// square once, a point of interest, speed changes, a loiter, camera triggering and RTL.
func mission20() []gcs.MissionItem {
	wp := func(north, east, alt float64) gcs.MissionItem {
		p := gcs.OffsetNE(home.Point, north, east)
		// positions as MISSION_ITEM_INT carries them: degrees × 1e7
		return gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavWaypoint, Autocontinue: true,
			X: math.Round(p.Lat()*1e7) / 1e7, Y: math.Round(p.Lon()*1e7) / 1e7, Z: alt}
	}
	do := func(cmd uint16, p1, p2 float64) gcs.MissionItem {
		return gcs.MissionItem{Frame: gcs.FrameMission, Command: cmd, Autocontinue: true, Param1: p1, Param2: p2}
	}
	roi := wp(15, 15, 0)
	roi.Command = gcs.CmdDoSetROILocation
	loiter := wp(-20, -20, 25)
	loiter.Command, loiter.Param1 = gcs.CmdNavLoiterTime, 2
	return []gcs.MissionItem{
		{Frame: gcs.FrameGlobal, Command: gcs.CmdNavWaypoint, Autocontinue: true, X: home.Point.Lat(), Y: home.Point.Lon(), Z: home.AltMSLM},
		{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavTakeoff, Autocontinue: true, Z: 20}, // 1
		do(gcs.CmdDoChangeSpeed, 1, 10),     // 2
		wp(30, 0, 20),                       // 3
		roi,                                 // 4
		wp(30, 30, 20),                      // 5
		wp(0, 30, 20),                       // 6
		do(gcs.CmdDoJump, 3, 1),             // 7: back to 3, once
		do(gcs.CmdDoSetROINone, 0, 0),       // 8
		wp(-20, 30, 25),                     // 9
		wp(-20, 0, 25),                      // 10
		loiter,                              // 11
		do(gcs.CmdDoSetCamTriggDist, 10, 0), // 12
		wp(0, -30, 25),                      // 13
		wp(20, -30, 25),                     // 14
		do(gcs.CmdDoSetCamTriggDist, 0, 0),  // 15
		wp(20, -10, 20),                     // 16
		do(gcs.CmdDoChangeSpeed, 1, 5),      // 17
		wp(10, 0, 15),                       // 18
		{Frame: gcs.FrameMission, Command: gcs.CmdNavReturnToLaunch, Autocontinue: true}, // 19
	}
}

// The acceptance mission: uploaded, downloaded identical, and flown in AUTO to the end.
func TestMission20UploadDownloadFly(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{speedup: 8}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	ctx := ctxT(t, 3*time.Minute)

	items := mission20()
	var progress []int
	require.NoError(t, c.UploadMission(ctx, 1, gcs.MissionTypeMission, items, func(done, total int) {
		require.Equal(t, len(items), total)
		progress = append(progress, done)
	}))
	require.Equal(t, len(items), progress[len(progress)-1], "progress reaches the end")

	got, err := c.DownloadMission(ctx, 1, gcs.MissionTypeMission, nil)
	require.NoError(t, err)
	require.Len(t, got, len(items))
	require.Equal(t, items[1:], got[1:], "every item comes back exactly")
	require.Less(t, gcs.DistanceM(orb.Point{got[0].Y, got[0].X}, home.Point), 1.0, "item 0 is the vehicle's home")

	_, err = c.SetMode(ctx, 1, "GUIDED")
	require.NoError(t, err)
	_, err = c.Arm(ctx, 1, false)
	require.NoError(t, err)
	_, err = c.SetMode(ctx, 1, "AUTO")
	require.NoError(t, err)

	var seen []int
	eventually(t, 2*time.Minute, "mission flown to the end (RTL, landed, disarmed)", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		if n := len(seen); n == 0 || seen[n-1] != v.MissionCurrent {
			seen = append(seen, v.MissionCurrent)
		}
		return !v.Armed && len(seen) > 3, fmt.Sprintf("%s, items seen %v", describe(v), seen)
	})
	// Every navigation item is flown, in order, with the square 3-5-6 twice (DO_JUMP).
	nav := slices.DeleteFunc(slices.Clone(seen), func(s int) bool { return s == 0 })
	require.Equal(t, []int{1, 3, 5, 6, 3, 5, 6, 9, 10, 11, 13, 14, 16, 18, 19}, compact(nav), "items seen %v", seen)
}

// compact drops DO items a MISSION_CURRENT sample may have caught between nav items.
func compact(seq []int) []int {
	do := map[int]bool{2: true, 4: true, 7: true, 8: true, 12: true, 15: true, 17: true}
	return slices.DeleteFunc(seq, func(s int) bool { return do[s] })
}
