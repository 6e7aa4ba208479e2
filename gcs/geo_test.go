package gcs

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// geoTestHome is ArduPilot SITL's default home (CMAC, Canberra).
var geoTestHome = orb.Point{149.165230, -35.363261}

func TestDistanceM(t *testing.T) {
	for _, ca := range []struct {
		name string
		a, b orb.Point
		want float64
	}{
		{"same point", geoTestHome, geoTestHome, 0},
		{"one degree of latitude", orb.Point{0, 0}, orb.Point{0, 1}, metresPerDeg},
		{"one degree of longitude at the equator", orb.Point{0, 0}, orb.Point{1, 0}, metresPerDeg},
		{
			"one degree of longitude at 60°", orb.Point{10, 60}, orb.Point{11, 60},
			2 * orb.EarthRadius * math.Asin(0.5*math.Sin(0.5*math.Pi/180)), // not the parallel's 55 659.7 m
		},
		{"quarter of the equator", orb.Point{0, 0}, orb.Point{90, 0}, math.Pi / 2 * orb.EarthRadius},
		{"across the antimeridian", orb.Point{179.5, 0}, orb.Point{-179.5, 0}, metresPerDeg},
		{"pole to pole", orb.Point{0, 90}, orb.Point{0, -90}, math.Pi * orb.EarthRadius},
	} {
		t.Run(ca.name, func(t *testing.T) {
			require.InDelta(t, ca.want, DistanceM(ca.a, ca.b), 0.01)
			require.InDelta(t, ca.want, DistanceM(ca.b, ca.a), 0.01)
		})
	}
}

func TestBearingDeg(t *testing.T) {
	for _, ca := range []struct {
		name string
		a, b orb.Point
		want float64
	}{
		{"north", orb.Point{0, 0}, orb.Point{0, 1}, 0},
		{"east", orb.Point{0, 0}, orb.Point{1, 0}, 90},
		{"south", orb.Point{0, 0}, orb.Point{0, -1}, 180},
		{"west", orb.Point{0, 0}, orb.Point{-1, 0}, 270},
		{"north-west is not negative", orb.Point{0, 0}, orb.Point{-0.001, 0.001}, 315},
		{"east across the antimeridian", orb.Point{179.9, 0}, orb.Point{-179.9, 0}, 90},
		{"same point", geoTestHome, geoTestHome, 0},
		{"north-east of SITL home", geoTestHome, OffsetNE(geoTestHome, 1000, 1000), 45},
	} {
		t.Run(ca.name, func(t *testing.T) {
			got := BearingDeg(ca.a, ca.b)
			require.InDelta(t, ca.want, got, 0.01)
			require.GreaterOrEqual(t, got, 0.0)
			require.Less(t, got, 360.0)
		})
	}
}

func TestOffsetNE(t *testing.T) {
	cosLat := math.Cos(geoTestHome[1] * math.Pi / 180)
	for _, ca := range []struct {
		name          string
		p             orb.Point
		northM, eastM float64
		want          orb.Point
		deltaDeg      float64
	}{
		{"nowhere", geoTestHome, 0, 0, geoTestHome, 0},
		{"one degree north", orb.Point{0, 0}, metresPerDeg, 0, orb.Point{0, 1}, 1e-12},
		{"one degree east", orb.Point{0, 0}, 0, metresPerDeg, orb.Point{1, 0}, 1e-12},
		{"one degree south-west", orb.Point{0, 0}, -metresPerDeg, -1e-9, orb.Point{0, -1}, 1e-9},
		// flat earth, scaled at the mean latitude (ArduPilot's Location::offset)
		{
			"1 km east of SITL home", geoTestHome, 0, 1000,
			orb.Point{geoTestHome[0] + 1000/(metresPerDeg*cosLat), geoTestHome[1]}, 1e-12,
		},
		{
			"300 m north 400 m west of SITL home", geoTestHome, 300, -400,
			orb.Point{
				geoTestHome[0] - 400/(metresPerDeg*math.Cos((geoTestHome[1]+150/metresPerDeg)*math.Pi/180)),
				geoTestHome[1] + 300/metresPerDeg,
			}, 1e-12,
		},
		{"east across the antimeridian", orb.Point{179.5, 0}, 0, metresPerDeg, orb.Point{-179.5, 0}, 1e-9},
	} {
		t.Run(ca.name, func(t *testing.T) {
			got := OffsetNE(ca.p, ca.northM, ca.eastM)
			require.InDelta(t, ca.want[0], got[0], ca.deltaDeg, "lon")
			require.InDelta(t, ca.want[1], got[1], ca.deltaDeg, "lat")
		})
	}
}

func TestNorthEastMInvertsOffsetNE(t *testing.T) {
	for _, ca := range []struct {
		name          string
		p             orb.Point
		northM, eastM float64
	}{
		{"SITL home, 10 m", geoTestHome, 7, -7},
		{"SITL home, 1 km", geoTestHome, 300, -950},
		{"SITL home, 50 km", geoTestHome, -30_000, 40_000},
		{"high latitude", orb.Point{25, 78}, 5000, 5000},
		{"across the antimeridian", orb.Point{179.99, -17}, 100, 5000},
	} {
		t.Run(ca.name, func(t *testing.T) {
			q := OffsetNE(ca.p, ca.northM, ca.eastM)
			n, e := NorthEastM(ca.p, q)
			require.InDelta(t, ca.northM, n, 1e-6)
			require.InDelta(t, ca.eastM, e, 1e-6)
		})
	}
}

func TestOffsetNEKeepsDistance(t *testing.T) {
	// Out to 50 km, the flat earth's hypot(n, e) is the great-circle distance within 10 cm.
	for _, dM := range []float64{10, 1000, 10_000, 50_000} {
		for bearingDeg := 0.0; bearingDeg < 360; bearingDeg += 22.5 {
			b := bearingDeg * math.Pi / 180
			q := OffsetNE(geoTestHome, dM*math.Cos(b), dM*math.Sin(b))
			require.InDelta(t, dM, DistanceM(geoTestHome, q), 0.1, "%v m at %v°", dM, bearingDeg)
			require.InDelta(t, bearingDeg, BearingDeg(geoTestHome, q), 0.2, "%v m at %v°", dM, bearingDeg)
		}
	}
}
