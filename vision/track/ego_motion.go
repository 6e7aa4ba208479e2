package track

import "math"

// compensate carries a track's filter from the previous frame's pixels into this frame's
// through the camera's ego-motion h, before the filter predicts.
//
//   - The centre is mapped exactly: c' = h(c).
//   - The velocity is mapped by h's Jacobian J at the centre: v' = J·v. Over a frame J is
//     the local linear part of h (rotation, scale, shear, and perspective's stretch at that
//     place), which is how a small displacement near c, and so a velocity, transforms. The
//     camera's own motion is not added to the velocity: it arrives as this one jump of the
//     centre, so the velocity stays the object's motion relative to the scene — zero for a
//     parked car while the drone pans.
//   - The width is scaled by the length of J's first row and the height by that of its
//     second, |∂u/∂(x,y)| and |∂v/∂(x,y)|: exact for zoom and axis-aligned stretch, and a
//     rotation keeps the size instead of inflating it. (The corners' bounding box would
//     inflate the box on every frame of a slow turn, compounding while the object is
//     unseen; measurements correct the true aspect after a turn.) The size's rates scale
//     the same way.
//   - The covariance is carried by the same linear map, P' = T·P·Tᵀ.
//
// Where h is undefined at the centre (it maps it to infinity, never inside a real frame),
// the track is left as it was.
func compensate(k *kalman, h *Homography) {
	c := Vec{k.x[0], k.x[1]}
	c2, ok := h.Apply(c)
	if !ok {
		return
	}
	j, ok := h.Jacobian(c)
	if !ok {
		return
	}
	sw, sh := math.Hypot(j[0], j[1]), math.Hypot(j[2], j[3])
	size := [4]float64{sw, 0, 0, sh}
	k.transform(c2, [4][4]float64{j, size, j, size})
}
