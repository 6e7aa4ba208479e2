package gcs

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// The geodesy here works on a sphere of radius orb.EarthRadius (WGS84's equatorial radius).
// Against the WGS84 ellipsoid that errs by up to about 0.7 % of a distance, which is far
// below GNSS and camera-pointing errors at the scales Vigil works at (a few kilometres).

// OffsetNE returns the point northM metres north and eastM metres east of p. Like
// NorthEastM, whose exact inverse it is, it works on a flat earth scaled at the mean
// latitude of the two points, which is how ArduPilot offsets a Location (Location::offset):
// offsets Vigil computes then agree with the vehicle's own, and "east" stays on the
// parallel, where a great circle (geo.PointAtBearingAndDistance) heading east from
// 35° S has drifted 20 cm towards the equator after 2 km, bending survey lanes. Out to
// 50 km the distance to the result is hypot(northM, eastM) within 10 cm (DistanceM); it
// is not meant for use near the poles. The longitude of the result is normalised to
// [-180, 180).
func OffsetNE(p orb.Point, northM, eastM float64) orb.Point {
	if northM == 0 && eastM == 0 {
		return p
	}
	lat := p[1] + northM/metresPerDeg
	lon := p[0] + eastM/(metresPerDeg*lonScale(p[1], lat))
	return orb.Point{normalizeLonDeg(lon), lat}
}

// NorthEastM returns how far to go north and east from from to reach to, in metres, on a
// flat earth scaled at the mean latitude of the two points (ArduPilot's
// Location::get_distance_NE); see OffsetNE. The shorter way round is taken across the
// antimeridian.
func NorthEastM(from, to orb.Point) (northM, eastM float64) {
	northM = (to[1] - from[1]) * metresPerDeg
	eastM = math.Remainder(to[0]-from[0], 360) * metresPerDeg * lonScale(from[1], to[1])
	return northM, eastM
}

// metresPerDeg is the length of one degree of a great circle on orb's sphere.
const metresPerDeg = math.Pi * orb.EarthRadius / 180

// lonScale is how much shorter a degree of longitude is than one of latitude at the mean
// of two latitudes, kept from reaching zero near the poles as ArduPilot does.
func lonScale(lat1, lat2 float64) float64 {
	return max(math.Cos((lat1+lat2)/2*math.Pi/180), 0.01)
}

// DistanceM returns the great-circle distance between a and b in metres. It uses the
// haversine formula (geo.DistanceHaversine) rather than geo.Distance, whose equirectangular
// shortcut is 10 cm off at 50 km and 90 m at 500 km (kilometres at high latitudes).
func DistanceM(a, b orb.Point) float64 {
	return geo.DistanceHaversine(a, b)
}

// BearingDeg returns the initial great-circle bearing from a to b in degrees clockwise from
// true north, in [0, 360). The bearing from a point to itself is 0.
func BearingDeg(a, b orb.Point) float64 {
	deg := math.Mod(geo.Bearing(a, b)+360, 360)
	if deg >= 360 { // cannot happen with math.Mod, but keeps the promise obvious
		deg = 0
	}
	return deg
}

// normalizeLonDeg maps a longitude to [-180, 180).
func normalizeLonDeg(lon float64) float64 {
	if lon >= -180 && lon < 180 {
		return lon
	}
	lon = math.Mod(lon+180, 360)
	if lon < 0 {
		lon += 360
	}
	return lon - 180
}
