package gcs

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// square is a zone of side 2·halfM metres centred on geotagHome.
func squareZone(name string, halfM float64, rules ...ZoneRule) Zone {
	r := orb.Ring{
		OffsetNE(geotagHome, -halfM, -halfM), OffsetNE(geotagHome, -halfM, halfM),
		OffsetNE(geotagHome, halfM, halfM), OffsetNE(geotagHome, halfM, -halfM),
	}
	z := Zone{Name: name, Polygon: orb.Polygon{r}, Rules: rules}
	if err := z.Validate(); err != nil {
		panic(err)
	}
	return z
}

func TestZoneValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		ring orb.Ring
		msg  string
	}{
		{"open ring is closed", orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, ""},
		{"repeated points dropped", orb.Ring{{0, 0}, {0, 0}, {1, 0}, {1, 1}, {1, 1}, {0, 1}, {0, 0}}, ""},
		{"concave is fine", orb.Ring{{0, 0}, {2, 0}, {2, 2}, {1, 1}, {0, 2}, {0, 0}}, ""},
		{"bow tie", orb.Ring{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}},
			`zone "z"'s outline crosses itself: edge 1 (0.000000 0.000000 to 1.000000 1.000000) meets edge 3 (0.000000 1.000000 to 1.000000 0.000000); draw it again without crossing`},
		{"figure of eight touching at a corner", orb.Ring{{0, 0}, {2, 0}, {1, 1}, {2, 2}, {0, 2}, {1, 1}, {0, 0}}, "crosses itself"},
		{"spike folding back on an edge", orb.Ring{{0, 0}, {2, 0}, {1, 0}, {1, 1}, {0, 0}}, "crosses itself"},
		{"two points", orb.Ring{{0, 0}, {1, 1}, {0, 0}}, "has 2 distinct corner(s)"},
		{"a line folds back on itself", orb.Ring{{0, 0}, {1, 1}, {2, 2}, {0, 0}}, "crosses itself"},
		{"too small to see", orb.Ring{{0, 0}, {1e-8, 0}, {1e-8, 1e-8}, {0, 1e-8}}, "has no area"},
		{"off the globe", orb.Ring{{0, 0}, {1, 95}, {1, 0}}, "point off the globe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := Zone{Name: "z", Polygon: orb.Polygon{tc.ring}}
			err := z.Validate()
			if tc.msg == "" {
				require.NoError(t, err)
				ring := z.Polygon[0]
				require.Equal(t, ring[0], ring[len(ring)-1], "closed")
				for i := 1; i < len(ring); i++ {
					require.NotEqual(t, ring[i-1], ring[i])
				}
				return
			}
			require.ErrorIs(t, err, ErrBadZone)
			require.ErrorContains(t, err, tc.msg)
		})
	}

	t.Run("self-crossing hole", func(t *testing.T) {
		z := Zone{Polygon: orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{1, 1}, {2, 2}, {2, 1}, {1, 2}}}}
		require.ErrorContains(t, z.Validate(), "the zone's hole 1 crosses itself")
	})
	t.Run("hole outside the outline", func(t *testing.T) {
		z := Zone{Polygon: orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{5, 1}, {6, 1}, {6, 2}}}}
		require.ErrorContains(t, z.Validate(), "the zone's hole 1 has a corner (1.000000 5.000000) outside the outline")
	})
	t.Run("hole crossing the outline", func(t *testing.T) {
		z := Zone{Polygon: orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {2, 1}, {0, 4}}, {{1, 2}, {3, 2}, {3, 3}, {1, 3}}}}
		require.ErrorContains(t, z.Validate(), "the zone's hole 1 ")
	})
	t.Run("no outline", func(t *testing.T) {
		require.ErrorIs(t, (&Zone{}).Validate(), ErrBadZone)
	})
}

func TestZoneContains(t *testing.T) {
	z := Zone{Polygon: orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{1, 1}, {3, 1}, {3, 3}, {1, 3}}}}
	require.NoError(t, z.Validate())
	require.True(t, z.Contains(orb.Point{0.5, 0.5}))
	require.False(t, z.Contains(orb.Point{2, 2}), "in the hole")
	require.False(t, z.Contains(orb.Point{5, 2}))
	require.True(t, z.Contains(orb.Point{4, 2}), "on the edge")
}

var casesZoneRule = []struct {
	text string
	rule ZoneRule
	back string
}{
	{"person inside", ZoneRule{Kind: RuleInside, Class: "person"}, "person inside"},
	{"A Person inside", ZoneRule{Kind: RuleInside, Class: "person"}, "person inside"},
	{"any vehicle enters", ZoneRule{Kind: RuleEnters, Class: "vehicle"}, "vehicle enters"},
	{"cars enter", ZoneRule{Kind: RuleEnters, Class: "car"}, "car enters"},
	{"anything enters", ZoneRule{Kind: RuleEnters, Class: "any"}, "any enters"},
	{"any enters", ZoneRule{Kind: RuleEnters, Class: "any"}, "any enters"},
	{"more than 5 people", ZoneRule{Kind: RuleMoreThan, Class: "person", N: 5}, "more than 5 person"},
	{"more than 0 trucks", ZoneRule{Kind: RuleMoreThan, Class: "truck", N: 0}, "more than 0 truck"},
	{"more than 2 buses", ZoneRule{Kind: RuleMoreThan, Class: "bus", N: 2}, "more than 2 bus"},
}

func TestParseZoneRule(t *testing.T) {
	for _, tc := range casesZoneRule {
		t.Run(tc.text, func(t *testing.T) {
			r, err := ParseZoneRule(tc.text)
			require.NoError(t, err)
			require.Equal(t, tc.rule, r)
			require.Equal(t, tc.back, r.String())
			again, err := ParseZoneRule(r.String())
			require.NoError(t, err)
			require.Equal(t, r, again)
		})
	}
	for _, bad := range []string{"", "inside", "person", "more than people", "more than -1 people", "more than 3", "two people inside", "person 3 inside"} {
		t.Run("bad "+bad, func(t *testing.T) {
			_, err := ParseZoneRule(bad)
			require.ErrorContains(t, err, "not understood")
		})
	}
}

func TestZoneRuleMatches(t *testing.T) {
	require.True(t, ZoneRule{Class: "vehicle"}.Matches("truck"))
	require.False(t, ZoneRule{Class: "vehicle"}.Matches("person"))
	require.True(t, ZoneRule{Class: "any"}.Matches("dog"))
	require.True(t, ZoneRule{Class: "person"}.Matches("person"))
	require.False(t, ZoneRule{Class: "person"}.Matches("car"))
}
