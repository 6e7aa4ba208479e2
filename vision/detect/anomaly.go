package detect

import (
	"image"
	"math"
)

// AnomalyConfig tunes the colour-anomaly detector. The zero value uses the defaults.
type AnomalyConfig struct {
	// WorkWidth is the width of the downscaled frame it works on. It defaults to 160.
	WorkWidth int
	// WindowPx is the side of the local background window, in work pixels. It defaults to
	// 21: objects much smaller than that stand out from it.
	WindowPx int
	// GuardPx is the side of the window's hole around the pixel, left out of the background
	// so that an object does not hide itself by inflating the statistics it is compared
	// with (dual-window RX). It defaults to 9.
	GuardPx int
	// Threshold is the squared Mahalanobis distance above which a pixel is anomalous. It
	// defaults to 30 (χ² with 3 degrees of freedom passes 30 with probability 1.4·10⁻⁶: a
	// few stray pixels per frame at most).
	Threshold float64
	// MinAreaPx is the smallest region kept, in full-resolution pixels. It defaults to 48.
	MinAreaPx int
	// MaxFraction drops regions larger than this share of the frame: a field or the sky is a
	// different background, not an object. It defaults to 0.05.
	MaxFraction float64
}

func (c *AnomalyConfig) defaults() {
	if c.WorkWidth <= 0 {
		c.WorkWidth = 160
	}
	if c.WindowPx <= 0 {
		c.WindowPx = 21
	}
	if c.Threshold <= 0 {
		c.Threshold = 30
	}
	if c.GuardPx <= 0 || c.GuardPx >= c.WindowPx {
		c.GuardPx = min(9, c.WindowPx-2)
	}
	if c.MinAreaPx <= 0 {
		c.MinAreaPx = 48
	}
	if c.MaxFraction <= 0 {
		c.MaxFraction = 0.05
	}
}

// Anomaly is the Reed–Xiaoli (RX) detector with a local background: each pixel's colour
// (Y, Cb, Cr) is compared with the mean and covariance of the window around it, and pixels
// far from it in Mahalanobis distance — an orange tent in a forest, a vehicle on sand —
// form regions. The local window keeps fields of different crops from all looking
// anomalous next to each other, as they would against one global background.
type Anomaly struct {
	Config AnomalyConfig
}

// Detect finds colour anomalies in a frame.
func (a *Anomaly) Detect(img *image.YCbCr) []Detection {
	a.Config.defaults()
	fw, fh := img.Rect.Dx(), img.Rect.Dy()
	w := min(a.Config.WorkWidth, fw)
	h := max(1, fh*w/fw)
	px := downscaleYCbCr(img, w, h)
	stats := newWindowStats(px, w, h)
	r, g := a.Config.WindowPx/2, a.Config.GuardPx/2
	d2 := make([]float64, w*h)
	for y := range h {
		for x := range w {
			outer := image.Rect(max(0, x-r), max(0, y-r), min(w, x+r+1), min(h, y+r+1))
			inner := image.Rect(max(0, x-g), max(0, y-g), min(w, x+g+1), min(h, y+g+1))
			mean, cov := stats.ring(outer, inner)
			d2[y*w+x] = mahalanobis2(px[y*w+x], mean, cov)
		}
	}
	sx, sy := float64(fw)/float64(w), float64(fh)/float64(h)
	var out []Detection
	for _, reg := range regionsAbove(d2, w, h, a.Config.Threshold) {
		box := image.Rect(int(float64(reg.box.Min.X)*sx), int(float64(reg.box.Min.Y)*sy),
			int(math.Ceil(float64(reg.box.Max.X)*sx)), int(math.Ceil(float64(reg.box.Max.Y)*sy)))
		area := box.Dx() * box.Dy()
		if area < a.Config.MinAreaPx || float64(area) > a.Config.MaxFraction*float64(fw*fh) {
			continue
		}
		out = append(out, Detection{Box: box.Add(img.Rect.Min), Class: ClassAnomaly, Score: 1 - a.Config.Threshold/reg.peak, Detector: "anomaly"})
	}
	return out
}

// downscaleYCbCr averages blocks of the frame into w×h colour triples.
func downscaleYCbCr(img *image.YCbCr, w, h int) [][3]float64 {
	fw, fh := img.Rect.Dx(), img.Rect.Dy()
	out := make([][3]float64, w*h)
	for y := range h {
		y0, y1 := y*fh/h, max((y+1)*fh/h, y*fh/h+1)
		for x := range w {
			x0, x1 := x*fw/w, max((x+1)*fw/w, x*fw/w+1)
			var s [3]float64
			n := 0
			for yy := y0; yy < y1; yy += 2 {
				for xx := x0; xx < x1; xx += 2 {
					c := img.YCbCrAt(img.Rect.Min.X+xx, img.Rect.Min.Y+yy)
					s[0] += float64(c.Y)
					s[1] += float64(c.Cb)
					s[2] += float64(c.Cr)
					n++
				}
			}
			out[y*w+x] = [3]float64{s[0] / float64(n), s[1] / float64(n), s[2] / float64(n)}
		}
	}
	return out
}

// windowStats answers mean and covariance over any rectangle in constant time from integral
// images of the values and their pairwise products.
type windowStats struct {
	w    int
	sums [9][]float64 // Y, Cb, Cr, YY, YCb, YCr, CbCb, CbCr, CrCr
}

func newWindowStats(px [][3]float64, w, h int) *windowStats {
	s := &windowStats{w: w + 1}
	for k := range s.sums {
		s.sums[k] = make([]float64, (w+1)*(h+1))
	}
	for y := range h {
		for x := range w {
			p := px[y*w+x]
			v := [9]float64{p[0], p[1], p[2], p[0] * p[0], p[0] * p[1], p[0] * p[2], p[1] * p[1], p[1] * p[2], p[2] * p[2]}
			i := (y+1)*s.w + x + 1
			for k := range v {
				s.sums[k][i] = v[k] + s.sums[k][i-1] + s.sums[k][i-s.w] - s.sums[k][i-s.w-1]
			}
		}
	}
	return s
}

func (s *windowStats) sum(k int, r image.Rectangle) float64 {
	a := s.sums[k]
	return a[r.Max.Y*s.w+r.Max.X] - a[r.Min.Y*s.w+r.Max.X] - a[r.Max.Y*s.w+r.Min.X] + a[r.Min.Y*s.w+r.Min.X]
}

// ring returns the mean and covariance over outer without inner (inner lies within outer).
func (s *windowStats) ring(outer, inner image.Rectangle) (mean [3]float64, cov [3][3]float64) {
	n := float64(outer.Dx()*outer.Dy() - inner.Dx()*inner.Dy())
	var v [9]float64
	for k := range v {
		v[k] = (s.sum(k, outer) - s.sum(k, inner)) / n
	}
	mean = [3]float64{v[0], v[1], v[2]}
	prod := [3][3]int{{3, 4, 5}, {4, 6, 7}, {5, 7, 8}}
	for i := range 3 {
		for j := range 3 {
			cov[i][j] = v[prod[i][j]] - mean[i]*mean[j]
		}
		// A floor on each variance: a perfectly flat window (a painted wall, the sky) would
		// otherwise make the slightest noise infinitely anomalous. 4 = (2 levels)².
		cov[i][i] += 4
	}
	return mean, cov
}

// mahalanobis2 is (x−μ)ᵀ Σ⁻¹ (x−μ) for a 3×3 symmetric positive-definite Σ.
func mahalanobis2(x, mean [3]float64, c [3][3]float64) float64 {
	d := [3]float64{x[0] - mean[0], x[1] - mean[1], x[2] - mean[2]}
	det := c[0][0]*(c[1][1]*c[2][2]-c[1][2]*c[2][1]) - c[0][1]*(c[1][0]*c[2][2]-c[1][2]*c[2][0]) + c[0][2]*(c[1][0]*c[2][1]-c[1][1]*c[2][0])
	if det <= 1e-12 {
		return 0
	}
	inv := [3][3]float64{
		{c[1][1]*c[2][2] - c[1][2]*c[2][1], c[0][2]*c[2][1] - c[0][1]*c[2][2], c[0][1]*c[1][2] - c[0][2]*c[1][1]},
		{c[1][2]*c[2][0] - c[1][0]*c[2][2], c[0][0]*c[2][2] - c[0][2]*c[2][0], c[0][2]*c[1][0] - c[0][0]*c[1][2]},
		{c[1][0]*c[2][1] - c[1][1]*c[2][0], c[0][1]*c[2][0] - c[0][0]*c[2][1], c[0][0]*c[1][1] - c[0][1]*c[1][0]},
	}
	var q float64
	for i := range 3 {
		for j := range 3 {
			q += d[i] * inv[i][j] / det * d[j]
		}
	}
	return q
}

type region struct {
	box  image.Rectangle
	peak float64
}

// regionsAbove groups 8-connected pixels whose value passes the threshold.
func regionsAbove(v []float64, w, h int, threshold float64) []region {
	label := make([]bool, w*h)
	var out []region
	var stack []int
	for start := range v {
		if label[start] || v[start] <= threshold {
			continue
		}
		r := region{box: image.Rect(start%w, start/w, start%w+1, start/w+1)}
		stack = append(stack[:0], start)
		label[start] = true
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%w, i/w
			r.box = r.box.Union(image.Rect(x, y, x+1, y+1))
			r.peak = max(r.peak, v[i])
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					j := ny*w + nx
					if !label[j] && v[j] > threshold {
						label[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		out = append(out, r)
	}
	return out
}
