package mavlink

import (
	"sync"
	"time"
)

// timesyncKeep is how long the best (lowest round-trip) TIMESYNC sample is trusted before a
// newer one replaces it, so slow clock drift is followed.
const timesyncKeep = 20 * time.Second

// bootClock maps a vehicle's boot time (time_boot_ms in its messages) to GCS time, so a sample
// is placed when the vehicle measured it, not when it arrived. TIMESYNC gives the mapping to
// within half the round trip; without it, SYSTEM_TIME and arrival times bound it from above
// (a message never arrives before it was sent), so the smallest arrival − boot wins.
type bootClock struct {
	mu       sync.Mutex
	zero     time.Time // GCS time at the vehicle's boot
	have     bool
	synced   bool          // zero comes from TIMESYNC
	bestRTT  time.Duration // of the TIMESYNC sample in use
	bestAt   time.Time
	lastBoot time.Duration
}

// resetIfRebooted forgets the mapping when boot time runs backwards: the vehicle restarted.
func (b *bootClock) resetIfRebooted(boot time.Duration) {
	if boot+time.Second < b.lastBoot {
		b.zero, b.have, b.synced, b.bestRTT, b.bestAt, b.lastBoot = time.Time{}, false, false, 0, time.Time{}, 0
	}
	b.lastBoot = max(b.lastBoot, boot)
}

// fromTimesync takes a TIMESYNC answer: we sent ts1 at sent, it was answered with the
// vehicle's boot time, and arrived at now.
func (b *bootClock) fromTimesync(sent, now time.Time, boot time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.resetIfRebooted(boot)
	rtt := now.Sub(sent)
	if rtt < 0 {
		return
	}
	if b.synced && rtt > b.bestRTT && now.Sub(b.bestAt) < timesyncKeep {
		return
	}
	b.zero = sent.Add(rtt/2 - boot)
	b.have, b.synced, b.bestRTT, b.bestAt = true, true, rtt, now
}

// fromArrival bounds the mapping with any message's boot time and arrival time.
func (b *bootClock) fromArrival(arrival time.Time, boot time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.resetIfRebooted(boot)
	if b.synced {
		return
	}
	if z := arrival.Add(-boot); !b.have || z.Before(b.zero) {
		b.zero, b.have = z, true
	}
}

// toGCS converts a boot time to GCS time; without any mapping yet it uses the arrival time.
func (b *bootClock) toGCS(boot time.Duration, arrival time.Time) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.have {
		return arrival
	}
	return b.zero.Add(boot)
}

func (c *Client) clock(sysID uint8) *bootClock {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.clocks[sysID]
	if !ok {
		b = &bootClock{}
		c.clocks[sysID] = b
	}
	return b
}
