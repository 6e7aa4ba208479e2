package gcs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrNoAlert is returned when acknowledging an alert the station does not have.
var ErrNoAlert = errors.New("no such alert")

// Alert is a zone rule that fired: raised once, shown until the operator acknowledges it.
type Alert struct {
	// ID is the alert's number, from 1 in the order alerts were raised.
	ID       int64
	Time     time.Time
	ZoneID   int64
	ZoneName string
	Rule     ZoneRule
	// Targets are the targets that made the rule fire, by ID.
	Targets []int64
	// Message is the sentence shown to the operator.
	Message string
	// AckTime is when the operator acknowledged the alert, zero until then.
	AckTime time.Time
}

// Acknowledged reports whether the operator has seen the alert.
func (a Alert) Acknowledged() bool { return !a.AckTime.IsZero() }

const (
	alerterDefaultCoolDown  = 5 * time.Minute
	alerterDefaultInsideFor = 3
	alerterDefaultForget    = 30 * time.Second
)

// Alerter watches targets against zones and raises alerts. A target counts as in a zone
// once InsideFor consecutive sightings put it inside (a single stray geotag at the edge
// does not), and out again at the first sighting outside or when it has not been seen for
// Forget. "Inside" and "more than N" rules fire when their condition becomes true and not
// again while it stays true; "enters" fires for each target that comes in. No rule fires
// again for the same zone (and, for "enters", the same target) within CoolDown of its last
// alert, so a target pacing along the edge raises one alert, not fifty.
//
// The zero value is ready to use with the defaults; set Zones before the first Observe.
// It is safe for concurrent use.
type Alerter struct {
	// Zones are the zones watched.
	Zones []Zone
	// CoolDown is the least time between two alerts of one rule. It defaults to 5 minutes.
	CoolDown time.Duration
	// InsideFor is how many consecutive sightings inside make a target count as in a zone.
	// It defaults to 3.
	InsideFor int
	// Forget is how long a target not seen still counts as in a zone. It defaults to 30 s.
	Forget time.Duration

	mu     sync.Mutex
	inside map[zoneTarget]*zoneMember
	active map[ruleKey]bool      // zone-level condition currently true
	last   map[ruleKey]time.Time // last alert of a rule (and target, for enters)
	alerts []Alert
	nextID int64
}

type zoneTarget struct {
	zone   int // index in Zones
	target int64
}

type zoneMember struct {
	class    string
	streak   int // consecutive sightings inside
	in       bool
	lastSeen time.Time
}

type ruleKey struct {
	zone, rule int
	target     int64 // for RuleEnters, else 0
}

func (a *Alerter) coolDown() time.Duration {
	if a.CoolDown <= 0 {
		return alerterDefaultCoolDown
	}
	return a.CoolDown
}

func (a *Alerter) insideFor() int {
	if a.InsideFor <= 0 {
		return alerterDefaultInsideFor
	}
	return a.InsideFor
}

func (a *Alerter) forget() time.Duration {
	if a.Forget <= 0 {
		return alerterDefaultForget
	}
	return a.Forget
}

// Observe takes the target's position after a new sighting at time at, and returns the
// alerts it raised (usually none).
func (a *Alerter) Observe(at time.Time, t Target) []Alert {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.inside == nil {
		a.inside = make(map[zoneTarget]*zoneMember)
		a.active = make(map[ruleKey]bool)
		a.last = make(map[ruleKey]time.Time)
	}
	var raised []Alert
	for zi := range a.Zones {
		z := &a.Zones[zi]
		key := zoneTarget{zi, t.ID}
		m := a.inside[key]
		if m == nil {
			m = &zoneMember{}
			a.inside[key] = m
		}
		m.class, m.lastSeen = t.Class, at
		wasIn := m.in
		if z.Contains(t.Point) {
			m.streak++
			m.in = m.streak >= a.insideFor()
		} else {
			m.streak, m.in = 0, false
		}
		members := a.members(zi, at)
		for ri, r := range z.Rules {
			if !r.Matches(t.Class) && r.Kind == RuleEnters {
				continue
			}
			switch r.Kind {
			case RuleEnters:
				if m.in && !wasIn {
					raised = a.raise(raised, at, zi, ri, ruleKey{zi, ri, t.ID}, []int64{t.ID})
				}
			case RuleInside, RuleMoreThan:
				var ids []int64
				for _, id := range members {
					if r.Matches(a.inside[zoneTarget{zi, id}].class) {
						ids = append(ids, id)
					}
				}
				need := 1
				if r.Kind == RuleMoreThan {
					need = r.N + 1
				}
				rk := ruleKey{zi, ri, 0}
				now := len(ids) >= need
				if now && !a.active[rk] {
					raised = a.raise(raised, at, zi, ri, rk, ids)
				}
				a.active[rk] = now
			}
		}
	}
	return raised
}

// members returns the IDs of the targets in zone zi, forgetting those not seen for Forget.
func (a *Alerter) members(zi int, at time.Time) []int64 {
	var ids []int64
	for k, m := range a.inside {
		if k.zone != zi {
			continue
		}
		if at.Sub(m.lastSeen) > a.forget() {
			delete(a.inside, k)
			continue
		}
		if m.in {
			ids = append(ids, k.target)
		}
	}
	slices.Sort(ids)
	return ids
}

// raise appends an alert for rule ri of zone zi unless the rule is cooling down.
func (a *Alerter) raise(raised []Alert, at time.Time, zi, ri int, rk ruleKey, targets []int64) []Alert {
	if last, ok := a.last[rk]; ok && at.Sub(last) < a.coolDown() {
		return raised
	}
	a.last[rk] = at
	z := a.Zones[zi]
	r := z.Rules[ri]
	a.nextID++
	al := Alert{ID: a.nextID, Time: at, ZoneID: z.ID, ZoneName: z.Name, Rule: r, Targets: targets,
		Message: alertMessage(z, r, targets)}
	a.alerts = append(a.alerts, al)
	return append(raised, al)
}

func alertMessage(z Zone, r ZoneRule, targets []int64) string {
	name := z.Name
	if name == "" {
		name = fmt.Sprintf("zone %d", z.ID)
	}
	ids := make([]string, len(targets))
	for i, id := range targets {
		ids[i] = fmt.Sprintf("%d", id)
	}
	list := "target " + strings.Join(ids, ", ")
	if len(ids) > 1 {
		list = "targets " + strings.Join(ids, ", ")
	}
	switch r.Kind {
	case RuleEnters:
		return fmt.Sprintf("%s entered %s (%s)", r.Class, name, list)
	case RuleMoreThan:
		return fmt.Sprintf("%d %s in %s, more than %d (%s)", len(targets), r.Class, name, r.N, list)
	}
	return fmt.Sprintf("%s inside %s (%s)", r.Class, name, list)
}

// Acknowledge records that the operator has seen alert id at time at. Acknowledging an
// alert again keeps the first time. An unknown id is an error wrapping ErrNoAlert.
func (a *Alerter) Acknowledge(id int64, at time.Time) (Alert, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range a.alerts {
		if a.alerts[i].ID == id {
			if a.alerts[i].AckTime.IsZero() {
				a.alerts[i].AckTime = at
			}
			return a.alerts[i].clone(), nil
		}
	}
	return Alert{}, fmt.Errorf("%w: %d", ErrNoAlert, id)
}

// Alerts returns every alert raised, oldest first.
func (a *Alerter) Alerts() []Alert {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Alert, len(a.alerts))
	for i, al := range a.alerts {
		out[i] = al.clone()
	}
	return out
}

// Unacknowledged returns how many alerts wait for the operator.
func (a *Alerter) Unacknowledged() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, al := range a.alerts {
		if !al.Acknowledged() {
			n++
		}
	}
	return n
}

// Restore makes the alerts of an earlier session known, so new alerts get new IDs and
// unacknowledged ones can still be acknowledged.
func (a *Alerter) Restore(alerts []Alert) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, al := range alerts {
		a.alerts = append(a.alerts, al.clone())
		a.nextID = max(a.nextID, al.ID)
	}
}

func (a Alert) clone() Alert {
	a.Targets = slices.Clone(a.Targets)
	return a
}
