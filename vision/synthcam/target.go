package synthcam

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// Target classes, as detectors name them.
const (
	ClassPerson  = "person"
	ClassVehicle = "vehicle"
)

// Target is something that moves on the world: a person walking a loop or a vehicle driving
// up and down a road. Its position is a pure function of time, so the truth is known at
// every instant, in every process, without recording it.
type Target struct {
	ID    int
	Class string
	// LengthM, WidthM and HeightM are the box it is drawn as (length along its heading).
	LengthM, WidthM, HeightM float64
	SpeedMps                 float64
	colour                   ycc
	// path is in metres east, north of the world's origin; a loop closes back to its first
	// point, otherwise the target turns round at each end.
	path [][2]float64
	loop bool
	// pathLenM is the path's length (there and back for a non-loop).
	pathLenM float64
}

// PositionAt returns where the target is at t (metres east and north of the world's origin)
// and its heading, radians clockwise from north.
func (tg *Target) PositionAt(t time.Time) (eastM, northM, headingRad float64) {
	s := math.Mod(float64(t.UnixNano())/1e9*tg.SpeedMps, tg.pathLenM)
	pts := tg.path
	if tg.loop {
		pts = append(pts[:len(pts):len(pts)], pts[0])
	} else {
		back := make([][2]float64, 0, 2*len(pts)-1)
		back = append(back, pts...)
		for i := len(pts) - 2; i >= 0; i-- {
			back = append(back, pts[i])
		}
		pts = back
	}
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		if s <= l || i+2 == len(pts) {
			f := s / max(l, 1e-9)
			return a[0] + (b[0]-a[0])*f, a[1] + (b[1]-a[1])*f, math.Atan2(b[0]-a[0], b[1]-a[1])
		}
		s -= l
	}
	return pts[0][0], pts[0][1], 0
}

// TruthAt is where the target is at t on the world's ground.
func (w *World) TruthAt(tg *Target, t time.Time) gcs.Position {
	e, n, _ := tg.PositionAt(t)
	return gcs.Position{Point: gcs.OffsetNE(w.Origin.Point, n, e), AltMSLM: w.Origin.AltMSLM}
}

func pathLength(pts [][2]float64, loop bool) float64 {
	var l float64
	for i := 0; i+1 < len(pts); i++ {
		l += math.Hypot(pts[i+1][0]-pts[i][0], pts[i+1][1]-pts[i][1])
	}
	if loop {
		return l + math.Hypot(pts[0][0]-pts[len(pts)-1][0], pts[0][1]-pts[len(pts)-1][1])
	}
	return 2 * l
}

// generateTargets makes people walking loops 20-150 m from the origin and vehicles driving
// 600 m stretches of the roads centred where each road passes closest to the origin.
func generateTargets(rng *rand.Rand, cfg WorldConfig, roads [][2][2]float64) []*Target {
	var out []*Target
	shirts := []ycc{rgb(200, 40, 40), rgb(40, 60, 170), rgb(230, 230, 230), rgb(30, 30, 30), rgb(230, 180, 40)}
	for range cfg.People {
		var path [][2]float64
		centreAngle := rng.Float64() * 2 * math.Pi
		centreR := 20 + rng.Float64()*110
		ce, cn := centreR*math.Sin(centreAngle), centreR*math.Cos(centreAngle)
		for k := range 5 {
			a := float64(k)/5*2*math.Pi + rng.Float64()*0.8
			r := 10 + rng.Float64()*30
			path = append(path, [2]float64{ce + r*math.Sin(a), cn + r*math.Cos(a)})
		}
		out = append(out, &Target{
			ID: len(out) + 1, Class: ClassPerson, LengthM: 0.4, WidthM: 0.5, HeightM: 1.75,
			SpeedMps: 1.1 + rng.Float64()*0.5, colour: shirts[rng.IntN(len(shirts))],
			path: path, loop: true, pathLenM: pathLength(path, true),
		})
	}
	// Paints differ from asphalt in brightness, not only hue, as most cars do: white, black,
	// silver, bright red, dark blue, yellow.
	paints := []ycc{rgb(235, 235, 235), rgb(25, 25, 30), rgb(185, 185, 190), rgb(220, 60, 50), rgb(30, 40, 90), rgb(200, 200, 60)}
	for i := range cfg.Vehicles {
		if len(roads) == 0 {
			break // an image world has no roads the simulator knows of
		}
		r := roads[i%min(len(roads), 2)]
		de, dn := r[1][0]-r[0][0], r[1][1]-r[0][1]
		l := math.Hypot(de, dn)
		de, dn = de/l, dn/l
		// closest point of the road's line to the origin, then 300 m either way, and a lane
		// 1.8 m right of the centre line.
		along := -(r[0][0]*de + r[0][1]*dn)
		pe, pn := r[0][0]+de*along+dn*1.8, r[0][1]+dn*along-de*1.8
		shift := (rng.Float64() - 0.5) * 200
		path := [][2]float64{
			{pe + de*(shift-300), pn + dn*(shift-300)},
			{pe + de*(shift+300), pn + dn*(shift+300)},
		}
		out = append(out, &Target{
			ID: len(out) + 1, Class: ClassVehicle, LengthM: 4.6, WidthM: 1.9, HeightM: 1.6,
			SpeedMps: 5 + rng.Float64()*8, colour: paints[rng.IntN(len(paints))],
			path: path, pathLenM: pathLength(path, false),
		})
	}
	return out
}
