package track

import "math"

// kalman is the Kalman filter of one track. The state is
//
//	x = [cx cy w h  vx vy vw vh]
//
// the box centre and size in pixels and their rates in pixels per second; the filter
// measures the first four. Centre and size are filtered together because the ego-motion
// transform (compensate) couples x and y, and an 8×8 filter costs about a microsecond.
//
// Each component's noise is chosen per prediction: the tracker gives the centre a constant
// velocity (its rate takes a random walk: white acceleration noise of density q, so over dt
// the rate's variance grows by q·dt and the position's by q·dt³/3), and the size a random
// walk of its own (variance growing by q·dt, its rate held at zero with no uncertainty).
// Both models are exact for any dt, so two predictions of dt/2 give the same uncertainty as
// one of dt: skipped frames neither inflate nor shrink it.
type kalman struct {
	x [8]float64
	p [8][8]float64
}

// minSizePx keeps a predicted box from collapsing to nothing while coasting.
const minSizePx = 1

// maxCoordPx bounds a track's centre and size: a track carried this far from any picture
// by the camera's motion (a million pixels) has left the view for good.
const maxCoordPx = 1e6

// init starts the filter at a measured box with unknown velocity. posVar and velVar are the
// variances of the measured box's components and of the unknown rates.
func (k *kalman) init(z [4]float64, posVar [4]float64, velVar [4]float64) {
	*k = kalman{}
	copy(k.x[:4], z[:])
	for i := range 4 {
		k.p[i][i] = posVar[i]
		k.p[i+4][i+4] = velVar[i]
	}
}

// box is the filter's current box.
func (k *kalman) box() Box { return boxAt(Vec{k.x[0], k.x[1]}, k.x[2], k.x[3]) }

// size is the geometric mean of the box's width and height, the tracker's length scale.
func (k *kalman) size() float64 { return math.Sqrt(k.x[2] * k.x[3]) }

// predict advances the state by dt seconds. For each box component (cx, cy, w, h),
// qRate is the noise density of its rate (px²/s³: a constant-velocity component) and
// qLevel that of the component itself (px²/s: a random walk).
func (k *kalman) predict(dt float64, qRate, qLevel [4]float64) {
	if dt <= 0 {
		return
	}
	for i := range 4 {
		k.x[i] += k.x[i+4] * dt
	}
	k.clampSize()
	// P = F P Fᵀ with F = [I dt·I; 0 I], by blocks: A' = A + dt(B+C) + dt²D, B' = B + dt·D,
	// C' = C + dt·D, D' = D.
	p := &k.p
	for i := range 4 {
		for j := range 4 {
			d := p[i+4][j+4]
			p[i][j] += dt*(p[i][j+4]+p[i+4][j]) + dt*dt*d
			p[i][j+4] += dt * d
			p[i+4][j] += dt * d
		}
	}
	dt2, dt3 := dt*dt/2, dt*dt*dt/3
	for i, q := range qRate {
		p[i][i] += q*dt3 + qLevel[i]*dt
		p[i][i+4] += q * dt2
		p[i+4][i] += q * dt2
		p[i+4][i+4] += q * dt
	}
}

// update corrects the state with a measured box z whose components have variances r.
func (k *kalman) update(z [4]float64, r [4]float64) {
	p := &k.p
	// S = H P Hᵀ + R is the top-left 4×4 block plus R.
	var s [4][4]float64
	for i := range 4 {
		for j := range 4 {
			s[i][j] = p[i][j]
		}
		s[i][i] += r[i]
	}
	si, ok := invert4(s)
	if !ok {
		return
	}
	// K = P Hᵀ S⁻¹: the left 8×4 block of P times S⁻¹.
	var gain [8][4]float64
	for i := range 8 {
		for j := range 4 {
			var v float64
			for l := range 4 {
				v += p[i][l] * si[l][j]
			}
			gain[i][j] = v
		}
	}
	var y [4]float64
	for i := range 4 {
		y[i] = z[i] - k.x[i]
	}
	for i := range 8 {
		for j := range 4 {
			k.x[i] += gain[i][j] * y[j]
		}
	}
	// P = (I - K H) P = P - K·(top 4 rows of P).
	var top [4][8]float64
	for i := range 4 {
		top[i] = p[i]
	}
	for i := range 8 {
		for j := range 8 {
			var v float64
			for l := range 4 {
				v += gain[i][l] * top[l][j]
			}
			p[i][j] -= v
		}
	}
	k.symmetrize()
	k.clampSize()
}

// transform applies a linear map to the state: the centre goes to c, and the covariance and
// the remaining components are multiplied by t (x ← t·x for all but the centre, P ← t P tᵀ).
// t is block-diagonal in 2×2 blocks: blk[0] for the centre, blk[1] for the size, blk[2] for
// the centre's velocity and blk[3] for the size's rate.
func (k *kalman) transform(c Vec, blk [4][4]float64) {
	apply := func(b [4]float64, a, c float64) (float64, float64) {
		return b[0]*a + b[1]*c, b[2]*a + b[3]*c
	}
	k.x[0], k.x[1] = c.X, c.Y
	k.x[2], k.x[3] = apply(blk[1], k.x[2], k.x[3])
	k.x[4], k.x[5] = apply(blk[2], k.x[4], k.x[5])
	k.x[6], k.x[7] = apply(blk[3], k.x[6], k.x[7])
	// P ← T P Tᵀ: first the rows (T P), then the columns ((T P) Tᵀ).
	p := &k.p
	for b := range 4 {
		i := 2 * b
		for j := range 8 {
			p[i][j], p[i+1][j] = apply(blk[b], p[i][j], p[i+1][j])
		}
	}
	for b := range 4 {
		j := 2 * b
		for i := range 8 {
			p[i][j], p[i][j+1] = apply(blk[b], p[i][j], p[i][j+1])
		}
	}
	k.symmetrize()
	k.clampSize()
}

// sane reports whether the filter is finite and its box within maxCoordPx.
func (k *kalman) sane() bool {
	for i, v := range k.x {
		if math.IsNaN(v) || math.IsInf(v, 0) || i < 4 && math.Abs(v) > maxCoordPx {
			return false
		}
	}
	for _, row := range k.p {
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return true
}

func (k *kalman) symmetrize() {
	for i := range 8 {
		for j := i + 1; j < 8; j++ {
			m := (k.p[i][j] + k.p[j][i]) / 2
			k.p[i][j], k.p[j][i] = m, m
		}
	}
}

func (k *kalman) clampSize() {
	k.x[2] = math.Max(k.x[2], minSizePx)
	k.x[3] = math.Max(k.x[3], minSizePx)
}

// invert4 inverts a 4×4 matrix by Gauss–Jordan elimination with partial pivoting. ok is
// false for a (numerically) singular matrix.
func invert4(m [4][4]float64) (inv [4][4]float64, ok bool) {
	for i := range 4 {
		inv[i][i] = 1
	}
	for c := range 4 {
		piv := c
		for r := c + 1; r < 4; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[piv][c]) {
				piv = r
			}
		}
		if !(math.Abs(m[piv][c]) > 1e-300) {
			return inv, false
		}
		m[c], m[piv] = m[piv], m[c]
		inv[c], inv[piv] = inv[piv], inv[c]
		d := 1 / m[c][c]
		for j := range 4 {
			m[c][j] *= d
			inv[c][j] *= d
		}
		for r := range 4 {
			if r == c || m[r][c] == 0 {
				continue
			}
			f := m[r][c]
			for j := range 4 {
				m[r][j] -= f * m[c][j]
				inv[r][j] -= f * inv[c][j]
			}
		}
	}
	return inv, true
}
