package vision

import "time"

// arrivalClock dates frames of a source that sends no sender reports. Dating each frame by its
// own arrival would pass the network's and the sender's jitter on to every frame (a frame held
// 40 ms in a radio queue would be placed 40 ms late, 0.6 m at 15 m/s). The RTP timestamps keep
// the camera's own spacing of the frames, so the clock keeps, over a sliding window, the
// smallest "arrival minus RTP time" seen (the frame that travelled fastest) and dates every
// frame as its RTP time plus that offset minus the configured latency. The window lets the
// offset follow the drift between the camera's and the station's clocks.
type arrivalClock struct {
	clockRate float64
	window    time.Duration

	started   bool
	base      time.Time // arrival of the first frame: offsets are measured from it
	lastTS    uint32
	unwrapped int64 // RTP timestamp since the first frame, without 32-bit wrap-around

	// minima is a monotonic queue of (arrival, offset) with increasing offsets: the front is
	// the window's minimum.
	minima []offsetSample
}

type offsetSample struct {
	at     time.Time
	offset time.Duration // arrival minus RTP time, both since the first frame
}

// date returns the capture time of the frame with RTP timestamp ts that arrived at arrived.
func (c *arrivalClock) date(ts uint32, arrived time.Time, latency time.Duration) time.Time {
	if !c.started {
		c.started, c.base, c.lastTS = true, arrived, ts
	}
	c.unwrapped += int64(int32(ts - c.lastTS))
	c.lastTS = ts
	rtpTime := time.Duration(float64(c.unwrapped) / c.clockRate * float64(time.Second))
	off := arrived.Sub(c.base) - rtpTime
	for len(c.minima) > 0 && c.minima[len(c.minima)-1].offset >= off {
		c.minima = c.minima[:len(c.minima)-1]
	}
	c.minima = append(c.minima, offsetSample{at: arrived, offset: off})
	for arrived.Sub(c.minima[0].at) > c.window {
		c.minima = c.minima[1:]
	}
	return c.base.Add(rtpTime + c.minima[0].offset - latency)
}
