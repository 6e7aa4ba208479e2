package sitl

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// localFrame converts between geodetic points and metres north/east of a fixed origin. A
// flat-earth frame is exact enough over the few kilometres a simulated flight covers and keeps
// the physics in plain metres; it uses the same equirectangular model as geo.Distance, so
// distances measured either way agree.
type localFrame struct {
	origin orb.Point // {lon, lat} degrees
	cosLat float64
}

func newLocalFrame(origin orb.Point) localFrame {
	return localFrame{origin: origin, cosLat: math.Cos(origin.Lat() * math.Pi / 180)}
}

// toNE returns p as metres north and east of the origin.
func (f localFrame) toNE(p orb.Point) (northM, eastM float64) {
	const k = math.Pi / 180 * orb.EarthRadius
	return (p.Lat() - f.origin.Lat()) * k, (p.Lon() - f.origin.Lon()) * k * f.cosLat
}

// toPoint returns the point northM/eastM metres from the origin.
func (f localFrame) toPoint(northM, eastM float64) orb.Point {
	const k = 180 / math.Pi / orb.EarthRadius
	return orb.Point{f.origin.Lon() + eastM*k/f.cosLat, f.origin.Lat() + northM*k}
}

// distanceM is the ground distance between two points, for tests and messages.
func distanceM(a, b orb.Point) float64 { return geo.Distance(a, b) }

// wrapPi folds an angle into (-π, π].
func wrapPi(a float64) float64 {
	a = math.Mod(a+math.Pi, 2*math.Pi)
	if a <= 0 {
		a += 2 * math.Pi
	}
	return a - math.Pi
}

// approach moves cur toward target by at most step.
func approach(cur, target, step float64) float64 {
	switch {
	case target > cur+step:
		return cur + step
	case target < cur-step:
		return cur - step
	}
	return target
}

// approachAngle turns cur toward target the short way by at most step (radians).
func approachAngle(cur, target, step float64) float64 {
	d := wrapPi(target - cur)
	return wrapPi(cur + approach(0, d, step))
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func deg2rad(d float64) float64 { return d * math.Pi / 180 }

func rad2deg(r float64) float64 { return r * 180 / math.Pi }

// orbPoint makes a point from latitude and longitude in degrees (mission item X and Y).
func orbPoint(latDeg, lonDeg float64) orb.Point { return orb.Point{lonDeg, latDeg} }
