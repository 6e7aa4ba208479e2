package track

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestKalmanHandWorked(t *testing.T) {
	t.Run("a static measurement halves the difference when variances are equal", func(t *testing.T) {
		var k kalman
		k.init([4]float64{100, 100, 20, 20}, [4]float64{4, 4, 4, 4}, [4]float64{})
		k.predict(1, [4]float64{}, [4]float64{}) // no velocity, no noise: nothing moves or grows
		require.Equal(t, 100.0, k.x[0])
		require.Equal(t, 4.0, k.p[0][0])
		k.update([4]float64{110, 100, 20, 20}, [4]float64{4, 4, 4, 4})
		require.InDelta(t, 105, k.x[0], 1e-12)
		require.InDelta(t, 2, k.p[0][0], 1e-12)
	})
	t.Run("velocity is learnt from the position", func(t *testing.T) {
		// P = [4 0; 0 100] for x and vx; after 0.5 s: P00 = 4 + 0.25·100 = 29, P04 = 50.
		// A measurement 10 px away with variance 1: S = 30, K = (29/30, 50/30), so
		// x = 9.667 and vx = 16.667 px/s.
		var k kalman
		k.init([4]float64{0, 0, 20, 20}, [4]float64{4, 4, 4, 4}, [4]float64{100, 100, 0, 0})
		k.predict(0.5, [4]float64{}, [4]float64{})
		require.InDelta(t, 29, k.p[0][0], 1e-12)
		require.InDelta(t, 50, k.p[0][4], 1e-12)
		k.update([4]float64{10, 0, 20, 20}, [4]float64{1, 1, 1, 1})
		require.InDelta(t, 29.0/3, k.x[0], 1e-9)
		require.InDelta(t, 50.0/3, k.x[4], 1e-9)
		require.InDelta(t, 0, k.x[1], 1e-12)
	})
	t.Run("constant velocity is followed without lag", func(t *testing.T) {
		var k kalman
		k.init([4]float64{0, 0, 20, 20}, [4]float64{1, 1, 1, 1}, [4]float64{1e4, 1e4, 1, 1})
		for i := 1; i <= 60; i++ {
			k.predict(1.0/30, [4]float64{1600, 1600, 0, 0}, [4]float64{0, 0, 4, 4})
			k.update([4]float64{3 * float64(i), -2 * float64(i), 20, 20}, [4]float64{4, 4, 4, 4})
		}
		require.InDelta(t, 90, k.x[4], 0.5, "3 px a frame at 30 fps")
		require.InDelta(t, -60, k.x[5], 0.5)
		require.InDelta(t, 180, k.x[0], 0.2)
	})
}

// TestKalmanSkippedFrames checks that predicting in two half steps gives the same state and
// uncertainty as one whole step: skipping a frame does not change the filter's belief.
func TestKalmanSkippedFrames(t *testing.T) {
	var a kalman
	a.init([4]float64{50, 60, 30, 40}, [4]float64{9, 9, 4, 4}, [4]float64{400, 400, 25, 25})
	a.x[4], a.x[5] = 30, -12
	a.p[0][4], a.p[4][0] = 20, 20
	b := a
	q, ql := [4]float64{900, 900, 16, 16}, [4]float64{1, 2, 16, 16}
	a.predict(0.2, q, ql)
	b.predict(0.1, q, ql)
	b.predict(0.1, q, ql)
	for i := range 8 {
		require.InDelta(t, a.x[i], b.x[i], 1e-9)
		for j := range 8 {
			require.InDelta(t, a.p[i][j], b.p[i][j], 1e-9, "P[%d][%d]", i, j)
		}
	}
}

func TestKalmanTransform(t *testing.T) {
	var k kalman
	k.init([4]float64{100, 50, 40, 20}, [4]float64{4, 1, 4, 1}, [4]float64{9, 1, 0, 0})
	k.x[4], k.x[5] = 10, 0
	// A quarter turn: velocity (10, 0) becomes (0, 10), x's variances go to y.
	h := similarity(math.Pi/2, 1, Vec{100, 50})
	compensate(&k, &h)
	require.InDelta(t, 100, k.x[0], 1e-9)
	require.InDelta(t, 50, k.x[1], 1e-9)
	require.InDelta(t, 0, k.x[4], 1e-9)
	require.InDelta(t, 10, k.x[5], 1e-9)
	require.InDelta(t, 1, k.p[0][0], 1e-9)
	require.InDelta(t, 4, k.p[1][1], 1e-9)
	require.InDelta(t, 9, k.p[5][5], 1e-9)
	require.InDelta(t, 40, k.x[2], 1e-9, "a rotation keeps the size")

	// A zoom by 1.5 about the origin scales position, size and velocity.
	z := similarity(0, 1.5, Vec{})
	compensate(&k, &z)
	require.InDelta(t, 150, k.x[0], 1e-9)
	require.InDelta(t, 60, k.x[2], 1e-9)
	require.InDelta(t, 15, k.x[5], 1e-9)
	require.InDelta(t, 2.25*4, k.p[1][1], 1e-9)
}

func TestInvert4(t *testing.T) {
	m := [4][4]float64{{4, 1, 0, 0}, {1, 3, 0, 1}, {0, 0, 2, 0}, {0, 1, 0, 5}}
	inv, ok := invert4(m)
	require.True(t, ok)
	for i := range 4 {
		for j := range 4 {
			var v float64
			for l := range 4 {
				v += m[i][l] * inv[l][j]
			}
			want := 0.0
			if i == j {
				want = 1
			}
			require.InDelta(t, want, v, 1e-12)
		}
	}
	_, ok = invert4([4][4]float64{{1, 2, 0, 0}, {2, 4, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}})
	require.False(t, ok)
}
