package gcs

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// waypointsHeader is the first line of a Mission Planner / ArduPilot .waypoints file.
const waypointsHeader = "QGC WPL 110"

// maxWaypointItems bounds the items ReadWaypoints accepts: far more than any autopilot
// stores (ArduPilot's limit is a few thousand on most boards), far fewer than would strain
// the station.
const maxWaypointItems = 100_000

// waypointsFields names the columns of a .waypoints line, for error messages.
var waypointsFields = [...]string{
	"seq", "current", "frame", "command",
	"p1", "p2", "p3", "p4", "x", "y", "z", "autocontinue",
}

// ReadWaypoints reads a .waypoints file (QGC WPL 110), the mission format of Mission
// Planner, MAVProxy and ArduPilot's own tools. Each line after the header is one item:
//
//	seq current frame command p1 p2 p3 p4 x y z autocontinue
//
// with x the latitude and y the longitude for global frames. Item 0 is home, as ArduPilot
// keeps it, and is returned as an item. Fields may be separated by tabs or spaces; CRLF line
// ends, blank lines and trailing white space are accepted. p1-p4 and z travel as float32 in
// the mission protocol and are returned rounded to float32, the values the vehicle will
// hold. Errors name the line and what is wrong with it.
func ReadWaypoints(r io.Reader) ([]MissionItem, error) {
	lr := newLineReader(r)

	var header string
	for {
		line, ok := lr.next()
		if !ok {
			if err := lr.err(); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("line %d: not a waypoints file: it is empty, want %q", lr.n+1, waypointsHeader)
		}
		if strings.TrimSpace(line) != "" {
			header = strings.Join(strings.Fields(line), " ")
			break
		}
	}
	switch header {
	case waypointsHeader:
	case "QGC WPL 120":
		// QGroundControl 2's files: same lines, but without the home item, so reading them
		// as they are would make the first waypoint home.
		return nil, fmt.Errorf("line %d: QGC WPL 120 files (old QGroundControl) have no home item; want %q", lr.n, waypointsHeader)
	default:
		return nil, fmt.Errorf("line %d: not a waypoints file: want %q", lr.n, waypointsHeader)
	}

	var items []MissionItem
	for {
		line, ok := lr.next()
		if !ok {
			break
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if len(items) == maxWaypointItems {
			return nil, fmt.Errorf("line %d: more than %d items", lr.n, maxWaypointItems)
		}
		it, err := parseWaypointsLine(fields, len(items))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", lr.n, err)
		}
		items = append(items, it)
	}
	if err := lr.err(); err != nil {
		return nil, err
	}
	return items, nil
}

func parseWaypointsLine(fields []string, seq int) (MissionItem, error) {
	if len(fields) != len(waypointsFields) {
		return MissionItem{}, fmt.Errorf("%d fields, want %d (%s)",
			len(fields), len(waypointsFields), strings.Join(waypointsFields[:], " "))
	}
	var it MissionItem
	var err error
	uintField := func(i int, bits int, want string) uint64 {
		if err != nil {
			return 0
		}
		v, e := strconv.ParseUint(fields[i], 10, bits)
		if e != nil {
			err = fmt.Errorf("field %d (%s) is %q, want %s", i+1, waypointsFields[i], fields[i], want)
		}
		return v
	}
	boolField := func(i int) bool {
		v := uintField(i, 64, "0 or 1")
		if err == nil && v > 1 {
			err = fmt.Errorf("field %d (%s) is %q, want 0 or 1", i+1, waypointsFields[i], fields[i])
		}
		return v == 1
	}
	floatField := func(i int, bits int) float64 {
		if err != nil {
			return 0
		}
		v, e := parseDecimal(fields[i], bits)
		if e != nil {
			err = fmt.Errorf("field %d (%s) is %q, %w", i+1, waypointsFields[i], fields[i], e)
		}
		return v
	}

	if s := uintField(0, 64, "an integer"); err == nil && s != uint64(seq) {
		return MissionItem{}, fmt.Errorf("seq is %d, want %d: items must be numbered 0, 1, 2… in order", s, seq)
	}
	it.Current = boolField(1)
	it.Frame = uint8(uintField(2, 8, "an integer 0-255"))
	it.Command = uint16(uintField(3, 16, "an integer 0-65535"))
	it.Param1 = floatField(4, 32)
	it.Param2 = floatField(5, 32)
	it.Param3 = floatField(6, 32)
	it.Param4 = floatField(7, 32)
	it.X = floatField(8, 64)
	it.Y = floatField(9, 64)
	it.Z = floatField(10, 32)
	it.Autocontinue = boolField(11)
	if err != nil {
		return MissionItem{}, err
	}
	return it, nil
}

// WriteWaypoints writes items as a .waypoints file (QGC WPL 110) the way Mission Planner
// does: tab-separated fields, LF line ends, item 0 (home) first. Latitude and longitude get
// the fewest digits that read back to the same float64; p1-p4 and z, which travel as float32,
// the fewest that read back to the same float32, so 0.2 is written "0.2". Items that could
// not be read back (NaN, infinities, a float32 field out of float32's range, too many items)
// are refused before anything is written.
func WriteWaypoints(w io.Writer, items []MissionItem) error {
	if len(items) > maxWaypointItems {
		return fmt.Errorf("%d items, more than the %d a waypoints file may hold", len(items), maxWaypointItems)
	}
	for i, it := range items {
		if err := checkWaypointsItem(it); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}

	bw := bufio.NewWriter(w)
	bw.WriteString(waypointsHeader + "\n")
	var line []byte
	for i, it := range items {
		line = line[:0]
		line = strconv.AppendInt(line, int64(i), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(waypointsBool(it.Current)), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(it.Frame), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(it.Command), 10)
		for _, v := range [...]float64{it.Param1, it.Param2, it.Param3, it.Param4} {
			line = append(line, '\t')
			line = append(line, formatWireFloat(v)...)
		}
		line = append(line, '\t')
		line = strconv.AppendFloat(line, it.X, 'f', -1, 64)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, it.Y, 'f', -1, 64)
		line = append(line, '\t')
		line = append(line, formatWireFloat(it.Z)...)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(waypointsBool(it.Autocontinue)), 10)
		line = append(line, '\n')
		bw.Write(line)
	}
	return bw.Flush()
}

// checkWaypointsItem refuses values ReadWaypoints would refuse.
func checkWaypointsItem(it MissionItem) error {
	wire := [...]struct {
		name string
		v    float64
	}{{"p1", it.Param1}, {"p2", it.Param2}, {"p3", it.Param3}, {"p4", it.Param4}, {"z", it.Z}}
	for _, f := range wire {
		if err := checkWireFloat32(f.v); err != nil {
			return fmt.Errorf("%s %w", f.name, err)
		}
	}
	if err := checkFiniteValue(it.X); err != nil {
		return fmt.Errorf("x %w", err)
	}
	if err := checkFiniteValue(it.Y); err != nil {
		return fmt.Errorf("y %w", err)
	}
	return nil
}

func checkFiniteValue(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("is %v, want a finite number", v)
	}
	return nil
}

// checkWireFloat32 refuses values that do not survive the trip through a float32.
func checkWireFloat32(v float64) error {
	if err := checkFiniteValue(v); err != nil {
		return err
	}
	if math.IsInf(float64(float32(v)), 0) {
		return fmt.Errorf("is %g, too large for a float32", v)
	}
	return nil
}

func waypointsBool(b bool) int {
	if b {
		return 1
	}
	return 0
}
