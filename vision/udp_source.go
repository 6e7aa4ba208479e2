package vision

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/sdp"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// RTP over plain UDP is what most MAVLink cameras send by default (udp://:5600): no RTSP, no
// SDP on the wire. Vigil listens on the port and recognises the stream by itself:
//
//   - H.264 (any dynamic payload type, 96-127) from its first in-band SPS, alone, in a
//     STAP-A or at the start of a FU-A;
//   - H.265 likewise from its SPS (alone, in an aggregation packet or a fragmentation unit);
//   - MJPEG from its static payload type 26.
//
// Encoders that send their parameter sets only out of band need the SDP file they write:
// udp://:5600?sdp=/path/cam.sdp. A multicast group as the host joins it. RTCP sender reports
// arriving on the next port (5601), when the camera sends them, date the frames; otherwise a
// frame's capture time is its arrival minus Stream.Latency.

var (
	errNoRTP        = errors.New("no RTP packets arrived")
	errUnrecognised = errors.New("RTP arrives but Vigil cannot tell its codec")
)

// udpSession listens for RTP on the URL's port until the source goes quiet or the stream
// closes; played says whether this session decoded a picture.
func (s *Stream) udpSession(u *url.URL) (played bool, err error) {
	src, err := parseUDPSource(u)
	if err != nil {
		return false, err
	}
	conn, err := listenUDP(src.addr)
	if err != nil {
		return false, fmt.Errorf("listening for RTP on UDP %s: %w", src.addr, err)
	}
	defer conn.Close()
	// RTCP is optional: a camera that sends none, or a port taken by someone else, leaves
	// the capture times to the arrival times.
	rtcpAddr := &net.UDPAddr{IP: src.addr.IP, Port: src.addr.Port + 1, Zone: src.addr.Zone}
	rtcpConn, rtcpErr := listenUDP(rtcpAddr)

	r := &udpReceiver{s: s, fixed: src.fixed}
	defer r.closeDecoder()
	s.stats.update(func(h *Health) { h.Transport = "UDP" })

	ended := make(chan struct{})
	var readErr error
	go func() {
		defer close(ended)
		readErr = r.readRTP(conn)
	}()
	var rtcpDone chan struct{}
	if rtcpErr == nil {
		rtcpDone = make(chan struct{})
		go func() {
			defer close(rtcpDone)
			r.readRTCP(rtcpConn)
		}()
	}

	watchErr := s.watch(ended)
	conn.Close()
	<-ended
	if rtcpDone != nil {
		rtcpConn.Close()
		<-rtcpDone
	}
	played = r.decoded > 0
	if watchErr != nil {
		return played, r.explainSilence(watchErr, src)
	}
	return played, readErr
}

// udpSource is what a udp:// URL asks for.
type udpSource struct {
	addr *net.UDPAddr
	// fixed is the format an SDP file describes; nil means recognise it from the packets.
	fixed format.Format
}

func parseUDPSource(u *url.URL) (udpSource, error) {
	host, portText, err := net.SplitHostPort(u.Host)
	if err != nil || portText == "" {
		return udpSource{}, fmt.Errorf("%w: %s needs a port to listen on, as udp://:5600", errBadURL, u.Redacted())
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port <= 0 || port > 65534 {
		return udpSource{}, fmt.Errorf("%w: port %q is not a UDP port", errBadURL, portText)
	}
	addr := &net.UDPAddr{Port: port}
	if host != "" {
		ip := net.ParseIP(host)
		if ip == nil {
			ips, err := net.LookupIP(host)
			if err != nil {
				return udpSource{}, err
			}
			ip = ips[0]
		}
		addr.IP = ip
	}
	src := udpSource{addr: addr}
	if path := u.Query().Get("sdp"); path != "" {
		if src.fixed, err = readSDPFile(path); err != nil {
			return udpSource{}, err
		}
	}
	return src, nil
}

// readSDPFile reads the video format of an SDP file (as `ffmpeg -f rtp -sdp_file` or
// GStreamer write it).
func readSDPFile(path string) (format.Format, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot read the SDP file: %w", errBadURL, err)
	}
	return parseSDP(data, path)
}

// parseSDP picks the video format of an SDP, H.264 first (see depacketizerFor).
func parseSDP(data []byte, name string) (format.Format, error) {
	var sd sdp.SessionDescription
	if err := sd.Unmarshal(data); err != nil {
		return nil, fmt.Errorf("%w: SDP file %s: %w", errBadURL, name, err)
	}
	var desc description.Session
	if err := desc.Unmarshal(&sd); err != nil {
		return nil, fmt.Errorf("%w: SDP file %s: %w", errBadURL, name, err)
	}
	medi, dp, err := depacketizerFor(&desc)
	if err != nil {
		return nil, err
	}
	for _, f := range medi.Formats {
		if formatCodec(f) == dp.codec() {
			return f, nil
		}
	}
	return nil, fmt.Errorf("%w: the SDP file %s", errUnsupportedCodec, name)
}

// formatCodec is the decoder codec of an RTP format, 0 for one Vigil does not decode.
func formatCodec(f format.Format) avcodec.Codec {
	switch f.(type) {
	case *format.H264:
		return avcodec.CodecH264
	case *format.H265:
		return avcodec.CodecH265
	case *format.MJPEG:
		return avcodec.CodecMJPEG
	}
	return 0
}

func listenUDP(addr *net.UDPAddr) (*net.UDPConn, error) {
	var conn *net.UDPConn
	var err error
	if addr.IP != nil && addr.IP.IsMulticast() {
		conn, err = net.ListenMulticastUDP("udp", nil, addr)
	} else {
		conn, err = net.ListenUDP("udp", addr)
	}
	if err != nil {
		return nil, err
	}
	// A 1080p keyframe is a few hundred packets in one burst; the default buffer (≈200 kB)
	// can overflow while the previous frame decodes. The kernel caps it at rmem_max.
	_ = conn.SetReadBuffer(4 << 20)
	return conn, nil
}

// udpReceiver follows one RTP source on the port. Its fields belong to the RTP reading
// goroutine, apart from ssrc and clock, which the RTCP goroutine reads.
type udpReceiver struct {
	s     *Stream
	fixed format.Format

	dp      depacketizer
	dec     *avcodec.Decoder
	pt      uint8
	lastAt  time.Time // last packet of the followed source
	nextSeq uint16

	ssrc  atomic.Uint32
	clock atomic.Pointer[senderClock]

	packets      uint64 // RTP packets, followed or not
	lastPacketAt time.Time
	unrecognised uint64
	lastPT       uint8
	decoded      uint64
}

// sourceSilence is how long the followed source must be quiet before another one on the
// same port (a camera restarted with a new SSRC, say) is taken instead.
const sourceSilence = time.Second

func (r *udpReceiver) readRTP(conn *net.UDPConn) error {
	buf := make([]byte, 65536)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return err
		}
		arrived := r.s.timeNow()
		var pkt rtp.Packet
		// The payload must outlive buf: the depacketizers keep NAL units across packets.
		if pkt.Unmarshal(append([]byte(nil), buf[:n]...)) != nil || pkt.Version != 2 {
			r.s.stats.update(func(h *Health) { h.FramesCorrupt++ })
			continue
		}
		r.packet(&pkt, arrived)
	}
}

// packet takes one RTP packet: it follows a recognised source and decodes its pictures.
func (r *udpReceiver) packet(pkt *rtp.Packet, arrived time.Time) {
	r.packets++
	r.lastPacketAt, r.lastPT = arrived, pkt.PayloadType
	following := r.dp != nil
	if following && pkt.SSRC != r.ssrc.Load() {
		if arrived.Sub(r.lastAt) < sourceSilence {
			return // a second sender on the port: keep to the first
		}
		following = false
	}
	if !following {
		f := r.recognise(pkt)
		if f == nil {
			r.unrecognised++
			return
		}
		if err := r.follow(f, pkt); err != nil {
			r.s.stats.update(func(h *Health) { h.FramesCorrupt++ })
			return
		}
	} else if pkt.PayloadType != r.pt {
		return
	} else if gap := int16(pkt.SequenceNumber - r.nextSeq); gap < 0 {
		return // late or duplicate: its frame has been given up already
	} else if gap > 0 {
		r.s.stats.update(func(h *Health) { h.PacketsLost += uint64(gap) })
	}
	r.lastAt, r.nextSeq = arrived, pkt.SequenceNumber+1

	au, random, err := r.dp.decode(pkt)
	if err != nil {
		r.s.stats.update(func(h *Health) { h.FramesCorrupt++ })
		return
	}
	if au == nil {
		return
	}
	captured, fromSender := r.clock.Load().at(pkt.Timestamp)
	if !fromSender {
		captured = arrived.Add(-r.s.Latency)
	}
	before := r.s.seq
	r.s.accessUnit(r.dec, r.dp.codec(), au, random, captured, fromSender, arrived)
	r.decoded += r.s.seq - before
}

// recognise returns the format of the source pkt belongs to, or nil while it cannot tell.
func (r *udpReceiver) recognise(pkt *rtp.Packet) format.Format {
	if r.fixed != nil {
		if pkt.PayloadType == r.fixed.PayloadType() {
			return r.fixed
		}
		return nil
	}
	switch {
	case pkt.PayloadType == 26:
		return &format.MJPEG{}
	case pkt.PayloadType < 96 || pkt.PayloadType > 127:
		return nil
	case carriesH264SPS(pkt.Payload):
		return &format.H264{PayloadTyp: pkt.PayloadType, PacketizationMode: 1}
	case carriesH265SPS(pkt.Payload):
		return &format.H265{PayloadTyp: pkt.PayloadType}
	}
	return nil
}

// follow starts decoding the source of pkt in format f.
func (r *udpReceiver) follow(f format.Format, pkt *rtp.Packet) error {
	var dp depacketizer
	var err error
	switch f := f.(type) {
	case *format.H264:
		dp, err = newH264Depacketizer(f)
	case *format.H265:
		dp, err = newH265Depacketizer(f)
	case *format.MJPEG:
		dp, err = newMJPEGDepacketizer(f)
	default:
		err = fmt.Errorf("%w: %s", errUnsupportedCodec, f.Codec())
	}
	if err != nil {
		return err
	}
	if r.dec == nil || r.dec.Codec != dp.codec() {
		r.closeDecoder()
		dec := &avcodec.Decoder{Codec: dp.codec()}
		if err := dec.Initialize(); err != nil {
			return err
		}
		r.dec = dec
	}
	r.dp, r.pt = dp, pkt.PayloadType
	r.ssrc.Store(pkt.SSRC)
	r.clock.Store(&senderClock{clockRate: float64(f.ClockRate())})
	r.s.stats.update(func(h *Health) { h.Codec = dp.codec().String() })
	return nil
}

func (r *udpReceiver) closeDecoder() {
	if r.dec != nil {
		r.dec.Close()
		r.dec = nil
	}
}

// readRTCP takes the followed source's sender reports until conn closes.
func (r *udpReceiver) readRTCP(conn *net.UDPConn) {
	buf := make([]byte, 1500)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		pkts, err := rtcp.Unmarshal(buf[:n])
		if err != nil {
			continue
		}
		for _, p := range pkts {
			sr, ok := p.(*rtcp.SenderReport)
			if !ok || sr.SSRC != r.ssrc.Load() {
				continue
			}
			if c := r.clock.Load(); c != nil {
				c.report(sr.NTPTime, sr.RTPTime)
			}
		}
	}
}

// explainSilence says why a session saw no picture for ReadTimeout, in the operator's terms.
func (r *udpReceiver) explainSilence(watchErr error, src udpSource) error {
	if !errors.Is(watchErr, errNoFrames) {
		return watchErr
	}
	timeout := r.s.ReadTimeout
	switch {
	case r.packets == 0:
		return fmt.Errorf("%w on UDP port %d for %v", errNoRTP, src.addr.Port, timeout)
	case r.s.timeNow().Sub(r.lastPacketAt) >= time.Second:
		return fmt.Errorf("%w on UDP port %d for %v: the camera stopped sending",
			errNoRTP, src.addr.Port, r.s.timeNow().Sub(r.lastPacketAt).Round(time.Second))
	case r.dp == nil && src.fixed != nil:
		return fmt.Errorf("%w: the packets have payload type %d, the SDP file describes %d",
			errUnrecognised, r.lastPT, src.fixed.PayloadType())
	case r.dp == nil:
		return fmt.Errorf("%w (payload type %d, no H.264 or H.265 parameter sets seen in %v); "+
			"give the camera's SDP file as udp://:%d?sdp=FILE", errUnrecognised, r.lastPT, timeout, src.addr.Port)
	}
	return watchErr
}

// carriesH264SPS tells whether an RTP payload is, or starts with, an H.264 sequence
// parameter set that parses (RFC 6184: a single NAL unit, a STAP-A or a FU-A start).
func carriesH264SPS(p []byte) bool {
	if len(p) < 2 || p[0]&0x80 != 0 {
		return false
	}
	isSPS := func(nalu []byte) bool {
		var sps h264.SPS
		return len(nalu) > 1 && h264.NALUType(nalu[0]&0x1f) == h264.NALUTypeSPS && sps.Unmarshal(nalu) == nil
	}
	switch h264.NALUType(p[0] & 0x1f) {
	case h264.NALUTypeSTAPA:
		return anyAggregated(p[1:], isSPS)
	case h264.NALUTypeFUA:
		// Only the start of a fragmented SPS is in this packet: check its type.
		return p[1]&0x80 != 0 && h264.NALUType(p[1]&0x1f) == h264.NALUTypeSPS
	}
	return isSPS(p)
}

// carriesH265SPS is carriesH264SPS for H.265 (RFC 7798: a single NAL unit, an aggregation
// packet or a fragmentation unit start).
func carriesH265SPS(p []byte) bool {
	if len(p) < 3 || p[0]&0x80 != 0 {
		return false
	}
	typ := func(b []byte) h265.NALUType { return h265.NALUType((b[0] >> 1) & 0x3f) }
	isSPS := func(nalu []byte) bool {
		var sps h265.SPS
		return len(nalu) > 2 && typ(nalu) == h265.NALUType_SPS_NUT && sps.Unmarshal(nalu) == nil
	}
	switch typ(p) {
	case h265.NALUType_AggregationUnit:
		return anyAggregated(p[2:], isSPS)
	case h265.NALUType_FragmentationUnit:
		return p[2]&0x80 != 0 && h265.NALUType(p[2]&0x3f) == h265.NALUType_SPS_NUT
	}
	return isSPS(p)
}

// anyAggregated tells whether fn holds for a NAL unit of an aggregation packet's body: units
// each preceded by a 16-bit size (STAP-A in H.264, AP in H.265).
func anyAggregated(body []byte, fn func(nalu []byte) bool) bool {
	for len(body) >= 2 {
		size := int(body[0])<<8 | int(body[1])
		if size == 0 || size > len(body)-2 {
			return false
		}
		if fn(body[2 : 2+size]) {
			return true
		}
		body = body[2+size:]
	}
	return false
}
