package gcs

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestStarePatrolCycles(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	pose := Pose{Position: Position{Point: monitorHome.Point, AltMSLM: monitorHome.AltMSLM + 100}}
	ground := func(n, e float64) Position {
		return Position{Point: OffsetNE(monitorHome.Point, n, e), AltMSLM: monitorHome.AltMSLM}
	}
	p := StarePatrol{Points: []Position{ground(100, 0), ground(0, 100), ground(-100, 0)}, Dwell: 10 * time.Second, Start: start}
	require.NoError(t, p.Check(pose))
	for _, tc := range []struct {
		at     time.Duration
		point  int
		yawDeg float64
	}{
		{0, 0, 0}, {9 * time.Second, 0, 0}, {10 * time.Second, 1, 90}, {25 * time.Second, 2, 180}, {31 * time.Second, 0, 0},
		{-time.Second, 2, 180},
	} {
		require.Equal(t, tc.point, p.Current(start.Add(tc.at)), "at %s", tc.at)
		aim, err := p.Aim(start.Add(tc.at), pose)
		require.NoError(t, err)
		require.InDelta(t, tc.yawDeg, aim.YawDeg, 1e-6)
		require.InDelta(t, -45, aim.PitchDeg, 1e-6)
	}
}

func TestStarePatrolRefused(t *testing.T) {
	pose := Pose{Position: Position{Point: monitorHome.Point, AltMSLM: monitorHome.AltMSLM + 100}}
	ok := Position{Point: OffsetNE(monitorHome.Point, 100, 0), AltMSLM: monitorHome.AltMSLM}
	high := Position{Point: OffsetNE(monitorHome.Point, 0, 300), AltMSLM: monitorHome.AltMSLM + 150}
	cases := []struct {
		name string
		p    StarePatrol
		text string
	}{
		{"no points", StarePatrol{Dwell: time.Minute}, "stare patrol refused: it has no points"},
		{"short dwell", StarePatrol{Points: []Position{ok}, Dwell: 100 * time.Millisecond},
			"stare patrol refused: a dwell of 100ms is too short: give at least 1 s"},
		{"a point above the camera", StarePatrol{Points: []Position{ok, high}, Dwell: time.Minute},
			"stare patrol refused: point 2 of 2: the camera cannot see it: ray above the horizon: the point is 50 m above the camera, 300 m away"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Check(pose)
			require.EqualError(t, err, tc.text)
			require.True(t, errors.Is(err, ErrPatrolInvalid))
		})
	}
}

func TestLineForHeight(t *testing.T) {
	cases := []struct {
		name    string
		change  func(v *Vehicle)
		heightM float64
		lineM   float64
		err     string
	}{
		// 20 m downwind at 148.6 m up: 149.94 m of line, cos θ = 0.9911.
		{"from the lean now", func(*Vehicle) {}, 100, 100 * 149.9398 / 148.6, ""},
		{"on the mooring", func(v *Vehicle) { v.Position = *v.Home }, 150, 150, ""},
		{"blown down", func(v *Vehicle) {
			v.Position = Position{Point: OffsetNE(v.Home.Point, 140, 0), AltMSLM: v.Home.AltMSLM + 40}
		}, 100, 0, "winch command refused: the aerostat leans 74° from vertical: too blown down to deploy by height"},
		{"no position", func(v *Vehicle) { v.PositionValid = false }, 100, 0,
			"winch command refused: vehicle 3 has no position or home yet, so a height cannot be turned into a line length"},
		{"negative", func(*Vehicle) {}, -5, 0, "winch command refused: height -5 m must be zero or more"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := flyingAerostat()
			tc.change(&v)
			line, err := LineForHeight(v, tc.heightM)
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.InDelta(t, tc.lineM, line, 0.01)
		})
	}
}
