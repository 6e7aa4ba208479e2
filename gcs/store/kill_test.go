package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// kill9ChildEnv, when set to a file name, makes TestKill9LosesNoCommittedRow the child
// that writes to that record until it is killed.
const kill9ChildEnv = "VIGIL_STORE_KILL9_CHILD"

// The station is killed with SIGKILL while it writes: every row it was told was committed
// is in the record afterwards, and the record opens and takes more rows. The child is this
// test binary run again; it reports each committed row on stdout as "d ID TRACK" for a
// detection and "a ID" for an audit entry, and the parent kills it mid-stream, three times.
func TestKill9LosesNoCommittedRow(t *testing.T) {
	if path := os.Getenv(kill9ChildEnv); path != "" {
		kill9Child(path)
		return
	}
	path := filepath.Join(t.TempDir(), "mission.db")
	detections := map[int64]int64{} // id → track
	var audits []int64
	for round, killAfter := range []int{200, 900, 1500} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKill9LosesNoCommittedRow$")
		cmd.Env = append(os.Environ(), kill9ChildEnv+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())

		sc := bufio.NewScanner(out)
		reported, killed := 0, false
		deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() }) //nolint:errcheck
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 3 && f[0] == "d":
				id, _ := strconv.ParseInt(f[1], 10, 64)
				track, _ := strconv.ParseInt(f[2], 10, 64)
				detections[id] = track
				reported++
			case len(f) == 2 && f[0] == "a":
				id, _ := strconv.ParseInt(f[1], 10, 64)
				audits = append(audits, id)
			}
			if reported >= killAfter && !killed {
				require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
				killed = true // read on: lines already written were committed too
			}
		}
		deadline.Stop()
		err = cmd.Wait()
		require.True(t, killed, "round %d: the child stopped by itself: %v", round, err)
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		require.True(t, ws.Signaled(), "round %d: killed mid-stream, not finished", round)

		s, err := Open(path)
		require.NoError(t, err, "round %d: the record opens after the kill", round)
		stored := map[int64]int64{}
		require.NoError(t, s.EachDetection(func(d gcs.Detection) error {
			stored[d.ID] = d.TrackID
			return nil
		}))
		for id, track := range detections {
			got, ok := stored[id]
			require.True(t, ok, "round %d: committed detection %d lost", round, id)
			require.Equal(t, track, got, "detection %d", id)
		}
		log, err := s.Audit()
		require.NoError(t, err)
		logged := map[int64]bool{}
		for _, e := range log {
			logged[e.ID] = true
		}
		for _, id := range audits {
			require.True(t, logged[id], "round %d: committed audit entry %d lost", round, id)
		}
		require.NoError(t, s.Close())
		t.Logf("round %d: %d detections and %d commands reported committed, all there (%d stored)", round, len(detections), len(audits), len(stored))
	}
}

// kill9Child writes batches of detections and audit entries to the record at path, and
// reports each one once its transaction has committed, until it is killed.
func kill9Child(path string) {
	s, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		batch := make([]gcs.Detection, 1+i%20)
		for j := range batch {
			batch[j] = sampleDetection(i*100 + j)
			batch[j].TrackID = int64(i*100 + j)
		}
		ids, err := s.AddDetections(batch)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		for j, id := range ids {
			fmt.Fprintf(w, "d %d %d\n", id, batch[j].TrackID)
		}
		if i%5 == 0 {
			id, err := s.LogCommand(time.Now(), 1, fmt.Sprintf("goto %d", i))
			if err != nil {
				fmt.Fprintln(os.Stderr, "child:", err)
				os.Exit(3)
			}
			fmt.Fprintf(w, "a %d\n", id)
		}
		w.Flush() // after the commit: only committed rows are reported
	}
}
