package mavlink

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

// testMission is a list of n items whose values survive MISSION_ITEM_INT exactly:
// coordinates on the 10⁻⁷° grid, parameters and altitudes that are float32 values.
func testMission(n int) []gcs.MissionItem {
	items := make([]gcs.MissionItem, n)
	for i := range items {
		lat := float64(473977419+i*37) / 1e7
		lon := float64(85455939-i*53) / 1e7
		switch {
		case i == 0:
			items[i] = gcs.MissionItem{Frame: gcs.FrameGlobal, Command: gcs.CmdNavWaypoint, Autocontinue: true, X: lat, Y: lon, Z: 488.5}
		case i == 1:
			items[i] = gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavTakeoff, Current: true, Autocontinue: true, Param1: 15, Z: 30}
		case i%7 == 3:
			items[i] = gcs.MissionItem{Frame: gcs.FrameMission, Command: gcs.CmdDoChangeSpeed, Autocontinue: true, Param1: 1, Param2: 12.5, Param3: -1}
		default:
			items[i] = gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavWaypoint, Autocontinue: true,
				Param2: 2, Param4: float64(float32(0.1 * float64(i%10))), X: lat, Y: -lon, Z: 40 + float64(i%13)*0.25}
		}
	}
	return items
}

func TestMissionItemRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		item gcs.MissionItem
		x, y int32
	}{
		{"global", gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavWaypoint, X: 47.3977419, Y: 8.5455939, Z: 30, Autocontinue: true},
			473977419, 85455939},
		{"southwest", gcs.MissionItem{Frame: gcs.FrameGlobalTerrainAlt, Command: gcs.CmdNavLand, X: -33.8688197, Y: -151.2092955},
			-338688197, -1512092955},
		{"antimeridian", gcs.MissionItem{Frame: gcs.FrameGlobal, Command: gcs.CmdNavWaypoint, X: 90, Y: 180},
			900000000, 1800000000},
		{"plain parameters", gcs.MissionItem{Frame: gcs.FrameMission, Command: gcs.CmdDoJump, Param1: 3, Param2: -1, X: 12, Y: -7, Z: 1.5},
			12, -7},
		{"flags and params", gcs.MissionItem{Frame: gcs.FrameMission, Command: gcs.CmdDoSetCamTriggDist, Current: true, Autocontinue: true,
			Param1: 25.5, Param2: 0, Param3: 1, Param4: -0.25}, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := missionItemInt(c.item, 7, testVehicle, gcs.MissionTypeFence)
			require.Equal(t, c.x, m.X)
			require.Equal(t, c.y, m.Y)
			require.Equal(t, uint16(7), m.Seq)
			require.Equal(t, testVehicle.sys, m.TargetSystem)
			require.EqualValues(t, gcs.MissionTypeFence, m.MissionType)
			require.Equal(t, c.item, fromMissionItemInt(m))

			seq, mt, back, ok := missionItemOf(m)
			require.True(t, ok)
			require.Equal(t, uint16(7), seq)
			require.Equal(t, gcs.MissionTypeFence, mt)
			require.Equal(t, c.item, back)

			// Legacy MISSION_ITEM carries float32: good to about a metre, never more.
			legacy := fromMissionItemFloat(missionItemFloat(c.item, 7, testVehicle, gcs.MissionTypeFence))
			require.InDelta(t, c.item.X, legacy.X, 1e-5)
			require.InDelta(t, c.item.Y, legacy.Y, 1e-5)
			require.Equal(t, c.item.Command, legacy.Command)
		})
	}
}

func TestMissionItemRounding(t *testing.T) {
	// 1e7 × a decimal degree is rarely an exact float64: rounding, not truncation.
	m := missionItemInt(gcs.MissionItem{Frame: gcs.FrameGlobal, X: 0.0000001 * 3, Y: -0.00000029999}, 0, testVehicle, 0)
	require.Equal(t, int32(3), m.X)
	require.Equal(t, int32(-3), m.Y)
	m = missionItemInt(gcs.MissionItem{Frame: gcs.FrameMission, X: 2.9999999, Y: -2.5}, 0, testVehicle, 0)
	require.Equal(t, int32(3), m.X)
	require.Equal(t, int32(-3), m.Y)
}

func TestCheckMissionItems(t *testing.T) {
	cases := []struct {
		name  string
		items []gcs.MissionItem
		err   string
	}{
		{"empty", nil, ""},
		{"fine", testMission(20), ""},
		{"latitude", []gcs.MissionItem{{Frame: gcs.FrameGlobal, X: 91}}, "mission item 0: latitude 91 is not between -90 and 90 degrees"},
		{"longitude", []gcs.MissionItem{{}, {Frame: gcs.FrameGlobalRelativeAlt, X: 1, Y: -180.5}}, "mission item 1: longitude -180.5 is not between -180 and 180 degrees"},
		{"NaN latitude", []gcs.MissionItem{{Frame: gcs.FrameGlobal, X: math.NaN()}}, "mission item 0: latitude NaN is not between -90 and 90 degrees"},
		{"plain overflow", []gcs.MissionItem{{Frame: gcs.FrameMission, X: 3e9}}, "mission item 0: x 3e+09 or y 0 does not fit the protocol's 32-bit integers"},
		{"too many", make([]gcs.MissionItem, 65536), "a mission list holds at most 65535 items, not 65536"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkMissionItems(c.items)
			if c.err == "" {
				require.NoError(t, err)
			} else {
				require.EqualError(t, err, c.err)
			}
		})
	}
}
