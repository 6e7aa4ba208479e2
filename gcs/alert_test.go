package gcs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A person walks into a 40 m square around geotagHome: sightings fused into a target, the
// target's position tested against the zone. The alert comes at the third consecutive
// sighting inside, once.
func TestAlertAfterConsecutiveSightingsInside(t *testing.T) {
	fusion := &Fusion{DriftMps: 5} // follows a walking target closely
	alerter := &Alerter{Zones: []Zone{squareZone("Camp gate", 20, ZoneRule{Kind: RuleInside, Class: "person"})}}
	var raisedAt []int
	// North of the zone (30 m), then inside (10 m, 5 m, 0 m, -5 m), staying.
	path := []float64{40, 35, 30, 10, 5, 0, -5, -5, -5}
	for i, n := range path {
		d := sighting{track: 1, at: time.Duration(i) * time.Second, northM: n, sigmaM: 1}.detection()
		tg, _, err := fusion.Add(d)
		require.NoError(t, err)
		if alerts := alerter.Observe(d.Time, tg); len(alerts) > 0 {
			require.Len(t, alerts, 1)
			require.Equal(t, []int64{1}, alerts[0].Targets)
			require.Equal(t, "person inside Camp gate (target 1)", alerts[0].Message)
			raisedAt = append(raisedAt, i)
		}
	}
	require.Equal(t, []int{5}, raisedAt, "third sighting inside, and only once")
}

func TestAlertStraySightingInside(t *testing.T) {
	alerter := &Alerter{Zones: []Zone{squareZone("Camp gate", 20, ZoneRule{Kind: RuleInside, Class: "person"})}}
	for i, n := range []float64{30, 10, 30, 10, 10, 30, 30} { // never three in a row
		tg := Target{ID: 1, Class: "person", Point: OffsetNE(geotagHome, n, 0)}
		require.Empty(t, alerter.Observe(fusionT0.Add(time.Duration(i)*time.Second), tg))
	}
}

// observation is one target's position (metres north of geotagHome) at a second.
type observation struct {
	atS    int
	id     int64
	class  string
	northM float64
}

func TestAlertRules(t *testing.T) {
	in, out := 0.0, 100.0
	for _, tc := range []struct {
		name      string
		insideFor int
		coolDown  time.Duration
		rule      ZoneRule
		obs       []observation
		raisedAt  []int     // seconds
		targets   [][]int64 // of each alert
	}{
		{
			name: "inside: raised again after the zone emptied and the cool-down passed",
			rule: ZoneRule{Kind: RuleInside, Class: "person"},
			obs: []observation{
				{0, 1, "person", in}, {1, 1, "person", in}, {2, 1, "person", in}, // raised
				{3, 1, "person", out},
				{4, 1, "person", in}, {5, 1, "person", in}, {6, 1, "person", in}, // cooling down
				{7, 1, "person", out},
				{400, 1, "person", in}, {401, 1, "person", in}, {402, 1, "person", in}, // raised
			},
			raisedAt: []int{2, 402},
			targets:  [][]int64{{1}, {1}},
		},
		{
			name: "inside: other classes do not count",
			rule: ZoneRule{Kind: RuleInside, Class: "person"},
			obs:  []observation{{0, 1, "car", in}, {1, 1, "car", in}, {2, 1, "car", in}, {3, 1, "car", in}},
		},
		{
			name:      "enters: each vehicle, once, with the cool-down per target",
			insideFor: 1,
			rule:      ZoneRule{Kind: RuleEnters, Class: "vehicle"},
			obs: []observation{
				{0, 1, "car", in}, // raised
				{1, 2, "person", in},
				{2, 3, "truck", in}, // raised
				{3, 1, "car", out},
				{4, 1, "car", in}, // cooling down
				{5, 1, "car", in},
			},
			raisedAt: []int{0, 2},
			targets:  [][]int64{{1}, {3}},
		},
		{
			name:      "more than 2 people: raised when the third is in",
			insideFor: 1,
			rule:      ZoneRule{Kind: RuleMoreThan, Class: "person", N: 2},
			obs: []observation{
				{0, 1, "person", in}, {1, 2, "person", in}, {2, 4, "car", in},
				{3, 3, "person", in}, // raised
				{4, 5, "person", in}, // still true: nothing new
			},
			raisedAt: []int{3},
			targets:  [][]int64{{1, 2, 3}},
		},
		{
			name:      "more than: a target not seen for Forget no longer counts",
			insideFor: 1, coolDown: time.Second,
			rule: ZoneRule{Kind: RuleMoreThan, Class: "person", N: 1},
			obs: []observation{
				{0, 1, "person", in}, {1, 2, "person", in}, // raised
				{40, 2, "person", in}, // target 1 forgotten: condition false
				{41, 3, "person", in}, // raised again
			},
			raisedAt: []int{1, 41},
			targets:  [][]int64{{1, 2}, {2, 3}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &Alerter{InsideFor: tc.insideFor, CoolDown: tc.coolDown,
				Zones: []Zone{squareZone("Z", 20, tc.rule)}}
			var raisedAt []int
			var targets [][]int64
			for _, o := range tc.obs {
				tg := Target{ID: o.id, Class: o.class, Point: OffsetNE(geotagHome, o.northM, 0)}
				for _, al := range a.Observe(fusionT0.Add(time.Duration(o.atS)*time.Second), tg) {
					raisedAt = append(raisedAt, o.atS)
					targets = append(targets, al.Targets)
					require.Equal(t, tc.rule, al.Rule)
					require.Equal(t, "Z", al.ZoneName)
				}
			}
			require.Equal(t, tc.raisedAt, raisedAt)
			require.Equal(t, tc.targets, targets)
		})
	}
}

func TestAlertAcknowledge(t *testing.T) {
	a := &Alerter{InsideFor: 1, Zones: []Zone{
		squareZone("A", 20, ZoneRule{Kind: RuleInside, Class: "any"}),
		squareZone("B", 50, ZoneRule{Kind: RuleEnters, Class: "any"}),
	}}
	raised := a.Observe(fusionT0, Target{ID: 7, Class: "dog", Point: geotagHome})
	require.Len(t, raised, 2)
	require.Equal(t, []int64{1, 2}, []int64{raised[0].ID, raised[1].ID})
	require.Equal(t, "any entered B (target 7)", raised[1].Message)
	require.Equal(t, 2, a.Unacknowledged())

	ackAt := fusionT0.Add(time.Minute)
	al, err := a.Acknowledge(2, ackAt)
	require.NoError(t, err)
	require.True(t, al.Acknowledged())
	al, err = a.Acknowledge(2, ackAt.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, ackAt, al.AckTime, "the first acknowledgement stands")
	require.Equal(t, 1, a.Unacknowledged())
	_, err = a.Acknowledge(9, ackAt)
	require.ErrorIs(t, err, ErrNoAlert)

	// A restarted station continues the numbering.
	b := &Alerter{InsideFor: 1, Zones: a.Zones}
	b.Restore(a.Alerts())
	require.Equal(t, 1, b.Unacknowledged())
	raised = b.Observe(fusionT0, Target{ID: 8, Class: "dog", Point: geotagHome})
	require.Len(t, raised, 2)
	require.Equal(t, int64(3), raised[0].ID)
}
