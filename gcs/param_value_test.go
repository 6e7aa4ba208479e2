package gcs

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

var casesParamValue = []struct {
	in   string
	t    ParamType
	want float64
	err  string
}{
	{"800", ParamReal32, 800, ""},
	{" 0.2 ", ParamReal32, 0.2, ""},
	{"0.2", paramReal64, 0.2, ""},
	{"-0", ParamReal32, 0, ""},
	{"1e3", ParamInt16, 1000, ""},
	{"4294967295", ParamUint32, 4294967295, ""},
	{"-2147483648", ParamInt32, -2147483648, ""},
	{"12", 0, 12, ""},
	{"", ParamReal32, 0, "no value: type a number"},
	{"abc", ParamReal32, 0, `"abc": want a number`},
	{"0x10", ParamInt32, 0, `"0x10": want a number`},
	{"NaN", ParamReal32, 0, `"NaN": want a finite number`},
	{"1e39", ParamReal32, 0, "1e39 is too large for REAL32 (±3.4e+38 at most)"},
	{"2.5", ParamInt8, 0, "INT8 holds whole numbers only, not 2.5"},
	{"300", ParamInt8, 0, "INT8 holds -128 to 127, not 300"},
	{"-1", ParamUint8, 0, "UINT8 holds 0 to 255, not -1"},
	{"70000", ParamUint16, 0, "UINT16 holds 0 to 65535, not 70000"},
}

func TestParseParamValue(t *testing.T) {
	for _, c := range casesParamValue {
		t.Run(c.in+"/"+c.t.String(), func(t *testing.T) {
			v, err := ParseParamValue(c.in, c.t)
			if c.err != "" {
				require.EqualError(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, v)
			require.False(t, math.Signbit(v) && v == 0)
		})
	}
}

func TestParamTypeString(t *testing.T) {
	require.Equal(t, "INT16", ParamInt16.String())
	require.Equal(t, "REAL32", ParamReal32.String())
	require.Equal(t, "", ParamType(0).String())
	require.Equal(t, "ParamType(42)", ParamType(42).String())
}

func FuzzParseParamValue(f *testing.F) {
	for _, c := range casesParamValue {
		f.Add(c.in, uint8(c.t))
	}
	f.Fuzz(func(t *testing.T, in string, typ uint8) {
		pt := ParamType(typ)
		v, err := ParseParamValue(in, pt)
		if err != nil {
			require.NotEmpty(t, err.Error())
			return
		}
		lo, hi, integer := pt.Range()
		require.False(t, math.IsNaN(v) || math.IsInf(v, 0))
		require.True(t, v >= lo && v <= hi, "%g within the type's range", v)
		if integer {
			require.Equal(t, math.Trunc(v), v)
		}
		// What the operator is shown reads back to the same value.
		back, err := ParseParamValue(FormatParamValue(Param{Value: v, Type: pt}), pt)
		require.NoError(t, err)
		require.True(t, SameParamValue(v, back), "%g → %q → %g", v, FormatParamValue(Param{Value: v, Type: pt}), back)
	})
}
