package track

import (
	"fmt"
	"math"
)

// Homography is a 3×3 projective transform in row-major order, mapping a pixel (x, y) of one
// frame to (u, v) of another:
//
//	u = (H[0]x + H[1]y + H[2]) / w,  v = (H[3]x + H[4]y + H[5]) / w,  w = H[6]x + H[7]y + H[8]
//
// The tracker takes the camera's ego-motion in this form (the motion detector's RANSAC
// homography between consecutive processed frames; OpenCV's findHomography gives the same
// row-major layout). A homography is only defined up to scale; H[8] need not be 1.
type Homography [9]float64

// IdentityHomography maps every pixel to itself: a camera that did not move.
func IdentityHomography() Homography {
	return Homography{1, 0, 0, 0, 1, 0, 0, 0, 1}
}

// Apply maps p. ok is false where the homography sends p to infinity or behind the camera
// (w ≤ 0), which a real frame-to-frame camera motion never does inside the picture.
func (h *Homography) Apply(p Vec) (q Vec, ok bool) {
	w := h[6]*p.X + h[7]*p.Y + h[8]
	if !(w > 1e-12) {
		return Vec{}, false
	}
	return Vec{(h[0]*p.X + h[1]*p.Y + h[2]) / w, (h[3]*p.X + h[4]*p.Y + h[5]) / w}, true
}

// Jacobian is the derivative of the mapping at p, [du/dx du/dy; dv/dx dv/dy] row-major: how
// the homography moves and stretches a small neighbourhood of p. The tracker transforms a
// track's velocity and its box size with it. ok as for Apply.
func (h *Homography) Jacobian(p Vec) (j [4]float64, ok bool) {
	w := h[6]*p.X + h[7]*p.Y + h[8]
	if !(w > 1e-12) {
		return j, false
	}
	u := (h[0]*p.X + h[1]*p.Y + h[2]) / w
	v := (h[3]*p.X + h[4]*p.Y + h[5]) / w
	return [4]float64{
		(h[0] - u*h[6]) / w, (h[1] - u*h[7]) / w,
		(h[3] - v*h[6]) / w, (h[4] - v*h[7]) / w,
	}, true
}

// validate rejects homographies that cannot be a camera's motion between two frames:
// non-finite entries or a singular matrix.
func (h *Homography) validate() error {
	for i, v := range h {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: element %d is %v", ErrBadHomography, i, v)
		}
	}
	det := h[0]*(h[4]*h[8]-h[5]*h[7]) - h[1]*(h[3]*h[8]-h[5]*h[6]) + h[2]*(h[3]*h[7]-h[4]*h[6])
	scale := 0.0
	for _, v := range h {
		scale = math.Max(scale, math.Abs(v))
	}
	if scale == 0 || math.Abs(det) <= 1e-12*scale*scale*scale {
		return fmt.Errorf("%w: singular matrix", ErrBadHomography)
	}
	return nil
}
