package mavlink

import (
	"math"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestParamSet(t *testing.T) {
	cases := []struct {
		name  string
		param string
		value float64
		ptype gcs.ParamType
		want  gcs.Param
		err   string
	}{
		{"float", "P0_X", 12.75, gcs.ParamReal32, gcs.Param{Name: "P0_X", Value: 12.75, Type: gcs.ParamReal32}, ""},
		{"float32 rounding is equality", "P0_X", 0.1, gcs.ParamReal32, gcs.Param{Name: "P0_X", Value: float64(float32(0.1)), Type: gcs.ParamReal32}, ""},
		{"integer", "P1_X", -7, gcs.ParamInt8, gcs.Param{Name: "P1_X", Value: -7, Type: gcs.ParamInt8}, ""},
		{"16-character name", "LONG_NAME_000009", 3, gcs.ParamReal32, gcs.Param{Name: "LONG_NAME_000009", Value: 3, Type: gcs.ParamReal32}, ""},
		{"out of range", "P2_X", 5000, gcs.ParamInt16, gcs.Param{},
			"vehicle 1 kept P2_X = 100 instead of 5000 (out of range or read-only?)"},
		{"unknown name", "NOPE", 1, gcs.ParamReal32, gcs.Param{},
			"no answer from vehicle 1 to PARAM_SET NOPE = 1 after 3 tries (3s)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := newAPVehicle()
			v.params = testParams(10)
			v.limits = map[string][2]float64{"P2_X": {-100, 100}}
			s := newParamSet(testVehicle, testGCS, c.param, c.value, c.ptype)
			err := newSimNet(t, cleanNet, 1, v).run(s, time.Minute)
			if c.err != "" {
				require.EqualError(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, s.result())
		})
	}
}

func TestParamSetLossy(t *testing.T) {
	ok := 0
	for run := range 200 {
		v := newAPVehicle()
		v.params = testParams(10)
		v.chatter = true
		v.limits = map[string][2]float64{"P2_X": {-100, 100}}
		value := float64(run % 150) // above 100 the vehicle clamps
		s := newParamSet(testVehicle, testGCS, "P2_X", value, gcs.ParamInt16)
		err := newSimNet(t, lossyNet, uint64(run), v).run(s, time.Hour)
		if value > 100 {
			require.Error(t, err, "run %d: a clamped value reported as set", run)
		}
		if err != nil {
			requireClearError(t, err)
			continue
		}
		ok++
		require.Equal(t, gcs.Param{Name: "P2_X", Value: value, Type: gcs.ParamInt16}, s.result())
		require.Equal(t, value, v.params[2].Value)
	}
	require.GreaterOrEqual(t, ok, 200*100/150*9/10)
}

func TestParamSetEchoes(t *testing.T) {
	now := time.Now()
	echo := func(name string, v float32, index uint16) *common.MessageParamValue {
		return &common.MessageParamValue{ParamId: name, ParamValue: v, ParamType: common.MAV_PARAM_TYPE_REAL32, ParamCount: 10, ParamIndex: index}
	}
	s := newParamSet(testVehicle, testGCS, "ALT_MAX", 120, gcs.ParamReal32)
	require.Equal(t, &common.MessageParamSet{TargetSystem: 1, TargetComponent: 1, ParamId: "ALT_MAX", ParamValue: 120,
		ParamType: common.MAV_PARAM_TYPE_REAL32}, s.start(now)[0])
	s.handle(now, echo("ALT_MIN", 120, 65535))
	s.handle(now, echo("ALT_MAX", 80, 4)) // the stream's old value, still on its way
	done, _ := s.finished()
	require.False(t, done)
	s.handle(now, echo("ALT_MAX", 120, 65535))
	done, err := s.finished()
	require.True(t, done)
	require.NoError(t, err)

	// An old value and no echo: the old value is what the vehicle kept.
	s = newParamSet(testVehicle, testGCS, "ALT_MAX", 120, gcs.ParamReal32)
	s.start(now)
	s.handle(now, echo("ALT_MAX", 80, 4))
	for i := 1; i <= 3; i++ {
		s.tick(now.Add(time.Duration(i) * time.Second))
	}
	_, err = s.finished()
	require.EqualError(t, err, "vehicle 1 kept ALT_MAX = 80 instead of 120 (out of range or read-only?)")
}

func TestCheckParamValue(t *testing.T) {
	cases := []struct {
		value float64
		ptype gcs.ParamType
		err   string
	}{
		{1.5, gcs.ParamReal32, ""},
		{-128, gcs.ParamInt8, ""},
		{255, gcs.ParamUint8, ""},
		{1.5, gcs.ParamInt32, "X holds whole numbers only, not 1.5"},
		{256, gcs.ParamUint8, "X must be between 0 and 255, not 256"},
		{-1, gcs.ParamUint16, "X must be between 0 and 65535, not -1"},
		{1e39, gcs.ParamReal32, "X must be between -3.4028234663852886e+38 and 3.4028234663852886e+38, not 1e+39"},
	}
	for _, c := range cases {
		err := checkParamValue("X", c.value, c.ptype)
		if c.err == "" {
			require.NoError(t, err)
		} else {
			require.EqualError(t, err, c.err)
		}
	}
	require.Error(t, checkParamValue("X", math.NaN(), gcs.ParamReal32))
}
