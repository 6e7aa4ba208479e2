package synthcam

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/pion/rtcp"
)

// Server serves simulated cameras over RTSP (UDP or TCP transport, as the reader asks), one
// path per camera, with RTCP sender reports that carry each frame's capture time.
type Server struct {
	// Address is where RTSP listens, host:port. It defaults to ":8554".
	Address string
	// UDPRTPPort is the first of two consecutive ports (even, odd) for RTP and RTCP over
	// UDP. It defaults to 8000, as most RTSP servers.
	UDPRTPPort int

	server *gortsplib.Server

	mu      sync.RWMutex
	streams map[string]*Publisher

	writeErrors atomic.Uint64
}

// WriteErrors is how many packets readers were too slow to take.
func (s *Server) WriteErrors() uint64 { return s.writeErrors.Load() }

// Publisher is one camera's stream on a Server: hand it encoded access units.
type Publisher struct {
	stream *gortsplib.ServerStream
	media  *description.Media
	enc    *rtph264.Encoder
	// OnReader is called when a reader starts playing, so the camera can send a keyframe at
	// once rather than make the reader wait up to a keyframe interval.
	onReader func()
	mu       sync.Mutex
	first    time.Time
	lastSR   time.Time
}

// senderReportPeriod is how often a Publisher sends its RTCP sender report. gortsplib's
// server would send one every 10 s (the first 10 s after the start, and with a non-standard
// NTP fraction): a reader would date its first frames by arrival until then.
const senderReportPeriod = time.Second

// Initialize starts listening.
func (s *Server) Initialize() error {
	if s.Address == "" {
		s.Address = ":8554"
	}
	if s.UDPRTPPort == 0 {
		s.UDPRTPPort = 8000
	}
	if s.UDPRTPPort%2 != 0 {
		return fmt.Errorf("UDP RTP port %d: must be even (RTCP is the next one)", s.UDPRTPPort)
	}
	host, _, err := net.SplitHostPort(s.Address)
	if err != nil {
		return fmt.Errorf("RTSP address %q: %w", s.Address, err)
	}
	s.streams = map[string]*Publisher{}
	s.server = &gortsplib.Server{
		Handler:        &serverHandler{s: s},
		RTSPAddress:    s.Address,
		UDPRTPAddress:  net.JoinHostPort(host, strconv.Itoa(s.UDPRTPPort)),
		UDPRTCPAddress: net.JoinHostPort(host, strconv.Itoa(s.UDPRTPPort+1)),
		// Its sender reports write the NTP fraction in nanoseconds, not RFC 3550's 2⁻³² s;
		// the Publishers send standard ones.
		DisableRTCPSenderReports: true,
		// A 720p keyframe is about 100 packets at once; the default queue of 256 drops
		// packets on a busy machine.
		WriteQueueSize: 4096,
	}
	if err := s.server.Start(); err != nil {
		return fmt.Errorf("serving RTSP on %s: %w", s.Address, err)
	}
	return nil
}

// Close stops serving and closes every stream.
func (s *Server) Close() {
	s.mu.Lock()
	for _, p := range s.streams {
		p.stream.Close()
	}
	s.streams = nil
	s.mu.Unlock()
	s.server.Close()
}

// Publish adds an H.264 stream at path ("/cam1"); onReader is called when a reader starts.
func (s *Server) Publish(path string, onReader func()) (*Publisher, error) {
	forma := &format.H264{PayloadTyp: 96, PacketizationMode: 1}
	media := &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{forma}}
	stream := &gortsplib.ServerStream{Server: s.server, Desc: &description.Session{Medias: []*description.Media{media}}}
	if err := stream.Initialize(); err != nil {
		return nil, err
	}
	enc, err := forma.CreateEncoder()
	if err != nil {
		stream.Close()
		return nil, err
	}
	p := &Publisher{stream: stream, media: media, enc: enc, onReader: onReader}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.streams[path]; dup {
		stream.Close()
		return nil, fmt.Errorf("a camera is already published at %s", path)
	}
	s.streams[path] = p
	return p, nil
}

// WriteAccessUnit sends one H.264 access unit captured at capturedAt. The RTP timestamp
// counts 90 kHz ticks from the first unit and the sender reports map it to capturedAt, so a
// reader recovers the capture time exactly (PacketNTP).
func (p *Publisher) WriteAccessUnit(au [][]byte, capturedAt time.Time) error {
	pkts, err := p.enc.Encode(au)
	if err != nil {
		return err
	}
	p.mu.Lock()
	if p.first.IsZero() {
		p.first = capturedAt
	}
	ts := uint32(capturedAt.Sub(p.first).Seconds() * 90000)
	sendSR := capturedAt.Sub(p.lastSR) >= senderReportPeriod
	if sendSR {
		p.lastSR = capturedAt
	}
	p.mu.Unlock()
	// The report goes first, so a new reader can date this very frame.
	if sendSR && len(pkts) > 0 {
		if err := p.stream.WritePacketRTCP(p.media, &rtcp.SenderReport{
			SSRC: pkts[0].SSRC, NTPTime: ntpTime(capturedAt), RTPTime: ts,
		}); err != nil {
			return err
		}
	}
	for _, pkt := range pkts {
		pkt.Timestamp += ts
		if err := p.stream.WritePacketRTPWithNTP(p.media, pkt, capturedAt); err != nil {
			return err
		}
	}
	return nil
}

// ntpTime is t as a 64-bit NTP timestamp (seconds since 1900, 32.32 fixed point).
func ntpTime(t time.Time) uint64 {
	const unixToNTP = 2208988800
	ns := uint64(t.UnixNano()) + unixToNTP*1e9
	return (ns/1e9)<<32 | (ns%1e9)<<32/1e9
}

type serverHandler struct{ s *Server }

// OnStreamWriteError counts packets a slow reader could not take (gortsplib would log each
// to stderr); the reader sees them as lost.
func (h *serverHandler) OnStreamWriteError(*gortsplib.ServerHandlerOnStreamWriteErrorCtx) {
	h.s.writeErrors.Add(1)
}

func (h *serverHandler) publisher(path string) (*Publisher, *base.Response) {
	h.s.mu.RLock()
	defer h.s.mu.RUnlock()
	p, ok := h.s.streams[path]
	if !ok {
		return nil, &base.Response{StatusCode: base.StatusNotFound}
	}
	return p, &base.Response{StatusCode: base.StatusOK}
}

func (h *serverHandler) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	p, res := h.publisher(ctx.Path)
	if p == nil {
		return res, nil, nil
	}
	return res, p.stream, nil
}

func (h *serverHandler) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	p, res := h.publisher(ctx.Path)
	if p == nil {
		return res, nil, nil
	}
	return res, p.stream, nil
}

func (h *serverHandler) OnPlay(ctx *gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	if p, _ := h.publisher(ctx.Path); p != nil {
		// A new reader gets a sender report with the next frame, so it can date frames from
		// the first one rather than by arrival until the next periodic report.
		p.mu.Lock()
		p.lastSR = time.Time{}
		p.mu.Unlock()
		if p.onReader != nil {
			p.onReader()
		}
	}
	return &base.Response{StatusCode: base.StatusOK}, nil
}
