package test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/gcs/store"
)

// Operator commands and the vehicle's answers land in the mission record's audit log: a
// refused arm with its reason, an accepted mode change.
func TestCommandsAreAudited(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	startSim(t, simOptions{gpsDelay: 30e9}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	link := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	db := filepath.Join(t.TempDir(), "mission.db")

	code, out := vigil(t, "cmd", "--connect", link, "--db", db, "arm")
	require.Equal(t, 1, code, out)
	code, out = vigil(t, "cmd", "--connect", link, "--db", db, "mode", "STABILIZE")
	require.Equal(t, 0, code, out)

	rec, err := store.Open(db)
	require.NoError(t, err)
	defer rec.Close()
	log, err := rec.Audit()
	require.NoError(t, err)
	require.Len(t, log, 2)
	require.Equal(t, "arm", log[0].Command)
	require.True(t, log[0].Answered)
	require.Equal(t, gcs.CommandFailed, log[0].Result) // ArduPilot answers a failed pre-arm check with FAILED
	require.Contains(t, log[0].Reason, "PreArm")
	require.Equal(t, "mode STABILIZE", log[1].Command)
	require.Equal(t, gcs.CommandAccepted, log[1].Result)
	require.False(t, log[1].AnswerTime.Before(log[1].Time))
}
