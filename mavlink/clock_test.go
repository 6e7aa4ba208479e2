package mavlink

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBootClock(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var b bootClock
	require.Equal(t, t0, b.toGCS(5*time.Second, t0), "no mapping yet: arrival time")

	// Arrivals bound the mapping: the least delayed one wins.
	b.fromArrival(t0.Add(10*time.Second+80*time.Millisecond), 10*time.Second)
	b.fromArrival(t0.Add(11*time.Second+20*time.Millisecond), 11*time.Second)
	require.Equal(t, t0.Add(20*time.Millisecond+12*time.Second), b.toGCS(12*time.Second, time.Time{}))

	// TIMESYNC takes over: sent at t0+20s, answered with boot 20s+5ms, back at t0+20.010s.
	b.fromTimesync(t0.Add(20*time.Second), t0.Add(20*time.Second+10*time.Millisecond), 20*time.Second)
	require.Equal(t, t0.Add(5*time.Millisecond+30*time.Second), b.toGCS(30*time.Second, time.Time{}))
	// A slower round trip does not replace a recent better one.
	b.fromTimesync(t0.Add(21*time.Second), t0.Add(21*time.Second+200*time.Millisecond), 21*time.Second)
	require.Equal(t, 10*time.Millisecond, b.bestRTT)

	// A reboot (boot time runs backwards) forgets the mapping.
	b.fromArrival(t0.Add(60*time.Second), 2*time.Second)
	require.Equal(t, t0.Add(60*time.Second), b.toGCS(2*time.Second, time.Time{}))
}
