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

// Before GPS has a fix the copter refuses to arm, and the station reports why.
func TestArmRefusedBeforeGPSFix(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{gpsDelay: 30 * time.Second}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)

	reply, err := c.Arm(ctxT(t, 10*time.Second), 1, false)
	var refused *mavlink.CommandError
	require.True(t, errors.As(err, &refused), "want a refusal, got %v", err)
	require.NotEqual(t, gcs.CommandAccepted, reply.Result)
	require.Contains(t, reply.Reason, "PreArm")
	require.Contains(t, err.Error(), "vehicle 1 refused arm: PreArm")
	v, _ := c.Fleet.Vehicle(1)
	require.False(t, v.Armed)
}

// The whole basic flight: arm → takeoff 20 m → goto → RTL → landed and disarmed.
func TestFlightArmTakeoffGotoRTL(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{speedup: 5}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	v := waitVehicle(t, c, 1)
	ctx := ctxT(t, 2*time.Minute)

	_, err := c.SetMode(ctx, 1, "GUIDED")
	require.NoError(t, err)
	_, err = c.Arm(ctx, 1, false)
	require.NoError(t, err)
	_, err = c.Takeoff(ctx, 1, 20)
	require.NoError(t, err)
	eventually(t, 30*time.Second, "climbed to 20 m", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		return v.Position.AltRelM > 19, describe(v)
	})

	target := gcs.Position{Point: gcs.OffsetNE(home.Point, 60, 40), AltRelM: 25}
	_, err = c.Goto(ctx, 1, target)
	require.NoError(t, err)
	eventually(t, 40*time.Second, "arrived at the goto point", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		return gcs.DistanceM(v.Position.Point, target.Point) < 2 && math.Abs(v.Position.AltRelM-25) < 1.5, describe(v)
	})
	require.Equal(t, "GUIDED", v.Mode)

	_, err = c.RTL(ctx, 1)
	require.NoError(t, err)
	eventually(t, 60*time.Second, "returned, landed and disarmed", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		return !v.Armed && v.Position.AltRelM < 0.5, describe(v)
	})
	require.Less(t, gcs.DistanceM(v.Position.Point, home.Point), 3.0, "landed at home")
}
