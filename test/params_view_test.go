package test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/ui"
)

// The parameters page against the simulated copter over TCP: all parameters read, one
// changed behind its confirmation and a file's differences written, each value as the
// vehicle confirmed it.
func TestParamsPageOnTheSimulator(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	st := &gcs.Station{Fleet: c.Fleet, Link: c}

	test.NewTempApp(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	v := ui.NewParamsView(st, w)
	t.Cleanup(v.Close)
	w.SetContent(v.Object())
	var asked []string
	v.Confirm = func(title, message string, yes func()) {
		asked = append(asked, message)
		yes()
	}

	v.Refresh()
	v.Wait()
	all := v.Shown()
	require.Contains(t, all, "WPNAV_SPEED")
	want, err := c.PullParams(ctxT(t, 10*time.Second), 1, nil)
	require.NoError(t, err)
	require.Len(t, all, len(want), "every parameter of the vehicle")

	v.Edit("WPNAV_SPEED", "750.5")
	v.Wait()
	require.Equal(t, []string{"Set vehicle 1's WPNAV_SPEED from 1000 to 750.5?"}, asked)
	p, err := c.ReadParam(ctxT(t, 5*time.Second), 1, "WPNAV_SPEED")
	require.NoError(t, err)
	require.Equal(t, 750.5, p.Value, "the vehicle holds it")

	v.LoadFile("copter.param", strings.NewReader("WPNAV_SPEED,750.5\nRTL_ALT,3000\nANGLE_MAX,3500\n"))
	v.WriteTicked()
	v.Wait()
	require.Len(t, asked, 2)
	require.Equal(t, "Write 2 parameters from copter.param to vehicle 1?\n\nANGLE_MAX: 4500 → 3500\nRTL_ALT: 1500 → 3000", asked[1])
	for name, value := range map[string]float64{"ANGLE_MAX": 3500, "RTL_ALT": 3000} {
		p, err := c.ReadParam(ctxT(t, 5*time.Second), 1, name)
		require.NoError(t, err)
		require.Equal(t, value, p.Value, name)
	}
	log := st.CommandLog()
	require.Len(t, log, 3, "each change is in the operator's log")
	for _, e := range log {
		require.True(t, e.OK, e.Intent)
	}
}
