package test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/mavlink"
)

// With MAVLink 2 signing on, only a station with the key commands the vehicle, and a
// station with the wrong key does not even hear it.
func TestSignedLink(t *testing.T) {
	port := freePort(t)
	secret, _ := mavlink.ParseConnection("tcp://127.0.0.1:1?key=field-secret")
	startSim(t, simOptions{signingKey: secret.Key}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))

	keyed := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d?key=field-secret", port))
	waitVehicle(t, keyed, 1)
	_, err := keyed.SetMode(ctxT(t, 5*time.Second), 1, "GUIDED")
	require.NoError(t, err, "the keyed station commands the vehicle")

	unkeyed := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, unkeyed, 1) // signed frames can be read without the key…
	_, err = unkeyed.SetMode(ctxT(t, 10*time.Second), 1, "LOITER")
	require.True(t, mavlink.IsNoAnswer(err), "…but unsigned commands are dropped: %v", err)

	wrong := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d?key=guess", port))
	time.Sleep(2 * time.Second)
	_, heard := wrong.Fleet.Vehicle(1)
	require.False(t, heard, "a wrong key rejects the vehicle's frames")
	v, _ := keyed.Fleet.Vehicle(1)
	require.Equal(t, "GUIDED", v.Mode)
}
