package gcs

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

func readPlanFile(t *testing.T, name string) *Plan {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	format, err := PlanFormatOf(name)
	require.NoError(t, err)
	p, err := ReadPlan(f, format, DefaultShapeDefaults)
	require.NoError(t, err)
	return p
}

func writePlan(t *testing.T, p *Plan, f PlanFormat) []byte {
	t.Helper()
	var b bytes.Buffer
	_, err := WritePlan(&b, f, p, ExpandOptions{})
	require.NoError(t, err)
	return b.Bytes()
}

// QGroundControl's own test plan (src/MissionManager/UnitTest/SectionTest.plan), in the
// older layout with a "coordinate" and four params, geoFence and rallyPoints version 1.
func TestReadQGCSectionTestPlan(t *testing.T) {
	p := readPlanFile(t, "testdata/qgc_SectionTest.plan")
	require.Equal(t, orb.Point{-122.09076300000001, 47.633389756176875}, p.Home)
	require.Equal(t, 20.0, p.HomeAltMSLM)
	require.Len(t, p.Items, 5)
	takeoff := p.Items[0].(SimpleItem).Item
	require.Equal(t, CmdNavTakeoff, takeoff.Command)
	require.Equal(t, FrameGlobalRelativeAlt, takeoff.Frame)
	require.Equal(t, 47.63311996, takeoff.X)
	require.Equal(t, -122.090763, takeoff.Y)
	require.Equal(t, 20.0, takeoff.Z)
	mount := p.Items[3].(SimpleItem).Item
	require.Equal(t, CmdDoMountControl, mount.Command)
	require.Equal(t, 2.0, mount.Z)
	require.True(t, p.Fence.IsEmpty())
	require.Empty(t, p.Rally)
	require.Equal(t, 2, p.VehicleType)
	require.Equal(t, 12, p.FirmwareType)
}

func TestQGCSurveyPlanLoadsWithFenceAndRally(t *testing.T) {
	p := readPlanFile(t, "testdata/qgc_survey_fence_rally.plan")
	require.Len(t, p.Items, 3)
	s, ok := p.Items[1].(*Survey)
	require.True(t, ok)
	require.Len(t, s.Polygon, 4)
	require.Equal(t, "Sony ILCE-QX1", s.Calc.Camera.Name)
	require.Equal(t, 40.0, s.Calc.AltM)
	require.Equal(t, 10.0, s.TurnaroundM)
	require.True(t, s.TriggerInTurnaround)
	require.NotEmpty(t, s.Items, "the items QGroundControl stored are kept")
	require.Len(t, p.Fence.Polygons, 1)
	require.True(t, p.Fence.Polygons[0].Inclusion)
	require.Len(t, p.Fence.Circles, 1)
	require.False(t, p.Fence.Circles[0].Inclusion)
	require.Equal(t, 20.0, p.Fence.Circles[0].RadiusM)
	require.Len(t, p.Rally, 2)

	items, err := p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	require.Len(t, items, 1+1+len(s.Items)+1)
	// What the survey regenerates from its parameters is what the file stored.
	regen := *s
	regen.Items = nil
	again, err := (&Plan{Home: p.Home, Items: []PlanItem{&regen}}).MissionItems(ExpandOptions{})
	require.NoError(t, err)
	require.Equal(t, ClearUnsetParams(s.Items), ClearUnsetParams(again[1:]))

	// To .waypoints and back: the same mission, fence and rally noted as left out.
	var wp bytes.Buffer
	notes, err := WritePlan(&wp, FormatWaypoints, p, ExpandOptions{})
	require.NoError(t, err)
	require.Len(t, notes, 3)
	require.Contains(t, notes[0], "fence (2 zones)")
	back, err := ReadPlan(&wp, FormatWaypoints, ShapeDefaults{})
	require.NoError(t, err)
	backItems, err := back.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	want := ClearUnsetParams(items)
	for i := range want { // the file rounds what travels as float32
		want[i].Z = float64(float32(want[i].Z))
		for _, q := range []*float64{&want[i].Param1, &want[i].Param2, &want[i].Param3, &want[i].Param4} {
			*q = float64(float32(*q))
		}
	}
	require.Equal(t, want, backItems)
}

func TestQGCPlanRoundTripLosesNothing(t *testing.T) {
	for _, name := range []string{"testdata/qgc_survey_fence_rally.plan", "testdata/qgc_SectionTest.plan"} {
		p := readPlanFile(t, name)
		first := writePlan(t, p, FormatQGCPlan)
		p2, err := ReadQGCPlan(bytes.NewReader(first))
		require.NoError(t, err)
		second := writePlan(t, p2, FormatQGCPlan)
		require.Equal(t, string(first), string(second), name)
		a, err := p.MissionItems(ExpandOptions{})
		require.NoError(t, err)
		b, err := p2.MissionItems(ExpandOptions{})
		require.NoError(t, err)
		require.Equal(t, ClearUnsetParams(a), ClearUnsetParams(b), name)
		require.Equal(t, p.Fence, p2.Fence)
		require.Equal(t, p.Rally, p2.Rally)
	}
	// Vigil's own items survive a .plan: patrol and orbit as their items, DO_JUMP target kept.
	p := &Plan{Home: surveyOrigin, Items: []PlanItem{
		SimpleItem{MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavTakeoff, Autocontinue: true, Z: 20}},
		&Patrol{Polygon: square(100), InsetM: 5, AltM: 30, Loops: 3},
		&Corridor{Line: polyNE([2]float64{0, 0}, [2]float64{200, 50}), WidthM: 40, TransectStyle: TransectStyle{Calc: CameraCalc{AltM: 30, SpacingM: 15, TriggerDistM: 8}}},
	}}
	want, err := p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	back, err := ReadQGCPlan(bytes.NewReader(writePlan(t, p, FormatQGCPlan)))
	require.NoError(t, err)
	got, err := back.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.IsType(t, &Corridor{}, back.Items[len(back.Items)-1], "the corridor stays a corridor")
}

// casesQGCPlanError are .plan files ReadQGCPlan refuses, and the sentence it says.
var casesQGCPlanError = []struct {
	name, file, err string
}{
	{"not JSON", "QGC WPL 110\n", "line 1: not JSON: invalid character 'Q' looking for beginning of value"},
	{"not an object", "[1, 2]", "not a plan file: want a JSON object"},
	{"unknown version", `{"fileType": "Plan", "version": 2}`, "version: 2, this reader knows .plan version 1"},
	{"not a plan", `{"fileType": "Mission", "version": 1}`, `fileType: "Mission", want "Plan"`},
	{"no fileType", `{"version": 1}`, "not a QGroundControl plan: fileType: missing"},
	{"mission version", `{"fileType": "Plan", "version": 1, "mission": {"version": 3}}`, "mission.version: 3, this reader knows mission version 2"},
	{"bad command", `{"fileType": "Plan", "version": 1, "mission": {"version": 2, "plannedHomePosition": [1, 2, 3],
		"items": [{"type": "SimpleItem", "command": "16", "frame": 3, "params": [0,0,0,0,0,0,0]}]}}`,
		"mission.items[0].command: want a number, got a string"},
	{"short params", `{"fileType": "Plan", "version": 1, "mission": {"version": 2, "plannedHomePosition": [1, 2, 3],
		"items": [{"type": "SimpleItem", "command": 16, "frame": 3, "params": [0,0,0]}]}}`,
		"mission.items[0].params: 3 values, want 7 (param1-4, latitude, longitude, altitude)"},
	{"structure scan", `{"fileType": "Plan", "version": 1, "mission": {"version": 2, "plannedHomePosition": [1, 2, 3],
		"items": [{"type": "ComplexItem", "complexItemType": "StructureScan", "version": 3}]}}`,
		`mission.items[0].complexItemType: complex item "StructureScan" is not supported (survey and CorridorScan are)`},
	{"self-crossing survey", `{"fileType": "Plan", "version": 1, "mission": {"version": 2, "plannedHomePosition": [1, 2, 3],
		"items": [{"type": "ComplexItem", "complexItemType": "survey", "version": 5, "polygon": [[0, 0], [0.001, 0.001], [0.001, 0], [0, 0.001]]}]}}`,
		"mission.items[0].polygon: bad polygon: edge 1-2 crosses edge 3-4; the outline must not cross itself"},
	{"fence circle radius", `{"fileType": "Plan", "version": 1, "mission": {"version": 2, "plannedHomePosition": [1, 2, 3], "items": []},
		"geoFence": {"version": 2, "polygons": [], "circles": [{"inclusion": true, "circle": {"center": [1, 2], "radius": -5}}]}}`,
		"geoFence.circles[0].circle.radius: -5 m, want a positive radius"},
	{"rally without altitude", `{"fileType": "Plan", "version": 1, "mission": {"version": 2, "plannedHomePosition": [1, 2, 3], "items": []},
		"rallyPoints": {"version": 2, "points": [[1, 2]]}}`,
		"rallyPoints.points[0]: 2 values, want [latitude, longitude, altitude]"},
}

func TestReadQGCPlanErrors(t *testing.T) {
	for _, tc := range casesQGCPlanError {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadQGCPlan(strings.NewReader(tc.file))
			require.EqualError(t, err, tc.err)
		})
	}
}

func TestKMLFromQGroundControlAndRoundTrip(t *testing.T) {
	p := readPlanFile(t, "testdata/qgc_GoodPolygon.kml")
	require.Len(t, p.Items, 1)
	s := p.Items[0].(*Survey)
	require.Len(t, s.Polygon, 4, "the closing point is dropped")
	require.Equal(t, orb.Point{-122.1059149362712, 47.65965281788451}, s.Polygon[0])
	require.True(t, s.AutoAngle, "a polygon without parameters gets the shortest angle")
	require.Equal(t, 50.0, s.Calc.AltM)

	for _, f := range []PlanFormat{FormatKML, FormatGeoJSON} {
		orig := readPlanFile(t, "testdata/qgc_survey_fence_rally.plan")
		orig.Items[1].(*Survey).Items = nil // keep the parameters, not the stored items
		data := writePlan(t, orig, f)
		back, err := ReadPlan(bytes.NewReader(data), f, DefaultShapeDefaults)
		require.NoError(t, err, string(data))
		require.Equal(t, orig.Home, back.Home, f)
		require.Equal(t, orig.Fence, back.Fence, f)
		require.Equal(t, orig.Rally, back.Rally, f)
		require.Len(t, back.Items, 2, "%s: the takeoff (it has a position) and the survey; RTL has no shape", f)
		require.Equal(t, CmdNavTakeoff, back.Items[0].(SimpleItem).Item.Command)
		bs := back.Items[1].(*Survey)
		os := orig.Items[1].(*Survey)
		require.Equal(t, os.Polygon, bs.Polygon, f)
		require.Equal(t, os.Calc.SpacingM, bs.Calc.SpacingM, f)
		require.Equal(t, os.Calc.TriggerDistM, bs.Calc.TriggerDistM, f)
		require.Equal(t, os.AngleDeg, bs.AngleDeg, f)
		// And again: map file to map file is exact.
		require.Equal(t, string(data), string(writePlan(t, back, f)), f)
	}
}

// Orbits and patrols keep their parameters through map files.
func TestMapFilesKeepOrbitsAndPatrols(t *testing.T) {
	p := &Plan{Home: surveyOrigin, HomeAltMSLM: 584, Items: []PlanItem{
		&Orbit{Center: OffsetNE(surveyOrigin, 100, 0), RadiusM: 40, AltM: 30, AltMode: AltRelative, Turns: 2, Clockwise: true, Waypoints: 8},
		&Patrol{Polygon: square(200), InsetM: 15, AltM: 25, AltMode: AltRelative, Loops: 3},
	}}
	want, err := p.MissionItems(ExpandOptions{})
	require.NoError(t, err)
	for _, f := range []PlanFormat{FormatKML, FormatGeoJSON} {
		back, err := ReadPlan(bytes.NewReader(writePlan(t, p, f)), f, DefaultShapeDefaults)
		require.NoError(t, err)
		require.Equal(t, p.Items, back.Items, f)
		got, err := back.MissionItems(ExpandOptions{})
		require.NoError(t, err)
		require.Equal(t, want, got, f)
	}
}

var casesShapeError = []struct {
	name   string
	format PlanFormat
	file   string
	err    string
}{
	{"empty KML", FormatKML, `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>x</name></Placemark></Document></kml>`,
		"empty KML: no point, line or polygon in the file (1 placemarks)"},
	{"not KML", FormatKML, `<gpx></gpx>`, "not KML: no <kml> element"},
	{"KML bad coordinate", FormatKML, "<kml>\n<Placemark>\n<name>Camp</name><Point><coordinates>149.1,abc</coordinates></Point></Placemark></kml>",
		`Placemark 1 (line 2) "Camp": coordinate 1 "149.1,abc": want a number`},
	{"KML self-crossing", FormatKML, "<kml><Placemark><name>Bow</name><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 0.001,0.001 0.001,0 0,0.001 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>",
		`Placemark 1 (line 1) "Bow": bad polygon: edge 1-2 crosses edge 3-4; the outline must not cross itself`},
	{"KML holes", FormatKML, "<kml><Placemark><Polygon><outerBoundaryIs></outerBoundaryIs><innerBoundaryIs></innerBoundaryIs></Polygon></Placemark></kml>",
		"Placemark 1 (line 1): a polygon with holes (innerBoundaryIs) cannot be planned over; draw the area without them"},
	{"empty GeoJSON", FormatGeoJSON, `{"type": "FeatureCollection", "features": []}`, "empty GeoJSON: no point, line or polygon in the file"},
	{"GeoJSON bad position", FormatGeoJSON, `{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Point", "coordinates": [200, 10]}}]}`,
		`feature 1 "A": Point coordinates: position 1 (200, 10) is not a longitude and latitude`},
	{"GeoJSON wrong kind", FormatGeoJSON, `{"type": "Feature", "properties": {"kind": "rally"}, "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}}`,
		"feature 1: a rally is a point, not a line"},
}

func TestMapFileErrors(t *testing.T) {
	for _, tc := range casesShapeError {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadPlan(strings.NewReader(tc.file), tc.format, DefaultShapeDefaults)
			require.EqualError(t, err, tc.err)
		})
	}
}

func FuzzReadQGCPlan(f *testing.F) {
	for _, name := range []string{"testdata/qgc_survey_fence_rally.plan", "testdata/qgc_SectionTest.plan"} {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, tc := range casesQGCPlanError {
		f.Add([]byte(tc.file))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadQGCPlan(bytes.NewReader(data))
		if err != nil {
			return
		}
		// What was read writes, and reads back to what writes the same.
		var a bytes.Buffer
		if err := WriteQGCPlan(&a, p, ExpandOptions{}); err != nil {
			return // e.g. a survey whose camera leaves no lane: refused, not crashed
		}
		p2, err := ReadQGCPlan(bytes.NewReader(a.Bytes()))
		require.NoError(t, err, a.String())
		var b bytes.Buffer
		require.NoError(t, WriteQGCPlan(&b, p2, ExpandOptions{}))
		require.Equal(t, a.String(), b.String())
	})
}

func fuzzShapes(f *testing.F, format PlanFormat, files []string) {
	for _, name := range files {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, tc := range casesShapeError {
		if tc.format == format {
			f.Add([]byte(tc.file))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPlan(bytes.NewReader(data), format, DefaultShapeDefaults)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if _, err := WritePlan(&out, format, p, ExpandOptions{}); err != nil {
			return
		}
		_, err = ReadPlan(bytes.NewReader(out.Bytes()), format, DefaultShapeDefaults)
		require.NoError(t, err, "what Vigil writes it reads:\n%s", out.String())
	})
}

func FuzzReadKML(f *testing.F) {
	fuzzShapes(f, FormatKML, []string{"testdata/qgc_GoodPolygon.kml", "testdata/plan_shapes.kml"})
}

func FuzzReadGeoJSON(f *testing.F) {
	fuzzShapes(f, FormatGeoJSON, []string{"testdata/plan_shapes.geojson"})
}
