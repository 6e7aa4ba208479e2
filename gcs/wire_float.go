package gcs

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// maxExactInt is the largest magnitude below which every integer is a float64.
const maxExactInt = 1 << 53

// formatWireFloat formats a value that travels in MAVLink as a float32 (mission item
// parameters and altitude, parameter values) the way a person would write it and so that
// it reads back to the same float32: a value the vehicle sent is a widened float32, and
// written with float64 digits 0.2 would come out as "0.20000000298023224". Integers are
// written with all their digits ("1073741824", not the float32-shortest "1073741800"), and a
// value that is not a float32 keeps full float64 precision in the file.
func formatWireFloat(v float64) string {
	switch {
	case v == math.Trunc(v):
		// float32-shortest digits of a large integer ("9007199000000000" for 2^53) would
		// read back as a different integer where integers are read exactly.
		return strconv.FormatFloat(v, 'f', -1, 64)
	case float64(float32(v)) == v:
		return strconv.FormatFloat(v, 'f', -1, 32)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// parseDecimal parses a decimal number as the file formats write them, rounded to a float
// of the given bit size. It refuses NaN and infinities (including values too large for the
// bit size) and the Go-only spellings strconv accepts (hex floats, underscores), which no
// other tool reading the same file would understand. The error completes "is %q, ".
func parseDecimal(s string, bitSize int) (float64, error) {
	v, err := strconv.ParseFloat(s, bitSize)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange),
		strings.ContainsAny(s, "_xXpP"):
		return 0, errors.New("want a number")
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return 0, errors.New("want a finite number")
	}
	return v, nil
}
