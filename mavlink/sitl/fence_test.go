package sitl

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

// square is an inclusion or exclusion polygon of side 2·halfM centred north/east of home.
func square(cmd uint16, northM, eastM, halfM float64) []gcs.MissionItem {
	var out []gcs.MissionItem
	for _, d := range [][2]float64{{-1, -1}, {-1, 1}, {1, 1}, {1, -1}} {
		it := navItem(cmd, northM+d[0]*halfM, eastM+d[1]*halfM, 0, 4)
		out = append(out, it)
	}
	return out
}

func TestCopterFenceUpload(t *testing.T) {
	good := square(gcs.CmdNavFencePolygonVertexIncl, 0, 0, 100)
	short := good[:3] // says 4 vertices, holds 3
	mixed := append(square(gcs.CmdNavFencePolygonVertexIncl, 0, 0, 100)[:2], square(gcs.CmdNavFencePolygonVertexExcl, 0, 0, 10)[2:]...)
	cases := []struct {
		name  string
		items []gcs.MissionItem
		want  uint8
	}{
		{"polygon", good, missionAccepted},
		{"polygon and circle", append(square(gcs.CmdNavFencePolygonVertexExcl, 50, 50, 10), navItem(gcs.CmdNavFenceCircleIncl, 0, 0, 0, 200)), missionAccepted},
		{"vertex count mismatch", short, missionError},
		{"mixed polygon", mixed, missionError},
		{"circle without radius", []gcs.MissionItem{navItem(gcs.CmdNavFenceCircleIncl, 0, 0, 0)}, missionError},
		{"not a fence item", []gcs.MissionItem{navItem(gcs.CmdNavWaypoint, 0, 0, 10)}, missionUnsupported},
		{"empty clears", nil, missionAccepted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			require.Equal(t, tc.want, c.SetMission(gcs.MissionTypeFence, tc.items))
			if tc.want == missionAccepted {
				require.Equal(t, tc.items, c.Mission(gcs.MissionTypeFence))
			} else {
				require.Empty(t, c.Mission(gcs.MissionTypeFence))
			}
		})
	}
}

func TestCopterFenceBreach(t *testing.T) {
	cases := []struct {
		name     string
		fence    []gcs.MissionItem
		params   map[string]float64
		northM   float64
		altM     float64
		wantMode uint32
	}{
		{"circle radius, RTL", nil, map[string]float64{"FENCE_RADIUS": 50}, 100, 20, modeRTL},
		{"max altitude, LAND", nil, map[string]float64{"FENCE_ALT_MAX": 30, "FENCE_ACTION": 2}, 0, 40, modeLand},
		{"inclusion polygon", square(gcs.CmdNavFencePolygonVertexIncl, 0, 0, 40), nil, 80, 20, modeRTL},
		{"exclusion circle", []gcs.MissionItem{navItem(gcs.CmdNavFenceCircleExcl, 60, 0, 0, 15)}, nil, 100, 20, modeRTL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			require.Equal(t, missionAccepted, c.SetMission(gcs.MissionTypeFence, tc.fence))
			for k, v := range tc.params {
				_, ok := c.SetParam(k, v)
				require.True(t, ok)
			}
			require.Equal(t, resultAccepted, c.Command(cmdDoFenceEnable, [7]float64{1}, 0))
			takeOff(t, c, 20)
			c.TakeStatusTexts()
			require.Equal(t, resultAccepted, gotoPoint(c, tc.northM, 0, tc.altM))
			runUntil(t, c, time.Minute, func(s VehicleState) bool { return s.CustomMode != modeGuided })
			require.Equal(t, tc.wantMode, c.State().CustomMode)
			f := c.State().Fence
			require.NotNil(t, f, "FENCE_STATUS is reported while the fence is enabled")
			require.Equal(t, 1, f.Breaches)
			wantKind := 3 // boundary
			if tc.altM > 30 {
				wantKind = 2
			}
			require.Equal(t, wantKind, f.LastBreach)
			st := c.TakeStatusTexts()
			require.Len(t, st, 1, "one breach, one message")
			require.Equal(t, gcs.StatusText{Severity: gcs.SeverityCritical, Text: "Fence Breach"}, st[0])
			runUntil(t, c, 3*time.Minute, func(s VehicleState) bool { return !s.Armed })
			require.NotContains(t, texts(c), "Fence Breach")
		})
	}
}

func TestCopterFenceDisabledIgnoresBreach(t *testing.T) {
	c := newFixedCopter(t)
	c.SetParam("FENCE_RADIUS", 30)
	takeOff(t, c, 20)
	require.Equal(t, resultAccepted, gotoPoint(c, 60, 0, 20))
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return distTo(s, offset(60, 0)) < 1 })
	require.Equal(t, modeGuided, c.State().CustomMode)
}

func TestCopterRTLToNearestRally(t *testing.T) {
	c := newFixedCopter(t)
	require.Equal(t, missionAccepted, c.SetMission(gcs.MissionTypeRally, []gcs.MissionItem{
		navItem(gcs.CmdNavRallyPoint, 200, 0, 20),
		navItem(gcs.CmdNavRallyPoint, 60, 60, 20),
	}))
	takeOff(t, c, 20)
	require.Equal(t, resultAccepted, gotoPoint(c, 50, 30, 20))
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return distTo(s, offset(50, 30)) < 1 })
	require.Equal(t, resultAccepted, c.SetMode(modeRTL))
	runUntil(t, c, 2*time.Minute, func(s VehicleState) bool { return !s.Armed })
	require.Less(t, distTo(c.State(), offset(60, 60)), 1.0)
}
