package ui

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// itemHandles are the draggable points of a mission item: its position, its vertices, or an
// orbit's centre and a point on its circle (east of the centre).
func itemHandles(it gcs.PlanItem) []orb.Point {
	switch it := it.(type) {
	case gcs.SimpleItem:
		if it.Item.IsGlobal() && (it.Item.X != 0 || it.Item.Y != 0) {
			return []orb.Point{{it.Item.Y, it.Item.X}}
		}
	case *gcs.Survey:
		return it.Polygon
	case *gcs.Corridor:
		return it.Line
	case *gcs.Patrol:
		return it.Polygon
	case *gcs.Orbit:
		return []orb.Point{it.Center, gcs.OffsetNE(it.Center, 0, it.RadiusM)}
	}
	return nil
}

// handles returns an element's draggable points.
func (e *PlanEditor) handles(el planElem) []orb.Point {
	p := e.plan
	switch el.kind {
	case elemHome:
		return []orb.Point{p.Home}
	case elemItem:
		if el.i < len(p.Items) {
			return itemHandles(p.Items[el.i])
		}
	case elemFencePolygon:
		if el.i < len(p.Fence.Polygons) {
			return p.Fence.Polygons[el.i].Vertices
		}
	case elemFenceCircle:
		if el.i < len(p.Fence.Circles) {
			c := p.Fence.Circles[el.i]
			return []orb.Point{c.Center, gcs.OffsetNE(c.Center, 0, c.RadiusM)}
		}
	case elemRally:
		if el.i < len(p.Rally) {
			return []orb.Point{p.Rally[el.i].Point}
		}
	}
	return nil
}

// moveHandle moves one draggable point of an element. A survey or corridor loaded from a
// .plan forgets the items the file carried: it is planned again from its shape.
func (e *PlanEditor) moveHandle(el planElem, h int, to orb.Point) {
	p := e.plan
	circle := func(centre *orb.Point, radius *float64) {
		if h == 0 {
			*centre = to
		} else {
			*radius = math.Max(1, math.Round(gcs.DistanceM(*centre, to)))
		}
	}
	switch el.kind {
	case elemHome:
		p.Home = to
	case elemItem:
		switch it := p.Items[el.i].(type) {
		case gcs.SimpleItem:
			it.Item.X, it.Item.Y = to.Lat(), to.Lon()
			p.Items[el.i] = it
		case *gcs.Survey:
			it.Polygon = replaced(it.Polygon, h, to)
			it.Items = nil
		case *gcs.Corridor:
			it.Line = replaced(it.Line, h, to)
			it.Items = nil
		case *gcs.Patrol:
			it.Polygon = replaced(it.Polygon, h, to)
		case *gcs.Orbit:
			circle(&it.Center, &it.RadiusM)
		}
	case elemFencePolygon:
		fp := &p.Fence.Polygons[el.i]
		fp.Vertices = replaced(fp.Vertices, h, to)
	case elemFenceCircle:
		c := &p.Fence.Circles[el.i]
		circle(&c.Center, &c.RadiusM)
	case elemRally:
		p.Rally[el.i].Point = to
	}
}

// replaced returns a copy of pts with point i moved: the analysis may still hold the old
// slice.
func replaced(pts []orb.Point, i int, to orb.Point) []orb.Point {
	out := append([]orb.Point(nil), pts...)
	if i < len(out) {
		out[i] = to
	}
	return out
}

// handleAt finds the draggable point under p: the selected element's first, then the
// others', then an edge's midpoint of the selected polygon (which inserts a vertex there).
func (e *PlanEditor) handleAt(p orb.Point, pr MapProjection) (planElem, int, bool) {
	px, py := pr.ToPx(p)
	r := handleRadiusPx * pr.Scale
	hit := func(q orb.Point) bool {
		x, y := pr.ToPx(q)
		return math.Hypot(x-px, y-py) <= r
	}
	els := e.elements()
	if e.selected.kind != elemNone {
		els = append([]planElem{e.selected}, els...)
	}
	for _, el := range els {
		for i, q := range e.handles(el) {
			if hit(q) {
				return el, i, true
			}
		}
	}
	if pts, set, _ := e.vertices(e.selected); set != nil {
		for i, m := range midpoints(pts, e.closed(e.selected)) {
			if hit(m) {
				at := i + 1
				out := append(append(append([]orb.Point(nil), pts[:at]...), m), pts[at:]...)
				set(out)
				e.changed(false)
				return e.selected, at, true
			}
		}
	}
	return planElem{}, 0, false
}

func (e *PlanEditor) closed(el planElem) bool {
	if el.kind == elemItem && el.i < len(e.plan.Items) {
		_, line := e.plan.Items[el.i].(*gcs.Corridor)
		return !line
	}
	return true
}

// midpoints returns the middle of each edge (the closing edge too when closed).
func midpoints(pts []orb.Point, closed bool) []orb.Point {
	var out []orb.Point
	n := len(pts)
	for i := range n {
		if i == n-1 && !closed {
			break
		}
		a, b := pts[i], pts[(i+1)%n]
		out = append(out, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
	}
	return out
}

// elementAt finds the element whose shape is under p: inside a polygon or circle, or near
// a path.
func (e *PlanEditor) elementAt(p orb.Point, pr MapProjection) (planElem, bool) {
	els := e.elements()
	for i := len(els) - 1; i >= 0; i-- { // the last drawn is on top
		el := els[i]
		if e.shapeContains(el, p, pr) {
			return el, true
		}
	}
	return planElem{}, false
}

func (e *PlanEditor) shapeContains(el planElem, p orb.Point, pr MapProjection) bool {
	tol := handleRadiusPx * pr.Scale * pr.MetresPerPx
	inside := func(poly []orb.Point) bool {
		if len(poly) < 3 {
			return false
		}
		ring := append(orb.Ring(append([]orb.Point(nil), poly...)), poly[0])
		return ringContains(ring, p)
	}
	switch el.kind {
	case elemItem:
		switch it := e.plan.Items[el.i].(type) {
		case *gcs.Survey:
			return inside(it.Polygon)
		case *gcs.Patrol:
			return inside(it.Polygon)
		case *gcs.Corridor:
			for i := 1; i < len(it.Line); i++ {
				if segmentDistanceM(it.Line[i-1], it.Line[i], p) <= math.Max(tol, it.WidthM/2) {
					return true
				}
			}
		case *gcs.Orbit:
			return math.Abs(gcs.DistanceM(it.Center, p)-it.RadiusM) <= tol || gcs.DistanceM(it.Center, p) <= tol
		}
	case elemFencePolygon:
		return inside(e.plan.Fence.Polygons[el.i].Vertices)
	case elemFenceCircle:
		c := e.plan.Fence.Circles[el.i]
		return gcs.DistanceM(c.Center, p) <= c.RadiusM
	}
	return false
}

// ringContains tests a point against a ring in a local metric frame.
func ringContains(ring orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		ni, ei := gcs.NorthEastM(p, ring[i])
		nj, ej := gcs.NorthEastM(p, ring[j])
		if (ni > 0) != (nj > 0) && 0 < ei+(ej-ei)*(0-ni)/(nj-ni) {
			in = !in
		}
	}
	return in
}

// segmentDistanceM is how far p is from the segment a-b.
func segmentDistanceM(a, b, p orb.Point) float64 {
	an, ae := gcs.NorthEastM(p, a)
	bn, be := gcs.NorthEastM(p, b)
	dn, de := bn-an, be-ae
	l2 := dn*dn + de*de
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, -(an*dn+ae*de)/l2))
	}
	return math.Hypot(an+dn*t, ae+de*t)
}
