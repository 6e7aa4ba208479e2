package gcs

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Errors Geotag returns, wrapped in a sentence with the numbers, when a pixel cannot be put
// on the map. They are not failures of the station: the caller shows the detection without
// a position (or drops it) and goes on.
var (
	// ErrAboveHorizon: the pixel's ray points level or upwards and never meets the ground.
	ErrAboveHorizon = errors.New("ray above the horizon")
	// ErrOutOfRange: the ray meets the ground farther away than Geotagger.MaxRangeM, where
	// a small attitude error moves the point by hundreds of metres.
	ErrOutOfRange = errors.New("ground point out of range")
	// ErrBelowGround: the camera is not above the ground it would be looking at.
	ErrBelowGround = errors.New("camera not above the ground")
	// ErrNoTerrain: the Ground has no height for a point the ray passes over.
	ErrNoTerrain = errors.New("no terrain height")
)

// Ground is the surface sightings are put on. Consumers with a terrain model (SRTM tiles,
// the vehicle's TERRAIN_REPORTs) implement it; FlatGround covers the rest.
type Ground interface {
	// HeightAt returns the ground's altitude above mean sea level at pt, or false when it
	// is not known there.
	HeightAt(pt orb.Point) (altMSLM float64, ok bool)
}

// FlatGround is level ground at one altitude everywhere, typically the home altitude: good
// enough over flat terrain and the usual fallback without a terrain model.
type FlatGround struct {
	AltMSLM float64
}

// HeightAt returns the ground's altitude, the same everywhere.
func (g FlatGround) HeightAt(orb.Point) (float64, bool) { return g.AltMSLM, true }

// GroundPoint is where a pixel's ray meets the ground.
type GroundPoint struct {
	Point       orb.Point // {lon, lat} in degrees
	AltMSLM     float64   // altitude of the point above mean sea level
	RangeM      float64   // straight-line distance from the camera
	OffNadirDeg float64   // angle between the ray and straight down: 0 below, 90 at the horizon
}

const (
	// geotagDefaultMaxRangeM is the default Geotagger.MaxRangeM: beyond 5 km a 1° attitude
	// error at the usual ISR altitudes moves the point by more than a city block.
	geotagDefaultMaxRangeM = 5000

	// horizonEps is the least downward component a unit ray needs to count as meeting the
	// ground; it only keeps the division finite, the range limit rejects shallow rays.
	horizonEps = 1e-9

	// Terrain refinement (see intersect) stops when the ray is within terrainTolM of the
	// terrain, or after terrainMaxIter height look-ups, keeping the last guess: on rough
	// terrain seen at a shallow angle it may not converge, and such sightings are weak
	// anyway.
	terrainMaxIter = 10
	terrainTolM    = 0.01
)

// Geotagger puts pixels on the ground. The zero value is ready to use with the defaults; the
// package functions Geotag, GeotagError and CameraFootprint use it.
type Geotagger struct {
	// MaxRangeM is the farthest, in metres of straight-line distance from the camera, that a
	// ground point is believed; farther ones return ErrOutOfRange, and footprint corners are
	// clipped to it. It defaults to 5 km.
	MaxRangeM float64
}

// Geotag returns where image point (u, v) of a frame from cam, taken at pose p with the
// gimbal at g, lies on the ground; see Geotagger.Geotag.
func Geotag(p Pose, g GimbalAttitude, cam Camera, u, v float64, ground Ground) (GroundPoint, error) {
	return Geotagger{}.Geotag(p, g, cam, u, v, ground)
}

// Geotag returns where image point (u, v) of a frame from cam, taken at pose p with the
// gimbal at g, lies on the ground. The pose must be the one at the frame's capture time
// (PoseHistory.At), not the latest: at 15 m/s a 200 ms video latency is 3 m. The camera is
// taken to be at the vehicle's position (a lever arm of centimetres is far below the other
// errors). The camera's orientation is the vehicle's attitude times the gimbal's, or the
// gimbal's alone when it reports in the earth frame (see cameraToNED).
//
// Errors wrap ErrCameraInvalid, ErrAboveHorizon, ErrOutOfRange, ErrBelowGround or
// ErrNoTerrain.
func (gt Geotagger) Geotag(p Pose, g GimbalAttitude, cam Camera, u, v float64, ground Ground) (GroundPoint, error) {
	in, err := cam.intrinsics()
	if err != nil {
		return GroundPoint{}, err
	}
	d := cameraToNED(p.Attitude, g).apply(in.ray(u, v))
	return gt.intersect(p.Position, d, ground)
}

func (gt Geotagger) maxRangeM() float64 {
	if gt.MaxRangeM <= 0 {
		return geotagDefaultMaxRangeM
	}
	return gt.MaxRangeM
}

// intersect follows the unit NED ray d from the camera at pos to the ground.
//
// It starts, as MAVProxy does, by intersecting with level ground at the height under the
// camera and looking the height up where that lands. MAVProxy then intersects again at the
// new height, which only shrinks the error by the terrain's slope over the ray's each time
// (and diverges where the terrain is steeper than the ray); here the next guesses are
// secant steps on the ray's height above the terrain, exact on a constant slope, falling
// back to halving the distance when a step would go behind the camera: the ray is above the
// terrain at the camera and below it past the crossing, so the crossing is nearer.
func (gt Geotagger) intersect(pos Position, d [3]float64, ground Ground) (GroundPoint, error) {
	if d[2] <= horizonEps {
		return GroundPoint{}, fmt.Errorf("%w: it points %.1f° above the horizon", ErrAboveHorizon, math.Asin(max(-1, min(1, -d[2])))*180/math.Pi)
	}
	groundAlt, ok := ground.HeightAt(pos.Point)
	if !ok {
		return GroundPoint{}, fmt.Errorf("%w under the camera at %v", ErrNoTerrain, pos.Point)
	}
	hag := pos.AltMSLM - groundAlt
	if hag <= 0 {
		return GroundPoint{}, fmt.Errorf("%w: the camera at %.1f m MSL is %.1f m below the ground under it", ErrBelowGround, pos.AltMSLM, -hag)
	}
	maxRange := gt.maxRangeM()
	t := hag / d[2]              // a unit ray: t is the distance along it
	prevT, prevAbove := 0.0, hag // at the camera the ray is hag above the ground
	for range terrainMaxIter {
		if t > maxRange {
			return GroundPoint{}, fmt.Errorf("%w: the ray meets the ground %.0f m away, farther than %.0f m", ErrOutOfRange, t, maxRange)
		}
		pt := OffsetNE(pos.Point, t*d[0], t*d[1])
		h, ok := ground.HeightAt(pt)
		if !ok {
			return GroundPoint{}, fmt.Errorf("%w at %v, %.0f m from the camera", ErrNoTerrain, pt, t)
		}
		above := pos.AltMSLM - t*d[2] - h // the ray's height above the terrain at t
		if math.Abs(above) < terrainTolM {
			break
		}
		next := t + above/d[2] // level ground at h, in case the secant is undefined
		if above != prevAbove {
			next = t - above*(t-prevT)/(above-prevAbove)
		}
		if !(next > 0) || math.IsInf(next, 0) {
			next = t / 2
		}
		prevT, prevAbove, t = t, above, next
	}
	if t > maxRange { // the last step's guess was not looked up
		return GroundPoint{}, fmt.Errorf("%w: the ray meets the ground %.0f m away, farther than %.0f m", ErrOutOfRange, t, maxRange)
	}
	return GroundPoint{
		Point:       OffsetNE(pos.Point, t*d[0], t*d[1]),
		AltMSLM:     pos.AltMSLM - t*d[2],
		RangeM:      t,
		OffNadirDeg: math.Acos(min(1, d[2])) * 180 / math.Pi,
	}, nil
}
