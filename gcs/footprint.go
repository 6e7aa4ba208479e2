package gcs

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Footprint is the part of the ground a camera sees, as the four image corners put on the
// ground: top-left, top-right, bottom-right, bottom-left. A camera looking near the horizon
// sees to infinity; the map still needs a shape, so such corners are clipped (see
// Geotagger.Footprint) and flagged, and the map can draw those edges as open.
type Footprint struct {
	Corners [4]orb.Point // {lon, lat}
	Clipped [4]bool      // the corner's ray does not meet the ground within MaxRangeM
}

// Ring returns the footprint as a closed ring, ready for an orb.Polygon.
func (f Footprint) Ring() orb.Ring {
	return orb.Ring{f.Corners[0], f.Corners[1], f.Corners[2], f.Corners[3], f.Corners[0]}
}

// CameraFootprint returns what cam sees of the ground; see Geotagger.Footprint.
func CameraFootprint(p Pose, g GimbalAttitude, cam Camera, ground Ground) (Footprint, error) {
	return Geotagger{}.Footprint(p, g, cam, ground)
}

// Footprint returns the four corners of cam's image on the ground, for the map. A corner
// whose ray is above the horizon or meets the ground farther than MaxRangeM is put
// MaxRangeM away horizontally in the ray's compass direction and flagged Clipped. Other
// errors (invalid camera, camera below ground, no terrain) are returned. The edges between
// corners are straight on the map, which is exact over flat ground without distortion.
func (gt Geotagger) Footprint(p Pose, g GimbalAttitude, cam Camera, ground Ground) (Footprint, error) {
	in, err := cam.intrinsics()
	if err != nil {
		return Footprint{}, err
	}
	rot := cameraToNED(p.Attitude, g)
	w, h := float64(cam.WidthPx), float64(cam.HeightPx)
	var f Footprint
	for i, c := range [4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}} {
		d := rot.apply(in.ray(c[0], c[1]))
		gp, err := gt.intersect(p.Position, d, ground)
		switch {
		case err == nil:
			f.Corners[i] = gp.Point
		case errors.Is(err, ErrAboveHorizon) || errors.Is(err, ErrOutOfRange):
			horiz := math.Hypot(d[0], d[1])
			if horiz < 1e-9 {
				return Footprint{}, fmt.Errorf("footprint corner %d points straight up: %w", i, err)
			}
			r := gt.maxRangeM() / horiz
			f.Corners[i] = OffsetNE(p.Position.Point, r*d[0], r*d[1])
			f.Clipped[i] = true
		default:
			return Footprint{}, fmt.Errorf("footprint corner %d: %w", i, err)
		}
	}
	return f, nil
}
