package gcs

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// ErrBadZone is returned, wrapped in a sentence naming the zone and what is wrong, for a
// zone whose polygon or rules cannot be used.
var ErrBadZone = errors.New("zone invalid")

// Zone is an area the operator watches: a polygon on the map, in degrees, with the rules
// that raise alerts about targets in it.
type Zone struct {
	// ID is the zone's number in the mission's record, 0 until it is stored.
	ID   int64
	Name string
	// Polygon is the outer ring first, then any holes; rings are closed (first point
	// repeated last) once the zone is validated.
	Polygon orb.Polygon
	Rules   []ZoneRule
}

// Contains reports whether pt is inside the zone (on an edge counts as inside).
func (z Zone) Contains(pt orb.Point) bool {
	return planar.PolygonContains(z.Polygon, pt)
}

// Validate closes the zone's rings, drops repeated consecutive points, and returns an error
// wrapping ErrBadZone when a ring has fewer than three corners, no area, coordinates off
// the globe, or crosses itself.
func (z *Zone) Validate() error {
	if len(z.Polygon) == 0 {
		return fmt.Errorf("%w: %s has no outline", ErrBadZone, z.label())
	}
	for i, r := range z.Polygon {
		ring, err := cleanRing(r)
		if err != nil {
			what := "outline"
			if i > 0 {
				what = fmt.Sprintf("hole %d", i)
			}
			return fmt.Errorf("%w: %s's %s %w", ErrBadZone, z.label(), what, err)
		}
		z.Polygon[i] = ring
	}
	for i := 1; i < len(z.Polygon); i++ {
		if err := holeInside(z.Polygon[0], z.Polygon[i]); err != nil {
			return fmt.Errorf("%w: %s's hole %d %w", ErrBadZone, z.label(), i, err)
		}
	}
	for _, r := range z.Rules {
		if r.Kind == RuleMoreThan && r.N < 0 {
			return fmt.Errorf("%w: %s: %q needs a count of 0 or more", ErrBadZone, z.label(), r)
		}
	}
	return nil
}

func (z Zone) label() string {
	if z.Name != "" {
		return fmt.Sprintf("zone %q", z.Name)
	}
	return "the zone"
}

// cleanRing returns r closed and without repeated consecutive points, or says what is wrong
// with it (as the end of a sentence starting with the ring's name).
func cleanRing(r orb.Ring) (orb.Ring, error) {
	var out orb.Ring
	for _, p := range r {
		if !(p[1] >= -90 && p[1] <= 90 && p[0] >= -180 && p[0] <= 180) {
			return nil, fmt.Errorf("has a point off the globe: longitude %v, latitude %v", p[0], p[1])
		}
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return nil, fmt.Errorf("has %d distinct corner(s); a polygon needs at least 3", len(out))
	}
	out = append(out, out[0])
	if i, j, ok := selfCrossing(out); ok {
		return nil, fmt.Errorf("crosses itself: edge %d (%v to %v) meets edge %d (%v to %v); draw it again without crossing",
			i+1, fmtPoint(out[i]), fmtPoint(out[i+1]), j+1, fmtPoint(out[j]), fmtPoint(out[j+1]))
	}
	if math.Abs(planar.Area(out)) < 1e-14 { // about 0.1 m² at the equator
		return nil, errors.New("has no area (all its corners are on one line)")
	}
	return out, nil
}

// holeInside says how hole fails to lie strictly inside the outline, or returns nil.
func holeInside(outline, hole orb.Ring) error {
	for _, p := range hole {
		if !planar.RingContains(outline, p) {
			return fmt.Errorf("has a corner (%s) outside the outline", fmtPoint(p))
		}
	}
	for i := 0; i+1 < len(hole); i++ {
		for j := 0; j+1 < len(outline); j++ {
			if segmentsMeet(hole[i], hole[i+1], outline[j], outline[j+1], false) {
				return fmt.Errorf("edge %d touches the outline's edge %d", i+1, j+1)
			}
		}
	}
	return nil
}

// fmtPoint writes a point as latitude and longitude, the way operators read them.
func fmtPoint(p orb.Point) string {
	return strconv.FormatFloat(p[1], 'f', 6, 64) + " " + strconv.FormatFloat(p[0], 'f', 6, 64)
}

// selfCrossing returns two edges (by their first point's index) of the closed ring r that
// touch or cross, other than neighbours meeting at their shared corner.
func selfCrossing(r orb.Ring) (int, int, bool) {
	n := len(r) - 1 // edges
	for i := range n {
		for j := i + 1; j < n; j++ {
			neighbours := j == i+1 || (i == 0 && j == n-1)
			if segmentsMeet(r[i], r[i+1], r[j], r[j+1], neighbours) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// segmentsMeet reports whether segments ab and cd share a point. Neighbouring segments
// (b == c, or d == a for the closing pair) share a corner by construction; for them only an
// overlap along a line counts.
func segmentsMeet(a, b, c, d orb.Point, neighbours bool) bool {
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	if neighbours {
		// Sharing one corner is fine; folding back over the other edge is not.
		if o1 == 0 && o2 == 0 {
			return onSegment(a, b, c) && c != a && c != b || onSegment(a, b, d) && d != a && d != b ||
				onSegment(c, d, a) && a != c && a != d || onSegment(c, d, b) && b != c && b != d
		}
		return false
	}
	if o1 != o2 && o3 != o4 && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
		return true
	}
	return o1 == 0 && onSegment(a, b, c) || o2 == 0 && onSegment(a, b, d) ||
		o3 == 0 && onSegment(c, d, a) || o4 == 0 && onSegment(c, d, b)
}

// orient is the side of line ab that c is on: 1 left, -1 right, 0 on it.
func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSegment reports whether c, known to be on line ab, lies between a and b.
func onSegment(a, b, c orb.Point) bool {
	return min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1])
}

// RuleKind is what a zone rule watches for.
type RuleKind int

// Rule kinds.
const (
	// RuleInside: at least one target of the class is in the zone ("a person inside").
	RuleInside RuleKind = iota + 1
	// RuleEnters: a target of the class comes into the zone ("any vehicle enters"), once
	// per target.
	RuleEnters
	// RuleMoreThan: more than N targets of the class are in the zone at once ("more than
	// 5 people").
	RuleMoreThan
)

// ZoneRule is one condition that raises an alert. Class is a detector class ("person",
// "car"), "vehicle" for any road vehicle, or "any" for every class.
type ZoneRule struct {
	Kind  RuleKind
	Class string
	N     int // for RuleMoreThan
}

// vehicleClasses are the detector (COCO) classes a "vehicle" rule covers.
var vehicleClasses = []string{"car", "truck", "bus", "motorcycle", "bicycle", "vehicle"}

// Matches reports whether a target of class counts for the rule.
func (r ZoneRule) Matches(class string) bool {
	switch r.Class {
	case "any", "":
		return true
	case "vehicle":
		for _, c := range vehicleClasses {
			if c == class {
				return true
			}
		}
		return false
	}
	return r.Class == class
}

// String writes the rule the way ParseZoneRule reads it.
func (r ZoneRule) String() string {
	switch r.Kind {
	case RuleInside:
		return r.Class + " inside"
	case RuleEnters:
		return r.Class + " enters"
	case RuleMoreThan:
		return fmt.Sprintf("more than %d %s", r.N, r.Class)
	}
	return fmt.Sprintf("rule(%d)", int(r.Kind))
}

// ParseZoneRule reads a rule written the way an operator says it: "person inside",
// "a person inside", "any vehicle enters", "car enters", "more than 5 people". Plurals
// and articles are accepted; case does not matter.
func ParseZoneRule(s string) (ZoneRule, error) {
	words := strings.Fields(strings.ToLower(s))
	bad := fmt.Errorf("rule %q not understood: write \"CLASS inside\", \"CLASS enters\" or \"more than N CLASS\" (CLASS: person, car, vehicle, any, …)", s)
	if len(words) == 0 {
		return ZoneRule{}, bad
	}
	if len(words) >= 3 && words[0] == "more" && words[1] == "than" {
		n, err := strconv.Atoi(words[2])
		if err != nil || n < 0 {
			return ZoneRule{}, bad
		}
		class, ok := ruleClass(words[3:])
		if !ok {
			return ZoneRule{}, bad
		}
		return ZoneRule{Kind: RuleMoreThan, Class: class, N: n}, nil
	}
	var kind RuleKind
	switch words[len(words)-1] {
	case "inside", "in":
		kind = RuleInside
	case "enters", "enter", "entering":
		kind = RuleEnters
	default:
		return ZoneRule{}, bad
	}
	class, ok := ruleClass(words[:len(words)-1])
	if !ok {
		return ZoneRule{}, bad
	}
	return ZoneRule{Kind: kind, Class: class}, nil
}

// classAliases are the words operators use for a class, and plurals that do not end in s.
var classAliases = map[string]string{
	"people": "person", "persons": "person", "buses": "bus",
	"object": "any", "objects": "any", "thing": "any", "things": "any",
	"target": "any", "targets": "any", "anything": "any",
}

// ruleClass reads the class from words like "a person", "any vehicle", "people".
func ruleClass(words []string) (string, bool) {
	if len(words) > 0 && (words[0] == "a" || words[0] == "an" || words[0] == "any") {
		if len(words) == 1 && words[0] == "any" {
			return "any", true
		}
		words = words[1:]
	}
	if len(words) != 1 {
		return "", false
	}
	w := words[0]
	if w == "" || strings.ContainsAny(w, "0123456789") {
		return "", false
	}
	if c, ok := classAliases[w]; ok {
		return c, true
	}
	if strings.HasSuffix(w, "s") && len(w) > 3 && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") {
		w = strings.TrimSuffix(w, "s")
	}
	if c, ok := classAliases[w]; ok {
		return c, true
	}
	return w, true
}
