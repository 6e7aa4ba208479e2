package gcs

import (
	"github.com/paulmach/orb"
)

// localFrame is a flat frame in metres around an origin: x east, y north. The planners work
// in it because their geometry is planar (line intersections, insets, areas): done on
// degrees it would stretch east-west by 1/cos(latitude). Positions go in and out through
// NorthEastM and OffsetNE, ArduPilot's own flat-earth offsets, so a survey lane planned
// here is the lane the vehicle flies; over the few kilometres of a plan the flat earth errs
// by centimetres.
type localFrame struct {
	origin orb.Point
}

// toXY returns p's east and north metres from the origin as an orb.Point {x, y}.
func (f localFrame) toXY(p orb.Point) orb.Point {
	n, e := NorthEastM(f.origin, p)
	return orb.Point{e, n}
}

// toGeo returns the {lon, lat} point at xy.
func (f localFrame) toGeo(xy orb.Point) orb.Point {
	return OffsetNE(f.origin, xy[1], xy[0])
}

func (f localFrame) ringXY(r []orb.Point) []orb.Point {
	out := make([]orb.Point, len(r))
	for i, p := range r {
		out[i] = f.toXY(p)
	}
	return out
}
