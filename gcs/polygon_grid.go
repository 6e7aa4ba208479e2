package gcs

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// edgeGrid indexes the edges of an open ring by a uniform grid of cells, so that asking
// whether a segment stays inside the ring looks at the few edges near the segment rather
// than all of them: the difference between milliseconds and seconds for a survey of a
// 1,000-vertex area split into many cells.
type edgeGrid struct {
	ring       []orb.Point
	minX, minY float64
	cellM      float64
	nx, ny     int
	cells      [][]int32
	stamp      []uint32 // per edge: the query that last looked at it
	query      uint32
	cumM       []float64 // perimeter length up to each vertex, and the whole at the end
}

// perimeterM is the length of the outline.
func (g *edgeGrid) perimeterM() float64 { return g.cumM[len(g.ring)] }

func newEdgeGrid(ring []orb.Point) *edgeGrid {
	b := orb.MultiPoint(ring).Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	n := len(ring)
	// About one cell per edge, square.
	cell := math.Max(math.Sqrt(w*h/float64(n)), math.Max(w, h)/512)
	if cell <= 0 {
		cell = 1
	}
	g := &edgeGrid{ring: ring, minX: b.Min[0] - cell, minY: b.Min[1] - cell, cellM: cell,
		nx: int(w/cell) + 3, ny: int(h/cell) + 3, stamp: make([]uint32, n)}
	g.cells = make([][]int32, g.nx*g.ny)
	g.cumM = make([]float64, n+1)
	for i := range n {
		g.cumM[i+1] = g.cumM[i] + planar.Distance(ring[i], ring[(i+1)%n])
	}
	for i := range n {
		a, c := ring[i], ring[(i+1)%n]
		x0, y0 := g.cellOf(orb.Point{math.Min(a[0], c[0]), math.Min(a[1], c[1])})
		x1, y1 := g.cellOf(orb.Point{math.Max(a[0], c[0]), math.Max(a[1], c[1])})
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				g.cells[y*g.nx+x] = append(g.cells[y*g.nx+x], int32(i))
			}
		}
	}
	return g
}

func (g *edgeGrid) cellOf(p orb.Point) (int, int) {
	x := int((p[0] - g.minX) / g.cellM)
	y := int((p[1] - g.minY) / g.cellM)
	return min(max(x, 0), g.nx-1), min(max(y, 0), g.ny-1)
}

// edgesNear calls f with each edge registered in a cell the segment ab passes through
// (each edge once), until f returns false. An edge that meets the segment meets it in one of
// those cells, and is registered there since its bounding box covers the point.
func (g *edgeGrid) edgesNear(a, b orb.Point, f func(i int) bool) {
	g.query++
	if g.query == 0 { // wrapped: forget old stamps
		clear(g.stamp)
		g.query = 1
	}
	visit := func(x, y int) bool {
		for _, e := range g.cells[y*g.nx+x] {
			if g.stamp[e] == g.query {
				continue
			}
			g.stamp[e] = g.query
			if !f(int(e)) {
				return false
			}
		}
		return true
	}
	// Amanatides & Woo's traversal of the cells along the segment, with the cells either
	// side of a crossing visited when it passes (within rounding) through a corner.
	x, y := g.cellOf(a)
	xe, ye := g.cellOf(b)
	dx, dy := b[0]-a[0], b[1]-a[1]
	stepX, stepY := 1, 1
	if dx < 0 {
		stepX = -1
	}
	if dy < 0 {
		stepY = -1
	}
	next := func(c int, step int, origin, p, d float64) float64 { // t of the next border
		if d == 0 {
			return math.Inf(1)
		}
		border := origin + float64(c)*g.cellM
		if step > 0 {
			border += g.cellM
		}
		return (border - p) / d
	}
	tMaxX, tMaxY := next(x, stepX, g.minX, a[0], dx), next(y, stepY, g.minY, a[1], dy)
	tDX, tDY := math.Abs(g.cellM/dx), math.Abs(g.cellM/dy)
	for range g.nx + g.ny + 2 {
		if !visit(x, y) || (x == xe && y == ye) {
			return
		}
		switch {
		case math.Abs(tMaxX-tMaxY) < 1e-12: // through a corner: both neighbours too
			if x+stepX >= 0 && x+stepX < g.nx && !visit(x+stepX, y) {
				return
			}
			if y+stepY >= 0 && y+stepY < g.ny && !visit(x, y+stepY) {
				return
			}
			x, y = x+stepX, y+stepY
			tMaxX += tDX
			tMaxY += tDY
		case tMaxX < tMaxY:
			x += stepX
			tMaxX += tDX
		default:
			y += stepY
			tMaxY += tDY
		}
		if x < 0 || y < 0 || x >= g.nx || y >= g.ny {
			return
		}
	}
}

// contains reports whether p is inside the ring (crossing number, on the edges of the cells
// to p's right).
func (g *edgeGrid) contains(p orb.Point) bool {
	g.query++
	if g.query == 0 {
		clear(g.stamp)
		g.query = 1
	}
	n := len(g.ring)
	cx, cy := g.cellOf(p)
	// Cast the ray towards the nearer side of the grid.
	right := cx >= g.nx/2
	x0, x1 := 0, cx
	if right {
		x0, x1 = cx, g.nx-1
	}
	in := false
	for x := x0; x <= x1; x++ {
		for _, e := range g.cells[cy*g.nx+x] {
			if g.stamp[e] == g.query {
				continue
			}
			g.stamp[e] = g.query
			a, b := g.ring[e], g.ring[(int(e)+1)%n]
			if (a[1] > p[1]) == (b[1] > p[1]) {
				continue
			}
			xi := (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1]) + a[0]
			if (right && p[0] < xi) || (!right && p[0] > xi) {
				in = !in
			}
		}
	}
	return in
}

// segmentInside is segmentInsideXY through the index.
func (g *edgeGrid) segmentInside(a, b orb.Point, tolM float64) bool {
	n := len(g.ring)
	crosses := false
	g.edgesNear(a, b, func(i int) bool {
		if segmentsCross(a, b, g.ring[i], g.ring[(i+1)%n]) {
			crosses = true
			return false
		}
		return true
	})
	if crosses {
		return false
	}
	mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
	if g.contains(mid) {
		return true
	}
	near := false
	g.edgesNear(mid, mid, func(i int) bool {
		if planar.DistanceFromSegment(g.ring[i], g.ring[(i+1)%n], mid) <= tolM {
			near = true
			return false
		}
		return true
	})
	return near
}
