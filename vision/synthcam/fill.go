package synthcam

import (
	"image"
	"math"
	"sort"
)

// convexHull returns the hull of pts counter-clockwise (Andrew's monotone chain).
func convexHull(pts [][2]float64) [][2]float64 {
	if len(pts) < 3 {
		return pts
	}
	sort.Slice(pts, func(i, j int) bool {
		return pts[i][0] < pts[j][0] || (pts[i][0] == pts[j][0] && pts[i][1] < pts[j][1])
	})
	cross := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	hull := make([][2]float64, 0, 2*len(pts))
	for _, p := range pts {
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(pts) - 2; i >= 0; i-- {
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], pts[i]) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, pts[i])
	}
	return hull[:len(hull)-1]
}

// fillConvex paints the pixels whose centres lie inside a convex polygon.
func fillConvex(dst *image.YCbCr, poly [][2]float64, col ycc) {
	if len(poly) < 3 {
		return
	}
	minY, maxY := math.Inf(1), math.Inf(-1)
	for _, p := range poly {
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	y0 := max(0, int(math.Ceil(minY-0.5)))
	y1 := min(h-1, int(math.Floor(maxY-0.5)))
	for y := y0; y <= y1; y++ {
		yc := float64(y) + 0.5
		xl, xr := math.Inf(1), math.Inf(-1)
		for i := range poly {
			a, b := poly[i], poly[(i+1)%len(poly)]
			if (a[1] <= yc) == (b[1] <= yc) {
				continue
			}
			x := a[0] + (yc-a[1])*(b[0]-a[0])/(b[1]-a[1])
			xl, xr = min(xl, x), max(xr, x)
		}
		x0 := max(0, int(math.Ceil(xl-0.5)))
		x1 := min(w-1, int(math.Floor(xr-0.5)))
		for x := x0; x <= x1; x++ {
			dst.Y[y*dst.YStride+x] = col.y
			if x%2 == 0 && y%2 == 0 {
				ci := (y/2)*dst.CStride + x/2
				dst.Cb[ci], dst.Cr[ci] = col.cb, col.cr
			}
		}
	}
}
