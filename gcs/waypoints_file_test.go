package gcs

import (
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// f32 is v as it comes back from the vehicle: rounded to a float32.
func asFloat32(v float64) float64 { return float64(float32(v)) }

var sitlHomeItem = MissionItem{
	Frame: FrameGlobal, Command: CmdNavWaypoint, Current: true, Autocontinue: true,
	X: -35.363261, Y: 149.16523, Z: asFloat32(584.09),
}

// casesWaypoints are files ReadWaypoints reads, the items they hold, and how WriteWaypoints
// writes those items (canonical; empty when the file already is).
var casesWaypoints = []struct {
	name      string
	file      string
	items     []MissionItem
	canonical string
}{
	{
		name:  "header only",
		file:  "QGC WPL 110\n",
		items: nil,
	},
	{
		name: "home and takeoff",
		file: "QGC WPL 110\n" +
			"0\t1\t0\t16\t0\t0\t0\t0\t-35.363261\t149.16523\t584.09\t1\n" +
			"1\t0\t3\t22\t0\t0\t0\t0\t0\t0\t20\t1\n",
		items: []MissionItem{
			sitlHomeItem,
			{Frame: FrameGlobalRelativeAlt, Command: CmdNavTakeoff, Autocontinue: true, Z: 20},
		},
	},
	{
		name: "float32 params written short",
		file: "QGC WPL 110\n" +
			"0\t0\t3\t16\t0.2\t-1.5\t0.1\t359.9\t-35.3632611\t149.1652301\t30.3\t0\n",
		items: []MissionItem{{
			Frame: FrameGlobalRelativeAlt, Command: CmdNavWaypoint,
			Param1: asFloat32(0.2), Param2: -1.5, Param3: asFloat32(0.1), Param4: asFloat32(359.9),
			X: -35.3632611, Y: 149.1652301, Z: asFloat32(30.3),
		}},
	},
	{
		name: "Mission Planner's fixed decimals and CRLF",
		file: "QGC WPL 110\r\n" +
			"0\t1\t0\t16\t0.000000\t0.000000\t0.000000\t0.000000\t-35.363261\t149.165230\t584.090000\t1\r\n" +
			"1\t0\t3\t177\t1.00000000\t3.00000000\t0.00000000\t0.00000000\t0.00000000\t0.00000000\t0.000000\t1\r\n",
		items: []MissionItem{
			sitlHomeItem,
			{Frame: FrameGlobalRelativeAlt, Command: CmdDoJump, Autocontinue: true, Param1: 1, Param2: 3},
		},
		canonical: "QGC WPL 110\n" +
			"0\t1\t0\t16\t0\t0\t0\t0\t-35.363261\t149.16523\t584.09\t1\n" +
			"1\t0\t3\t177\t1\t3\t0\t0\t0\t0\t0\t1\n",
	},
	{
		name: "spaces, blank lines, trailing white space, byte order mark",
		file: "\uFEFFQGC WPL 110  \n\n" +
			"0 1 0 16  0 0 0 0 -35.363261 149.16523 584.09 1 \t\n" +
			"   \n" +
			"1\t0 3\t20 0 0 0 0 0 0 0 1",
		items: []MissionItem{
			sitlHomeItem,
			{Frame: FrameGlobalRelativeAlt, Command: CmdNavReturnToLaunch, Autocontinue: true},
		},
		canonical: "QGC WPL 110\n" +
			"0\t1\t0\t16\t0\t0\t0\t0\t-35.363261\t149.16523\t584.09\t1\n" +
			"1\t0\t3\t20\t0\t0\t0\t0\t0\t0\t0\t1\n",
	},
	{
		name: "large integer and tiny values",
		file: "QGC WPL 110\n" +
			"0\t0\t2\t31000\t1073741824\t-16777216\t1e-7\t100000\t1e-300\t-0\t-0.5\t1\n",
		items: []MissionItem{{
			Frame: FrameMission, Command: 31000, Autocontinue: true,
			Param1: 1 << 30, Param2: -(1 << 24), Param3: asFloat32(1e-7), Param4: 100000,
			X: 1e-300, Y: math.Copysign(0, -1), Z: -0.5,
		}},
		canonical: "QGC WPL 110\n" +
			"0\t0\t2\t31000\t1073741824\t-16777216\t0.0000001\t100000\t0." + strings.Repeat("0", 299) + "1\t-0\t-0.5\t1\n",
	},
}

// casesWaypointsError are files ReadWaypoints refuses, and why.
var casesWaypointsError = []struct {
	name string
	file string
	err  string
}{
	{"empty", "", `line 1: not a waypoints file: it is empty, want "QGC WPL 110"`},
	{"not a waypoints file", "hello\n", `line 1: not a waypoints file: want "QGC WPL 110"`},
	{"QGC WPL 120", "QGC WPL 120\n0\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1\n", `line 1: QGC WPL 120 files (old QGroundControl) have no home item; want "QGC WPL 110"`},
	{"a plan file", `{"fileType": "Plan"}`, `line 1: not a waypoints file: want "QGC WPL 110"`},
	{
		"command not an integer",
		"QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1\n\n\n\n\n1\t0\t3\tabc\t0\t0\t0\t0\t0\t0\t0\t1\n",
		`line 7: field 4 (command) is "abc", want an integer 0-65535`,
	},
	{"command too large", "QGC WPL 110\n0\t1\t0\t65536\t0\t0\t0\t0\t0\t0\t0\t1\n", `line 2: field 4 (command) is "65536", want an integer 0-65535`},
	{"frame too large", "QGC WPL 110\n0\t1\t256\t16\t0\t0\t0\t0\t0\t0\t0\t1\n", `line 2: field 3 (frame) is "256", want an integer 0-255`},
	{"current not 0 or 1", "QGC WPL 110\n0\t2\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1\n", `line 2: field 2 (current) is "2", want 0 or 1`},
	{"autocontinue not 0 or 1", "QGC WPL 110\n0\t0\t0\t16\t0\t0\t0\t0\t0\t0\t0\ttrue\n", `line 2: field 12 (autocontinue) is "true", want 0 or 1`},
	{"seq out of order", "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1\n2\t0\t3\t16\t0\t0\t0\t0\t0\t0\t0\t1\n", `line 3: seq is 2, want 1: items must be numbered 0, 1, 2… in order`},
	{"seq not starting at 0", "QGC WPL 110\n1\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1\n", `line 2: seq is 1, want 0: items must be numbered 0, 1, 2… in order`},
	{"seq negative", "QGC WPL 110\n-1\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1\n", `line 2: field 1 (seq) is "-1", want an integer`},
	{"NaN", "QGC WPL 110\n0\t1\t0\t16\tNaN\t0\t0\t0\t0\t0\t0\t1\n", `line 2: field 5 (p1) is "NaN", want a finite number`},
	{"Inf", "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t-Inf\t0\t0\t1\n", `line 2: field 9 (x) is "-Inf", want a finite number`},
	{"z beyond float32", "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t0\t0\t1e39\t1\n", `line 2: field 11 (z) is "1e39", want a finite number`},
	{"x beyond float64", "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t0\t1e309\t0\t1\n", `line 2: field 10 (y) is "1e309", want a finite number`},
	{"not a number", "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t-35,3\t0\t0\t1\n", `line 2: field 9 (x) is "-35,3", want a number`},
	{"hex float", "QGC WPL 110\n0\t1\t0\t16\t0x1p3\t0\t0\t0\t0\t0\t0\t1\n", `line 2: field 5 (p1) is "0x1p3", want a number`},
	{"too few fields", "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\n", `line 2: 11 fields, want 12 (seq current frame command p1 p2 p3 p4 x y z autocontinue)`},
	{"too many fields", "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1\t1\n", `line 2: 13 fields, want 12 (seq current frame command p1 p2 p3 p4 x y z autocontinue)`},
	{"line too long", "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t0\t0\t0\t1" + strings.Repeat(" ", 5000) + "\n", `line 2: longer than 4096 bytes`},
	{"last line too long", "QGC WPL 110\n" + strings.Repeat("0", 4097), `line 2: longer than 4096 bytes`},
}

func TestReadWaypoints(t *testing.T) {
	for _, ca := range casesWaypoints {
		t.Run(ca.name, func(t *testing.T) {
			items, err := ReadWaypoints(strings.NewReader(ca.file))
			require.NoError(t, err)
			require.Equal(t, ca.items, items)
		})
	}
}

func TestWriteWaypoints(t *testing.T) {
	for _, ca := range casesWaypoints {
		t.Run(ca.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, WriteWaypoints(&buf, ca.items))
			want := ca.canonical
			if want == "" {
				want = ca.file
			}
			require.Equal(t, want, buf.String())
		})
	}
}

func TestReadWaypointsErrors(t *testing.T) {
	for _, ca := range casesWaypointsError {
		t.Run(ca.name, func(t *testing.T) {
			_, err := ReadWaypoints(strings.NewReader(ca.file))
			require.EqualError(t, err, ca.err)
		})
	}
}

func TestReadWaypointsTooManyItems(t *testing.T) {
	var b strings.Builder
	b.WriteString("QGC WPL 110\n")
	line := []byte("0\t0\t3\t16\t0\t0\t0\t0\t0\t0\t0\t1\n")
	for i := range maxWaypointItems + 1 {
		b.WriteString(strconv.Itoa(i))
		b.Write(line[1:])
	}
	_, err := ReadWaypoints(strings.NewReader(b.String()))
	require.EqualError(t, err, "line 100002: more than 100000 items")
}

func itemPoint(it MissionItem) orb.Point { return orb.Point{it.Y, it.X} }

func TestWriteWaypointsRefuses(t *testing.T) {
	for _, ca := range []struct {
		name  string
		items []MissionItem
		err   string
	}{
		{"NaN param", []MissionItem{{}, {Param3: math.NaN()}}, "item 1: p3 is NaN, want a finite number"},
		{"infinite latitude", []MissionItem{{X: math.Inf(1)}}, "item 0: x is +Inf, want a finite number"},
		{"z beyond float32", []MissionItem{{Z: 1e39}}, "item 0: z is 1e+39, too large for a float32"},
		{"too many items", make([]MissionItem, maxWaypointItems+1), "100001 items, more than the 100000 a waypoints file may hold"},
	} {
		t.Run(ca.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.EqualError(t, WriteWaypoints(&buf, ca.items), ca.err)
			require.Zero(t, buf.Len(), "nothing written")
		})
	}
}

// TestWaypointsRoundTrip checks that values from the vehicle (float32 parameters, float64
// coordinates) come back from a file exactly.
func TestWaypointsRoundTrip(t *testing.T) {
	items := []MissionItem{sitlHomeItem}
	for i := range 50 {
		items = append(items, MissionItem{
			Frame: FrameGlobalTerrainAlt, Command: CmdNavLoiterTurns, Autocontinue: i%2 == 0,
			Param1: asFloat32(float64(i) / 7), Param2: asFloat32(-float64(i) * 1.1), Param3: asFloat32(math.Pi * float64(i)),
			Param4: asFloat32(1e-3 / float64(i+1)),
			X:      -35.363261 + float64(i)*1.234567e-5, Y: 149.16523 - float64(i)*9.87654321e-6,
			Z: asFloat32(float64(i) * 0.3),
		})
	}
	var buf bytes.Buffer
	require.NoError(t, WriteWaypoints(&buf, items))
	require.Contains(t, buf.String(), "\t0.3\t", "float32 written short")
	got, err := ReadWaypoints(&buf)
	require.NoError(t, err)
	require.Equal(t, items, got)
}

// TestWaypointsFloat64ParamsRoundToFloat32 documents that p1-p4 and z read back as the
// float32 the vehicle will hold, even when written from a float64.
func TestWaypointsFloat64ParamsRoundToFloat32(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteWaypoints(&buf, []MissionItem{{Param1: 0.2, Z: 20.3, X: 0.2}}))
	require.Equal(t, "QGC WPL 110\n0\t0\t0\t0\t0.2\t0\t0\t0\t0.2\t0\t20.3\t0\n", buf.String())
	got, err := ReadWaypoints(&buf)
	require.NoError(t, err)
	require.Equal(t, []MissionItem{{Param1: asFloat32(0.2), Z: asFloat32(20.3), X: 0.2}}, got)
}

func TestReadWaypointsSITLMission(t *testing.T) {
	data, err := os.ReadFile("testdata/sitl_mission.waypoints")
	require.NoError(t, err)
	items, err := ReadWaypoints(bytes.NewReader(data))
	require.NoError(t, err)
	require.Len(t, items, 20)

	require.Equal(t, sitlHomeItem, items[0])
	require.Equal(t, CmdNavTakeoff, items[1].Command)
	require.Equal(t, asFloat32(20), items[1].Z)
	require.Equal(t, CmdDoSetROI, items[9].Command)
	require.Equal(t, MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdDoJump, Autocontinue: true, Param1: 4, Param2: 2}, items[15])
	require.Equal(t, CmdNavReturnToLaunch, items[19].Command)
	for i, it := range items[2:9] {
		require.Equal(t, CmdNavWaypoint, it.Command, "item %d", i+2)
		require.True(t, it.IsGlobal())
		require.Less(t, DistanceM(geoTestHome, itemPoint(it)), 500.0, "item %d near home", i+2)
	}

	var buf bytes.Buffer
	require.NoError(t, WriteWaypoints(&buf, items))
	again, err := ReadWaypoints(&buf)
	require.NoError(t, err)
	require.Equal(t, items, again)
}

func FuzzReadWaypoints(f *testing.F) {
	for _, ca := range casesWaypoints {
		f.Add([]byte(ca.file))
	}
	for _, ca := range casesWaypointsError {
		if len(ca.file) < 1000 {
			f.Add([]byte(ca.file))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := ReadWaypoints(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		require.NoError(t, WriteWaypoints(&buf, items))
		again, err := ReadWaypoints(bytes.NewReader(buf.Bytes()))
		require.NoError(t, err, "reading back:\n%s", buf.String())
		require.Equal(t, len(items), len(again))
		for i := range items {
			requireSameItem(t, items[i], again[i])
		}
	})
}

// requireSameItem compares bit for bit, so -0 and 0 differ.
func requireSameItem(t *testing.T, want, got MissionItem) {
	t.Helper()
	require.Equal(t, want, got)
	for i, pair := range [][2]float64{
		{want.Param1, got.Param1}, {want.Param2, got.Param2}, {want.Param3, got.Param3},
		{want.Param4, got.Param4}, {want.X, got.X}, {want.Y, got.Y}, {want.Z, got.Z},
	} {
		require.Equal(t, math.Float64bits(pair[0]), math.Float64bits(pair[1]), "value %d: %v, %v", i, pair[0], pair[1])
	}
}
