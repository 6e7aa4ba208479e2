package gcs

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// ErrBadPolygon is returned, wrapped in a sentence naming the vertices, for an area that
// cannot be planned over: too few vertices, a zero area, or edges that cross.
var ErrBadPolygon = errors.New("bad polygon")

// openRing returns the vertices of r without a closing vertex equal to the first.
func openRing(r []orb.Point) []orb.Point {
	if n := len(r); n > 1 && r[0] == r[n-1] {
		return r[:n-1]
	}
	return r
}

// CheckPolygon reports why a polygon ({lon, lat} vertices, closed or not) cannot be
// planned over, or nil: it needs three or more distinct finite vertices, an area, and no
// edges that cross or touch except at shared corners. Errors name the vertices (from 1).
func CheckPolygon(r []orb.Point) error {
	r = openRing(r)
	for i, p := range r {
		if !finitePoint(p) || math.Abs(p[1]) > 90 {
			return fmt.Errorf("%w: vertex %d (%v, %v) is not a latitude and longitude", ErrBadPolygon, i+1, p[1], p[0])
		}
	}
	if len(r) < 3 {
		return fmt.Errorf("%w: %d vertices, want at least 3", ErrBadPolygon, len(r))
	}
	return checkRingXY(localFrame{r[0]}.ringXY(r))
}

func finitePoint(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

// checkRingXY is CheckPolygon in metres.
func checkRingXY(r []orb.Point) error {
	n := len(r)
	for i := range n {
		if planar.Distance(r[i], r[(i+1)%n]) < 1e-3 {
			return fmt.Errorf("%w: vertices %d and %d are the same point", ErrBadPolygon, i+1, (i+1)%n+1)
		}
	}
	if math.Abs(ringAreaXY(r)) < 1e-3 {
		if i, j, ok := findCrossing(r); ok && n > 3 {
			return fmt.Errorf("%w: edge %d-%d crosses edge %d-%d; the outline must not cross itself",
				ErrBadPolygon, i+1, (i+1)%n+1, j+1, (j+1)%n+1)
		}
		return fmt.Errorf("%w: it has no area (all vertices on one line)", ErrBadPolygon)
	}
	if i, j, ok := findCrossing(r); ok {
		return fmt.Errorf("%w: edge %d-%d crosses edge %d-%d; the outline must not cross itself",
			ErrBadPolygon, i+1, (i+1)%n+1, j+1, (j+1)%n+1)
	}
	return nil
}

// findCrossing returns two non-adjacent edges of r that intersect. Edges are sorted by
// their smallest x so that only edges whose x ranges overlap are compared: a 1,000-vertex
// outline takes about a millisecond rather than half a million tests.
func findCrossing(r []orb.Point) (int, int, bool) {
	n := len(r)
	type edge struct {
		i          int
		minX, maxX float64
	}
	edges := make([]edge, n)
	for i := range n {
		a, b := r[i], r[(i+1)%n]
		edges[i] = edge{i, math.Min(a[0], b[0]), math.Max(a[0], b[0])}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.minX, b.minX) })
	for ai, ea := range edges {
		for _, eb := range edges[ai+1:] {
			if eb.minX > ea.maxX {
				break
			}
			i, j := min(ea.i, eb.i), max(ea.i, eb.i)
			if j == i+1 || (i == 0 && j == n-1) { // neighbours share a vertex
				continue
			}
			if segmentsTouch(r[i], r[(i+1)%n], r[j], r[(j+1)%n]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// cross is the z of (b-a)×(c-a): positive when a, b, c turn left.
func cross(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// segmentsTouch reports whether segments ab and cd share a point.
func segmentsTouch(a, b, c, d orb.Point) bool {
	d1, d2 := cross(c, d, a), cross(c, d, b)
	d3, d4 := cross(a, b, c), cross(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	on := func(p, q, r orb.Point, c float64) bool { // r on segment pq, given cross(p,q,r)=c
		return c == 0 && math.Min(p[0], q[0]) <= r[0] && r[0] <= math.Max(p[0], q[0]) &&
			math.Min(p[1], q[1]) <= r[1] && r[1] <= math.Max(p[1], q[1])
	}
	return on(c, d, a, d1) || on(c, d, b, d2) || on(a, b, c, d3) || on(a, b, d, d4)
}

// crossTolM is how close to a line a point counts as on it when testing crossings: points
// computed by intersecting lines and converting frames are off by far less.
const crossTolM = 1e-6

// segmentsCross reports whether segments ab and cd cross at a point inside both: touching at
// an end, or within crossTolM of it, does not count.
func segmentsCross(a, b, c, d orb.Point) bool {
	// Most pairs are told apart by the signs alone.
	if e1, e2 := cross(c, d, a), cross(c, d, b); (e1 > 0 && e2 > 0) || (e1 < 0 && e2 < 0) {
		return false
	}
	if e3, e4 := cross(a, b, c), cross(a, b, d); (e3 > 0 && e4 > 0) || (e3 < 0 && e4 < 0) {
		return false
	}
	lcd, lab := planar.Distance(c, d), planar.Distance(a, b)
	if lcd == 0 || lab == 0 {
		return false
	}
	side := func(v, l float64) int {
		switch {
		case v/l > crossTolM:
			return 1
		case v/l < -crossTolM:
			return -1
		}
		return 0
	}
	d1, d2 := side(cross(c, d, a), lcd), side(cross(c, d, b), lcd)
	d3, d4 := side(cross(a, b, c), lab), side(cross(a, b, d), lab)
	return d1*d2 < 0 && d3*d4 < 0
}

// ringAreaXY is the signed area of an open ring, positive counter-clockwise.
func ringAreaXY(r []orb.Point) float64 {
	var a float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		a += p[0]*q[1] - q[0]*p[1]
	}
	return a / 2
}

// ringContainsXY reports whether p is inside the open ring r or on its edge.
func ringContainsXY(r []orb.Point, p orb.Point) bool {
	return planar.RingContains(closedRing(r), p)
}

func closedRing(r []orb.Point) orb.Ring {
	out := make(orb.Ring, len(r), len(r)+1)
	copy(out, r)
	return append(out, r[0])
}

// segmentInsideXY reports whether segment ab stays inside the open ring r (edges count as
// inside), within tolM.
func segmentInsideXY(r []orb.Point, a, b orb.Point, tolM float64) bool {
	n := len(r)
	minX, maxX := math.Min(a[0], b[0]), math.Max(a[0], b[0])
	minY, maxY := math.Min(a[1], b[1]), math.Max(a[1], b[1])
	for i := range n {
		c, d := r[i], r[(i+1)%n]
		if math.Max(c[0], d[0]) < minX || math.Min(c[0], d[0]) > maxX ||
			math.Max(c[1], d[1]) < minY || math.Min(c[1], d[1]) > maxY {
			continue // the edge's box misses the segment's
		}
		if segmentsCross(a, b, c, d) {
			return false
		}
	}
	mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
	return ringContainsXY(r, mid) || distanceToRingXY(r, mid) <= tolM
}

func distanceToRingXY(r []orb.Point, p orb.Point) float64 {
	d := math.Inf(1)
	for i := range r {
		d = math.Min(d, planar.DistanceFromSegment(r[i], r[(i+1)%len(r)], p))
	}
	return d
}

// AreaM2 returns the area of a polygon of {lon, lat} vertices in square metres.
func AreaM2(r []orb.Point) float64 {
	r = openRing(r)
	if len(r) < 3 {
		return 0
	}
	return math.Abs(ringAreaXY(localFrame{r[0]}.ringXY(r)))
}

// insetRingXY moves every edge of the open ring r inward by dM and returns the ring of
// their intersections, or an error when the inset turns the outline inside out (dM larger
// than the area allows).
func insetRingXY(r []orb.Point, dM float64) ([]orb.Point, error) {
	n := len(r)
	sign := 1.0 // inward is left of each edge for a counter-clockwise ring
	if ringAreaXY(r) < 0 {
		sign = -1
	}
	type line struct{ p, d orb.Point }
	lines := make([]line, n)
	for i := range n {
		a, b := r[i], r[(i+1)%n]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		nx, ny := -dy/l*sign*dM, dx/l*sign*dM
		lines[i] = line{orb.Point{a[0] + nx, a[1] + ny}, orb.Point{dx, dy}}
	}
	out := make([]orb.Point, n)
	for i := range n {
		l1, l2 := lines[(i+n-1)%n], lines[i]
		den := l1.d[0]*l2.d[1] - l1.d[1]*l2.d[0]
		if math.Abs(den) < 1e-12 { // collinear edges: the vertex just moves inward
			out[i] = l2.p
			continue
		}
		t := ((l2.p[0]-l1.p[0])*l2.d[1] - (l2.p[1]-l1.p[1])*l2.d[0]) / den
		out[i] = orb.Point{l1.p[0] + t*l1.d[0], l1.p[1] + t*l1.d[1]}
	}
	if dM == 0 {
		return out, nil
	}
	if err := checkRingXY(out); err != nil || math.Signbit(ringAreaXY(out)) != math.Signbit(ringAreaXY(r)) ||
		math.Abs(ringAreaXY(out)) >= math.Abs(ringAreaXY(r)) {
		return nil, fmt.Errorf("%w: an inset of %g m leaves no area inside the outline", ErrBadPolygon, dM)
	}
	for i := range n { // an edge that turned round means the inset passed its middle
		a, b := r[i], r[(i+1)%n]
		c, d := out[i], out[(i+1)%n]
		if (b[0]-a[0])*(d[0]-c[0])+(b[1]-a[1])*(d[1]-c[1]) <= 0 {
			return nil, fmt.Errorf("%w: an inset of %g m leaves no area inside the outline", ErrBadPolygon, dM)
		}
	}
	for _, p := range out {
		if !ringContainsXY(r, p) {
			return nil, fmt.Errorf("%w: an inset of %g m leaves no area inside the outline", ErrBadPolygon, dM)
		}
	}
	return out, nil
}
