// Package synthcam is Vigil's simulated camera: a world whose truth is known (a ground
// texture around the simulator's home and targets moving on it), rendered from a simulated
// vehicle's pose, encoded to H.264 and served over RTSP, so that CI and the demo watch real
// encoded video and geotagging is measured against the truth.
package synthcam

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// World is the simulated ground: a texture in a local north-east metre frame centred on an
// origin (the simulator's home), flat at the origin's altitude, repeating beyond its edge,
// and the targets that move on it. It is read-only once built, so cameras share it.
type World struct {
	Origin  gcs.Position // centre of the texture; the ground is level at its altitude
	Targets []*Target

	tex texture
	// roads are the centre lines vehicles drive on, in metres east/north of the origin.
	roads [][2][2]float64
	// maps caches the texture as RGBA for DrawMap.
	maps *mapLevels
}

// texture is the ground's appearance as a mip-mapped YCbCr pyramid: level 0 has texelM
// metres per texel and a power-of-two size so that coordinates wrap with a mask.
type texture struct {
	texelM float64
	levels []*image.YCbCr // 4:2:0; each half the size of the one before
}

// Built-in world: texels of 25 cm, by default 4096 of them across, a square kilometre,
// enough for a survey or a patrol around home; the texture repeats beyond it.
const (
	defaultWorldTexels = 4096
	worldTexelM        = 0.25
)

// WorldConfig describes a generated world.
type WorldConfig struct {
	Origin gcs.Position
	// Seed makes the world: the same seed gives the same fields, roads, buildings and target
	// paths.
	Seed uint64
	// People and Vehicles are how many targets of each class move around the origin.
	People, Vehicles int
	// Texels is the texture's size across, a power of two from 512. It defaults to 4096
	// (1,024 m); tests use smaller worlds, which generate faster.
	Texels int
}

// NewWorld generates a world deterministically from its seed: fields with crop rows, roads
// through the area around the origin, buildings and trees beside them, people walking loops
// within 150 m of the origin and vehicles driving the roads.
func NewWorld(cfg WorldConfig) *World {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	w := &World{Origin: cfg.Origin, maps: &mapLevels{}}
	n := cfg.Texels
	if n < 512 || n&(n-1) != 0 {
		n = defaultWorldTexels
	}
	half := float64(n) * worldTexelM / 2
	w.roads = generateRoads(rng, half)
	base := paintGround(rng, n, w.roads)
	soften(base)
	w.tex = texture{texelM: worldTexelM, levels: mipmaps(base)}
	w.Targets = generateTargets(rng, cfg, w.roads)
	return w
}

// NewImageWorld drapes an image (an orthophoto, a map) over a box on the ground: south-west
// and north-east corners in degrees. The image is resampled to a power-of-two square. People
// walk around the box's centre (the world knows no roads for vehicles).
func NewImageWorld(img image.Image, sw, ne orb.Point, altMSLM float64, people int, seed uint64) (*World, error) {
	b := img.Bounds()
	size := 1
	for size*2 <= min(b.Dx(), b.Dy()) {
		size *= 2
	}
	if size < 64 {
		return nil, fmt.Errorf("image of %dx%d is too small to drape (want at least 64x64)", b.Dx(), b.Dy())
	}
	if !(sw[0] < ne[0] && sw[1] < ne[1]) {
		return nil, fmt.Errorf("box %v..%v: the south-west corner must be south and west of the north-east one", sw, ne)
	}
	centre := orb.Point{(sw[0] + ne[0]) / 2, (sw[1] + ne[1]) / 2}
	_, widthM := gcs.NorthEastM(orb.Point{sw[0], centre[1]}, orb.Point{ne[0], centre[1]})
	base := image.NewYCbCr(image.Rect(0, 0, size, size), image.YCbCrSubsampleRatio420)
	for y := range size {
		for x := range size {
			r, g, bl, _ := img.At(b.Min.X+x*b.Dx()/size, b.Min.Y+y*b.Dy()/size).RGBA()
			yy, cb, cr := rgbToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			base.Y[y*base.YStride+x] = yy
			if x%2 == 0 && y%2 == 0 {
				ci := base.COffset(x, y)
				base.Cb[ci], base.Cr[ci] = cb, cr
			}
		}
	}
	w := &World{
		Origin: gcs.Position{Point: centre, AltMSLM: altMSLM},
		tex:    texture{texelM: widthM / float64(size), levels: mipmaps(base)},
		maps:   &mapLevels{},
	}
	w.Targets = generateTargets(rand.New(rand.NewPCG(seed, 0x5eed)), WorldConfig{People: people}, nil)
	return w, nil
}

// soften blurs the luma with a 3×3 [1 2 1] kernel, as a lens would: painted edges are one
// texel sharp, and sampled without filtering they would shimmer from frame to frame.
func soften(img *image.YCbCr) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	src := append([]byte(nil), img.Y...)
	at := func(x, y int) int { return int(src[((y+h)%h)*img.YStride+(x+w)%w]) }
	for y := range h {
		for x := range w {
			s := 4*at(x, y) + 2*(at(x-1, y)+at(x+1, y)+at(x, y-1)+at(x, y+1)) +
				at(x-1, y-1) + at(x+1, y-1) + at(x-1, y+1) + at(x+1, y+1)
			img.Y[y*img.YStride+x] = uint8(s / 16)
		}
	}
}

// mipmaps builds the pyramid by 2×2 box filtering down to 16 texels.
func mipmaps(base *image.YCbCr) []*image.YCbCr {
	levels := []*image.YCbCr{base}
	for prev := base; prev.Rect.Dx() > 16; {
		n := prev.Rect.Dx() / 2
		next := image.NewYCbCr(image.Rect(0, 0, n, n), image.YCbCrSubsampleRatio420)
		for y := range n {
			for x := range n {
				s := int(prev.Y[2*y*prev.YStride+2*x]) + int(prev.Y[2*y*prev.YStride+2*x+1]) +
					int(prev.Y[(2*y+1)*prev.YStride+2*x]) + int(prev.Y[(2*y+1)*prev.YStride+2*x+1])
				next.Y[y*next.YStride+x] = uint8(s / 4)
			}
		}
		cn := n / 2
		for y := range cn {
			for x := range cn {
				var cb, cr int
				for _, o := range [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
					i := (2*y+o[1])*prev.CStride + 2*x + o[0]
					cb += int(prev.Cb[i])
					cr += int(prev.Cr[i])
				}
				next.Cb[y*next.CStride+x], next.Cr[y*next.CStride+x] = uint8(cb/4), uint8(cr/4)
			}
		}
		levels = append(levels, next)
		prev = next
	}
	return levels
}

// rgbToYCbCr is BT.601 limited range, what H.264 streams carry.
func rgbToYCbCr(r, g, b uint8) (uint8, uint8, uint8) {
	rf, gf, bf := float64(r), float64(g), float64(b)
	y := 16 + (65.481*rf+128.553*gf+24.966*bf)/255
	cb := 128 + (-37.797*rf-74.203*gf+112*bf)/255
	cr := 128 + (112*rf-93.786*gf-18.214*bf)/255
	return clamp8(y), clamp8(cb), clamp8(cr)
}

func clamp8(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v))))
}
