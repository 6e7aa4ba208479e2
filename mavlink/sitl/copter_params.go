package sitl

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/vigil-gcs/vigil/gcs"
)

// paramTable holds the parameters sorted by name, so index order is stable; behaviour reads
// its parameters from here on every step, so PARAM_SET changes how the copter flies.
type paramTable struct {
	list  []gcs.Param
	index map[string]int
}

// newParamTable loads ArduCopter's defaults plus extra synthetic parameters.
func newParamTable(extra int) paramTable { return newParamTableFrom(defaultParams, extra) }

// newParamTableFrom loads a vehicle's defaults plus extra synthetic parameters.
func newParamTableFrom(defaults []gcs.Param, extra int) paramTable {
	list := slices.Clone(defaults)
	for i := range list {
		list[i].Value = storedValue(list[i].Type, list[i].Value)
	}
	for i := 1; i <= extra; i++ {
		list = append(list, gcs.Param{
			Name:  fmt.Sprintf("SIM_EXTRA_%04d", i),
			Value: float64(float32(float64(i%97) * 0.25)),
			Type:  gcs.ParamReal32,
		})
	}
	slices.SortFunc(list, func(a, b gcs.Param) int { return strings.Compare(a.Name, b.Name) })
	list = slices.CompactFunc(list, func(a, b gcs.Param) bool { return a.Name == b.Name })
	t := paramTable{list: list, index: make(map[string]int, len(list))}
	for i, p := range list {
		t.index[p.Name] = i
	}
	return t
}

// set stores a value as the parameter's type would hold it; false for an unknown name.
func (t *paramTable) set(name string, v float64) (gcs.Param, bool) {
	i, ok := t.index[name]
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return gcs.Param{}, false
	}
	p := &t.list[i]
	p.Value = storedValue(p.Type, v)
	return *p, true
}

// intParamLimits are the ranges of the integer parameter types.
var intParamLimits = map[gcs.ParamType][2]float64{
	gcs.ParamUint8: {0, math.MaxUint8}, gcs.ParamInt8: {math.MinInt8, math.MaxInt8},
	gcs.ParamUint16: {0, math.MaxUint16}, gcs.ParamInt16: {math.MinInt16, math.MaxInt16},
	gcs.ParamUint32: {0, math.MaxUint32}, gcs.ParamInt32: {math.MinInt32, math.MaxInt32},
}

// storedValue rounds and saturates v to what a parameter of type typ can hold.
func storedValue(typ gcs.ParamType, v float64) float64 {
	if l, ok := intParamLimits[typ]; ok {
		return clamp(math.Round(v), l[0], l[1])
	}
	return float64(float32(v))
}

// param reads a parameter's value; unknown names read 0.
func (c *Copter) param(name string) float64 {
	if i, ok := c.params.index[name]; ok {
		return c.params.list[i].Value
	}
	return 0
}

// Params lists every parameter, sorted by name.
func (c *Copter) Params() []gcs.Param { return slices.Clone(c.params.list) }

// SetParam stores a value; false for an unknown name.
func (c *Copter) SetParam(name string, value float64) (gcs.Param, bool) {
	return c.params.set(name, value)
}
