package sitl

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestCopterParams(t *testing.T) {
	c := newFixedCopter(t)
	ps := c.Params()
	require.GreaterOrEqual(t, len(ps), 100)
	require.True(t, slices.IsSortedFunc(ps, func(a, b gcs.Param) int { return strings.Compare(a.Name, b.Name) }))
	byName := map[string]gcs.Param{}
	for _, p := range ps {
		require.LessOrEqual(t, len(p.Name), 16, "MAVLink param_id is 16 bytes")
		byName[p.Name] = p
	}
	for name, want := range map[string]gcs.Param{
		"WPNAV_SPEED":   {Name: "WPNAV_SPEED", Value: 1000, Type: gcs.ParamReal32},
		"RTL_ALT":       {Name: "RTL_ALT", Value: 1500, Type: gcs.ParamInt32},
		"FENCE_ENABLE":  {Name: "FENCE_ENABLE", Value: 0, Type: gcs.ParamInt8},
		"ANGLE_MAX":     {Name: "ANGLE_MAX", Value: 4500, Type: gcs.ParamInt16},
		"BATT_CAPACITY": {Name: "BATT_CAPACITY", Value: 5200, Type: gcs.ParamInt32},
		"BATT_LOW_VOLT": {Name: "BATT_LOW_VOLT", Value: float64(float32(14.4)), Type: gcs.ParamReal32},
		"SYSID_THISMAV": {Name: "SYSID_THISMAV", Value: 1, Type: gcs.ParamInt16},
	} {
		require.Equal(t, want, byName[name])
	}
}

func TestCopterSetParam(t *testing.T) {
	cases := []struct {
		name  string
		value float64
		want  float64
		ok    bool
	}{
		{"WPNAV_SPEED", 750.5, 750.5, true},
		{"FENCE_ENABLE", 1.4, 1, true},
		{"FENCE_TYPE", 300, 127, true}, // INT8 saturates
		{"BATT_LOW_VOLT", 14.2, float64(float32(14.2)), true},
		{"NO_SUCH_PARAM", 1, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			p, ok := c.SetParam(tc.name, tc.value)
			require.Equal(t, tc.ok, ok)
			if ok {
				require.Equal(t, tc.want, p.Value)
				require.Equal(t, tc.want, c.param(tc.name))
			}
		})
	}
}

func TestCopterExtraParams(t *testing.T) {
	c := NewCopter(CopterConfig{Home: testHome, ExtraParams: 1000})
	ps := c.Params()
	require.Len(t, ps, len(defaultParams)+1000)
	require.Equal(t, ps, c.Params(), "stable order")
	i := slices.IndexFunc(ps, func(p gcs.Param) bool { return p.Name == "SIM_EXTRA_1000" })
	require.GreaterOrEqual(t, i, 0)
}
