package track

import (
	"image"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBox(t *testing.T) {
	b := BoxFromRect(image.Rect(10, 20, 50, 100))
	require.Equal(t, Vec{30, 60}, b.Center())
	require.Equal(t, Vec{30, 100}, b.BottomCenter(), "the ground contact point is the bottom centre")
	require.Equal(t, image.Rect(10, 20, 50, 100), b.Rect())
	require.Equal(t, image.Rect(10, 21, 51, 100), Box{Vec{10.4, 20.5}, Vec{50.6, 99.6}}.Rect())

	for _, c := range []struct {
		name string
		a, b Box
		iou  float64
	}{
		{"same", boxAt(Vec{0, 0}, 10, 10), boxAt(Vec{0, 0}, 10, 10), 1},
		{"disjoint", boxAt(Vec{0, 0}, 10, 10), boxAt(Vec{20, 0}, 10, 10), 0},
		{"touching", boxAt(Vec{0, 0}, 10, 10), boxAt(Vec{10, 0}, 10, 10), 0},
		// Shifted by half a width: 50 in common of 150.
		{"half shifted", boxAt(Vec{0, 0}, 10, 10), boxAt(Vec{5, 0}, 10, 10), 1.0 / 3},
		// A 10×10 inside a 20×20: 100 of 400.
		{"inside", boxAt(Vec{0, 0}, 20, 20), boxAt(Vec{3, 3}, 10, 10), 0.25},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.InDelta(t, c.iou, c.a.IoU(c.b), 1e-12)
			require.InDelta(t, c.iou, c.b.IoU(c.a), 1e-12)
		})
	}

	require.True(t, boxAt(Vec{1, 1}, 2, 2).valid())
	require.False(t, Box{Vec{5, 5}, Vec{5, 9}}.valid(), "zero width")
	require.False(t, Box{Vec{5, 5}, Vec{math.NaN(), 9}}.valid())
	require.False(t, Box{Vec{5, 5}, Vec{math.Inf(1), 9}}.valid())
}

func translation(dx, dy float64) Homography {
	return Homography{1, 0, dx, 0, 1, dy, 0, 0, 1}
}

// similarity rotates by angleRad and scales by scale about centre c.
func similarity(angleRad, scale float64, c Vec) Homography {
	a, b := scale*math.Cos(angleRad), scale*math.Sin(angleRad)
	return Homography{
		a, -b, c.X - a*c.X + b*c.Y,
		b, a, c.Y - b*c.X - a*c.Y,
		0, 0, 1,
	}
}

func TestHomography(t *testing.T) {
	p := Vec{100, 50}
	id := IdentityHomography()
	q, ok := id.Apply(p)
	require.True(t, ok)
	require.Equal(t, p, q)

	tr := translation(-15, 4)
	q, _ = tr.Apply(p)
	require.Equal(t, Vec{85, 54}, q)

	// A quarter turn about (0, 0) in image axes (y down) takes x to y.
	rot := similarity(math.Pi/2, 2, Vec{})
	q, _ = rot.Apply(Vec{10, 0})
	require.InDelta(t, 0, q.X, 1e-9)
	require.InDelta(t, 20, q.Y, 1e-9)

	// The Jacobian of a perspective homography matches finite differences, and scaling the
	// matrix changes nothing.
	persp := Homography{1.02, 0.05, -12, -0.03, 0.98, 7, 2e-5, -3e-5, 1}
	scaled := persp
	for i := range scaled {
		scaled[i] *= 3.5
	}
	for _, p := range []Vec{{0, 0}, {640, 360}, {1279, 719}, {200, 600}} {
		j, ok := persp.Jacobian(p)
		require.True(t, ok)
		js, _ := scaled.Jacobian(p)
		const e = 1e-3
		qx1, _ := persp.Apply(Vec{p.X + e, p.Y})
		qx0, _ := persp.Apply(Vec{p.X - e, p.Y})
		qy1, _ := persp.Apply(Vec{p.X, p.Y + e})
		qy0, _ := persp.Apply(Vec{p.X, p.Y - e})
		num := [4]float64{(qx1.X - qx0.X) / 2 / e, (qy1.X - qy0.X) / 2 / e, (qx1.Y - qx0.Y) / 2 / e, (qy1.Y - qy0.Y) / 2 / e}
		for i := range j {
			require.InDelta(t, num[i], j[i], 1e-6, "at %v element %d", p, i)
			require.InDelta(t, j[i], js[i], 1e-12)
		}
	}

	// Rescaled: mapping a full-size pixel is mapping its small-picture pixel, scaled up.
	const factor = 4
	big := persp.Rescaled(factor)
	for _, p := range []Vec{{0, 0}, {320, 180}, {100, 170}} {
		small, _ := persp.Apply(p)
		full, ok := big.Apply(Vec{p.X * factor, p.Y * factor})
		require.True(t, ok)
		require.InDelta(t, small.X*factor, full.X, 1e-9)
		require.InDelta(t, small.Y*factor, full.Y, 1e-9)
	}

	behind := Homography{1, 0, 0, 0, 1, 0, -0.01, 0, 1}
	_, ok = behind.Apply(Vec{200, 0})
	require.False(t, ok, "w < 0: behind the camera")
	_, ok = behind.Jacobian(Vec{100, 0})
	require.False(t, ok, "w = 0: at infinity")

	for _, c := range []struct {
		name string
		h    Homography
	}{
		{"NaN", Homography{1, 0, math.NaN(), 0, 1, 0, 0, 0, 1}},
		{"infinite", Homography{1, 0, 0, 0, math.Inf(-1), 0, 0, 0, 1}},
		{"zero", Homography{}},
		{"singular", Homography{1, 2, 3, 2, 4, 6, 0, 0, 1}},
		{"origin to infinity", Homography{1, 0, 5, 0, 1, 5, 1, 0, 0}},
		{"mirror", Homography{-1, 0, 1280, 0, 1, 0, 0, 0, 1}},
		{"zoom 1000 times", similarity(0, math.Sqrt(1000)*10, Vec{640, 360})},
		{"shift by a million pixels", translation(1e6, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.ErrorIs(t, c.h.validate(), ErrBadHomography)
		})
	}
	require.NoError(t, persp.validate())
	require.NoError(t, scaled.validate(), "any scale of the matrix")
	turn := similarity(3, 1.2, Vec{640, 360})
	require.NoError(t, turn.validate())
}
