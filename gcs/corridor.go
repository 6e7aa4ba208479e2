package gcs

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Corridor is QGroundControl's corridor scan: lanes parallel to a polyline (a road, a
// pipeline, a border) across a corridor of a given width, as many as the camera's lane
// spacing needs.
type Corridor struct {
	// Line is the corridor's centre line, {lon, lat}, two or more points.
	Line []orb.Point
	// WidthM is the corridor's full width; 0 flies the line itself.
	WidthM float64
	// Entry is QGroundControl's EntryPoint: 0 as drawn, 1 from the other side, 2 from the
	// other end, 3 both.
	Entry int

	TransectStyle
}

func (*Corridor) isPlanItem()  {}
func (*Corridor) kind() string { return "corridor" }

func (c *Corridor) frame() localFrame { return localFrame{c.Line[0]} }

func (c *Corridor) check() error {
	if len(c.Line) < 2 {
		return fmt.Errorf("the line has %d points, want at least 2", len(c.Line))
	}
	for i, p := range c.Line {
		if !finitePoint(p) || math.Abs(p[1]) > 90 {
			return fmt.Errorf("line point %d (%v, %v) is not a latitude and longitude", i+1, p[1], p[0])
		}
	}
	xy := c.frame().ringXY(c.Line)
	for i := 1; i < len(xy); i++ {
		if math.Hypot(xy[i][0]-xy[i-1][0], xy[i][1]-xy[i-1][1]) < 1e-3 {
			return fmt.Errorf("line points %d and %d are the same point", i, i+1)
		}
	}
	if !(c.WidthM >= 0) || math.IsInf(c.WidthM, 0) {
		return fmt.Errorf("width %g m: want 0 or more", c.WidthM)
	}
	if c.Entry < 0 || c.Entry > 3 {
		return fmt.Errorf("entry %d: want 0-3", c.Entry)
	}
	if len(c.Line) > maxKMLShapes {
		return fmt.Errorf("the line has %d points, more than %d", len(c.Line), maxKMLShapes)
	}
	if c.TurnaroundM < 0 || math.IsNaN(c.TurnaroundM) {
		return fmt.Errorf("turnaround distance %g m: want 0 or more", c.TurnaroundM)
	}
	if err := c.Calc.Recalc(); err != nil {
		return err
	}
	if c.Calc.SpacingM >= minTransectSpacingM && c.WidthM/c.Calc.SpacingM > maxSurveyLanes {
		return fmt.Errorf("lanes %g m apart across %g m would be %.0f lanes, more than %d: widen the spacing",
			c.Calc.SpacingM, c.WidthM, c.WidthM/c.Calc.SpacingM, maxSurveyLanes)
	}
	return nil
}

// offsetPolylineXY returns the polyline moved dM to its left, corners mitred.
func offsetPolylineXY(line []orb.Point, dM float64) []orb.Point {
	n := len(line)
	normal := func(i int) orb.Point { // left normal of segment i → i+1, scaled
		dx, dy := line[i+1][0]-line[i][0], line[i+1][1]-line[i][1]
		l := math.Hypot(dx, dy)
		return orb.Point{-dy / l * dM, dx / l * dM}
	}
	out := make([]orb.Point, n)
	n0 := normal(0)
	out[0] = orb.Point{line[0][0] + n0[0], line[0][1] + n0[1]}
	nl := normal(n - 2)
	out[n-1] = orb.Point{line[n-1][0] + nl[0], line[n-1][1] + nl[1]}
	for i := 1; i < n-1; i++ {
		a, b := normal(i-1), normal(i)
		p1 := orb.Point{line[i-1][0] + a[0], line[i-1][1] + a[1]}
		d1 := orb.Point{line[i][0] - line[i-1][0], line[i][1] - line[i-1][1]}
		p2 := orb.Point{line[i][0] + b[0], line[i][1] + b[1]}
		d2 := orb.Point{line[i+1][0] - line[i][0], line[i+1][1] - line[i][1]}
		den := d1[0]*d2[1] - d1[1]*d2[0]
		if math.Abs(den) < 1e-9 { // straight on
			out[i] = p2
			continue
		}
		t := ((p2[0]-p1[0])*d2[1] - (p2[1]-p1[1])*d2[0]) / den
		out[i] = orb.Point{p1[0] + t*d1[0], p1[1] + t*d1[1]}
	}
	return out
}

// TransectCount is QGroundControl's: ceil(width / spacing), at least one.
func (c *Corridor) TransectCount() int {
	spacing := c.Calc.SpacingM
	if spacing < minTransectSpacingM {
		spacing = forceLargeTransectsM
	}
	if c.WidthM > 0 {
		return int(math.Ceil(c.WidthM / spacing))
	}
	return 1
}

// path builds the lanes as QGroundControl's CorridorScanComplexItem: lane i is the line
// offset by width/2 − spacing·(i+½), one lane on the line itself when only one fits.
func (c *Corridor) path() ([]surveyPoint, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	line := c.frame().ringXY(c.Line)
	n := c.TransectCount()
	spacing := c.Calc.SpacingM
	if spacing < minTransectSpacingM {
		spacing = forceLargeTransectsM
	}
	var lanes [][]surveyPoint
	pos := spacing / 2
	for range n {
		off := 0.0
		if n > 1 {
			off = c.WidthM/2 - pos
		}
		pos += spacing
		xy := offsetPolylineXY(line, off)
		var lane []surveyPoint
		for i, p := range xy {
			kind := ptInterior
			switch i {
			case 0:
				kind = ptEntry
			case len(xy) - 1:
				kind = ptExit
			}
			lane = append(lane, surveyPoint{p, kind})
		}
		if c.TurnaroundM > 0 {
			ext := func(from, to orb.Point) orb.Point { // TurnaroundM beyond from, away from to
				dx, dy := from[0]-to[0], from[1]-to[1]
				l := math.Hypot(dx, dy)
				return orb.Point{from[0] + dx/l*c.TurnaroundM, from[1] + dy/l*c.TurnaroundM}
			}
			lane = append([]surveyPoint{{ext(xy[0], xy[1]), ptTurnaround}}, lane...)
			lane = append(lane, surveyPoint{ext(xy[len(xy)-1], xy[len(xy)-2]), ptTurnaround})
		}
		lanes = append(lanes, lane)
	}
	if c.Entry == 1 || c.Entry == 3 {
		for i, j := 0, len(lanes)-1; i < j; i, j = i+1, j-1 {
			lanes[i], lanes[j] = lanes[j], lanes[i]
		}
	}
	for i := range lanes {
		if (c.Entry >= 2) != (i%2 == 1) {
			reverseSurveyPoints(lanes[i])
		}
	}
	var pts []surveyPoint
	for _, l := range lanes {
		pts = append(pts, l...)
	}
	return pts, nil
}

// reverseSurveyPoints reverses a lane, its entry becoming its exit.
func reverseSurveyPoints(l []surveyPoint) {
	for i, j := 0, len(l)-1; i < j; i, j = i+1, j-1 {
		l[i], l[j] = l[j], l[i]
	}
	for i := range l {
		switch l[i].kind {
		case ptEntry:
			l[i].kind = ptExit
		case ptExit:
			l[i].kind = ptEntry
		}
	}
}

// Path returns the corridor's flight path, {lon, lat}.
func (c *Corridor) Path() ([]orb.Point, error) {
	pts, err := c.path()
	if err != nil {
		return nil, err
	}
	f := c.frame()
	out := make([]orb.Point, len(pts))
	for i, p := range pts {
		out[i] = f.toGeo(p.xy)
	}
	return out, nil
}

// Area returns the corridor's outline, {lon, lat}: the line offset by half the width each side.
func (c *Corridor) Area() ([]orb.Point, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	f := c.frame()
	line := f.ringXY(c.Line)
	left, right := offsetPolylineXY(line, c.WidthM/2), offsetPolylineXY(line, -c.WidthM/2)
	var out []orb.Point
	for _, p := range left {
		out = append(out, f.toGeo(p))
	}
	for i := len(right) - 1; i >= 0; i-- {
		out = append(out, f.toGeo(right[i]))
	}
	return out, nil
}

func (c *Corridor) expand(x *expander) error {
	if c.appendLoaded(x) {
		return nil
	}
	pts, err := c.path()
	if err != nil {
		return err
	}
	return c.emit(x, c.frame(), pts)
}
