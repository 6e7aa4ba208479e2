package test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
	"github.com/vigil-gcs/vigil/mavlink/sitl"
)

// The acceptance plan: a .plan as QGroundControl writes it, with a survey (a Sony
// ILCE-QX1 at 40 m), an inclusion fence with an exclusion circle, and two rally points.
const qgcSurveyPlan = "../gcs/testdata/qgc_survey_fence_rally.plan"

func readPlan(t *testing.T, name string) *gcs.Plan {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	format, err := gcs.PlanFormatOf(name)
	require.NoError(t, err)
	p, err := gcs.ReadPlan(f, format, gcs.DefaultShapeDefaults)
	require.NoError(t, err)
	return p
}

// A QGroundControl plan loads, converts to .waypoints and back with the command line,
// uploads (mission, fence, rally) to the simulator, and the simulator flies the survey in
// AUTO: every lane is flown, the camera triggers along them, and the track covers the area.
func TestPlanSurveyConvertUploadFly(t *testing.T) {
	p := readPlan(t, qgcSurveyPlan)
	survey := p.Items[1].(*gcs.Survey)
	want, err := p.MissionItems(gcs.ExpandOptions{})
	require.NoError(t, err)
	want = gcs.ClearUnsetParams(want)

	// .plan → .waypoints → .plan with the command line: the same mission.
	dir := t.TempDir()
	wp, back := filepath.Join(dir, "survey.waypoints"), filepath.Join(dir, "back.plan")
	code, out := vigil(t, "plan", "convert", qgcSurveyPlan, wp)
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "fence (2 zones) is not in a .waypoints file")
	code, out = vigil(t, "plan", "convert", wp, back)
	require.Equal(t, 0, code, out)
	round, err := readPlan(t, back).MissionItems(gcs.ExpandOptions{})
	require.NoError(t, err)
	require.Len(t, round, len(want))
	for i := range want {
		require.Equal(t, want[i].Command, round[i].Command, "item %d", i)
		require.InDelta(t, want[i].X, round[i].X, 1e-12, "item %d", i)
		require.InDelta(t, want[i].Y, round[i].Y, 1e-12, "item %d", i)
		require.InDelta(t, want[i].Z, round[i].Z, 1e-4, "item %d", i)
		require.InDelta(t, want[i].Param1, round[i].Param1, 1e-4, "item %d", i)
	}
	code, out = vigil(t, "plan", "validate", qgcSurveyPlan)
	require.Equal(t, 0, code, out)

	// A simulator whose copter the test can read once it has stopped.
	port := freePort(t)
	copter := sitl.NewCopter(sitl.CopterConfig{Home: home, GPSDelay: -1})
	conn, err := mavlink.ParseConnection(fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	require.NoError(t, err)
	sim := &sitl.Sim{Speedup: 20, Endpoints: []gomavlib.EndpointConf{conn.Endpoint()}, Vehicles: []sitl.SimVehicle{{SysID: 1, Model: copter}}}
	require.NoError(t, sim.Initialize())
	simClosed := false
	t.Cleanup(func() {
		if !simClosed {
			sim.Close()
		}
	})
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	ctx := ctxT(t, 2*time.Minute)

	// One command uploads the mission, the fence and the rally points of a .plan.
	code, out = vigil(t, "mission", "upload", "--connect", fmt.Sprintf("tcp://127.0.0.1:%d", port), qgcSurveyPlan)
	require.Equal(t, 0, code, out)
	require.Contains(t, out, fmt.Sprintf("vehicle 1: mission of %d items uploaded and accepted", len(want)))
	require.Contains(t, out, "vehicle 1: fence of 5 items uploaded and accepted")
	require.Contains(t, out, "vehicle 1: rally of 2 items uploaded and accepted")
	gotMission, err := c.DownloadMission(ctx, 1, gcs.MissionTypeMission, nil)
	require.NoError(t, err)
	require.Len(t, gotMission, len(want))
	for i := 1; i < len(want); i++ { // MISSION_ITEM_INT carries degrees × 1e7
		require.Equal(t, want[i].Command, gotMission[i].Command, "item %d", i)
		require.InDelta(t, want[i].X, gotMission[i].X, 1e-7, "item %d", i)
		require.InDelta(t, want[i].Y, gotMission[i].Y, 1e-7, "item %d", i)
	}
	// And back into a .plan: the mission as simple items.
	code, out = vigil(t, "mission", "download", "--connect", fmt.Sprintf("tcp://127.0.0.1:%d", port), filepath.Join(dir, "down.plan"))
	require.Equal(t, 0, code, out)
	down, err := readPlan(t, filepath.Join(dir, "down.plan")).MissionItems(gcs.ExpandOptions{})
	require.NoError(t, err)
	require.Len(t, down, len(want))
	gotFence, err := c.DownloadMission(ctx, 1, gcs.MissionTypeFence, nil)
	require.NoError(t, err)
	f2, err := gcs.FenceFromItems(gotFence)
	require.NoError(t, err)
	require.Len(t, f2.Polygons, 1)
	require.Len(t, f2.Circles, 1)
	gotRally, err := c.DownloadMission(ctx, 1, gcs.MissionTypeRally, nil)
	require.NoError(t, err)
	require.Len(t, gotRally, 2)

	_, err = c.SetMode(ctx, 1, "GUIDED")
	require.NoError(t, err)
	_, err = c.Arm(ctx, 1, false)
	require.NoError(t, err)
	_, err = c.SetMode(ctx, 1, "AUTO")
	require.NoError(t, err)

	var track []orb.Point
	eventually(t, 90*time.Second, "survey flown to the end (RTL, landed, disarmed)", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		if v.PositionValid && v.Position.AltRelM > 30 {
			if n := len(track); n == 0 || track[n-1] != v.Position.Point {
				track = append(track, v.Position.Point)
			}
		}
		return !v.Armed && len(track) > 10, describe(v)
	})
	sim.Close()
	simClosed = true

	// Every lane was flown: each point along it within 3 m of the track.
	f := localFrameAt(survey.Polygon[0])
	trackXY := make(orb.LineString, len(track))
	for i, q := range track {
		trackXY[i] = f(q)
	}
	lanes, err := survey.Lanes()
	require.NoError(t, err)
	require.Len(t, lanes, 6)
	var laneM float64
	for li, l := range lanes {
		a, b := f(l[0]), f(l[1])
		length := planar.Distance(a, b)
		laneM += length
		for d := 0.0; d <= length; d += 5 {
			q := orb.Point{a[0] + (b[0]-a[0])*d/length, a[1] + (b[1]-a[1])*d/length}
			dist := planar.DistanceFrom(trackXY, q)
			require.Less(t, dist, 3.0, "lane %d, %.0f m along: the track passes %.1f m away", li+1, d, dist)
		}
	}
	// The track covers the area: every point of it is inside the image footprint (half its
	// side width either side of the track).
	side, _ := survey.Calc.Camera.FootprintM(survey.Calc.GSDcm)
	poly := make(orb.Ring, 0, len(survey.Polygon)+1)
	for _, q := range survey.Polygon {
		poly = append(poly, f(q))
	}
	poly = append(poly, poly[0])
	bound := poly.Bound()
	for x := bound.Min[0]; x <= bound.Max[0]; x += 4 {
		for y := bound.Min[1]; y <= bound.Max[1]; y += 4 {
			q := orb.Point{x, y}
			if planar.RingContains(poly, q) {
				require.Less(t, planar.DistanceFrom(trackXY, q), side/2, "point %v of the area is outside every image", q)
			}
		}
	}
	// The camera triggered along the lanes (DO_SET_CAM_TRIGG_DIST): at least one photo per
	// trigger distance of lane.
	require.GreaterOrEqual(t, float64(copter.CameraTriggers()), laneM/survey.Calc.TriggerDistM,
		"%d photos over %.0f m of lanes %.1f m apart", copter.CameraTriggers(), laneM, survey.Calc.TriggerDistM)
}

// localFrameAt returns a function from {lon, lat} to east/north metres from origin.
func localFrameAt(origin orb.Point) func(orb.Point) orb.Point {
	return func(p orb.Point) orb.Point {
		n, e := gcs.NorthEastM(origin, p)
		return orb.Point{e, n}
	}
}

// The command line plans, checks and describes: a survey from a GeoJSON area, an orbit,
// a patrol; errors name what is wrong.
func TestPlanCommandLine(t *testing.T) {
	dir := t.TempDir()
	area := filepath.Join(dir, "area.geojson")
	require.NoError(t, os.WriteFile(area, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Camp"},
		"geometry":{"type":"Polygon","coordinates":[[[149.1653,-35.3630],[149.1665,-35.3630],[149.1665,-35.3622],[149.1655,-35.3620],[149.1653,-35.3630]]]}}]}`), 0o644))
	out := filepath.Join(dir, "survey.plan")
	code, text := vigil(t, "plan", "survey", "--polygon", area, "--camera", "Sony ILCE-QX1", "--alt", "50", "--overlap", "70,70", "--out", out)
	require.Equal(t, 0, code, text)
	require.Contains(t, text, "5 lanes 21.8 m apart")
	require.Contains(t, text, "photos every 14.5 m (1.33 cm/px)")
	code, text = vigil(t, "plan", "info", out, "--json")
	require.Equal(t, 0, code, text)
	require.Contains(t, text, `"area_m2":10106`)

	code, text = vigil(t, "plan", "survey", "--polygon", area, "--hfov", "70", "--image", "4000x3000", "--gsd", "2", "--angle", "30", "--crosshatch", "--out", filepath.Join(dir, "s.waypoints"))
	require.Equal(t, 0, code, text)
	require.Contains(t, text, "at 30.0°")

	code, text = vigil(t, "plan", "patrol", "--polygon", area, "--inset", "10", "--alt", "30", "--loops", "0", "--out", filepath.Join(dir, "p.plan"))
	require.Equal(t, 0, code, text)
	code, text = vigil(t, "plan", "validate", filepath.Join(dir, "p.plan"))
	require.Equal(t, 0, code, text)
	require.Contains(t, text, "warning: a DO_JUMP repeats for ever")

	code, text = vigil(t, "plan", "orbit", "--center", "-35.3625,149.166", "--radius", "30", "--alt", "150", "--out", filepath.Join(dir, "o.plan"))
	require.Equal(t, 0, code, text)
	code, text = vigil(t, "plan", "validate", filepath.Join(dir, "o.plan"))
	require.Equal(t, 1, code, text)
	require.Contains(t, text, "item 2 (loiter) is 150 m above home, above the 120 m ceiling")

	line := filepath.Join(dir, "road.kml")
	require.NoError(t, os.WriteFile(line, []byte(`<kml><Placemark><name>Road</name><LineString><coordinates>149.1650,-35.3630 149.1660,-35.3625 149.1675,-35.3626</coordinates></LineString></Placemark></kml>`), 0o644))
	code, text = vigil(t, "plan", "corridor", "--line", line, "--width", "60", "--alt", "40", "--out", filepath.Join(dir, "c.plan"))
	require.Equal(t, 0, code, text)
	require.Contains(t, text, "corridor 60 m wide at 40 m, 3 lanes")

	bow := filepath.Join(dir, "bow.kml")
	require.NoError(t, os.WriteFile(bow, []byte(`<kml><Placemark><name>Bow</name><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 0.001,0.001 0.001,0 0,0.001 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>`), 0o644))
	code, text = vigil(t, "plan", "survey", "--polygon", bow, "--spacing", "20", "--alt", "30", "--out", filepath.Join(dir, "x.plan"))
	require.Equal(t, 1, code, text)
	require.Contains(t, text, "edge 1-2 crosses edge 3-4")
	code, text = vigil(t, "plan", "survey", "--polygon", area, "--alt", "30", "--out", filepath.Join(dir, "x.plan"))
	require.Equal(t, 2, code, text)
	require.Contains(t, text, "say which camera")
}
