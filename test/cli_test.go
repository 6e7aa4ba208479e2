package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// vigilBinary is built once for the CLI tests.
var vigilBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vigil-e2e")
	if err != nil {
		panic(err)
	}
	vigilBinary = filepath.Join(dir, "vigil")
	build := exec.Command("go", "build", "-o", vigilBinary, "../cmd/vigil")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building vigil:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// vigil runs the binary and returns its exit code and combined output.
func vigil(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(vigilBinary, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return code, out.String()
}

// The command line as scripts use it: a simulator in its own process, commands with honest
// exit codes, missions and parameters through files.
func TestCommandLine(t *testing.T) {
	port := freePort(t)
	link := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	sim := exec.Command(vigilBinary, "sim", "--copter", "1", "--mavlink", fmt.Sprintf("tcpin://127.0.0.1:%d", port),
		"--gps-delay", "4s", "--speedup", "2")
	require.NoError(t, sim.Start())
	t.Cleanup(func() { sim.Process.Kill(); sim.Wait() }) //nolint:errcheck
	time.Sleep(300 * time.Millisecond)

	code, out := vigil(t, "cmd", "--connect", link, "arm")
	require.Equal(t, 1, code, out)
	require.Contains(t, out, "vehicle 1 refused arm: PreArm")

	code, out = vigil(t, "vehicles", "--connect", link, "--json")
	require.Equal(t, 0, code, out)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &v), out)
	require.EqualValues(t, 1, v["sysid"])
	require.Equal(t, "STABILIZE", v["mode"])

	code, out = vigil(t, "cmd", "--connect", link, "mode", "WARP")
	require.NotEqual(t, 0, code)
	require.Contains(t, out, "no mode \"WARP\"")

	time.Sleep(2 * time.Second) // GPS fix (4 s of simulated time at 2x)
	for _, args := range [][]string{{"mode", "GUIDED"}, {"arm"}, {"takeoff", "10", "--wait"}} {
		code, out = vigil(t, append([]string{"cmd", "--connect", link}, args...)...)
		require.Equal(t, 0, code, "%v: %s", args, out)
	}
	require.Contains(t, out, "reached 10 m")

	dir := t.TempDir()
	code, out = vigil(t, "mission", "upload", "--connect", link, "../gcs/testdata/sitl_mission.waypoints")
	require.Equal(t, 0, code, out)
	code, out = vigil(t, "mission", "download", "--connect", link, filepath.Join(dir, "back.waypoints"))
	require.Equal(t, 0, code, out)
	sent, back := readWaypoints(t, "../gcs/testdata/sitl_mission.waypoints"), readWaypoints(t, filepath.Join(dir, "back.waypoints"))
	require.Len(t, back, len(sent))
	for i := range sent { // MISSION_ITEM_INT carries degrees × 1e7; the file has 8 decimals
		if sent[i].IsGlobal() {
			sent[i].X, sent[i].Y = math.Round(sent[i].X*1e7)/1e7, math.Round(sent[i].Y*1e7)/1e7
		}
	}
	require.Equal(t, sent[1:], back[1:], "identical but for item 0 (home)")

	params := filepath.Join(dir, "copter.param")
	code, out = vigil(t, "params", "pull", "--connect", link, params)
	require.Equal(t, 0, code, out)
	code, out = vigil(t, "params", "diff", "--connect", link, params)
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "0 parameter(s) differ")
	data, _ := os.ReadFile(params)
	require.Contains(t, string(data), "WPNAV_SPEED,")
	edited := strings.Replace(string(data), "RTL_ALT,1500", "RTL_ALT,2500", 1)
	require.NotEqual(t, string(data), edited)
	require.NoError(t, os.WriteFile(params, []byte(edited), 0o644))
	code, out = vigil(t, "params", "push", "--connect", link, params)
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "RTL_ALT")
	require.Contains(t, out, "1 parameters written and confirmed")

	code, out = vigil(t, "cmd", "--connect", link, "rtl", "--wait")
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "landed and disarmed")
}

func readWaypoints(t *testing.T, name string) []gcs.MissionItem {
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	items, err := gcs.ReadWaypoints(f)
	require.NoError(t, err)
	return items
}
