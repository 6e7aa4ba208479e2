package gcs

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Patrol flies round the edge of an area, InsetM inside it, Loops times or for ever: the
// perimeter watch of a camp. The loop is a DO_JUMP back to the first corner.
type Patrol struct {
	Polygon []orb.Point
	InsetM  float64
	AltM    float64
	AltMode AltMode
	// Loops is how many times round; 0 is for ever (until the operator changes mode).
	Loops int
}

func (*Patrol) isPlanItem()  {}
func (*Patrol) kind() string { return "patrol" }

func (p *Patrol) check() error {
	if err := CheckPolygon(p.Polygon); err != nil {
		return err
	}
	switch {
	case p.InsetM < 0 || math.IsNaN(p.InsetM) || math.IsInf(p.InsetM, 0):
		return fmt.Errorf("inset %g m: want 0 or more", p.InsetM)
	case p.Loops < 0:
		return fmt.Errorf("%d loops: want 1 or more, or 0 for ever", p.Loops)
	case math.IsNaN(p.AltM) || math.IsInf(p.AltM, 0):
		return fmt.Errorf("altitude %v: want a number of metres", p.AltM)
	}
	return nil
}

// Route returns the corners flown, {lon, lat}: the polygon inset by InsetM.
func (p *Patrol) Route() ([]orb.Point, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	poly := openRing(p.Polygon)
	f := localFrame{poly[0]}
	in, err := insetRingXY(f.ringXY(poly), p.InsetM)
	if err != nil {
		return nil, err
	}
	out := make([]orb.Point, len(in))
	for i, q := range in {
		out[i] = f.toGeo(q)
	}
	return out, nil
}

func (p *Patrol) expand(x *expander) error {
	route, err := p.Route()
	if err != nil {
		return err
	}
	first := -1
	for _, q := range route {
		if err := x.waypoint(CmdNavWaypoint, q, p.AltM, p.AltMode, [4]float64{}); err != nil {
			return err
		}
		if first < 0 {
			first = x.seq() - 1
		}
	}
	if p.Loops == 1 {
		return x.waypoint(CmdNavWaypoint, route[0], p.AltM, p.AltMode, [4]float64{})
	}
	repeat := float64(p.Loops - 1)
	if p.Loops == 0 {
		repeat = -1
	}
	x.do(CmdDoJump, float64(first), repeat, 0, 0)
	// Back to the first corner after the last loop closes the outline.
	return x.waypoint(CmdNavWaypoint, route[0], p.AltM, p.AltMode, [4]float64{})
}
