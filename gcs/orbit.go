package gcs

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// maxOrbitWaypoints bounds a circle of waypoints (turns × waypoints per turn).
const maxOrbitWaypoints = 10000

// Orbit circles a point of interest: either one LOITER_TURNS item, which the autopilot flies
// as a circle, or a circle of waypoints with the camera's region of interest on the centre
// (DO_SET_ROI_LOCATION), which any vehicle can fly and keeps the camera on the target.
type Orbit struct {
	Center  orb.Point
	RadiusM float64
	AltM    float64
	AltMode AltMode
	// Turns is how many times round. It defaults to 1.
	Turns     float64
	Clockwise bool
	// Waypoints, when 3 or more, flies a circle of that many waypoints per turn with the ROI
	// on the centre instead of one LOITER_TURNS item.
	Waypoints int
}

func (*Orbit) isPlanItem()  {}
func (*Orbit) kind() string { return "orbit" }

func (o *Orbit) check() error {
	switch {
	case !finitePoint(o.Center) || math.Abs(o.Center[1]) > 90:
		return fmt.Errorf("centre (%v, %v) is not a latitude and longitude", o.Center[1], o.Center[0])
	case !(o.RadiusM > 0) || math.IsInf(o.RadiusM, 0):
		return fmt.Errorf("radius %g m: want a positive radius", o.RadiusM)
	case math.IsNaN(o.AltM) || math.IsInf(o.AltM, 0):
		return fmt.Errorf("altitude %v: want a number of metres", o.AltM)
	case o.Turns < 0 || math.IsNaN(o.Turns) || math.IsInf(o.Turns, 0):
		return fmt.Errorf("turns %g: want 0 or more", o.Turns)
	case o.Waypoints != 0 && o.Waypoints < 3:
		return fmt.Errorf("%d waypoints per turn: want 3 or more (or 0 for LOITER_TURNS)", o.Waypoints)
	case float64(o.Waypoints)*math.Max(o.Turns, 1) > maxOrbitWaypoints:
		return fmt.Errorf("%d waypoints per turn × %g turns: more than %d waypoints", o.Waypoints, o.Turns, maxOrbitWaypoints)
	}
	return nil
}

// Path returns the circle's points, {lon, lat}: 72 per turn for LOITER_TURNS, the waypoints
// otherwise, starting north of the centre.
func (o *Orbit) Path() ([]orb.Point, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	per := o.Waypoints
	if per == 0 {
		per = 72
	}
	return o.circle(per, 0), nil
}

func (o *Orbit) turns() float64 {
	if o.Turns == 0 {
		return 1
	}
	return o.Turns
}

// circle returns the points of the orbit, per points a turn, from startRad (clockwise from
// north), closing the circle.
func (o *Orbit) circle(per int, startRad float64) []orb.Point {
	n := int(math.Ceil(o.turns() * float64(per)))
	dir := -1.0
	if o.Clockwise {
		dir = 1
	}
	pts := make([]orb.Point, 0, n+1)
	for i := 0; i <= n; i++ {
		a := startRad + dir*2*math.Pi*float64(i)/float64(per)
		s, c := math.Sincos(a)
		pts = append(pts, OffsetNE(o.Center, o.RadiusM*c, o.RadiusM*s))
	}
	return pts
}

func (o *Orbit) expand(x *expander) error {
	if err := o.check(); err != nil {
		return err
	}
	if o.Waypoints == 0 {
		r := o.RadiusM
		if !o.Clockwise {
			r = -r // ArduPilot: a negative radius turns counter-clockwise
		}
		return x.waypoint(CmdNavLoiterTurns, o.Center, o.AltM, o.AltMode, [4]float64{o.turns(), 0, r, 0})
	}
	start := 0.0
	if x.hasLast { // join the circle where it is nearest
		n, e := NorthEastM(o.Center, x.last)
		start = math.Atan2(e, n)
	}
	roi := MissionItem{Command: CmdDoSetROILocation, Autocontinue: true, X: o.Center.Lat(), Y: o.Center.Lon()}
	roi.Frame = FrameGlobalRelativeAlt
	if o.AltMode == AltAMSL || o.AltMode == AltAboveTerrain {
		roi.Frame = FrameGlobal
		if x.opt.Ground != nil {
			if h, ok := x.opt.Ground.HeightAt(o.Center); ok {
				roi.Z = h
			}
		}
	}
	first := true
	for _, p := range o.circle(o.Waypoints, start) {
		if err := x.waypoint(CmdNavWaypoint, p, o.AltM, o.AltMode, [4]float64{}); err != nil {
			return err
		}
		if first { // look at the centre once on the circle, not on the way to it
			x.items = append(x.items, roi)
			first = false
		}
	}
	x.do(CmdDoSetROINone, 0, 0, 0, 0)
	return nil
}
