package test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
)

// The map's "orbit here": on the ground the copter refuses and says why; flying in GUIDED it
// goes to the circle and round the centre clockwise at the radius, nose on the centre.
func TestOrbitHere(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{speedup: 5}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	ctx := ctxT(t, time.Minute)

	centre := gcs.Position{Point: gcs.OffsetNE(home.Point, 50, 20), AltRelM: 25}
	const radiusM = 20

	_, err := c.SetMode(ctx, 1, "GUIDED")
	require.NoError(t, err)
	_, err = c.Arm(ctx, 1, false)
	require.NoError(t, err)
	reply, err := c.Orbit(ctx, 1, centre, radiusM)
	var refused *mavlink.CommandError
	require.True(t, errors.As(err, &refused), "orbit on the ground: want a refusal, got %v", err)
	require.Equal(t, gcs.CommandDenied, reply.Result)
	require.Equal(t, "Orbit: vehicle is not flying", reply.Reason)

	_, err = c.Takeoff(ctx, 1, 20)
	require.NoError(t, err)
	eventually(t, 20*time.Second, "climbed to 20 m", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return v.Position.AltRelM > 19, describe(v)
	})

	_, err = c.Orbit(ctx, 1, centre, radiusM)
	require.NoError(t, err)
	eventually(t, 20*time.Second, "on the circle", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		d := gcs.DistanceM(v.Position.Point, centre.Point)
		return math.Abs(d-radiusM) < 1 && math.Abs(v.Position.AltRelM-centre.AltRelM) < 1, fmt.Sprintf("%.1f m from the centre; %s", d, describe(v))
	})

	// Watch the telemetry go three quarters round, clockwise (bearing from the centre growing).
	prev := gcs.BearingDeg(centre.Point, mustVehicle(t, c).Position.Point)
	var turnedDeg float64
	deadline := time.Now().Add(20 * time.Second)
	for turnedDeg < 270 {
		require.True(t, time.Now().Before(deadline), "went only %.0f° round in 20 s", turnedDeg)
		time.Sleep(100 * time.Millisecond)
		v := mustVehicle(t, c)
		d := gcs.DistanceM(v.Position.Point, centre.Point)
		require.InDelta(t, radiusM, d, 2, "distance from the centre: %s", describe(v))
		b := gcs.BearingDeg(centre.Point, v.Position.Point)
		step := math.Remainder(b-prev, 360)
		require.GreaterOrEqual(t, step, -0.5, "clockwise: bearing from the centre went from %.1f° to %.1f°", prev, b)
		turnedDeg += step
		prev = b
		toCentre := gcs.BearingDeg(v.Position.Point, centre.Point)
		require.InDelta(t, 0, math.Remainder(v.HeadingDeg-toCentre, 360), 10, "nose on the centre")
	}
	require.Equal(t, "GUIDED", mustVehicle(t, c).Mode)
}

// The map's "set home": the vehicle takes the new home and re-sends HOME_POSITION, so the
// station's picture of it moves.
func TestSetHomeMovesVehicleHome(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	eventually(t, 10*time.Second, "home heard", func() (bool, string) {
		v := mustVehicle(t, c)
		return v.Home != nil, describe(v)
	})

	newHome := gcs.Position{Point: gcs.OffsetNE(home.Point, -80, 120), AltMSLM: home.AltMSLM + 7.5}
	_, err := c.SetHome(ctxT(t, 10*time.Second), 1, newHome)
	require.NoError(t, err)
	eventually(t, 5*time.Second, "the new home in the station's vehicle", func() (bool, string) {
		h := mustVehicle(t, c).Home
		return h != nil && gcs.DistanceM(h.Point, newHome.Point) < 0.05 && math.Abs(h.AltMSLM-newHome.AltMSLM) < 0.01,
			fmt.Sprintf("home %+v", h)
	})
}

func mustVehicle(t *testing.T, c *mavlink.Client) gcs.Vehicle {
	t.Helper()
	v, ok := c.Fleet.Vehicle(1)
	require.True(t, ok)
	return v
}
