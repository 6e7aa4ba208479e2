package vision

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/test/videotest"
)

// killChildDir, in the environment, makes the test below the child that records into
// that directory until it is killed.
const killChildDir = "VIGIL_TEST_RECORDER_CHILD_DIR"

// kill -9 while recording loses at most the open segment: every closed segment plays,
// the open one is still a .part that plays up to its last flush, and the next recorder
// in the directory makes it a .ts.
func TestRecorderSurvivesKill9(t *testing.T) {
	if dir := os.Getenv(killChildDir); dir != "" {
		recordUntilKilled(t, dir)
		return
	}
	t.Parallel() // mostly waiting for the child
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^TestRecorderSurvivesKill9$")
	child.Env = append(os.Environ(), killChildDir+"="+dir)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, child.Start())
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })

	closed := 0
	lines := bufio.NewScanner(out)
	for closed < 2 && lines.Scan() {
		if strings.HasPrefix(lines.Text(), "closed ") {
			closed++
		}
	}
	require.Equal(t, 2, closed, "the child closed two segments")
	time.Sleep(700 * time.Millisecond) // into the third
	require.NoError(t, child.Process.Kill())
	child.Wait()

	var parts, segments []string
	for _, name := range filesIn(t, dir) {
		switch {
		case strings.HasSuffix(name, ".ts.part"):
			parts = append(parts, name)
		case strings.HasSuffix(name, ".ts"):
			segments = append(segments, name)
		default:
			t.Errorf("unexpected file %s", name)
		}
	}
	require.GreaterOrEqual(t, len(segments), 2)
	require.Len(t, parts, 1, "the open segment is left as a .part")
	for _, name := range segments {
		p := probe(t, filepath.Join(dir, name))
		require.Empty(t, p.Complaint, "%s decodes cleanly", name)
		// The first is up to 0.1 s longer: the ingest dates its first pictures by arrival.
		require.InDelta(t, 1, p.Duration, 0.3, "%s is a whole segment", name)
	}
	p := probe(t, filepath.Join(dir, parts[0]))
	require.Greater(t, p.Frames, 0, "the open segment plays up to its last flush")

	var got recording
	rec := got.attach(&Recorder{Dir: dir, Name: "cam1", SegmentDuration: time.Second})
	require.NoError(t, rec.Initialize())
	rec.Close()
	require.Len(t, got.closed(), 1)
	recovered := got.closed()[0]
	require.True(t, recovered.Recovered)
	require.Equal(t, filepath.Join(dir, strings.TrimSuffix(parts[0], ".part")), recovered.Path)
	require.Zero(t, recovered.Size%tsPacketSize, "cut to whole MPEG-TS packets")
	require.Greater(t, probe(t, recovered.Path).Frames, 0)
	t.Logf("open segment at the kill: %d pictures, %d bytes kept", p.Frames, recovered.Size)
}

// recordUntilKilled is the child: it records the simulated camera in 1 s segments and
// says on stdout each time one closes.
func recordUntilKilled(t *testing.T, dir string) {
	cam := videotest.StartCamera(t, videotest.Options{Width: 320, Height: 180, FPS: 15})
	rec := &Recorder{Dir: dir, Name: "cam1", SegmentDuration: time.Second,
		OnSegment: func(s Segment) { fmt.Println("closed", s.Path) },
		OnError:   func(err error) { fmt.Fprintln(os.Stderr, "recorder:", err) },
	}
	require.NoError(t, rec.Initialize())
	s := &Stream{URL: cam.URL, Transport: "tcp", OnAccessUnit: rec.WriteAccessUnit}
	require.NoError(t, s.Initialize())
	time.Sleep(30 * time.Second)
	t.Fatal("the parent should have killed this process")
}
