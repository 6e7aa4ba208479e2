package vision

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func ntpStandardRaw(t time.Time) uint64 {
	ns := uint64(t.UnixNano()) + 2208988800*1e9
	return (ns/1e9)<<32 | (ns%1e9)<<32/1e9
}

func ntpNanosecondRaw(t time.Time) uint64 {
	ns := uint64(t.UnixNano()) + 2208988800*1e9
	return (ns/1e9)<<32 | ns%1e9
}

func TestSenderClock(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 400_000_000, time.UTC) // fraction 0.4 s: ambiguous
	for _, c := range []struct {
		name string
		raw  func(time.Time) uint64
	}{
		{"RFC 3550 fraction", ntpStandardRaw},
		{"gortsplib nanoseconds", ntpNanosecondRaw},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := &senderClock{clockRate: 90000}
			_, ok := sc.at(0)
			require.False(t, ok, "no capture time before a sender report")
			sc.report(c.raw(t0), 1000)
			sc.report(c.raw(t0.Add(1300*time.Millisecond)), 1000+1.3*90000)
			got, ok := sc.at(1000 + 2*90000)
			require.True(t, ok)
			require.InDelta(t, 0, got.Sub(t0.Add(2*time.Second)).Seconds(), 1e-4)
		})
	}
	t.Run("a fraction past 10^9 can only be standard", func(t *testing.T) {
		sc := &senderClock{clockRate: 90000}
		at := time.Date(2026, 11, 23, 10, 0, 0, 900_000_000, time.UTC)
		sc.report(ntpStandardRaw(at), 5)
		got, _ := sc.at(5 + 9000)
		require.InDelta(t, 0, got.Sub(at.Add(100*time.Millisecond)).Seconds(), 1e-4)
	})
}
