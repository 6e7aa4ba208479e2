package test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink/sitl"
)

// lossyLink is the acceptance link: 20 % loss both ways, duplication and reordering.
var lossyLink = sitl.Impairment{Loss: 0.2, Duplicate: 0.1, Reorder: 0.1, Seed: 42}

// At 20 % loss with duplication and reordering every transfer either completes exactly or
// says it failed: 20 mission round trips, all correct.
func TestMissionRoundTripsOverLossyLink(t *testing.T) {
	if testing.Short() {
		t.Skip("lossy transfers take a while")
	}
	t.Parallel() // mostly waiting on timeouts: runs beside the parameter pulls
	port := freePort(t)
	startSim(t, simOptions{impairment: lossyLink}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	ctx := ctxT(t, 8*time.Minute)

	items := mission20()
	start := time.Now()
	for i := range 20 {
		items[3].Z = float64(20 + i) // a different mission each round, so a stale answer shows
		require.NoError(t, c.UploadMission(ctx, 1, gcs.MissionTypeMission, items, nil), "round %d upload", i)
		got, err := c.DownloadMission(ctx, 1, gcs.MissionTypeMission, nil)
		require.NoError(t, err, "round %d download", i)
		require.Equal(t, items[1:], got[1:], "round %d", i)
	}
	t.Logf("20 mission round trips in %.1f s", time.Since(start).Seconds())
}

// The same link: 20 full parameter pulls, each complete and identical.
func TestParamPullsOverLossyLink(t *testing.T) {
	if testing.Short() {
		t.Skip("lossy transfers take a while")
	}
	t.Parallel()
	port := freePort(t)
	startSim(t, simOptions{impairment: lossyLink}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	ctx := ctxT(t, 8*time.Minute)

	start := time.Now()
	var want []gcs.Param
	for i := range 20 {
		params, err := c.PullParams(ctx, 1, nil)
		require.NoError(t, err, "pull %d", i)
		require.Greater(t, len(params), 100)
		if want == nil {
			want = params
		}
		require.Equal(t, want, params, "pull %d", i)
	}
	t.Logf("20 parameter pulls of %d in %.1f s", len(want), time.Since(start).Seconds())
}

// A transfer that cannot finish says so; it never reports success.
func TestTransferCutOffFails(t *testing.T) {
	port := freePort(t)
	sim := startSim(t, simOptions{}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)

	items := mission20()
	for len(items) < 400 {
		items = append(items, mission20()[3:6]...)
	}
	done := make(chan error, 1)
	cut := make(chan struct{})
	go func() {
		done <- c.UploadMission(context.Background(), 1, gcs.MissionTypeMission, items, func(n, _ int) {
			if n == 100 {
				close(cut)
			}
		})
	}()
	<-cut
	sim.Close() // the vehicle goes silent mid-transfer
	select {
	case err := <-done:
		require.Error(t, err)
		t.Log(err)
	case <-time.After(30 * time.Second):
		t.Fatal("the upload neither finished nor failed")
	}
}
