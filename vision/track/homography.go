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

// Rescaled is the same camera motion in the pixels of a picture factor times larger: for a
// homography estimated on a downscaled copy of the frame (the motion detector works at about
// 180 px high) and tracks in the full frame's pixels, factor = full height / small height.
// It is S·H·S⁻¹ with S = diag(factor, factor, 1).
func (h Homography) Rescaled(factor float64) Homography {
	return Homography{
		h[0], h[1], h[2] * factor,
		h[3], h[4], h[5] * factor,
		h[6] / factor, h[7] / factor, h[8],
	}
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

// validate rejects homographies that cannot be a camera's motion between two processed
// frames: non-finite entries, a singular matrix, one that sends the image's origin to
// infinity, mirrors the picture, scales it by more than 100 times either way, or shifts it
// by more than 100,000 pixels. Real ones are within a few per cent of the identity.
func (h *Homography) validate() error {
	scale := 0.0
	for i, v := range h {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: element %d is %v", ErrBadHomography, i, v)
		}
		scale = math.Max(scale, math.Abs(v))
	}
	n := h[8]
	if !(math.Abs(n) > 1e-9*scale) {
		return fmt.Errorf("%w: it sends the origin to infinity", ErrBadHomography)
	}
	// Normalised to h[8] = 1, where the entries are pixels and pixel ratios.
	var m Homography
	for i, v := range h {
		m[i] = v / n
	}
	if det := m[0]*(m[4]-m[5]*m[7]) - m[1]*(m[3]-m[5]*m[6]) + m[2]*(m[3]*m[7]-m[4]*m[6]); math.Abs(det) < 1e-12 {
		return fmt.Errorf("%w: singular matrix", ErrBadHomography)
	}
	if a := m[0]*m[4] - m[1]*m[3]; !(a >= 1e-2 && a <= 1e2) {
		return fmt.Errorf("%w: it scales the picture's area by %.3g, not a camera's motion between frames", ErrBadHomography, a)
	}
	if dx, dy := m[2], m[5]; math.Abs(dx) > 1e5 || math.Abs(dy) > 1e5 {
		return fmt.Errorf("%w: it shifts the picture by (%.3g, %.3g) px, not a camera's motion between frames", ErrBadHomography, dx, dy)
	}
	return nil
}
