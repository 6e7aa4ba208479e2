package gcs

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// EntryCorner is where a survey starts (QGroundControl's entryLocation): the corner of the
// transect pattern, with transects numbered in sweep order and each flown from its "top".
type EntryCorner int

// Entry corners, QGroundControl's numbering.
const (
	EntryTopLeft EntryCorner = iota
	EntryTopRight
	EntryBottomLeft
	EntryBottomRight
)

// maxSurveyLanes bounds the lanes of one survey (a 2 km area at 1 m spacing, 50 km at 25
// m): about 8,000 mission items, beyond what autopilots store.
const maxSurveyLanes = 2000

// maxPhotoStops bounds the hover-and-capture waypoints of one survey.
const maxPhotoStops = 20000

// Survey is QGroundControl's survey complex item: a polygon covered by parallel lanes
// whose spacing and photo interval come from the camera. Concave areas are split into cells
// so that no lane leaves the area, and the way between cells follows the outline.
type Survey struct {
	// Polygon is the area, {lon, lat} vertices, not closed.
	Polygon []orb.Point

	TransectStyle

	// AngleDeg is the lanes' direction, clockwise from north. With AutoAngle the angle that
	// makes the flight shortest is found (in whole degrees, then refined) and stored here.
	AngleDeg  float64
	AutoAngle bool

	Entry        EntryCorner
	Crosshatch   bool // fly it again at +90° (QGroundControl's Refly90Degrees)
	FlyAlternate bool // every other lane first, then the rest (for planes that turn wide)
}

func (*Survey) isPlanItem()  {}
func (*Survey) kind() string { return "survey" }

// ErrNoTransects is returned when the polygon is too small for any lane.
var ErrNoTransects = errors.New("no lane fits in the area")

// check reports a survey that cannot be planned.
func (s *Survey) check() error {
	if err := CheckPolygon(s.Polygon); err != nil {
		return err
	}
	if err := s.Calc.Recalc(); err != nil {
		return err
	}
	if s.TurnaroundM < 0 || math.IsNaN(s.TurnaroundM) || math.IsInf(s.TurnaroundM, 0) {
		return fmt.Errorf("turnaround distance %g m: want 0 or more", s.TurnaroundM)
	}
	if math.IsNaN(s.AngleDeg) || math.IsInf(s.AngleDeg, 0) {
		return fmt.Errorf("angle %v: want a number of degrees", s.AngleDeg)
	}
	if s.Entry < EntryTopLeft || s.Entry > EntryBottomRight {
		return fmt.Errorf("entry corner %d: want 0-3", s.Entry)
	}
	return nil
}

func (s *Survey) frame() localFrame { return localFrame{openRing(s.Polygon)[0]} }

// Path returns the flight path of the survey, {lon, lat}: turnarounds, lane ends, photo
// stops and the corners between cells, in flight order. With AutoAngle it first settles
// AngleDeg.
func (s *Survey) Path() ([]orb.Point, error) {
	pts, err := s.path()
	if err != nil {
		return nil, err
	}
	f := s.frame()
	out := make([]orb.Point, len(pts))
	for i, p := range pts {
		out[i] = f.toGeo(p.xy)
	}
	return out, nil
}

// Lanes returns the lanes of the survey, {lon, lat} start and end, in flight order (both
// passes with Crosshatch): what the camera covers.
func (s *Survey) Lanes() ([][2]orb.Point, error) {
	pts, err := s.path()
	if err != nil {
		return nil, err
	}
	f := s.frame()
	var lanes [][2]orb.Point
	var start orb.Point
	for _, p := range pts {
		switch p.kind {
		case ptEntry:
			start = p.xy
		case ptExit:
			lanes = append(lanes, [2]orb.Point{f.toGeo(start), f.toGeo(p.xy)})
		}
	}
	return lanes, nil
}

func (s *Survey) path() ([]surveyPoint, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	poly := s.frame().ringXY(openRing(s.Polygon))
	b := orb.MultiPoint(poly).Bound()
	diag := math.Hypot(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	if s.Calc.SpacingM >= minTransectSpacingM && diag/s.Calc.SpacingM > maxSurveyLanes {
		return nil, fmt.Errorf("lanes %g m apart across %.0f m would be up to %.0f lanes, more than %d: widen the spacing or split the area",
			s.Calc.SpacingM, diag, diag/s.Calc.SpacingM, maxSurveyLanes)
	}
	if s.Trigger == TriggerWaypoint && s.Calc.TriggerDistM > 0 {
		stops := math.Abs(ringAreaXY(poly)) / (math.Max(s.Calc.SpacingM, minTransectSpacingM) * s.Calc.TriggerDistM)
		if s.Calc.TriggerDistM < minTransectSpacingM || stops > maxPhotoStops {
			return nil, fmt.Errorf("photo stops %g m apart over %.0f m² would be about %.0f stops, more than %d: trigger by distance or space them wider",
				s.Calc.TriggerDistM, math.Abs(ringAreaXY(poly)), stops, maxPhotoStops)
		}
	}
	grid := newEdgeGrid(poly)
	if s.AutoAngle {
		s.AngleDeg = bestSurveyAngle(grid, s)
	}
	pts := s.pathAt(grid, s.AngleDeg)
	if len(pts) == 0 {
		return nil, ErrNoTransects
	}
	return pts, nil
}

// bestSurveyAngle returns the angle, in [0, 180), whose path is shortest: the best whole
// degree, then a golden-section search within a degree of it, kept only if shorter.
//
// Planning every whole degree in full is slow for intricate areas (every cell joined to the
// next along the outline), so the degrees are tried in order of a lower bound on their path
// (the lanes and turnarounds, which every path flies, plus one spacing per change of sweep
// line) and the search stops when the bound reaches the best path found: the result is the
// same as planning all 180.
func bestSurveyAngle(grid *edgeGrid, s *Survey) float64 {
	length := func(a float64) float64 {
		pts := s.pathAt(grid, a)
		if len(pts) == 0 {
			return math.Inf(1)
		}
		return pathLengthXY(pts)
	}
	type cand struct{ angle, bound float64 }
	cands := make([]cand, 0, 180)
	for a := range 180 {
		cands = append(cands, cand{float64(a), s.lowerBound(grid.ring, float64(a))})
	}
	slices.SortStableFunc(cands, func(x, y cand) int { return cmp.Compare(x.bound, y.bound) })
	best, bestL := 0.0, math.Inf(1)
	for _, c := range cands {
		if c.bound >= bestL {
			break
		}
		if l := length(c.angle); l < bestL || (l == bestL && c.angle < best) {
			best, bestL = c.angle, l
		}
	}
	lo, hi := best-1, best+1
	const phi = 0.6180339887498949
	x1, x2 := hi-phi*(hi-lo), lo+phi*(hi-lo)
	f1, f2 := length(x1), length(x2)
	for range 12 {
		if f1 < f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - phi*(hi-lo)
			f1 = length(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + phi*(hi-lo)
			f2 = length(x2)
		}
	}
	if f1 < bestL {
		best, bestL = x1, f1
	}
	if f2 < bestL {
		best = x2
	}
	return math.Mod(best+180, 180)
}

// lowerBound is a length no path at this angle can be shorter than: every lane with its two
// turnarounds, and a spacing for each change of sweep line (lanes on different lines are at
// least that far apart), for each pass.
func (s *Survey) lowerBound(poly []orb.Point, angleDeg float64) float64 {
	angle := clampGridAngle90(angleDeg)
	spacing := s.Calc.SpacingM
	if spacing < minTransectSpacingM {
		spacing = forceLargeTransectsM
	}
	var l float64
	for pass := range 2 {
		if pass == 1 && !s.Crosshatch {
			break
		}
		lines := sweepLines(poly, angle+90*float64(pass), s.Calc.SpacingM)
		for _, segs := range lines {
			for _, t := range segs {
				l += math.Hypot(t.b[0]-t.a[0], t.b[1]-t.a[1]) + 2*s.TurnaroundM
			}
		}
		if len(lines) > 1 {
			l += spacing * float64(len(lines)-1)
		}
	}
	return l
}

func pathLengthXY(pts []surveyPoint) float64 {
	var l float64
	for i := 1; i < len(pts); i++ {
		l += math.Hypot(pts[i].xy[0]-pts[i-1].xy[0], pts[i].xy[1]-pts[i-1].xy[1])
	}
	return l
}

// pathAt builds the flight path at one angle: QGroundControl's single-polygon survey when
// every sweep line crosses the area once, cells joined along the outline otherwise, then the
// cross-hatch pass.
func (s *Survey) pathAt(grid *edgeGrid, angleDeg float64) []surveyPoint {
	poly := grid.ring
	angle := clampGridAngle90(angleDeg)
	var pts []surveyPoint
	var lanes []transectXY
	for pass := range 2 {
		if pass == 1 && !s.Crosshatch {
			break
		}
		cells := transectCells(sweepLines(poly, angle+90*float64(pass), s.Calc.SpacingM))
		if len(cells) == 0 {
			continue
		}
		var passLanes []transectXY
		for ci, cell := range cells {
			cell = append(transectCell(nil), cell...)
			switch {
			case pass == 0 && ci == 0:
				adjustToEntry(cell, s.Entry)
			default:
				// Later cells, and the cross-hatch pass, start at the corner nearest to
				// where the vehicle is (QGroundControl's _optimizeTransectsForShortestDistance).
				from := lastLaneEnd(lanes, passLanes)
				optimizeForShortest(cell, from)
			}
			if s.FlyAlternate {
				cell = alternate(cell)
			}
			lawnmower(cell)
			if len(lanes)+len(passLanes) > 0 {
				prev := lastLane(lanes, passLanes)
				for _, p := range boundaryRoute(grid, prev.b, prev.edgeB, cell[0].a, cell[0].edgeA) {
					pts = append(pts, surveyPoint{p, ptInterior})
				}
			}
			for _, t := range cell {
				pts = append(pts, s.lanePoints(t)...)
			}
			passLanes = append(passLanes, cell...)
		}
		lanes = append(lanes, passLanes...)
	}
	return pts
}

func lastLane(a, b []transectXY) transectXY {
	if len(b) > 0 {
		return b[len(b)-1]
	}
	return a[len(a)-1]
}

func lastLaneEnd(a, b []transectXY) *orb.Point {
	if len(a)+len(b) == 0 {
		return nil
	}
	p := lastLane(a, b).b
	return &p
}

// lanePoints is one lane with its turnarounds and photo stops.
func (s *Survey) lanePoints(t transectXY) []surveyPoint {
	dx, dy := t.b[0]-t.a[0], t.b[1]-t.a[1]
	l := math.Hypot(dx, dy)
	ux, uy := dx/l, dy/l
	var pts []surveyPoint
	if s.TurnaroundM > 0 {
		pts = append(pts, surveyPoint{orb.Point{t.a[0] - ux*s.TurnaroundM, t.a[1] - uy*s.TurnaroundM}, ptTurnaround})
	}
	pts = append(pts, surveyPoint{t.a, ptEntry})
	if s.Trigger == TriggerWaypoint && s.Calc.TriggerDistM > 0 && s.Calc.TriggerDistM < l {
		n := int(math.Floor(l / s.Calc.TriggerDistM))
		for i := 1; i <= n; i++ {
			d := s.Calc.TriggerDistM * float64(i)
			if d >= l {
				break
			}
			pts = append(pts, surveyPoint{orb.Point{t.a[0] + ux*d, t.a[1] + uy*d}, ptHover})
		}
	}
	pts = append(pts, surveyPoint{t.b, ptExit})
	if s.TurnaroundM > 0 {
		pts = append(pts, surveyPoint{orb.Point{t.b[0] + ux*s.TurnaroundM, t.b[1] + uy*s.TurnaroundM}, ptTurnaround})
	}
	return pts
}

// clampGridAngle90 is QGroundControl's _clampGridAngle90: the angle into (-90, 90] so that
// lanes keep their order (QGroundControl's grid angles stay within ±360°, where one step of
// 180° does; Vigil takes any angle).
func clampGridAngle90(a float64) float64 {
	a = math.Mod(a, 360)
	if a < 0 {
		a += 360
	}
	switch {
	case a > 270:
		return a - 360
	case a > 90:
		return a - 180
	}
	return a
}

func reverseLanes(c transectCell) {
	for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
		c[i], c[j] = c[j], c[i]
	}
}

func reverseEachLane(c transectCell) {
	for i := range c {
		c[i].a, c[i].b = c[i].b, c[i].a
		c[i].edgeA, c[i].edgeB = c[i].edgeB, c[i].edgeA
	}
}

// adjustToEntry is QGroundControl's _adjustTransectsToEntryPointLocation.
func adjustToEntry(c transectCell, e EntryCorner) {
	if e == EntryBottomLeft || e == EntryBottomRight {
		reverseEachLane(c)
	}
	if e == EntryTopRight || e == EntryBottomRight {
		reverseLanes(c)
	}
}

// optimizeForShortest starts the cell at the lane end nearest to from.
func optimizeForShortest(c transectCell, from *orb.Point) {
	if from == nil {
		return
	}
	d := func(p orb.Point) float64 { return math.Hypot(p[0]-from[0], p[1]-from[1]) }
	last := c[len(c)-1]
	if len(c)%2 == 0 { // after the lawnmower, the last lane is flown reversed
		last.a, last.b = last.b, last.a
	}
	cands := []float64{d(c[0].a), d(c[0].b), d(last.a), d(last.b)}
	best := 0
	for i, v := range cands {
		if v < cands[best] {
			best = i
		}
	}
	if best > 1 {
		reverseLanes(c)
		if len(c)%2 == 0 {
			reverseEachLane(c)
		}
	}
	if best&1 == 1 {
		reverseEachLane(c)
	}
}

// alternate is QGroundControl's flyAlternateTransects: even lanes out, odd lanes back.
func alternate(c transectCell) transectCell {
	var out transectCell
	for i := 0; i < len(c); i += 2 {
		out = append(out, c[i])
	}
	for i := len(c) - 1; i > 0; i-- {
		if i&1 == 1 {
			out = append(out, c[i])
		}
	}
	return out
}

// lawnmower reverses every other lane.
func lawnmower(c transectCell) {
	for i := 1; i < len(c); i += 2 {
		c[i].a, c[i].b = c[i].b, c[i].a
		c[i].edgeA, c[i].edgeB = c[i].edgeB, c[i].edgeA
	}
}

// expand appends the survey's items.
func (s *Survey) expand(x *expander) error {
	if s.appendLoaded(x) {
		return nil
	}
	pts, err := s.path()
	if err != nil {
		return err
	}
	return s.emit(x, s.frame(), pts)
}

// CameraShots estimates how many photos the survey takes: one at each lane start and one
// every trigger distance along it, as QGroundControl counts them.
func (s *Survey) CameraShots() int {
	if s.Trigger == TriggerNone || !(s.Calc.TriggerDistM > 0) {
		return 0
	}
	lanes, err := s.Lanes()
	if err != nil {
		return 0
	}
	n := 0
	for _, l := range lanes {
		n += int(math.Ceil(DistanceM(l[0], l[1])/s.Calc.TriggerDistM-1e-6)) + 1
	}
	return n
}
