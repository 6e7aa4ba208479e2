package vision

import (
	"sync"
	"time"
)

// senderClock dates RTP timestamps with the RTCP sender reports of a stream: a report pairs
// an RTP timestamp with the wall-clock (NTP) time the sender's camera captured it, so every
// later timestamp maps to its capture time.
//
// RFC 3550's NTP timestamps are 32.32 fixed point: the low word is a fraction of a second in
// units of 2⁻³². gortsplib up to v4.16 (and so MediaMTX built on it) writes nanoseconds
// there instead, and its client reads them back the same way (PacketNTP), which misdates a
// standard camera's frames by up to 0.77 s. Vigil reads the standard form, and when two
// reports show that the sender uses nanoseconds (the spacing of their NTP times then only
// matches the spacing of their RTP timestamps read that way), it switches. A low word of 10⁹
// or more cannot be nanoseconds and settles it at once.
type senderClock struct {
	clockRate float64

	mu         sync.Mutex
	have       bool
	ntpRaw     uint64
	rtp        uint32
	nsFraction bool
	settled    bool
}

func ntpStandard(raw uint64) time.Time {
	const unixToNTP = 2208988800
	sec := int64(raw>>32) - unixToNTP
	frac := int64((raw & 0xffffffff) * 1e9 >> 32)
	return time.Unix(sec, frac)
}

func ntpNanoseconds(raw uint64) time.Time {
	const unixToNTP = 2208988800
	return time.Unix(int64(raw>>32)-unixToNTP, int64(raw&0xffffffff))
}

// report takes a sender report's NTP and RTP times.
func (c *senderClock) report(ntpRaw uint64, rtp uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ntpRaw&0xffffffff >= 1e9 {
		c.nsFraction, c.settled = false, true
	}
	if c.have && !c.settled {
		dRTP := float64(int32(rtp-c.rtp)) / c.clockRate
		dStd := ntpStandard(ntpRaw).Sub(ntpStandard(c.ntpRaw)).Seconds()
		dNs := ntpNanoseconds(ntpRaw).Sub(ntpNanoseconds(c.ntpRaw)).Seconds()
		if errStd, errNs := abs(dStd-dRTP), abs(dNs-dRTP); errNs < errStd && errStd > 0.001 {
			c.nsFraction = true
		} else if errStd < errNs && errNs > 0.001 {
			c.nsFraction = false
		}
		c.settled = abs(dStd-dNs) > 0.001 // equal readings tell nothing yet
	}
	c.have, c.ntpRaw, c.rtp = true, ntpRaw, rtp
}

// at returns the capture time of RTP timestamp ts, or false before the first report.
func (c *senderClock) at(ts uint32) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.have {
		return time.Time{}, false
	}
	base := ntpStandard(c.ntpRaw)
	if c.nsFraction {
		base = ntpNanoseconds(c.ntpRaw)
	}
	d := float64(int32(ts-c.rtp)) / c.clockRate
	return base.Add(time.Duration(d * float64(time.Second))), true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
