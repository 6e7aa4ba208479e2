package gcs

import (
	"fmt"
	"math"
	"strings"
)

var paramTypeNames = map[ParamType]string{
	ParamUint8: "UINT8", ParamInt8: "INT8", ParamUint16: "UINT16", ParamInt16: "INT16",
	ParamUint32: "UINT32", ParamInt32: "INT32", ParamReal32: "REAL32", paramReal64: "REAL64",
}

// String names the type as MAV_PARAM_TYPE does, without its prefix ("INT16", "REAL32");
// the zero type, which files without types give, is "".
func (t ParamType) String() string {
	if n, ok := paramTypeNames[t]; ok {
		return n
	}
	if t == 0 {
		return ""
	}
	return fmt.Sprintf("ParamType(%d)", uint8(t))
}

// Range is the values a parameter of this type can hold, and whether only whole numbers.
// Unknown types (0) are taken as REAL32, the type of most parameters.
func (t ParamType) Range() (lo, hi float64, integer bool) {
	switch t {
	case ParamUint8:
		return 0, math.MaxUint8, true
	case ParamInt8:
		return math.MinInt8, math.MaxInt8, true
	case ParamUint16:
		return 0, math.MaxUint16, true
	case ParamInt16:
		return math.MinInt16, math.MaxInt16, true
	case ParamUint32:
		return 0, math.MaxUint32, true
	case ParamInt32:
		return math.MinInt32, math.MaxInt32, true
	case paramReal64:
		return -math.MaxFloat64, math.MaxFloat64, false
	}
	return -math.MaxFloat32, math.MaxFloat32, false
}

// ParseParamValue reads a value an operator typed for a parameter of type t: a decimal
// number within the type's range, whole for integer types. The value is kept as typed
// (0.2, not its float32 0.20000000298023224) so that it reads well in confirmations and the
// audit record; compare it with what the vehicle confirms with SameParamValue. Errors are sentences naming the problem ("INT8 holds -128 to 127, not 300").
func ParseParamValue(text string, t ParamType) (float64, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return 0, fmt.Errorf("no value: type a number")
	}
	v, err := parseDecimal(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	lo, hi, integer := t.Range()
	name := t.String()
	if name == "" {
		name = "the parameter"
	}
	if integer && v != math.Trunc(v) {
		return 0, fmt.Errorf("%s holds whole numbers only, not %s", name, s)
	}
	if v < lo || v > hi {
		if !integer {
			return 0, fmt.Errorf("%s is too large for %s (±%.2g at most)", s, name, hi)
		}
		return 0, fmt.Errorf("%s holds %s to %s, not %s", name, formatWireFloat(lo), formatWireFloat(hi), s)
	}
	if v == 0 {
		v = 0 // no "-0" shown back to the operator
	}
	return v, nil
}

// FormatParamValue writes a parameter's value the way parameter files and the operator
// read it: integers with all their digits, float32 values with the fewest digits that
// read back the same (0.2, not 0.20000000298023224).
func FormatParamValue(p Param) string { return formatParamValue(p) }

// SameParamValue reports whether two values are the same once on the vehicle: compared as
// float32, the precision they travel with.
func SameParamValue(a, b float64) bool { return float32(a) == float32(b) }
