package mavlink

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

func TestModeNames(t *testing.T) {
	for _, ca := range []struct {
		ap     gcs.Autopilot
		typ    gcs.VehicleType
		custom uint32
		name   string
	}{
		{gcs.AutopilotArduPilot, gcs.VehicleQuadrotor, 4, "GUIDED"},
		{gcs.AutopilotArduPilot, gcs.VehicleHexarotor, 6, "RTL"},
		{gcs.AutopilotArduPilot, gcs.VehicleFixedWing, 10, "AUTO"},
		{gcs.AutopilotArduPilot, gcs.VehicleGroundRover, 4, "HOLD"},
		{gcs.AutopilotArduPilot, gcs.VehicleAirship, 3, "LOITER"},
		{gcs.AutopilotPX4, gcs.VehicleQuadrotor, 4<<16 | 4<<24, "Mission"},
	} {
		require.Equal(t, ca.name, ModeName(ca.ap, ca.typ, ca.custom))
		n, err := ModeNumber(ca.ap, ca.typ, ca.name)
		require.NoError(t, err)
		require.Equal(t, ca.custom, n)
	}
	require.Equal(t, "Mode(99)", ModeName(gcs.AutopilotArduPilot, gcs.VehicleQuadrotor, 99))
	_, err := ModeNumber(gcs.AutopilotArduPilot, gcs.VehicleQuadrotor, "warp")
	require.ErrorContains(t, err, "GUIDED")
}
