package synthcam

import (
	"image"
	"math"
	"math/rand/v2"
)

// ycc is one colour as the texture stores it.
type ycc struct{ y, cb, cr uint8 }

func rgb(r, g, b uint8) ycc {
	y, cb, cr := rgbToYCbCr(r, g, b)
	return ycc{y, cb, cr}
}

// canvas paints the level-0 texture in metres: east and north of the world's centre.
type canvas struct {
	img  *image.YCbCr
	n    int
	half float64 // metres from the centre to an edge
}

func (c canvas) set(x, y int, col ycc, dy int) {
	i := y*c.img.YStride + x
	c.img.Y[i] = uint8(max(0, min(255, int(col.y)+dy)))
	if x&1 == 0 && y&1 == 0 {
		ci := (y/2)*c.img.CStride + x/2
		c.img.Cb[ci], c.img.Cr[ci] = col.cb, col.cr
	}
}

// texel returns the texel under a point given in metres east and north of the centre.
func (c canvas) texel(eastM, northM float64) (int, int) {
	return int((eastM + c.half) / worldTexelM), int((c.half - northM) / worldTexelM)
}

// fillRect paints an axis-aligned rectangle given in metres (west, south, east, north).
func (c canvas) fillRect(w, s, e, n float64, col ycc) {
	x0, y0 := c.texel(w, n)
	x1, y1 := c.texel(e, s)
	for y := max(y0, 0); y <= min(y1, c.n-1); y++ {
		for x := max(x0, 0); x <= min(x1, c.n-1); x++ {
			c.set(x, y, col, 0)
		}
	}
}

// fillDisc paints a disc, darker towards its centre like a tree crown's shadowed core.
func (c canvas) fillDisc(eastM, northM, rM float64, col ycc) {
	x0, y0 := c.texel(eastM-rM, northM+rM)
	x1, y1 := c.texel(eastM+rM, northM-rM)
	for y := max(y0, 0); y <= min(y1, c.n-1); y++ {
		for x := max(x0, 0); x <= min(x1, c.n-1); x++ {
			de := float64(x)*worldTexelM - c.half - eastM
			dn := c.half - float64(y)*worldTexelM - northM
			if d := math.Hypot(de, dn); d <= rM {
				c.set(x, y, col, int(-12*(1-d/rM)))
			}
		}
	}
}

// generateRoads lays straight roads across the world, the first two passing within 40 m of
// the origin so that vehicles drive through what a camera over home sees.
func generateRoads(rng *rand.Rand, half float64) [][2][2]float64 {
	var roads [][2][2]float64
	for i := range 5 {
		angle := rng.Float64() * math.Pi
		offset := (rng.Float64()*2 - 1) * half * 0.7
		if i < 2 {
			angle = float64(i)*math.Pi/2 + (rng.Float64()-0.5)*0.6
			offset = (rng.Float64()*2 - 1) * 40
		}
		// The line at distance offset from the centre, along angle (from east, counter-clockwise).
		de, dn := math.Cos(angle), math.Sin(angle)
		pe, pn := -dn*offset, de*offset
		roads = append(roads, [2][2]float64{{pe - de*half*1.5, pn - dn*half*1.5}, {pe + de*half*1.5, pn + dn*half*1.5}})
	}
	return roads
}

const roadWidthM = 7

// paintGround paints fields with crop rows, then roads with a centre line, buildings beside
// the roads and scattered trees, with texel noise so optical flow finds corners everywhere.
func paintGround(rng *rand.Rand, n int, roads [][2][2]float64) *image.YCbCr {
	c := canvas{img: image.NewYCbCr(image.Rect(0, 0, n, n), image.YCbCrSubsampleRatio420), n: n, half: float64(n) * worldTexelM / 2}
	paintFields(rng, c)
	for _, r := range roads {
		paintRoad(c, r)
	}
	buildingColours := []ycc{rgb(150, 150, 145), rgb(170, 80, 60), rgb(120, 135, 150), rgb(200, 195, 180)}
	for range 60 {
		r := roads[rng.IntN(len(roads))]
		t := rng.Float64()
		de, dn := r[1][0]-r[0][0], r[1][1]-r[0][1]
		l := math.Hypot(de, dn)
		side := 1.0
		if rng.IntN(2) == 0 {
			side = -1
		}
		off := side * (roadWidthM/2 + 6 + rng.Float64()*15)
		ce, cn := r[0][0]+de*t-dn/l*off, r[0][1]+dn*t+de/l*off
		w, h := 6+rng.Float64()*14, 6+rng.Float64()*14
		col := buildingColours[rng.IntN(len(buildingColours))]
		c.fillRect(ce-w/2+1, cn-h/2-1, ce+w/2+1, cn+h/2-1, rgb(40, 45, 40)) // shadow, to the south-east
		c.fillRect(ce-w/2, cn-h/2, ce+w/2, cn+h/2, col)
	}
	treeGreen := rgb(40, 85, 35)
	for range 600 {
		c.fillDisc((rng.Float64()*2-1)*c.half, (rng.Float64()*2-1)*c.half, 1.5+rng.Float64()*3.5, treeGreen)
	}
	return c.img
}

// paintFields divides the world into rectangular fields of 50-150 m, each one crop colour
// with rows in one direction, plus fine noise.
func paintFields(rng *rand.Rand, c canvas) {
	crops := []ycc{rgb(110, 140, 70), rgb(150, 160, 90), rgb(165, 140, 95), rgb(125, 110, 80), rgb(95, 125, 60), rgb(185, 170, 120)}
	cuts := func() []int {
		var cs []int
		for at := 0; at < c.n; at += int((50 + rng.Float64()*100) / worldTexelM) {
			cs = append(cs, at)
		}
		return append(cs, c.n)
	}
	xs, ys := cuts(), cuts()
	for j := range len(ys) - 1 {
		for i := range len(xs) - 1 {
			col := crops[rng.IntN(len(crops))]
			periodTexels := 8 + rng.IntN(12)
			vertical := rng.IntN(2) == 0
			for y := ys[j]; y < ys[j+1]; y++ {
				for x := xs[i]; x < xs[i+1]; x++ {
					k := y
					if vertical {
						k = x
					}
					dy := 0
					if k%periodTexels < periodTexels/3 {
						dy = -14 // a furrow
					}
					c.set(x, y, col, dy+int(hash2(x, y)%13)-6)
				}
			}
		}
	}
}

// paintRoad paints one road band with a dashed white centre line, row by row: along a row
// the distance to the line is linear in x, so each row's band is one interval.
func paintRoad(c canvas, r [2][2]float64) {
	asphalt, paint := rgb(70, 70, 72), rgb(225, 225, 215)
	de, dn := r[1][0]-r[0][0], r[1][1]-r[0][1]
	l := math.Hypot(de, dn)
	de, dn = de/l, dn/l
	for y := range c.n {
		north := c.half - float64(y)*worldTexelM
		// signed distance(x) = (east-a_e)*dn - (north-a_n)*de, with east = x*texel - half
		c0 := (-c.half-r[0][0])*dn - (north-r[0][1])*de
		c1 := worldTexelM * dn
		lo, hi := 0, c.n-1
		if math.Abs(c1) > 1e-12 {
			a, b := (-roadWidthM/2-c0)/c1, (roadWidthM/2-c0)/c1
			if a > b {
				a, b = b, a
			}
			lo, hi = max(lo, int(math.Ceil(a))), min(hi, int(math.Floor(b)))
		} else if math.Abs(c0) > roadWidthM/2 {
			continue
		}
		for x := lo; x <= hi; x++ {
			east := float64(x)*worldTexelM - c.half
			dist := c0 + float64(x)*c1
			along := (east-r[0][0])*de + (north-r[0][1])*dn
			if math.Abs(dist) < 0.15 && math.Mod(along, 6) < 3 {
				c.set(x, y, paint, 0)
				continue
			}
			c.set(x, y, asphalt, int(hash2(x, y)%7)-3)
		}
	}
}

// hash2 is a cheap deterministic per-texel hash for noise.
func hash2(x, y int) uint32 {
	h := uint32(x)*0x8da6b343 ^ uint32(y)*0xd8163841
	h ^= h >> 13
	h *= 0x5bd1e995
	return h ^ h>>15
}
