package mavlink

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestParamRead(t *testing.T) {
	cases := []struct {
		name string
		conf netConf
		runs int
		read string
		err  string
	}{
		{"clean", cleanNet, 1, "P3_X", ""},
		{"16 characters", cleanNet, 1, "LONG_NAME_000009", ""},
		{"lossy", lossyNet, 200, "P4_X", ""},
		{"unknown", cleanNet, 1, "NOPE",
			"no answer from vehicle 1 to PARAM_REQUEST_READ NOPE after 3 tries (3s); check the parameter name; vehicles do not answer for names they lack"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok := 0
			for run := range c.runs {
				v := newAPVehicle()
				v.params = testParams(10)
				v.chatter = true
				r := newParamRead(testVehicle, testGCS, c.read)
				err := newSimNet(t, c.conf, uint64(run), v).run(r, time.Hour)
				if c.err != "" {
					require.EqualError(t, err, c.err)
					return
				}
				if err != nil {
					requireClearError(t, err)
					continue
				}
				ok++
				i := slicesIndex(v.params, c.read)
				require.Equal(t, v.params[i], r.result())
			}
			require.GreaterOrEqual(t, ok, c.runs*9/10)
		})
	}
}

func slicesIndex(ps []gcs.Param, name string) int {
	for i, p := range ps {
		if p.Name == name {
			return i
		}
	}
	return -1
}

func TestCheckParamName(t *testing.T) {
	for _, ok := range []string{"A", "ARMING_CHECK", "LONG_NAME_000009"} {
		require.NoError(t, checkParamName(ok), ok)
	}
	for name, err := range map[string]string{
		"":                  `parameter name "" must be 1 to 16 characters`,
		"SEVENTEEN_CHARS_X": `parameter name "SEVENTEEN_CHARS_X" must be 1 to 16 characters`,
		"ALT MAX":           `parameter name "ALT MAX" may hold only printable ASCII without spaces`,
		"ALT\x00":           `parameter name "ALT\x00" may hold only printable ASCII without spaces`,
	} {
		require.EqualError(t, checkParamName(name), err)
	}
}
