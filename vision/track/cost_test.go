package track

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPairCost(t *testing.T) {
	box := boxAt(Vec{100, 100}, 10, 10)
	for _, c := range []struct {
		name       string
		det        Box
		varX, varY float64
		cost       float64
		ok         bool
	}{
		{"on the prediction", box, 0, 0, 0, true},
		// Half a width along: IoU 1/3, distance 5 over a size of 10.
		{"half a box along", boxAt(Vec{105, 100}, 10, 10), 0, 0, 2.0/3 + 0.5, true},
		// No overlap: 1 − 0, plus 10/10.
		{"a box along", boxAt(Vec{110, 100}, 10, 10), 0, 0, 2, true},
		{"just past the gate", boxAt(Vec{110.1, 100}, 10, 10), 0, 0, gatedCost, false},
		// The prediction's uncertainty widens the reach: √(100 + 150 + 150) = 20, 15/20.
		{"an uncertain prediction reaches further", boxAt(Vec{115, 100}, 10, 10), 150, 150, 1.75, true},
		// Sizes 10×10 and 20×20 average 15×15: 15/15 = 1, at the gate; areas 4 times apart.
		{"four times the area", boxAt(Vec{100, 115}, 20, 20), 0, 0, 1 + 1 - 0, true},
		{"more than four times", boxAt(Vec{100, 100}, 20.1, 20.1), 0, 0, gatedCost, false},
		{"less than a quarter", boxAt(Vec{100, 100}, 4.9, 4.9), 0, 0, gatedCost, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cost, ok := pairCost(box, c.det, c.varX, c.varY, 1, 4)
			require.Equal(t, c.ok, ok)
			require.InDelta(t, c.cost, cost, 1e-12)
		})
	}
}
