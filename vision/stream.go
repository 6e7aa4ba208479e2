package vision

import (
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// arrivalClockWindow is how far back the arrival clock looks for the fastest frame: long
// enough to catch one that was not delayed, short enough to follow clock drift (0.01 % is
// 1 ms per 10 s).
const arrivalClockWindow = 10 * time.Second

// Stream ingests one camera: it connects, decodes every picture with low latency, stamps
// it with its capture time, hands it to subscribers through one-slot hand-offs, and
// reconnects with backoff when the source goes away. It never blocks on a consumer.
//
// URLs: rtsp://[user:pass@]host[:port]/path (UDP transport, falling back to TCP when UDP
// does not get through) and udp://[host]:port for RTP over plain UDP (see udp_source.go).
type Stream struct {
	// URL of the source. Required. Its password never appears in Health or errors.
	URL string
	// Transport forces "udp" or "tcp" for RTSP; empty tries UDP and falls back to TCP.
	Transport string
	// Latency is the assumed capture-to-arrival delay of the fastest frames, used to date
	// frames when the source sends no RTCP sender reports (see arrivalClock). It defaults to 100 ms, typical of an IP camera's encoder
	// plus a radio link; set it to what the camera's documentation or a measurement says.
	Latency time.Duration
	// StallTimeout is how long without a decoded frame a connected stream waits before it
	// reports "stalled". It defaults to 2 seconds.
	StallTimeout time.Duration
	// ReadTimeout is how long a silent connection is kept before reconnecting. It defaults
	// to 8 seconds, as QGroundControl's RTSP timeout.
	ReadTimeout time.Duration
	// MaxBackoff caps the pause between reconnection attempts (it starts at 500 ms and
	// doubles). It defaults to 3 seconds, so a returning server plays again within seconds.
	MaxBackoff time.Duration
	// OnAccessUnit, when set, receives every compressed access unit (NAL units without start
	// codes for H.264 and H.265, one JPEG for MJPEG) before decoding, for recording. It must
	// not block.
	OnAccessUnit func(codec avcodec.Codec, au [][]byte, captured time.Time, randomAccess bool)

	timeNow func() time.Time

	stats streamStats
	seq   uint64 // decoded frames; only the playing session touches it

	mu   sync.Mutex
	subs []*Latest
	last *Frame

	terminate chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// Initialize checks the URL and starts connecting.
func (s *Stream) Initialize() error {
	u, err := url.Parse(s.URL)
	if err != nil {
		return fmt.Errorf("video URL %s: %w", Redact(s.URL), errors.Unwrap(err))
	}
	switch u.Scheme {
	case "rtsp", "rtsps", "udp":
	default:
		return fmt.Errorf("video URL %s: want rtsp://, rtsps:// or udp://", Redact(s.URL))
	}
	if s.Transport != "" && s.Transport != "udp" && s.Transport != "tcp" {
		return fmt.Errorf("transport %q: want udp or tcp", s.Transport)
	}
	if s.Latency == 0 {
		s.Latency = 100 * time.Millisecond
	}
	if s.StallTimeout <= 0 {
		s.StallTimeout = 2 * time.Second
	}
	if s.ReadTimeout <= 0 {
		s.ReadTimeout = 8 * time.Second
	}
	if s.MaxBackoff <= 0 {
		s.MaxBackoff = 3 * time.Second
	}
	if s.timeNow == nil {
		s.timeNow = time.Now
	}
	s.stats.h.URL = Redact(s.URL)
	s.stats.h.State = StateConnecting
	s.terminate = make(chan struct{})
	s.done = make(chan struct{})
	go s.run(u)
	return nil
}

// Close disconnects and waits for the stream's goroutines to end.
func (s *Stream) Close() {
	s.closeOnce.Do(func() {
		close(s.terminate)
		<-s.done
		s.stats.update(func(h *Health) { h.State = StateClosed })
	})
}

// Health returns the stream's state and statistics now.
func (s *Stream) Health() Health {
	h := s.stats.snapshot(s.timeNow())
	s.mu.Lock()
	for _, l := range s.subs {
		h.FramesDropped += l.Dropped()
	}
	s.mu.Unlock()
	return h
}

// Subscribe returns a new one-slot hand-off that receives every decoded frame from now on.
func (s *Stream) Subscribe() *Latest {
	l := NewLatest()
	s.mu.Lock()
	s.subs = append(s.subs, l)
	s.mu.Unlock()
	return l
}

// LastFrame is the most recent decoded frame (for snapshots), or nil.
func (s *Stream) LastFrame() *Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *Stream) publish(f *Frame) {
	s.stats.decoded(f)
	s.mu.Lock()
	s.last = f
	subs := s.subs
	s.mu.Unlock()
	for _, l := range subs {
		l.Put(f)
	}
}

// run connects and reconnects until Close, or until a permanent failure.
func (s *Stream) run(u *url.URL) {
	defer close(s.done)
	backoff := 500 * time.Millisecond
	for {
		played, err := s.session(u)
		select {
		case <-s.terminate:
			return
		default:
		}
		reason := describeError(err, u)
		if isPermanent(err) {
			s.stats.update(func(h *Health) { h.State, h.Reason = StateFailed, reason })
			return
		}
		if played {
			backoff = 500 * time.Millisecond
		}
		s.stats.update(func(h *Health) { h.State, h.Reason = StateReconnecting, reason; h.Reconnects++ })
		select {
		case <-s.terminate:
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, s.MaxBackoff)
	}
}

// session runs one connection until it fails or the stream closes; played says whether
// any frame was decoded.
func (s *Stream) session(u *url.URL) (played bool, err error) {
	if u.Scheme == "udp" {
		return s.udpSession(u)
	}
	return s.rtspSession(u)
}

// watch reports stalls while a session plays: it returns when the session ends (ended
// closes) or when no frame was decoded for ReadTimeout (the connection is then given up).
func (s *Stream) watch(ended <-chan struct{}) error {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	lastCount, lastChange := uint64(0), s.timeNow()
	for {
		select {
		case <-ended:
			return nil
		case <-s.terminate:
			return nil
		case <-tick.C:
		}
		now := s.timeNow()
		h := s.stats.snapshot(now)
		if h.FramesDecoded != lastCount {
			lastCount, lastChange = h.FramesDecoded, now
			s.stats.update(func(h *Health) { h.State, h.Reason = StatePlaying, "" })
			continue
		}
		silent := now.Sub(lastChange)
		if silent >= s.ReadTimeout {
			return fmt.Errorf("%w for %v", errNoFrames, s.ReadTimeout)
		}
		if silent >= s.StallTimeout {
			s.stats.update(func(h *Health) {
				if h.State == StatePlaying || h.State == StateConnecting {
					h.State, h.Reason = StateStalled, fmt.Sprintf("no picture for %.0f s", silent.Seconds())
				}
			})
		}
	}
}
