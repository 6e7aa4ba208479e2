package mavlink

import (
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
)

// timesyncMaxAge rejects TIMESYNC answers to requests older than this (or not ours).
const timesyncMaxAge = 5 * time.Second

// sendTimesync asks every vehicle on every link for its clock; answers carry its boot time.
func (c *Client) sendTimesync(now time.Time) {
	for _, l := range c.links {
		l.node.WriteMessageAll(&common.MessageTimesync{Tc1: 0, Ts1: now.UnixNano()}) //nolint:errcheck // next round retries
	}
}

func (c *Client) onTimesync(sys uint8, m *common.MessageTimesync, now time.Time) {
	if m.Tc1 == 0 || (m.TargetSystem != 0 && m.TargetSystem != c.SystemID) {
		return // a request, or someone else's answer
	}
	sent := time.Unix(0, m.Ts1)
	if age := now.Sub(sent); age < 0 || age > timesyncMaxAge {
		return
	}
	c.clock(sys).fromTimesync(sent, now, time.Duration(m.Tc1))
}
