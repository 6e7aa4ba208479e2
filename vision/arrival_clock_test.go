package vision

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Frames captured every 33.3 ms arrive with 0-40 ms of jitter: dated by the clock they keep
// their even spacing, off by at most the jitter of the fastest frame in the window.
func TestArrivalClockRemovesJitter(t *testing.T) {
	c := &arrivalClock{clockRate: 90000, window: 10 * time.Second}
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	latency := 100 * time.Millisecond
	jitter := []time.Duration{12, 0, 35, 8, 40, 3, 22, 17, 0, 29}
	ts := uint32(4294967295 - 3*3000) // wraps around during the test
	for i := range 300 {
		captured := t0.Add(time.Duration(i) * time.Second / 30)
		arrived := captured.Add(latency + jitter[i%len(jitter)]*time.Millisecond)
		got := c.date(ts, arrived, latency)
		if i >= 2 { // once the fastest frame (jitter 0) has been seen
			require.InDelta(t, 0, got.Sub(captured).Seconds(), 0.0005, "frame %d", i)
		}
		ts += 3000
	}
}

// A camera clock running 0.1 % fast is followed within the window instead of drifting away.
func TestArrivalClockFollowsDrift(t *testing.T) {
	c := &arrivalClock{clockRate: 90000, window: 2 * time.Second}
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var got, captured time.Time
	for i := range 1800 { // one minute at 30 fps
		captured = t0.Add(time.Duration(i) * time.Second / 30)
		ts := uint32(float64(i) * 3000 * 1.001)
		got = c.date(ts, captured.Add(50*time.Millisecond), 50*time.Millisecond)
	}
	require.InDelta(t, 0, got.Sub(captured).Seconds(), 0.003, "after a minute the error stays within the window's drift")
}
