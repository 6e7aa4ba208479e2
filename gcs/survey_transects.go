package gcs

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// QGroundControl's limits on lane spacing (SurveyComplexItem): below the minimum a single
// lane is flown instead of thousands.
const (
	minTransectSpacingM   = 0.5
	forceLargeTransectsM  = 100000
	transectLineMarginM   = 2000 // QGroundControl's "fudge factor" on the sweep lines
	transectMinLengthM    = 1e-6
	boundaryRouteEpsilonM = 0.05
)

// transectXY is one lane in the local frame: flown from a to b; edgeA and edgeB are the
// polygon edges the ends lie on.
type transectXY struct {
	a, b         orb.Point
	edgeA, edgeB int
}

// transectCell is a run of lanes on consecutive sweep lines that can be flown as one
// lawnmower (a boustrophedon cell): a convex area is one cell.
type transectCell []transectXY

// sweepLines returns, for each of QGroundControl's sweep lines that meets the polygon (in
// line order), the pieces of the line inside it, in order along the line. The lines are
// QGroundControl's: spacing apart, starting half of (the bounding box's larger side + 2 km)
// from its centre, rotated clockwise from north by angleDeg about that centre. Pieces
// run in one direction for all lines: that of the first line from the intersection on the
// lower-numbered edge to the other, as QGroundControl's _adjustLineDirection leaves them.
func sweepLines(poly []orb.Point, angleDeg, spacingM float64) [][]transectXY {
	if spacingM < minTransectSpacingM {
		spacingM = forceLargeTransectsM
	}
	b := orb.MultiPoint(poly).Bound()
	c := b.Center()
	half := (math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) + transectLineMarginM) / 2
	// Unit vectors of a rotated line: u along it (from its south end at angle 0), v across
	// it (towards increasing sweep offset).
	rad := angleDeg * math.Pi / 180
	sin, cos := math.Sincos(rad)
	u := orb.Point{sin, cos}
	v := orb.Point{cos, -sin}

	var lines [][]transectXY
	n := len(poly)
	// Offsets across the lines and along them of each vertex, computed once.
	across := make([]float64, n)
	along := make([]float64, n)
	for i, p := range poly {
		dx, dy := p[0]-c[0], p[1]-c[1]
		across[i] = dx*v[0] + dy*v[1]
		along[i] = dx*u[0] + dy*u[1]
	}
	type hit struct {
		t    float64
		edge int
	}
	var hits []hit
	dir := 0.0 // +1 or -1 once the first line fixed it
	line := func(off float64) []transectXY {
		hits = hits[:0]
		for i := range n {
			j := (i + 1) % n
			sa, sb := across[i]-off, across[j]-off
			if (sa > 0) == (sb > 0) {
				continue
			}
			f := sa / (sa - sb)
			hits = append(hits, hit{along[i] + f*(along[j]-along[i]), i})
		}
		if len(hits) < 2 {
			return nil
		}
		if dir == 0 {
			// QGroundControl keeps the first pair in edge order: from the lower edge.
			lo, hi := hits[0], hits[len(hits)-1]
			for _, h := range hits {
				if h.t < lo.t {
					lo = h
				}
				if h.t > hi.t {
					hi = h
				}
			}
			dir = 1
			if lo.edge > hi.edge {
				dir = -1
			}
		}
		slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.t*dir, b.t*dir) })
		var segs []transectXY
		for k := 0; k+1 < len(hits); k += 2 {
			h0, h1 := hits[k], hits[k+1]
			if math.Abs(h1.t-h0.t) < transectMinLengthM {
				continue
			}
			at := func(t float64) orb.Point {
				return orb.Point{c[0] + off*v[0] + t*u[0], c[1] + off*v[1] + t*u[1]}
			}
			segs = append(segs, transectXY{a: at(h0.t), b: at(h1.t), edgeA: h0.edge, edgeB: h1.edge})
		}
		return segs
	}
	// Only the lines that can meet the polygon are intersected: the rest of QGroundControl's
	// 2 km margin is skipped, with the lines' offsets kept where it puts them.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, a := range across {
		lo, hi = math.Min(lo, a), math.Max(hi, a)
	}
	for k := math.Max(0, math.Floor((lo+half)/spacingM)); ; k++ {
		off := -half + k*spacingM
		if off >= half || off > hi {
			break
		}
		if segs := line(off); len(segs) > 0 {
			lines = append(lines, segs)
		}
	}
	if len(lines) < 2 {
		// QGroundControl: fewer than two lanes becomes one lane through the centre.
		if segs := line(0); len(segs) > 0 {
			lines = [][]transectXY{segs}
		}
	}
	return lines
}

// transectCells groups the pieces of the sweep lines into cells: a piece continues the cell
// of the piece on the previous line that it overlaps along the line, when each has only
// the other; otherwise a new cell starts. Cells come in order of their first line.
func transectCells(lines [][]transectXY) []transectCell {
	type open struct {
		cell int
		seg  transectXY
	}
	var cells []transectCell
	var prev, next []open
	var degPrev, degCur, partner []int
	for _, segs := range lines {
		u := orb.Point{segs[0].b[0] - segs[0].a[0], segs[0].b[1] - segs[0].a[1]}
		span := func(s transectXY) (float64, float64) {
			a, b := s.a[0]*u[0]+s.a[1]*u[1], s.b[0]*u[0]+s.b[1]*u[1]
			return math.Min(a, b), math.Max(a, b)
		}
		// Both lines' pieces are in order along the line and apart: overlapping pairs are
		// found by walking the two lists together.
		degPrev = append(degPrev[:0], make([]int, len(prev))...)
		degCur = append(degCur[:0], make([]int, len(segs))...)
		partner = append(partner[:0], make([]int, len(segs))...)
		for i, j := 0, 0; i < len(prev) && j < len(segs); {
			p0, p1 := span(prev[i].seg)
			s0, s1 := span(segs[j])
			if p0 <= s1 && s0 <= p1 {
				degPrev[i]++
				degCur[j]++
				partner[j] = i
			}
			if p1 < s1 {
				i++
			} else {
				j++
			}
		}
		next = next[:0]
		for j, s := range segs {
			cell := -1
			if degCur[j] == 1 && degPrev[partner[j]] == 1 {
				cell = prev[partner[j]].cell
			}
			if cell < 0 {
				cells = append(cells, nil)
				cell = len(cells) - 1
			}
			cells[cell] = append(cells[cell], s)
			next = append(next, open{cell, s})
		}
		prev, next = next, prev
	}
	return cells
}

// boundaryRoute returns the corners to fly through to get from a (on edge ea) to b (on edge
// eb) without leaving the polygon: the shorter way round its outline, with every corner
// that a straight line inside the polygon can skip left out. It is empty when the straight
// line stays inside.
func boundaryRoute(grid *edgeGrid, a orb.Point, ea int, b orb.Point, eb int) []orb.Point {
	poly := grid.ring
	if grid.segmentInside(a, b, boundaryRouteEpsilonM) {
		return nil
	}
	n := len(poly)
	// Lengths round the outline from the cumulative perimeter: forward from a (on edge ea)
	// through vertices ea+1 … eb to b (on edge eb), or backward the other way.
	per := grid.perimeterM()
	pos := func(p orb.Point, e int) float64 { return grid.cumM[e] + planar.Distance(poly[e], p) }
	fwd := math.Mod(pos(b, eb)-pos(a, ea)+per, per)
	var route []orb.Point
	if ea != eb { // on one edge the straight line along it is the way
		if fwd <= per-fwd {
			for i := (ea + 1) % n; ; i = (i + 1) % n {
				route = append(route, poly[i])
				if i == eb {
					break
				}
			}
		} else {
			for i := ea; ; i = (i - 1 + n) % n {
				route = append(route, poly[i])
				if i == (eb+1)%n {
					break
				}
			}
		}
	}
	// Pull the string: from each point, go on along the route while the next point is
	// still in sight (one visibility test per corner, so a long route stays cheap).
	path := append(append([]orb.Point{a}, route...), b)
	var out []orb.Point
	for i := 0; i < len(path)-1; {
		j := i + 1
		for j+1 < len(path) && grid.segmentInside(path[i], path[j+1], boundaryRouteEpsilonM) {
			j++
		}
		if j < len(path)-1 {
			out = append(out, path[j])
		}
		i = j
	}
	return out
}
