package gcs

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// ErrBadIncident is returned, wrapped in a sentence saying what is missing, for an
// incident that cannot be recorded.
var ErrBadIncident = errors.New("incident invalid")

// IncidentSeverity is how serious the operator judges an incident.
type IncidentSeverity int

// Severities, least serious first.
const (
	IncidentLow IncidentSeverity = iota + 1
	IncidentMedium
	IncidentHigh
	IncidentCritical
)

var incidentSeverityNames = [...]string{"", "low", "medium", "high", "critical"}

func (s IncidentSeverity) String() string {
	if s >= IncidentLow && s <= IncidentCritical {
		return incidentSeverityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseIncidentSeverity reads "low", "medium", "high" or "critical" (any case).
func ParseIncidentSeverity(s string) (IncidentSeverity, error) {
	for i, n := range incidentSeverityNames {
		if i > 0 && strings.EqualFold(strings.TrimSpace(s), n) {
			return IncidentSeverity(i), nil
		}
	}
	return 0, fmt.Errorf("%w: severity %q is not one of low, medium, high, critical", ErrBadIncident, s)
}

// IncidentCategories are the categories the station offers, after the incident types of
// the UN's situational-awareness platform (SAGE). Others may be typed in.
var IncidentCategories = []string{
	"armed clash", "attack on civilians", "crime", "demonstration", "displacement",
	"explosive hazard", "movement of armed groups", "natural hazard", "roadblock", "other",
}

// Incident is something the operator marked on the map as worth reporting: a target, or a
// point, with a category, a note and a severity.
type Incident struct {
	// ID is the incident's number in the mission's record, 0 until it is stored.
	ID   int64
	Time time.Time
	// TargetID is the target marked, or 0 for a map point.
	TargetID int64
	// Point is where the incident is: the target's position when it was marked, or the
	// point clicked.
	Point    orb.Point
	Category string
	Severity IncidentSeverity
	Note     string
}

// Validate returns an error wrapping ErrBadIncident when the incident lacks a time, a
// category or a valid severity, or its point is off the globe.
func (in Incident) Validate() error {
	switch {
	case in.Time.IsZero():
		return fmt.Errorf("%w: it has no time", ErrBadIncident)
	case strings.TrimSpace(in.Category) == "":
		return fmt.Errorf("%w: choose a category (%s)", ErrBadIncident, strings.Join(IncidentCategories, ", "))
	case in.Severity < IncidentLow || in.Severity > IncidentCritical:
		return fmt.Errorf("%w: severity %d is not one of low, medium, high, critical", ErrBadIncident, int(in.Severity))
	case !(in.Point[1] >= -90 && in.Point[1] <= 90 && in.Point[0] >= -180 && in.Point[0] <= 180):
		return fmt.Errorf("%w: point %v is off the globe", ErrBadIncident, in.Point)
	}
	return nil
}

// MarkTarget returns an incident for target t at the target's current position.
func MarkTarget(at time.Time, t Target, category string, sev IncidentSeverity, note string) (Incident, error) {
	in := Incident{Time: at, TargetID: t.ID, Point: t.Point, Category: category, Severity: sev, Note: note}
	return in, in.Validate()
}

// MarkPoint returns an incident at a point on the map.
func MarkPoint(at time.Time, pt orb.Point, category string, sev IncidentSeverity, note string) (Incident, error) {
	in := Incident{Time: at, Point: pt, Category: category, Severity: sev, Note: note}
	return in, in.Validate()
}
