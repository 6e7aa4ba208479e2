package gcs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDiffParams(t *testing.T) {
	for _, ca := range []struct {
		name    string
		vehicle []Param
		file    []Param
		want    []ParamChange
	}{
		{"both empty", nil, nil, nil},
		{
			"same values",
			[]Param{{Name: "A", Value: 1, Type: ParamInt8}, {Name: "B", Value: asFloat32(0.2), Type: ParamReal32}},
			[]Param{{Name: "B", Value: 0.2}, {Name: "A", Value: 1}}, // 0.2 is asFloat32(0.2) as a float32
			nil,
		},
		{
			"changed, only in file, only on vehicle, sorted by name",
			[]Param{
				{Name: "WPNAV_SPEED", Value: 500},
				{Name: "RTL_ALT", Value: 1500},
				{Name: "ATC_RAT_PIT_P", Value: asFloat32(0.135)},
				{Name: "FENCE_ENABLE", Value: 0},
			},
			[]Param{
				{Name: "WPNAV_SPEED", Value: 800},
				{Name: "ATC_RAT_PIT_P", Value: 0.15},
				{Name: "GPS_TYPE2", Value: 1},
				{Name: "FENCE_ENABLE", Value: 0},
			},
			[]ParamChange{
				{Name: "ATC_RAT_PIT_P", Old: asFloat32(0.135), New: 0.15, Kind: ParamChanged},
				{Name: "GPS_TYPE2", New: 1, Kind: ParamOnlyInFile},
				{Name: "RTL_ALT", Old: 1500, Kind: ParamOnlyOnVehicle},
				{Name: "WPNAV_SPEED", Old: 500, New: 800, Kind: ParamChanged},
			},
		},
		{
			"a difference float32 cannot carry is no change",
			[]Param{{Name: "A", Value: 16777216}},
			[]Param{{Name: "A", Value: 16777217}},
			nil,
		},
		{
			"last value of a repeated name counts",
			[]Param{{Name: "A", Value: 1}, {Name: "A", Value: 2}},
			[]Param{{Name: "A", Value: 2}},
			nil,
		},
	} {
		t.Run(ca.name, func(t *testing.T) {
			require.Equal(t, ca.want, DiffParams(ca.vehicle, ca.file))
		})
	}
}

func TestParamChangeString(t *testing.T) {
	for _, ca := range []struct {
		change ParamChange
		want   string
	}{
		{ParamChange{Name: "WPNAV_SPEED", Old: 500, New: 800, Kind: ParamChanged}, "WPNAV_SPEED: 500 → 800"},
		{ParamChange{Name: "ATC_RAT_PIT_P", Old: asFloat32(0.135), New: 0.15, Kind: ParamChanged}, "ATC_RAT_PIT_P: 0.135 → 0.15"},
		{ParamChange{Name: "GPS_TYPE2", New: 1, Kind: ParamOnlyInFile}, "GPS_TYPE2: 1 in the file, but the vehicle has no such parameter"},
		{ParamChange{Name: "RTL_ALT", Old: 1500, Kind: ParamOnlyOnVehicle}, "RTL_ALT: 1500 on the vehicle, not in the file"},
		{ParamChange{Name: "X", Old: 1, New: 2, Kind: 7}, "X: ParamChangeKind(7) (1 → 2)"},
	} {
		t.Run(ca.want, func(t *testing.T) {
			require.Equal(t, ca.want, ca.change.String())
		})
	}
	require.Equal(t, "only on vehicle", ParamOnlyOnVehicle.String())
}
