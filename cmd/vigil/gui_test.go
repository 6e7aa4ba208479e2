package main

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// The pointer's position reads in decimal degrees and MGRS.
func TestCoordText(t *testing.T) {
	got := coordText(orb.Point{149.165230, -35.363261})
	require.Regexp(t, `^-35\.363261, 149\.165230   MGRS 55H FA \d{5} \d{5}$`, got)
}

// With no map source in the settings, the map's ground is the built-in grid.
func TestMapBaseDefaultsToGrid(t *testing.T) {
	base, closeBase, err := mapBase(nil, t.TempDir()+"/none.json")
	require.NoError(t, err)
	require.Nil(t, base)
	closeBase()
}
