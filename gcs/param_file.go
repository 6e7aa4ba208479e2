package gcs

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// maxParamFileParams bounds the parameters a file may hold: ArduPilot has about 1,500,
// PX4 about 1,000.
const maxParamFileParams = 100_000

// paramReal64 is MAV_PARAM_TYPE_REAL64, which ParamType does not name.
const paramReal64 ParamType = 10

// paramFileFormat is one of the parameter file formats, chosen by the file's extension.
type paramFileFormat int

const (
	paramFormatMissionPlanner paramFileFormat = iota // .param, .parm: NAME,VALUE
	paramFormatQGC                                   // .params: sysid compid NAME VALUE TYPE
)

const paramFileExtensions = ".param (Mission Planner, MAVProxy), .parm (ArduPilot defaults) or .params (QGroundControl)"

func paramFormatOf(name string) (paramFileFormat, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".param", ".parm":
		return paramFormatMissionPlanner, nil
	case ".params":
		return paramFormatQGC, nil
	}
	return 0, fmt.Errorf("%s: unknown parameter file type, want %s", filepath.Base(name), paramFileExtensions)
}

// ReadParamFile reads a parameter file in the format its name's extension says:
//
//   - .param (Mission Planner) and .parm: "NAME,VALUE" per line. MAVProxy's "NAME VALUE"
//     and tabs are accepted too, and # starts a comment. These files carry no type, so
//     Param.Type is 0: the caller takes the vehicle's.
//   - .params (QGroundControl): "sysid compid NAME VALUE TYPE" per line, tab separated,
//     after # comment lines; TYPE (MAV_PARAM_TYPE) goes into Param.Type. One file holds
//     one component's parameters.
//
// Names are 1-16 letters, digits or underscores and appear once; values are finite
// numbers. Integers are read exactly; other values of all types but REAL64 are rounded to
// float32, as they travel in the parameter protocol. Errors name the line.
func ReadParamFile(name string, r io.Reader) ([]Param, error) {
	format, err := paramFormatOf(name)
	if err != nil {
		return nil, err
	}

	lr := newLineReader(r)
	var params []Param
	firstLine := map[string]int{}
	var idLine int // QGC: the first line, whose sysid and compid all others must share
	var sysID, compID string
	for {
		line, ok := lr.next()
		if !ok {
			break
		}
		if format == paramFormatMissionPlanner {
			line, _, _ = strings.Cut(line, "#")
		} else if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		var fields []string
		if format == paramFormatMissionPlanner {
			fields = strings.FieldsFunc(line, func(r rune) bool {
				return r == ',' || r == ' ' || r == '\t'
			})
		} else {
			fields = strings.Fields(line)
		}
		if len(fields) == 0 {
			continue
		}
		if len(params) == maxParamFileParams {
			return nil, fmt.Errorf("line %d: more than %d parameters", lr.n, maxParamFileParams)
		}

		var p Param
		var valueField string
		switch format {
		case paramFormatMissionPlanner:
			if len(fields) != 2 {
				return nil, fmt.Errorf("line %d: %d fields, want NAME,VALUE", lr.n, len(fields))
			}
			p.Name, valueField = fields[0], fields[1]
		case paramFormatQGC:
			if len(fields) != 5 {
				return nil, fmt.Errorf("line %d: %d fields, want 5 (vehicle id, component id, name, value, type)", lr.n, len(fields))
			}
			for i, what := range [...]string{"vehicle id", "component id"} {
				if _, err := strconv.ParseUint(fields[i], 10, 8); err != nil {
					return nil, fmt.Errorf("line %d: %s is %q, want an integer 0-255", lr.n, what, fields[i])
				}
			}
			if idLine == 0 {
				idLine, sysID, compID = lr.n, fields[0], fields[1]
			} else if fields[0] != sysID || fields[1] != compID {
				return nil, fmt.Errorf("line %d: vehicle %s component %s, but line %d is vehicle %s component %s: a file holds one component's parameters",
					lr.n, fields[0], fields[1], idLine, sysID, compID)
			}
			t, err := strconv.ParseUint(fields[4], 10, 8)
			if err != nil || t < 1 || t > uint64(paramReal64) {
				return nil, fmt.Errorf("line %d: type is %q, want a MAV_PARAM_TYPE 1-10", lr.n, fields[4])
			}
			p.Name, valueField, p.Type = fields[2], fields[3], ParamType(t)
		}

		if !validParamName(p.Name) {
			return nil, fmt.Errorf("line %d: parameter name %q is not 1-16 letters, digits or underscores", lr.n, p.Name)
		}
		if first, dup := firstLine[p.Name]; dup {
			return nil, fmt.Errorf("line %d: parameter %s again, first on line %d", lr.n, p.Name, first)
		}
		firstLine[p.Name] = lr.n
		p.Value, err = parseParamValue(valueField, p.Type)
		if err != nil {
			return nil, fmt.Errorf("line %d: %s value is %q, %w", lr.n, p.Name, valueField, err)
		}
		params = append(params, p)
	}
	if err := lr.err(); err != nil {
		return nil, err
	}
	return params, nil
}

// parseParamValue reads a value as the vehicle will hold it: integers exactly (PX4 sends
// INT32 values bytewise, so all 32 bits count), REAL64 in full, anything else rounded to
// float32 as PARAM_VALUE carries it.
func parseParamValue(s string, t ParamType) (float64, error) {
	v, err := parseDecimal(s, 64)
	if err != nil {
		return 0, err
	}
	if t == paramReal64 || (v == math.Trunc(v) && math.Abs(v) < maxExactInt) {
		return v, nil
	}
	v, err = parseDecimal(s, 32)
	if err != nil {
		return 0, fmt.Errorf("too large for a float32")
	}
	return v, nil
}

// formatParamValue is the inverse of parseParamValue.
func formatParamValue(p Param) string {
	if p.Type == paramReal64 {
		return strconv.FormatFloat(p.Value, 'f', -1, 64)
	}
	return formatWireFloat(p.Value)
}

// validParamName reports whether name fits PARAM_VALUE's 16-character id and is made of the
// characters ArduPilot and PX4 use.
func validParamName(name string) bool {
	if len(name) == 0 || len(name) > 16 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// WriteParamFile writes params in the format name's extension says, sorted by name as
// Mission Planner and QGroundControl write them. sysID and compID go into each line of a
// .params file, which also needs every parameter's Type; .param files carry neither. Values
// that travel as float32 get the fewest digits that read back to the same float32 (0.2, not
// 0.20000000298023224), integers all their digits. Parameters ReadParamFile would refuse
// (bad or repeated names, NaN, infinities, values beyond float32) are refused before
// anything is written.
func WriteParamFile(name string, w io.Writer, params []Param, sysID, compID uint8) error {
	format, err := paramFormatOf(name)
	if err != nil {
		return err
	}
	if len(params) > maxParamFileParams {
		return fmt.Errorf("%d parameters, more than the %d a file may hold", len(params), maxParamFileParams)
	}
	sorted := slices.Clone(params)
	slices.SortStableFunc(sorted, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
	for i, p := range sorted {
		if err := checkParam(p, format); err != nil {
			return err
		}
		if i > 0 && sorted[i-1].Name == p.Name {
			return fmt.Errorf("parameter %s appears twice", p.Name)
		}
	}

	bw := bufio.NewWriter(w)
	if format == paramFormatQGC {
		fmt.Fprintf(bw, "# Onboard parameters for Vehicle %d\n", sysID)
		bw.WriteString("#\n# MAV ID  COMPONENT ID  PARAM NAME  VALUE (FLOAT) TYPE\n")
	}
	for _, p := range sorted {
		switch format {
		case paramFormatMissionPlanner:
			bw.WriteString(p.Name + "," + formatParamValue(p) + "\n")
		case paramFormatQGC:
			fmt.Fprintf(bw, "%d\t%d\t%s\t%s\t%d\n", sysID, compID, p.Name, formatParamValue(p), p.Type)
		}
	}
	return bw.Flush()
}

func checkParam(p Param, format paramFileFormat) error {
	if !validParamName(p.Name) {
		return fmt.Errorf("parameter name %q is not 1-16 letters, digits or underscores", p.Name)
	}
	if format == paramFormatQGC && (p.Type < 1 || p.Type > paramReal64) {
		return fmt.Errorf("parameter %s: type %d is not a MAV_PARAM_TYPE; .params files need each parameter's type", p.Name, p.Type)
	}
	check := checkWireFloat32
	if p.Type == paramReal64 {
		check = checkFiniteValue
	}
	if err := check(p.Value); err != nil {
		return fmt.Errorf("parameter %s: value %w", p.Name, err)
	}
	return nil
}
