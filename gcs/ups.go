package gcs

import "math"

// UPS (Universal Polar Stereographic) is the grid of the polar caps beyond UTM's: north of
// 84° N and south of 80° S. A position there is a UTM value with Zone 0.

// UPS constants: scale at the pole and the false easting and northing.
const (
	upsK0 = 0.994
	upsFE = 2000000.0
	upsFN = 2000000.0
)

// upsC is 2·a·k0 / sqrt((1+e)^(1+e)·(1-e)^(1-e)), the factor from t to the radius ρ.
var upsC = 2 * wgs84A * upsK0 / math.Sqrt(math.Pow(1+utmE, 1+utmE)*math.Pow(1-utmE, 1-utmE))

// toUPS projects a point onto the polar stereographic grid of its hemisphere.
func toUPS(latDeg, lonDeg float64) UTM {
	north := latDeg >= 0
	phi := math.Abs(latDeg) * math.Pi / 180
	s := math.Sin(phi)
	t := math.Tan(math.Pi/4-phi/2) / math.Pow((1-utmE*s)/(1+utmE*s), utmE/2)
	rho := upsC * t
	sl, cl := math.Sincos(lonDeg * math.Pi / 180)
	u := UTM{North: north, EastingM: upsFE + rho*sl}
	if north {
		u.NorthingM = upsFN - rho*cl
	} else {
		u.NorthingM = upsFN + rho*cl
	}
	return u
}

// upsLatLon is the inverse of toUPS.
func upsLatLon(u UTM) (latDeg, lonDeg float64) {
	dx, dy := u.EastingM-upsFE, u.NorthingM-upsFN
	t := math.Hypot(dx, dy) / upsC
	phi := math.Pi/2 - 2*math.Atan(t)
	for range 8 { // the conformal latitude converges in a few steps
		s := math.Sin(phi)
		phi = math.Pi/2 - 2*math.Atan(t*math.Pow((1-utmE*s)/(1+utmE*s), utmE/2))
	}
	if u.North {
		lonDeg = math.Atan2(dx, -dy) * 180 / math.Pi
		return phi * 180 / math.Pi, normalizeLonDeg(lonDeg)
	}
	lonDeg = math.Atan2(dx, dy) * 180 / math.Pi
	return -phi * 180 / math.Pi, normalizeLonDeg(lonDeg)
}
