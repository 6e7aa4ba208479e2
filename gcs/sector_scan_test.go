package gcs

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The sweep goes clockwise from edge to edge in one period and back in the next.
func TestSectorScanSweeps(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := Pose{Position: Position{AltRelM: 150}}
	cases := []struct {
		name     string
		from, to float64
		at       time.Duration
		yawDeg   float64
	}{
		{"start", 20, 80, 0, 20},
		{"a quarter", 20, 80, 5 * time.Second, 35},
		{"far edge", 20, 80, 20 * time.Second, 80},
		{"coming back", 20, 80, 25 * time.Second, 65},
		{"back at the start", 20, 80, 40 * time.Second, 20},
		{"across north, start", 350, 30, 0, 350},
		{"across north, half", 350, 30, 10 * time.Second, 10},
		{"across north, near the end", 350, 30, 19 * time.Second, 28},
		{"anticlockwise given", 80, 20, 10 * time.Second, 230}, // 300° clockwise from 80
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := SectorScan{FromDeg: tc.from, ToDeg: tc.to, DepressionDeg: 30, Period: 20 * time.Second, Start: start}
			aim, err := s.Aim(start.Add(tc.at), p)
			require.NoError(t, err)
			require.InDelta(t, tc.yawDeg, aim.YawDeg, 1e-9)
			require.Equal(t, -30.0, aim.PitchDeg)
		})
	}
}

// With a step the sweep moves in whole steps, lands on the edges even when the samples are
// a little early or late, and holds each edge for two steps.
func TestSectorScanSteps(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := SectorScan{FromDeg: 0, ToDeg: 90, DepressionDeg: 30, Period: 3 * time.Second, Step: 200 * time.Millisecond, Start: start}
	p := Pose{Position: Position{AltRelM: 150}}
	for _, tc := range []struct {
		at     time.Duration
		yawDeg float64
	}{
		// 15 commands a pass, 14 steps of 90/14 = 6.43° between the edges.
		{40 * time.Millisecond, 0}, {210 * time.Millisecond, 90.0 / 14}, {2790 * time.Millisecond, 90},
		{3050 * time.Millisecond, 90}, {3220 * time.Millisecond, 90 - 90.0/14}, {5810 * time.Millisecond, 0},
		{5980 * time.Millisecond, 0}, {6190 * time.Millisecond, 90.0 / 14}, {-230 * time.Millisecond, 0}, {-430 * time.Millisecond, 90.0 / 14},
	} {
		aim, err := s.Aim(start.Add(tc.at), p)
		require.NoError(t, err)
		require.InDelta(t, tc.yawDeg, aim.YawDeg, 1e-9, "at %s", tc.at)
	}
}

func TestSectorScanRefused(t *testing.T) {
	ok := SectorScan{FromDeg: 0, ToDeg: 90, DepressionDeg: 20, Period: 10 * time.Second}
	cases := []struct {
		name   string
		change func(s *SectorScan)
		altM   float64
		text   string
	}{
		{"no width", func(s *SectorScan) { s.ToDeg = 360 }, 100, "sector scan refused: from 0° to 360° has no width: give two different bearings"},
		{"at the horizon", func(s *SectorScan) { s.DepressionDeg = 0 }, 100,
			"sector scan refused: a depression of 0° looks at or above the horizon: give an angle below it, in (0, 90]"},
		{"past straight down", func(s *SectorScan) { s.DepressionDeg = 95 }, 100,
			"sector scan refused: a depression of 95° is past straight down: give an angle in (0, 90]"},
		{"too quick", func(s *SectorScan) { s.Period = 500 * time.Millisecond }, 100,
			"sector scan refused: a period of 500ms is too short: give at least 1 s"},
		{"too shallow for the height", func(s *SectorScan) { s.DepressionDeg = 1 }, 150,
			"the camera cannot see it: ground point out of range: at 150 m a 1° depression meets the ground 8595 m away, farther than 5000 m"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.change(&s)
			_, err := s.Aim(time.Time{}, Pose{Position: Position{AltRelM: tc.altM}})
			require.EqualError(t, err, tc.text)
			require.True(t, errors.Is(err, ErrScanInvalid) || errors.Is(err, ErrCannotSee))
		})
	}
}
