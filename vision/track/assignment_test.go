package track

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAssignment(t *testing.T) {
	for _, c := range []struct {
		name       string
		rows, cols int
		cost       []float64
		want       []int
	}{
		{"empty", 0, 0, nil, nil},
		{"no columns", 2, 0, nil, []int{-1, -1}},
		{"one", 1, 1, []float64{7}, []int{0}},
		// Greedy takes 1 (row 0 → col 0) and is then forced to 100: the optimum is 2+3.
		{"greedy loses", 2, 2, []float64{
			1, 2,
			3, 100,
		}, []int{1, 0}},
		// Rows take columns 1, 0, 2 for 1+2+2 = 5; the diagonal costs 6, and so does 2, 1, 0.
		{"3x3", 3, 3, []float64{
			4, 1, 3,
			2, 0, 5,
			3, 2, 2,
		}, []int{1, 0, 2}},
		{"wide", 2, 3, []float64{
			9, 1, 9,
			9, 2, 3,
		}, []int{1, 2}},
		{"tall: the third row stays out", 3, 2, []float64{
			5, 5,
			1, 9,
			9, 1,
		}, []int{-1, 0, 1}},
		{"gated pair used only when nothing else", 2, 2, []float64{
			0.5, gatedCost,
			0.4, gatedCost,
		}, []int{1, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var a assigner
			require.Equal(t, c.want, a.solve(c.cost, c.rows, c.cols, nil))
		})
	}
}

// TestAssignmentMatchesBruteForce checks the Hungarian method against every assignment of
// small random matrices, square and rectangular, reusing one assigner as the tracker does.
func TestAssignmentMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var a assigner
	var out []int
	for it := range 3000 {
		rows, cols := 1+rng.IntN(6), 1+rng.IntN(6)
		cost := make([]float64, rows*cols)
		for i := range cost {
			switch {
			case it%3 == 0:
				cost[i] = float64(rng.IntN(4)) // many ties
			case rng.IntN(5) == 0:
				cost[i] = gatedCost
			default:
				cost[i] = rng.Float64() * 3
			}
		}
		out = a.solve(cost, rows, cols, out)
		require.Len(t, out, rows)
		seen := map[int]bool{}
		got, n := 0.0, 0
		for r, c := range out {
			if c < 0 {
				continue
			}
			require.False(t, seen[c], "column %d used twice", c)
			seen[c] = true
			got += cost[r*cols+c]
			n++
		}
		require.Equal(t, min(rows, cols), n, "a full matching")
		want := bruteForce(cost, rows, cols)
		require.InDelta(t, want, got, 1e-9*math.Max(1, want), "%d×%d %v", rows, cols, cost)
	}
}

// bruteForce is the least total cost over all matchings of min(rows, cols) pairs.
func bruteForce(cost []float64, rows, cols int) float64 {
	best := math.Inf(1)
	used := make([]bool, cols)
	var rec func(r, left int, sum float64)
	rec = func(r, left int, sum float64) {
		if left == 0 {
			best = math.Min(best, sum)
			return
		}
		if rows-r < left {
			return
		}
		rec(r+1, left, sum) // row r unmatched (only possible when rows > cols)
		for c := range cols {
			if !used[c] {
				used[c] = true
				rec(r+1, left-1, sum+cost[r*cols+c])
				used[c] = false
			}
		}
	}
	rec(0, min(rows, cols), 0)
	return best
}
