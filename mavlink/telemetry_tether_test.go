package mavlink

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// tetherSeed is what an aerostat's winch component and autopilot add to the telemetry.
var tetherSeed = []message.Message{
	&common.MessageHeartbeat{Type: common.MAV_TYPE_WINCH, Autopilot: common.MAV_AUTOPILOT_INVALID},
	&common.MessageWinchStatus{LineLength: 150, Speed: -1.5, Tension: 55.8, Voltage: 47.3, Current: 14.2, Temperature: 41,
		Status: common.MAV_WINCH_STATUS_HEALTHY | common.MAV_WINCH_STATUS_MOVING},
	&common.MessageGeneratorStatus{Status: common.MAV_GENERATOR_STATUS_FLAG_GENERATING, BusVoltage: 48, LoadCurrent: 6, PowerGenerated: 290},
	&ardupilotmega.MessageWind{Direction: 270, Speed: 8.5},
}

func TestTetherTelemetryIntoVehicleState(t *testing.T) {
	c, l := offlineClient()
	feed(c, l, append(encodeFrames(t, telemetrySeed[0]), encodeFramesFrom(t, WinchComponentID, tetherSeed...)...))
	v, ok := c.Fleet.Vehicle(1)
	require.True(t, ok)
	require.Equal(t, gcs.VehicleQuadrotor, v.Type, "the winch's heartbeat is not the vehicle's")
	require.Equal(t, uint8(1), v.CompID)
	require.NotNil(t, v.Winch)
	w := *v.Winch
	require.Equal(t, uint8(WinchComponentID), w.CompID)
	require.InDelta(t, 150, w.LineLengthM, 1e-6)
	require.InDelta(t, -1.5, w.SpeedMps, 1e-6)
	require.InDelta(t, 55.8, w.TensionKg, 1e-5)
	require.InDelta(t, 14.2, w.CurrentA, 1e-5)
	require.Equal(t, 41.0, w.TemperatureC)
	require.Equal(t, gcs.WinchHealthy|gcs.WinchMoving, w.Status)
	require.True(t, v.TetherPower.Supplying())
	require.InDelta(t, 290, v.TetherPower.PowerW, 1e-6)
	require.Equal(t, 8.5, v.Wind.SpeedMps)
	require.Equal(t, 270.0, v.Wind.FromDeg)

	// INT16_MAX means no temperature; a fault flag means no power.
	feed(c, l, encodeFramesFrom(t, WinchComponentID,
		&common.MessageWinchStatus{LineLength: 10, Temperature: math.MaxInt16},
		&common.MessageGeneratorStatus{Status: common.MAV_GENERATOR_STATUS_FLAG_GENERATING | common.MAV_GENERATOR_STATUS_FLAG_POWERSOURCE_FAULT}))
	v, _ = c.Fleet.Vehicle(1)
	require.True(t, math.IsNaN(v.Winch.TemperatureC))
	require.False(t, v.Winch.Status.Has(gcs.WinchHealthy))
	require.False(t, v.TetherPower.Supplying())
}

// A winch command goes to component 169, listens only to it, and is never retried.
func TestWinchCommandExchange(t *testing.T) {
	cmd := Command{ID: cmdDoWinch, Params: [7]float64{1, 1, 50, 0}, Action: "winch length 150 m", Component: WinchComponentID}
	ex := newCommandExchange(cmd, gcsID, vehicleID)
	m := ex.start(t0)[0].(*common.MessageCommandLong)
	require.Equal(t, uint8(WinchComponentID), m.TargetComponent)
	require.Equal(t, float32(50), m.Param3)
	require.True(t, ex.fromPeer(1, WinchComponentID))
	require.False(t, ex.fromPeer(1, 1), "the autopilot's words are not the winch's")
	require.False(t, ex.fromPeer(2, WinchComponentID))

	require.Empty(t, ex.tick(t0.Add(commandAckTimeout)), "a winch command is sent once")
	done, err := ex.finished()
	require.True(t, done)
	require.EqualError(t, err, "no answer from vehicle 1 to winch length 150 m in 3s")

	plain := newCommandExchange(Command{ID: cmdArmDisarm}, gcsID, vehicleID)
	require.True(t, plain.fromPeer(1, 1))
	require.True(t, plain.fromPeer(1, 100), "autopilot commands keep hearing every component")
}

// Bad winch commands are refused before anything is sent.
func TestClientWinchRefusesBeforeSending(t *testing.T) {
	c, l := offlineClient()
	feed(c, l, append(encodeFrames(t, telemetrySeed[0]), encodeFramesFrom(t, WinchComponentID, tetherSeed...)...))
	// The offline link has no socket: sending anything would fail the test loudly.
	for _, tc := range []struct {
		cmd  gcs.WinchCommand
		text string
	}{
		{gcs.WinchCommand{Kind: gcs.WinchToLength, LengthM: 400}, "vehicle 1: winch command refused: length 400 m is beyond the 300 m tether"},
		{gcs.WinchCommand{Kind: gcs.WinchAtRate, RateMps: 3}, "vehicle 1: winch command refused: rate 3 m/s is over the winch's 2 m/s limit"},
	} {
		reply, err := c.Winch(context.Background(), 1, tc.cmd, gcs.TetherLimits{})
		require.EqualError(t, err, tc.text)
		require.True(t, errors.Is(err, gcs.ErrWinchCommandInvalid))
		require.Equal(t, gcs.CommandNoAnswer, reply.Result)
	}
}

// FENCE_STATUS tells the station the vehicle is outside its geofence.
func TestFenceStatusIntoVehicleState(t *testing.T) {
	c, l := offlineClient()
	feed(c, l, encodeFrames(t, telemetrySeed[0], &common.MessageFenceStatus{BreachStatus: 1, BreachCount: 2, BreachType: common.FENCE_BREACH_BOUNDARY}))
	v, _ := c.Fleet.Vehicle(1)
	require.NotNil(t, v.Fence)
	require.Equal(t, gcs.FenceStatus{Time: v.Fence.Time, Breached: true, Breaches: 2, LastBreach: "boundary"}, *v.Fence)
}
