package gcs

import (
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

func TestIncident(t *testing.T) {
	tg := Target{ID: 4, Class: "truck", Point: geotagHome}
	in, err := MarkTarget(fusionT0, tg, "roadblock", IncidentHigh, "truck across the road")
	require.NoError(t, err)
	require.Equal(t, Incident{Time: fusionT0, TargetID: 4, Point: geotagHome, Category: "roadblock",
		Severity: IncidentHigh, Note: "truck across the road"}, in)

	in, err = MarkPoint(fusionT0, orb.Point{149.2, -35.3}, "demonstration", IncidentLow, "")
	require.NoError(t, err)
	require.Zero(t, in.TargetID)

	for _, tc := range []struct {
		name string
		in   Incident
		msg  string
	}{
		{"no time", Incident{Category: "crime", Severity: IncidentLow}, "it has no time"},
		{"no category", Incident{Time: fusionT0, Category: "  ", Severity: IncidentLow}, "choose a category (armed clash,"},
		{"no severity", Incident{Time: fusionT0, Category: "crime"}, "severity 0 is not one of"},
		{"off the globe", Incident{Time: fusionT0, Category: "crime", Severity: IncidentLow, Point: orb.Point{200, 0}}, "off the globe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			require.ErrorIs(t, err, ErrBadIncident)
			require.ErrorContains(t, err, tc.msg)
		})
	}
	_, err = MarkPoint(time.Time{}, geotagHome, "crime", IncidentLow, "")
	require.ErrorIs(t, err, ErrBadIncident)
}

func TestIncidentSeverity(t *testing.T) {
	for s := IncidentLow; s <= IncidentCritical; s++ {
		back, err := ParseIncidentSeverity(s.String())
		require.NoError(t, err)
		require.Equal(t, s, back)
	}
	s, err := ParseIncidentSeverity(" HIGH ")
	require.NoError(t, err)
	require.Equal(t, IncidentHigh, s)
	_, err = ParseIncidentSeverity("urgent")
	require.ErrorContains(t, err, `severity "urgent" is not one of low, medium, high, critical`)
	require.Equal(t, "severity(9)", IncidentSeverity(9).String())
}
