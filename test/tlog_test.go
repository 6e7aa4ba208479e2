package test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/mavlink"
)

// A recorded session replays as a live vehicle that the station discovers and places.
func TestTlogRecordAndReplay(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	conn, _ := mavlink.ParseConnection(fmt.Sprintf("tcp://127.0.0.1:%d", port))
	name := filepath.Join(t.TempDir(), "flight.tlog")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	n, err := mavlink.RecordTlog(ctx, name, []mavlink.Connection{conn})
	require.NoError(t, err)
	require.Greater(t, n, 30, "heartbeats and the telemetry streams the recorder asked for")

	replayPort := freePort(t)
	c := startClient(t, fmt.Sprintf("udp://127.0.0.1:%d", replayPort))
	out, _ := mavlink.ParseConnection(fmt.Sprintf("udpout://127.0.0.1:%d", replayPort))
	done := make(chan error, 1)
	go func() {
		_, err := mavlink.ReplayTlog(context.Background(), name, []gomavlib.EndpointConf{out.Endpoint()}, 2)
		done <- err
	}()
	v := waitVehicle(t, c, 1)
	require.InDelta(t, home.Point.Lat(), v.Position.Point.Lat(), 0.001)
	require.NoError(t, <-done)
}
