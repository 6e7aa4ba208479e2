package gcs

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTetherLimitsPlan(t *testing.T) {
	at100 := &Winch{LineLengthM: 100}
	cases := []struct {
		name  string
		cmd   WinchCommand
		now   *Winch
		order WinchOrder
		err   string
	}{
		{"pay out to 150 m", WinchCommand{Kind: WinchToLength, LengthM: 150}, at100,
			WinchOrder{Action: WinchActionRelativeLength, LengthM: 50, Describe: "winch length 150 m"}, ""},
		{"reel in to 40 m at 1 m/s", WinchCommand{Kind: WinchToLength, LengthM: 40, RateMps: 1}, at100,
			WinchOrder{Action: WinchActionRelativeLength, LengthM: -60, RateMps: 1, Describe: "winch length 40 m"}, ""},
		{"the whole tether", WinchCommand{Kind: WinchToLength, LengthM: 300}, at100,
			WinchOrder{Action: WinchActionRelativeLength, LengthM: 200, Describe: "winch length 300 m"}, ""},
		{"beyond the tether", WinchCommand{Kind: WinchToLength, LengthM: 301}, at100, WinchOrder{},
			"winch command refused: length 301 m is beyond the 300 m tether"},
		{"negative length", WinchCommand{Kind: WinchToLength, LengthM: -5}, at100, WinchOrder{},
			"winch command refused: length -5 m is negative: 0 is fully retracted"},
		{"length before any report", WinchCommand{Kind: WinchToLength, LengthM: 50}, nil, WinchOrder{},
			"winch command refused: the winch has not reported its line length yet, so 50 m cannot be turned into a change"},
		{"rate in", WinchCommand{Kind: WinchAtRate, RateMps: -1.5}, nil,
			WinchOrder{Action: WinchActionRate, RateMps: -1.5, Describe: "winch rate -1.5 m/s"}, ""},
		{"rate over the limit", WinchCommand{Kind: WinchAtRate, RateMps: 2.5}, nil, WinchOrder{},
			"winch command refused: rate 2.5 m/s is over the winch's 2 m/s limit"},
		{"rate in over the limit", WinchCommand{Kind: WinchAtRate, RateMps: -3}, nil, WinchOrder{},
			"winch command refused: rate 3 m/s is over the winch's 2 m/s limit"},
		{"rate zero", WinchCommand{Kind: WinchAtRate}, nil, WinchOrder{},
			"winch command refused: rate 0 m/s: use winch hold to stop the line"},
		{"rate NaN", WinchCommand{Kind: WinchAtRate, RateMps: math.NaN()}, nil, WinchOrder{},
			"winch command refused: winch rate NaN m/s: length and rate must be numbers"},
		{"retract", WinchCommand{Kind: WinchRetract}, nil, WinchOrder{Action: WinchActionRetract, Describe: "winch retract"}, ""},
		{"hold", WinchCommand{Kind: WinchHold}, nil, WinchOrder{Action: WinchActionHold, Describe: "winch hold"}, ""},
		{"lock", WinchCommand{Kind: WinchLock}, nil, WinchOrder{Action: WinchActionLock, Describe: "winch lock"}, ""},
		{"relax", WinchCommand{Kind: WinchRelax}, nil, WinchOrder{Action: WinchActionRelaxed, Describe: "winch relax"}, ""},
		{"unknown", WinchCommand{Kind: 42}, nil, WinchOrder{}, "winch command refused: unknown winch command 42"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := TetherLimits{}.Plan(tc.cmd, tc.now)
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				require.True(t, errors.Is(err, ErrWinchCommandInvalid))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.order, o)
		})
	}
}

// A station configured for a shorter tether and a slower winch refuses by those.
func TestTetherLimitsConfigured(t *testing.T) {
	lim := TetherLimits{TetherLengthM: 120, RateMaxMps: 0.5}
	_, err := lim.Plan(WinchCommand{Kind: WinchToLength, LengthM: 150}, &Winch{})
	require.EqualError(t, err, "winch command refused: length 150 m is beyond the 120 m tether")
	_, err = lim.Plan(WinchCommand{Kind: WinchRetract, RateMps: 1}, &Winch{})
	require.EqualError(t, err, "winch command refused: rate 1 m/s is over the winch's 0.5 m/s limit")
}

func TestWinchStatusString(t *testing.T) {
	require.Equal(t, "healthy, moving, clutch engaged", (WinchHealthy | WinchMoving | WinchClutchEngaged).String())
	require.Equal(t, "unhealthy, locked", WinchLocked.String())
}
