package gcs

import (
	"fmt"
	"math"
)

// UTM is a position in the Universal Transverse Mercator grid on the WGS84 ellipsoid.
type UTM struct {
	Zone      int  // 1 to 60
	North     bool // the northern hemisphere (false: northings carry the 10,000 km false northing)
	EastingM  float64
	NorthingM float64
}

// WGS84 and UTM constants.
const (
	wgs84A     = 6378137.0
	wgs84F     = 1 / 298.257223563
	utmK0      = 0.9996
	utmE0      = 500000.0
	utmSouthN0 = 10000000.0
)

// Krüger's series to third order in the third flattening n (Karney 2011, "Transverse Mercator
// with an accuracy of a few nanometers", eqs. 35–36; the same terms as the Wikipedia article on
// UTM): better than a millimetre across a UTM zone.
var (
	utmN     = wgs84F / (2 - wgs84F)
	utmA     = wgs84A / (1 + utmN) * (1 + utmN*utmN/4)
	utmE     = 2 * math.Sqrt(utmN) / (1 + utmN) // first eccentricity
	utmAlpha = [3]float64{
		utmN/2 - 2*utmN*utmN/3 + 5*utmN*utmN*utmN/16,
		13*utmN*utmN/48 - 3*utmN*utmN*utmN/5,
		61 * utmN * utmN * utmN / 240,
	}
	utmBeta = [3]float64{
		utmN/2 - 2*utmN*utmN/3 + 37*utmN*utmN*utmN/96,
		utmN*utmN/48 + utmN*utmN*utmN/15,
		17 * utmN * utmN * utmN / 480,
	}
	utmDelta = [3]float64{
		2*utmN - 2*utmN*utmN/3 - 2*utmN*utmN*utmN,
		7*utmN*utmN/3 - 8*utmN*utmN*utmN/5,
		56 * utmN * utmN * utmN / 15,
	}
)

// utmZone is the UTM zone of a point, with the exceptions of the grid: southwest Norway
// (32V reaches west to 3° E) and Svalbard (zones 31X, 33X, 35X and 37X are widened and
// 32X, 34X and 36X do not exist).
func utmZone(latDeg, lonDeg float64) int {
	lon := normalizeLonDeg(lonDeg)
	zone := int(math.Floor((lon+180)/6)) + 1
	if zone > 60 {
		zone = 60
	}
	if latDeg >= 56 && latDeg < 64 && lon >= 3 && lon < 12 {
		return 32
	}
	if latDeg >= 72 && latDeg <= 84 && lon >= 0 && lon < 42 {
		switch {
		case lon < 9:
			return 31
		case lon < 21:
			return 33
		case lon < 33:
			return 35
		default:
			return 37
		}
	}
	return zone
}

// ToUTM converts a point to UTM in its own zone (with the Norway and Svalbard exceptions).
// Latitudes outside -80° to 84° are the polar regions (UPS, which MGRS covers) and are
// refused.
func ToUTM(latDeg, lonDeg float64) (UTM, error) {
	if math.IsNaN(latDeg) || math.IsNaN(lonDeg) || math.IsInf(lonDeg, 0) {
		return UTM{}, fmt.Errorf("latitude %v, longitude %v is not a position", latDeg, lonDeg)
	}
	if latDeg < -80 || latDeg > 84 {
		return UTM{}, fmt.Errorf("latitude %.4f° is in a polar region, outside the UTM grid (-80° to 84°)", latDeg)
	}
	zone := utmZone(latDeg, lonDeg)
	return toUTMZone(latDeg, lonDeg, zone), nil
}

// toUTMZone projects onto zone's transverse Mercator.
func toUTMZone(latDeg, lonDeg float64, zone int) UTM {
	lon0 := float64(zone)*6 - 183
	phi := latDeg * math.Pi / 180
	dl := math.Remainder(lonDeg-lon0, 360) * math.Pi / 180
	sinPhi := math.Sin(phi)
	t := math.Sinh(math.Atanh(sinPhi) - utmE*math.Atanh(utmE*sinPhi))
	xi := math.Atan2(t, math.Cos(dl))
	eta := math.Atanh(math.Sin(dl) / math.Sqrt(1+t*t))
	e, n := eta, xi
	for j, a := range utmAlpha {
		k := 2 * float64(j+1)
		e += a * math.Cos(k*xi) * math.Sinh(k*eta)
		n += a * math.Sin(k*xi) * math.Cosh(k*eta)
	}
	u := UTM{Zone: zone, North: latDeg >= 0, EastingM: utmE0 + utmK0*utmA*e, NorthingM: utmK0 * utmA * n}
	if !u.North {
		u.NorthingM += utmSouthN0
	}
	return u
}

// LatLon converts a UTM position back to latitude and longitude in degrees.
func (u UTM) LatLon() (latDeg, lonDeg float64) {
	if u.Zone == 0 {
		return upsLatLon(u)
	}
	n := u.NorthingM
	if !u.North {
		n -= utmSouthN0
	}
	xi := n / (utmK0 * utmA)
	eta := (u.EastingM - utmE0) / (utmK0 * utmA)
	xiP, etaP := xi, eta
	for j, b := range utmBeta {
		k := 2 * float64(j+1)
		xiP -= b * math.Sin(k*xi) * math.Cosh(k*eta)
		etaP -= b * math.Cos(k*xi) * math.Sinh(k*eta)
	}
	chi := math.Asin(math.Sin(xiP) / math.Cosh(etaP))
	phi := chi
	for j, d := range utmDelta {
		phi += d * math.Sin(2*float64(j+1)*chi)
	}
	lon0 := float64(u.Zone)*6 - 183
	lon := lon0 + math.Atan2(math.Sinh(etaP), math.Cos(xiP))*180/math.Pi
	return phi * 180 / math.Pi, normalizeLonDeg(lon)
}
