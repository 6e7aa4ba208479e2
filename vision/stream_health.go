package vision

import (
	"slices"
	"sync"
	"time"
)

// State is where a stream is in its life.
type State int

// Stream states.
const (
	StateConnecting   State = iota // first connection attempt under way
	StatePlaying                   // frames are arriving and decoding
	StateStalled                   // connected, but no frame for StallTimeout
	StateReconnecting              // the connection failed; trying again after a pause
	StateFailed                    // given up: a problem retrying cannot fix (see Reason)
	StateClosed
)

func (s State) String() string {
	return [...]string{"connecting", "playing", "stalled", "reconnecting", "failed", "closed"}[s]
}

// Health is a snapshot of a stream for the screen and for logs.
type Health struct {
	URL    string // redacted
	State  State
	Reason string // why it is reconnecting or failed, one sentence

	Codec         string
	Width, Height int
	Transport     string // "UDP" or "TCP"

	FPSIn, FPSDecoded float64 // over the last second
	BitrateKbps       float64
	FramesIn          uint64 // access units received
	FramesDecoded     uint64
	FramesCorrupt     uint64 // access units the decoder rejected
	FramesDropped     uint64 // frames a subscriber had not taken when the next arrived
	PacketsLost       uint64
	Reconnects        int
	// LatencyP50 and LatencyP95 are capture-to-decoded over the last 300 frames dated by
	// RTCP sender reports; zero when the source sends none (then latency is not measurable).
	LatencyP50, LatencyP95 time.Duration
	CaptureFromSender      bool // capture times come from RTCP sender reports
}

// streamStats accumulates the counters behind Health; the stream's callbacks write it and
// Health reads it from any goroutine.
type streamStats struct {
	mu sync.Mutex
	h  Health

	window      time.Time // start of the current one-second window
	winIn       int
	winDecoded  int
	winBytes    int
	latencies   []time.Duration // ring of the last latencyWindow
	latencyNext int
}

const latencyWindow = 300

func (s *streamStats) roll(now time.Time) {
	if el := now.Sub(s.window); el >= time.Second {
		if el < 2*time.Second {
			sec := el.Seconds()
			s.h.FPSIn, s.h.FPSDecoded = float64(s.winIn)/sec, float64(s.winDecoded)/sec
			s.h.BitrateKbps = float64(s.winBytes) * 8 / 1000 / sec
		} else {
			s.h.FPSIn, s.h.FPSDecoded, s.h.BitrateKbps = 0, 0, 0
		}
		s.window, s.winIn, s.winDecoded, s.winBytes = now, 0, 0, 0
	}
}

func (s *streamStats) accessUnit(now time.Time, bytes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roll(now)
	s.h.FramesIn++
	s.winIn++
	s.winBytes += bytes
}

func (s *streamStats) decoded(f *Frame) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roll(f.Decoded)
	s.h.FramesDecoded++
	s.winDecoded++
	if s.h.State != StateClosed && s.h.State != StateFailed {
		s.h.State, s.h.Reason = StatePlaying, "" // a picture is the proof of playing
	}
	s.h.Width, s.h.Height = f.Image.Rect.Dx(), f.Image.Rect.Dy()
	s.h.CaptureFromSender = f.CapturedFromSender
	if !f.CapturedFromSender {
		return // dated by arrival: its latency is the configured guess, not a measurement
	}
	if len(s.latencies) < latencyWindow {
		s.latencies = append(s.latencies, f.Latency())
	} else {
		s.latencies[s.latencyNext] = f.Latency()
		s.latencyNext = (s.latencyNext + 1) % latencyWindow
	}
}

func (s *streamStats) update(fn func(h *Health)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&s.h)
}

func (s *streamStats) snapshot(now time.Time) Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roll(now)
	h := s.h
	if len(s.latencies) > 0 {
		sorted := slices.Clone(s.latencies)
		slices.Sort(sorted)
		h.LatencyP50 = sorted[len(sorted)*50/100]
		h.LatencyP95 = sorted[min(len(sorted)-1, len(sorted)*95/100)]
	}
	return h
}
