package test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// `vigil demo --headless`: one command starts the simulator and the station on it; copter 1
// takes off by itself, copter 2 waits on the ground, the aerostat is up on its line, and
// targets are found without any input.
func TestDemoHeadless(t *testing.T) {
	dir := t.TempDir()
	memlog := filepath.Join(dir, "mem.tsv")
	code, out := vigil(t, "demo", "--headless", "--for", "40s", "--speed", "1", "--mavlink-port", "0", "--rtsp-port", "0",
		"--db", filepath.Join(dir, "demo.db"), "--memlog", memlog, "--memlog-every", "10s")
	require.Equal(t, 0, code, out)

	rows := map[string]*regexp.Regexp{
		"copter 1 flying in GUIDED":   regexp.MustCompile(`(?m)^1\s+ok \d+%\s+GUIDED\s+ARMED\s+([1-9]\d*\.\d)\s`),
		"copter 2 on the ground":      regexp.MustCompile(`(?m)^2\s+ok \d+%\s+STABILIZE\s+-\s+0\.0\s`),
		"aerostat 3 on 150 m of line": regexp.MustCompile(`(?m)^3\s+ok \d+%\s+LOITER\s+.*line 150\.0 m`),
	}
	for what, re := range rows {
		require.Regexp(t, re, out, what)
	}
	for _, id := range []string{"1", "2", "3"} {
		require.Contains(t, out, "vehicle "+id+": watching rtsp://127.0.0.1:", "vehicle %s's camera", id)
	}
	m := regexp.MustCompile(`vigil run: \d+ sightings, \d+ placed, (\d+) targets`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	targets, _ := strconv.Atoi(m[1])
	require.GreaterOrEqual(t, targets, 1, out)
	require.Contains(t, out, "vigil demo: record "+filepath.Join(dir, "demo.db"))
	require.FileExists(t, filepath.Join(dir, "demo.db"))

	// The soak log: a header, then a line at start, every 10 s and at the end.
	data, err := os.ReadFile(memlog)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	require.Equal(t, "# time\telapsed_s\theap_inuse_mib\tgo_sys_mib\trss_mib\tgoroutines", lines[0])
	require.GreaterOrEqual(t, len(lines)-1, 5, string(data))
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		require.Len(t, f, 6, l)
		rss, err := strconv.ParseFloat(f[4], 64)
		require.NoError(t, err, l)
		require.Greater(t, rss, 10.0, "resident MiB: %s", l)
	}
}

// Mistakes on the demo's command line are usage errors that say what is wrong, before
// anything starts.
func TestDemoBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--speed", "0"}, "--speed 0: want more than 0 and at most 20"},
		{[]string{"--speed", "50"}, "--speed 50: want more than 0 and at most 20"},
		{[]string{"--mavlink-port", "70000"}, "port 70000: want 0..65535"},
		{[]string{"--memlog-every", "0s"}, "--memlog-every 0s: want a positive duration"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out := vigil(t, append([]string{"demo", "--headless"}, tc.args...)...)
			require.Equal(t, 2, code, out)
			require.Contains(t, out, tc.want)
		})
	}
}
