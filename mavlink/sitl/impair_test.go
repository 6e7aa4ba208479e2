package sitl

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestImpairer(t *testing.T) {
	t0 := time.Unix(0, 0)
	run := func(im Impairment, n int) []int {
		imp := newImpairer[int](im, im.Seed)
		var out []int
		deliver := func(i int) { out = append(out, i) }
		for i := range n {
			imp.push(t0, i, deliver)
		}
		imp.release(t0.Add(time.Hour), deliver)
		return out
	}

	t.Run("perfect", func(t *testing.T) {
		out := run(Impairment{}, 100)
		require.Len(t, out, 100)
		for i, v := range out {
			require.Equal(t, i, v)
		}
	})

	t.Run("loss", func(t *testing.T) {
		out := run(Impairment{Loss: 0.2, Seed: 1}, 2000)
		frac := float64(len(out)) / 2000
		t.Logf("kept %.3f", frac)
		require.InDelta(t, 0.8, frac, 0.1)
		require.Equal(t, out, run(Impairment{Loss: 0.2, Seed: 1}, 2000), "deterministic from the seed")
		require.NotEqual(t, out, run(Impairment{Loss: 0.2, Seed: 2}, 2000))
	})

	t.Run("duplicate", func(t *testing.T) {
		out := run(Impairment{Duplicate: 1, Seed: 1}, 50)
		require.Len(t, out, 100)
		for i := range 50 {
			require.Equal(t, []int{i, i}, out[2*i:2*i+2])
		}
	})

	t.Run("reorder", func(t *testing.T) {
		out := run(Impairment{Reorder: 0.5, Seed: 1}, 1000)
		require.Len(t, out, 1000)
		swaps := 0
		for i := 1; i < len(out); i++ {
			if out[i] < out[i-1] {
				swaps++
				require.Equal(t, out[i-1], out[i]+1, "a held message comes right after the next one")
			}
		}
		require.InDelta(t, 1000*0.5*0.5, swaps, 100)
	})

	t.Run("latency", func(t *testing.T) {
		imp := newImpairer[int](Impairment{Latency: 100 * time.Millisecond, Seed: 1}, 1)
		var out []int
		deliver := func(i int) { out = append(out, i) }
		for i := range 100 {
			imp.push(t0, i, deliver)
		}
		require.Empty(t, out)
		imp.release(t0.Add(79*time.Millisecond), deliver)
		require.Empty(t, out, "jitter is ±20%")
		imp.release(t0.Add(121*time.Millisecond), deliver)
		require.Len(t, out, 100)
	})

	t.Run("held message is not stranded", func(t *testing.T) {
		imp := newImpairer[int](Impairment{Reorder: 1, Seed: 1}, 1)
		var out []int
		imp.push(t0, 1, func(i int) { out = append(out, i) })
		require.Empty(t, out)
		imp.release(t0.Add(reorderHoldMax), func(i int) { out = append(out, i) })
		require.Equal(t, []int{1}, out)
	})
}
