package gcs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestUnits(t *testing.T) {
	for _, c := range []struct {
		u                    Units
		altM, distM, speedMs float64
		alt, dist, speed     string
	}{
		{"", 120, 850, 12.5, "120 m", "850 m", "12.5 m/s"},
		{UnitsMetric, -0.2, 1250, 0, "0 m", "1.25 km", "0.0 m/s"},
		{UnitsImperial, 120, 150, 12.5, "394 ft", "492 ft", "28.0 mph"},
		{UnitsImperial, 0, 1931.2, 1, "0 ft", "1.20 mi", "2.2 mph"},
	} {
		require.Equal(t, c.alt, c.u.Altitude(c.altM))
		require.Equal(t, c.dist, c.u.Distance(c.distM))
		require.Equal(t, c.speed, c.u.Speed(c.speedMs))
	}
}
