package ui

import (
	"fmt"
	"image"
	"image/color"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// Colours of the plan editor.
var (
	planPath      = color.RGBA{240, 240, 240, 255}
	planArea      = color.RGBA{90, 200, 255, 255}
	planSelected  = color.RGBA{255, 220, 60, 255}
	planProblem   = color.RGBA{255, 70, 60, 255}
	planDrawing   = color.RGBA{120, 255, 160, 255}
	planExclusion = color.RGBA{255, 150, 40, 255}
	planRally     = color.RGBA{180, 140, 255, 255}
	planMidpoint  = color.RGBA{200, 200, 200, 255}
)

// Draw implements MapEditor: the flown path, each item's shape and vertices (the selected
// item in yellow, items with problems in red), the fence, rally points, home, and the shape
// being drawn.
func (e *PlanEditor) Draw(img *image.RGBA, pr MapProjection) {
	p, a, s := e.plan, e.analysis, pr.Scale
	itemBad := func(i int) bool {
		return a != nil && a.structRev == e.structRev && i < len(a.itemErr) && (a.itemErr[i] != "" || len(a.itemProblems[i]) > 0)
	}
	colour := func(el planElem, normal color.RGBA) color.RGBA {
		switch {
		case el == e.selected:
			return planSelected
		case el.kind == elemItem && itemBad(el.i):
			return planProblem
		}
		return normal
	}
	if a != nil {
		polyline(img, pr, a.path, false, planPath)
		for _, q := range a.problemPts {
			x, y := pr.ToPx(q)
			circle(img, x, y, 6*s, planProblem)
		}
	}
	vertex := func(q orb.Point, col color.RGBA, big bool) {
		x, y := pr.ToPx(q)
		r := 3.0 * s
		if big {
			r = 4.5 * s
		}
		disc(img, x, y, r, col)
	}
	for i, it := range p.Items {
		el := planElem{elemItem, i}
		col := colour(el, planArea)
		sel := el == e.selected
		n := fmt.Sprint(i + 1)
		switch it := it.(type) {
		case gcs.SimpleItem:
			if pts := itemHandles(it); len(pts) > 0 {
				vertex(pts[0], col, true)
				x, y := pr.ToPx(pts[0])
				label(img, int(x+6*s), int(y-5*s), n, col)
			}
		case *gcs.Survey:
			polyline(img, pr, it.Polygon, true, col)
		case *gcs.Patrol:
			polyline(img, pr, it.Polygon, true, col)
		case *gcs.Corridor:
			polyline(img, pr, it.Line, false, col)
		case *gcs.Orbit:
			x, y := pr.ToPx(it.Center)
			circle(img, x, y, pr.Px(it.RadiusM), col)
		}
		if _, simple := it.(gcs.SimpleItem); !simple {
			pts := itemHandles(it)
			for _, q := range pts {
				vertex(q, col, sel)
			}
			if len(pts) > 0 {
				x, y := pr.ToPx(pts[0])
				label(img, int(x+6*s), int(y-5*s), n, col)
			}
			if sel {
				e.drawMidpoints(img, pr, el)
			}
		}
	}
	for i, f := range p.Fence.Polygons {
		el := planElem{elemFencePolygon, i}
		col := colour(el, fenceColour(f.Inclusion))
		polyline(img, pr, f.Vertices, true, col)
		for _, q := range f.Vertices {
			vertex(q, col, el == e.selected)
		}
		if el == e.selected {
			e.drawMidpoints(img, pr, el)
		}
	}
	for i, c := range p.Fence.Circles {
		el := planElem{elemFenceCircle, i}
		col := colour(el, fenceColour(c.Inclusion))
		x, y := pr.ToPx(c.Center)
		circle(img, x, y, pr.Px(c.RadiusM), col)
		for _, q := range e.handles(el) {
			vertex(q, col, el == e.selected)
		}
	}
	for i, r := range p.Rally {
		el := planElem{elemRally, i}
		col := colour(el, planRally)
		x, y := pr.ToPx(r.Point)
		circle(img, x, y, 6*s, col)
		label(img, int(x-3*s), int(y+4*s), "R", col)
	}
	hx, hy := pr.ToPx(p.Home)
	homeCol := colour(planElem{elemHome, 0}, mapHome)
	circle(img, hx, hy, 7*s, homeCol)
	label(img, int(hx-3*s), int(hy+4*s), "H", homeCol)

	if len(e.drawing) > 0 {
		closed := e.tool != ToolCorridor && e.tool != ToolOrbit && e.tool != ToolFenceCircle
		polyline(img, pr, e.drawing, false, planDrawing)
		for i, q := range e.drawing {
			vertex(q, planDrawing, i == 0 && closed && len(e.drawing) >= 3)
		}
		if closed && len(e.drawing) >= 3 {
			x, y := pr.ToPx(e.drawing[0])
			circle(img, x, y, handleRadiusPx*s, planDrawing) // click here to close
		}
	}
}

func (e *PlanEditor) drawMidpoints(img *image.RGBA, pr MapProjection, el planElem) {
	pts, set, _ := e.vertices(el)
	if set == nil {
		return
	}
	for _, m := range midpoints(pts, e.closed(el)) {
		x, y := pr.ToPx(m)
		circle(img, x, y, 3*pr.Scale, planMidpoint)
	}
}

func fenceColour(inclusion bool) color.RGBA {
	if inclusion {
		return mapFence
	}
	return planExclusion
}
