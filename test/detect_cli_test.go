package test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const vtestClip = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"

// `vigil detect` on OpenCV's pedestrian clip prints one JSON line per track update and a
// summary with the pipeline's metrics; bad input is one sentence and exit 1.
func TestDetectCommandLine(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(vtestClip); err != nil {
		t.Skip("opencv-doc is not installed: run make deps")
	}
	cmd := exec.Command(vigilBinary, "detect", vtestClip, "--detectors", "motion,people", "--json")
	out, err := cmd.Output()
	require.NoError(t, err)
	people, summary := map[float64]bool{}, false
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var line map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line), sc.Text())
		if _, ok := line["summary"]; ok {
			summary = true
			continue
		}
		require.Len(t, line["box"], 4)
		if line["class"] == "person" && line["state"] == "tracked" {
			people[line["track"].(float64)] = true
		}
	}
	require.True(t, summary)
	require.GreaterOrEqual(t, len(people), 5, "people walking through the clip are tracked")

	dir := t.TempDir()
	bad := filepath.Join(dir, "model.onnx")
	require.NoError(t, os.WriteFile(bad, []byte("not a model"), 0o600))
	labels := filepath.Join(dir, "labels.txt")
	require.NoError(t, os.WriteFile(labels, []byte("person\n"), 0o600))
	// A bad model is one sentence, and detection goes on without it.
	code, msg := vigil(t, "detect", vtestClip, "--detectors", "people,onnx:"+bad, "--labels", labels, "--for", "3s")
	require.Equal(t, 0, code, msg)
	require.Contains(t, msg, "OpenCV 4.6 cannot import it")
	require.Contains(t, msg, "detecting without it")
	require.Contains(t, msg, "track ", "the people detector still tracks")
	require.NotContains(t, msg, "goroutine", "no crash dump reaches the operator")

	code, msg = vigil(t, "detect", filepath.Join(dir, "missing.mp4"))
	require.Equal(t, 1, code, msg)
	require.Contains(t, msg, "no such file")
}
