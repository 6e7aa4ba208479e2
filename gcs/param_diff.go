package gcs

import (
	"fmt"
	"slices"
	"strings"
)

// ParamChangeKind says how a parameter differs between the vehicle and a file.
type ParamChangeKind int

// Parameter change kinds.
const (
	// ParamChanged: both have the parameter, with different values; loading the file
	// writes New.
	ParamChanged ParamChangeKind = iota
	// ParamOnlyInFile: the vehicle has no such parameter, so it cannot be written (a
	// different firmware, or a feature not enabled).
	ParamOnlyInFile
	// ParamOnlyOnVehicle: the file does not mention the parameter; loading the file leaves
	// it as it is.
	ParamOnlyOnVehicle
)

func (k ParamChangeKind) String() string {
	switch k {
	case ParamChanged:
		return "changed"
	case ParamOnlyInFile:
		return "only in file"
	case ParamOnlyOnVehicle:
		return "only on vehicle"
	}
	return fmt.Sprintf("ParamChangeKind(%d)", int(k))
}

// ParamChange is one difference between the vehicle's parameters and a file's. Old is the
// vehicle's value (0 for ParamOnlyInFile), New the file's (0 for ParamOnlyOnVehicle).
type ParamChange struct {
	Name     string
	Old, New float64
	Kind     ParamChangeKind
}

// String says the change in one line for the operator, such as "WPNAV_SPEED: 500 → 800".
func (c ParamChange) String() string {
	switch c.Kind {
	case ParamChanged:
		return c.Name + ": " + formatWireFloat(c.Old) + " → " + formatWireFloat(c.New)
	case ParamOnlyInFile:
		return c.Name + ": " + formatWireFloat(c.New) + " in the file, but the vehicle has no such parameter"
	case ParamOnlyOnVehicle:
		return c.Name + ": " + formatWireFloat(c.Old) + " on the vehicle, not in the file"
	}
	return fmt.Sprintf("%s: %v (%s → %s)", c.Name, c.Kind, formatWireFloat(c.Old), formatWireFloat(c.New))
}

// DiffParams compares the vehicle's parameters with a file's, before the file is loaded, and
// returns the differences sorted by name. Values are compared as float32, the precision
// they travel with, so a value read back from a file the vehicle wrote is not a change.
// If a name appears more than once in a list, its last value counts.
func DiffParams(vehicle, file []Param) []ParamChange {
	onVehicle := make(map[string]float64, len(vehicle))
	for _, p := range vehicle {
		onVehicle[p.Name] = p.Value
	}
	inFile := make(map[string]float64, len(file))
	for _, p := range file {
		inFile[p.Name] = p.Value
	}

	var changes []ParamChange
	for name, nv := range inFile {
		ov, ok := onVehicle[name]
		switch {
		case !ok:
			changes = append(changes, ParamChange{Name: name, New: nv, Kind: ParamOnlyInFile})
		case float32(ov) != float32(nv):
			changes = append(changes, ParamChange{Name: name, Old: ov, New: nv, Kind: ParamChanged})
		}
	}
	for name, ov := range onVehicle {
		if _, ok := inFile[name]; !ok {
			changes = append(changes, ParamChange{Name: name, Old: ov, Kind: ParamOnlyOnVehicle})
		}
	}
	slices.SortFunc(changes, func(a, b ParamChange) int { return strings.Compare(a.Name, b.Name) })
	return changes
}
