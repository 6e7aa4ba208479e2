package gcs

import (
	"bytes"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const qgcParamsHeader = "# Onboard parameters for Vehicle 1\n#\n# MAV ID  COMPONENT ID  PARAM NAME  VALUE (FLOAT) TYPE\n"

// casesParamFile are files ReadParamFile reads, the parameters they hold, and how
// WriteParamFile (vehicle 1, component 1) writes them (canonical; empty when the file
// already is).
var casesParamFile = []struct {
	name      string // file name: its extension picks the format
	file      string
	params    []Param
	canonical string
}{
	{
		name:   "empty.param",
		file:   "",
		params: nil,
	},
	{
		name: "mission_planner.param",
		file: "ANGLE_MAX,3000\nATC_RAT_PIT_P,0.135\nWPNAV_SPEED,500\n",
		params: []Param{
			{Name: "ANGLE_MAX", Value: 3000},
			{Name: "ATC_RAT_PIT_P", Value: asFloat32(0.135)},
			{Name: "WPNAV_SPEED", Value: 500},
		},
	},
	{
		name: "mission_planner_crlf_comments.param",
		file: "#NOTE: 2025-03-14 10:21:07 Frame : QUAD\r\n\r\nWPNAV_SPEED,500\r\nANGLE_MAX,3000 # 30 degrees\r\n",
		params: []Param{
			{Name: "WPNAV_SPEED", Value: 500},
			{Name: "ANGLE_MAX", Value: 3000},
		},
		canonical: "ANGLE_MAX,3000\nWPNAV_SPEED,500\n",
	},
	{
		name: "MAVProxy.PARAM",
		file: "ACRO_YAW_P       4.500000\nMOT_SPIN_ARM\t0.100000\nSYSID_THISMAV    1.000000\n",
		params: []Param{
			{Name: "ACRO_YAW_P", Value: 4.5},
			{Name: "MOT_SPIN_ARM", Value: asFloat32(0.1)},
			{Name: "SYSID_THISMAV", Value: 1},
		},
		canonical: "ACRO_YAW_P,4.5\nMOT_SPIN_ARM,0.1\nSYSID_THISMAV,1\n",
	},
	{
		name: "defaults.parm",
		file: "FRAME_CLASS 1\n# a comment\nINS_ACCOFFS_X -0.001\nBRD_SERIAL_NUM 123456789\n",
		params: []Param{
			{Name: "FRAME_CLASS", Value: 1},
			{Name: "INS_ACCOFFS_X", Value: asFloat32(-0.001)},
			{Name: "BRD_SERIAL_NUM", Value: 123456789}, // integers exactly, though not a float32
		},
		canonical: "BRD_SERIAL_NUM,123456789\nFRAME_CLASS,1\nINS_ACCOFFS_X,-0.001\n",
	},
	{
		name: "qgc.params",
		file: qgcParamsHeader +
			"1\t1\tATC_RAT_PIT_P\t0.135\t9\n" +
			"1\t1\tBATT_CAPACITY\t3300\t6\n" +
			"1\t1\tFLTMODE1\t7\t2\n",
		params: []Param{
			{Name: "ATC_RAT_PIT_P", Value: asFloat32(0.135), Type: ParamReal32},
			{Name: "BATT_CAPACITY", Value: 3300, Type: ParamInt32},
			{Name: "FLTMODE1", Value: 7, Type: ParamInt8},
		},
	},
	{
		name: "qgc_full_precision.params",
		file: "# Onboard parameters for Vehicle 1\n#\n# Stack: ArduPilot\n# Vehicle: Multi-Rotor\n# Version: 4.5.7 \n#\n" +
			"# Vehicle-Id Component-Id Name Value Type\n" +
			"1\t1\tATC_RAT_PIT_P\t0.13500000536441803\t9\n" +
			"1 1 SCR_USER1 0.1 10\n" +
			"1\t1\tSTAT_BOOTCNT\t4294967295\t5\n",
		params: []Param{
			{Name: "ATC_RAT_PIT_P", Value: asFloat32(0.135), Type: ParamReal32},
			{Name: "SCR_USER1", Value: 0.1, Type: 10}, // REAL64 in full
			{Name: "STAT_BOOTCNT", Value: 4294967295, Type: ParamUint32},
		},
		canonical: qgcParamsHeader +
			"1\t1\tATC_RAT_PIT_P\t0.135\t9\n" +
			"1\t1\tSCR_USER1\t0.1\t10\n" +
			"1\t1\tSTAT_BOOTCNT\t4294967295\t5\n",
	},
}

// casesParamFileError are files ReadParamFile refuses, and why.
var casesParamFileError = []struct {
	name string
	file string
	err  string
}{
	{"copter.txt", "ANGLE_MAX,3000\n", "copter.txt: unknown parameter file type, want .param (Mission Planner, MAVProxy), .parm (ArduPilot defaults) or .params (QGroundControl)"},
	{"noextension", "", "noextension: unknown parameter file type, want .param (Mission Planner, MAVProxy), .parm (ArduPilot defaults) or .params (QGroundControl)"},
	{"bad_name.param", "ANGLE_MAX,3000\nATC-RAT,1\n", `line 2: parameter name "ATC-RAT" is not 1-16 letters, digits or underscores`},
	{"long_name.param", "ABCDEFGHIJKLMNOPQ,1\n", `line 1: parameter name "ABCDEFGHIJKLMNOPQ" is not 1-16 letters, digits or underscores`},
	{"duplicate.param", "ANGLE_MAX,3000\n\nRTL_ALT,1500\nANGLE_MAX,4500\n", "line 4: parameter ANGLE_MAX again, first on line 1"},
	{"nan.param", "ANGLE_MAX,nan\n", `line 1: ANGLE_MAX value is "nan", want a finite number`},
	{"inf.param", "ANGLE_MAX,+Inf\n", `line 1: ANGLE_MAX value is "+Inf", want a finite number`},
	{"beyond_float32.param", "ANGLE_MAX,1.5e39\n", `line 1: ANGLE_MAX value is "1.5e39", too large for a float32`},
	{"not_a_number.param", "ANGLE_MAX,30deg\n", `line 1: ANGLE_MAX value is "30deg", want a number`},
	{"three_fields.param", "ANGLE_MAX,3000,4\n", "line 1: 3 fields, want NAME,VALUE"},
	{"one_field.param", "ANGLE_MAX\n", "line 1: 1 fields, want NAME,VALUE"},
	{"params_as_param.param", "1\t1\tANGLE_MAX\t3000\t4\n", "line 1: 5 fields, want NAME,VALUE"},
	{"param_as_params.params", "ANGLE_MAX,3000\n", "line 1: 1 fields, want 5 (vehicle id, component id, name, value, type)"},
	{"bad_type.params", "1\t1\tANGLE_MAX\t3000\t11\n", `line 1: type is "11", want a MAV_PARAM_TYPE 1-10`},
	{"zero_type.params", "1\t1\tANGLE_MAX\t3000\t0\n", `line 1: type is "0", want a MAV_PARAM_TYPE 1-10`},
	{"bad_sysid.params", "256\t1\tANGLE_MAX\t3000\t4\n", `line 1: vehicle id is "256", want an integer 0-255`},
	{"bad_compid.params", "1\tx\tANGLE_MAX\t3000\t4\n", `line 1: component id is "x", want an integer 0-255`},
	{
		"two_components.params",
		qgcParamsHeader + "1\t1\tANGLE_MAX\t3000\t4\n1\t154\tMNT_TYPE\t1\t2\n",
		"line 5: vehicle 1 component 154, but line 4 is vehicle 1 component 1: a file holds one component's parameters",
	},
	{"duplicate.params", "1\t1\tANGLE_MAX\t3000\t4\n1\t1\tANGLE_MAX\t3000\t4\n", "line 2: parameter ANGLE_MAX again, first on line 1"},
	{"long_line.param", "ANGLE_MAX,3000" + strings.Repeat(" ", 4097) + "\n", "line 1: longer than 4096 bytes"},
}

func TestReadParamFile(t *testing.T) {
	for _, ca := range casesParamFile {
		t.Run(ca.name, func(t *testing.T) {
			params, err := ReadParamFile(ca.name, strings.NewReader(ca.file))
			require.NoError(t, err)
			require.Equal(t, ca.params, params)
		})
	}
}

func TestWriteParamFile(t *testing.T) {
	for _, ca := range casesParamFile {
		t.Run(ca.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, WriteParamFile(ca.name, &buf, ca.params, 1, 1))
			want := ca.canonical
			if want == "" {
				want = ca.file
				if strings.HasSuffix(ca.name, ".params") && ca.params == nil {
					want = qgcParamsHeader
				}
			}
			require.Equal(t, want, buf.String())
		})
	}
}

func TestReadParamFileErrors(t *testing.T) {
	for _, ca := range casesParamFileError {
		t.Run(ca.name, func(t *testing.T) {
			_, err := ReadParamFile(ca.name, strings.NewReader(ca.file))
			require.EqualError(t, err, ca.err)
		})
	}
}

func TestReadParamFileTooMany(t *testing.T) {
	var b strings.Builder
	for i := range maxParamFileParams + 1 {
		b.WriteString("P" + strconv.Itoa(i) + ",1\n")
	}
	_, err := ReadParamFile("many.param", strings.NewReader(b.String()))
	require.EqualError(t, err, "line 100001: more than 100000 parameters")
}

func TestWriteParamFileRefuses(t *testing.T) {
	for _, ca := range []struct {
		name   string
		file   string
		params []Param
		err    string
	}{
		{"bad name", "x.param", []Param{{Name: "A B", Value: 1}}, `parameter name "A B" is not 1-16 letters, digits or underscores`},
		{"empty name", "x.param", []Param{{Value: 1}}, `parameter name "" is not 1-16 letters, digits or underscores`},
		{"duplicate", "x.param", []Param{{Name: "B", Value: 1}, {Name: "A", Value: 1}, {Name: "B", Value: 2}}, "parameter B appears twice"},
		{"NaN", "x.param", []Param{{Name: "A", Value: math.NaN()}}, "parameter A: value is NaN, want a finite number"},
		{"beyond float32", "x.param", []Param{{Name: "A", Value: 1e39}}, "parameter A: value is 1e+39, too large for a float32"},
		{"no type for .params", "x.params", []Param{{Name: "A", Value: 1}}, "parameter A: type 0 is not a MAV_PARAM_TYPE; .params files need each parameter's type"},
		{"unknown extension", "x.json", nil, "x.json: unknown parameter file type, want .param (Mission Planner, MAVProxy), .parm (ArduPilot defaults) or .params (QGroundControl)"},
	} {
		t.Run(ca.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.EqualError(t, WriteParamFile(ca.file, &buf, ca.params, 1, 1), ca.err)
			require.Zero(t, buf.Len(), "nothing written")
		})
	}
}

func TestWriteParamFileSortsACopy(t *testing.T) {
	params := []Param{{Name: "Z", Value: 1, Type: ParamInt8}, {Name: "A", Value: asFloat32(0.2), Type: ParamReal32}}
	var buf bytes.Buffer
	require.NoError(t, WriteParamFile("vehicle.params", &buf, params, 42, 1))
	require.Equal(t, "# Onboard parameters for Vehicle 42\n#\n# MAV ID  COMPONENT ID  PARAM NAME  VALUE (FLOAT) TYPE\n"+
		"42\t1\tA\t0.2\t9\n42\t1\tZ\t1\t2\n", buf.String())
	require.Equal(t, "Z", params[0].Name, "caller's slice untouched")
}

func TestParamSampleFiles(t *testing.T) {
	read := func(name string) []Param {
		data, err := os.ReadFile("testdata/" + name)
		require.NoError(t, err)
		params, err := ReadParamFile(name, bytes.NewReader(data))
		require.NoError(t, err)
		return params
	}
	mp := read("copter.param")
	qgc := read("copter.params")
	require.Len(t, mp, 36)
	require.Len(t, qgc, 36)

	// the same vehicle saved by Mission Planner and by QGroundControl: same names and
	// values, only QGroundControl's has types.
	for i := range mp {
		require.Equal(t, mp[i].Name, qgc[i].Name)
		require.Equal(t, mp[i].Value, qgc[i].Value, mp[i].Name)
		require.Zero(t, mp[i].Type)
		require.NotZero(t, qgc[i].Type)
	}
	require.Empty(t, DiffParams(qgc, mp))
	i := slices.IndexFunc(qgc, func(p Param) bool { return p.Name == "ATC_RAT_PIT_D" })
	require.Equal(t, Param{Name: "ATC_RAT_PIT_D", Value: asFloat32(0.0036), Type: ParamReal32}, qgc[i])

	for _, ca := range []struct {
		name   string
		params []Param
	}{{"copter.param", mp}, {"copter.params", qgc}} {
		var buf bytes.Buffer
		require.NoError(t, WriteParamFile(ca.name, &buf, ca.params, 1, 1))
		require.Contains(t, buf.String(), "ATC_RAT_PIT_D")
		require.NotContains(t, buf.String(), "0.0035999", "float32 written short")
		again, err := ReadParamFile(ca.name, &buf)
		require.NoError(t, err)
		require.Equal(t, sortedParams(ca.params), again)
	}
}

func sortedParams(params []Param) []Param {
	s := slices.Clone(params)
	slices.SortFunc(s, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
	return s
}

func FuzzReadParamFile(f *testing.F) {
	for _, ca := range casesParamFile {
		f.Add(ca.name, []byte(ca.file))
	}
	for _, ca := range casesParamFileError {
		f.Add(ca.name, []byte(ca.file))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		params, err := ReadParamFile(name, bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		require.NoError(t, WriteParamFile(name, &buf, params, 1, 1))
		again, err := ReadParamFile(name, bytes.NewReader(buf.Bytes()))
		require.NoError(t, err, "reading back:\n%s", buf.String())
		want := sortedParams(params)
		require.Equal(t, len(want), len(again))
		for i := range want {
			require.Equal(t, want[i], again[i])
			require.Equal(t, math.Float64bits(want[i].Value), math.Float64bits(again[i].Value), want[i].Name)
		}
	})
}
