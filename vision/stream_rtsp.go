package vision

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// rtspSession plays the stream once over RTSP.
func (s *Stream) rtspSession(u *url.URL) (played bool, err error) {
	bu, err := base.ParseURL(u.String())
	if err != nil {
		return false, fmt.Errorf("%w: %v", errBadURL, err)
	}
	c := &gortsplib.Client{
		Scheme:      bu.Scheme,
		Host:        bu.Host,
		ReadTimeout: s.ReadTimeout,
		// The default (about 200 kB) overflows on a keyframe while the previous frame
		// decodes, and every loss holds frames in gortsplib's reorder buffer.
		UDPReadBufferSize: 4 << 20,
		OnTransportSwitch: func(error) {
			s.stats.update(func(h *Health) { h.Transport = "TCP" })
		},
		OnPacketsLost: func(lost uint64) {
			s.stats.update(func(h *Health) { h.PacketsLost += lost })
		},
		OnDecodeError: func(error) {
			s.stats.update(func(h *Health) { h.FramesCorrupt++ })
		},
	}
	switch s.Transport {
	case "udp":
		t := gortsplib.TransportUDP
		c.Transport = &t
	case "tcp":
		t := gortsplib.TransportTCP
		c.Transport = &t
	}
	if err := c.Start2(); err != nil {
		return false, err
	}
	defer c.Close()
	decodedBefore := s.stats.snapshot(s.timeNow()).FramesDecoded

	desc, _, err := c.Describe(bu)
	if err != nil {
		return false, err
	}
	medi, dp, err := depacketizerFor(desc)
	if err != nil {
		return false, err
	}
	res, err := c.Setup(desc.BaseURL, medi, 0, 0)
	if err != nil {
		return false, err
	}
	transport := "UDP"
	if strings.Contains(strings.ToUpper(strings.Join(res.Header["Transport"], ",")), "TCP") {
		transport = "TCP"
	}
	dec := &avcodec.Decoder{Codec: dp.codec()}
	if err := dec.Initialize(); err != nil {
		return false, err
	}
	defer dec.Close()
	s.stats.update(func(h *Health) { h.Codec, h.Transport = dp.codec().String(), transport })

	// gortsplib's own PacketNTP misreads standard sender reports (see senderClock).
	clock := &senderClock{clockRate: float64(medi.Formats[0].ClockRate())}
	byArrival := &arrivalClock{clockRate: float64(medi.Formats[0].ClockRate()), window: arrivalClockWindow}
	c.OnPacketRTCP(medi, func(pkt rtcp.Packet) {
		if sr, ok := pkt.(*rtcp.SenderReport); ok {
			clock.report(sr.NTPTime, sr.RTPTime)
		}
	})
	c.OnPacketRTP(medi, medi.Formats[0], func(pkt *rtp.Packet) {
		arrived := s.timeNow()
		au, random, err := dp.decode(pkt)
		if err != nil || au == nil {
			return
		}
		captured, fromSender := clock.at(pkt.Timestamp)
		if !fromSender {
			captured = byArrival.date(pkt.Timestamp, arrived, s.Latency)
		}
		s.accessUnit(dec, dp.codec(), au, random, captured, fromSender, arrived)
	})
	if _, err := c.Play(nil); err != nil {
		return false, err
	}

	ended := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = c.Wait()
		close(ended)
	}()
	watchErr := s.watch(ended)
	c.Close()
	<-ended
	played = s.stats.snapshot(s.timeNow()).FramesDecoded > decodedBefore
	if watchErr != nil {
		return played, watchErr
	}
	return played, waitErr
}

// accessUnit decodes one access unit and publishes its picture. The stream's goroutine
// for this session calls it, so one decoder is never used concurrently.
func (s *Stream) accessUnit(dec *avcodec.Decoder, codec avcodec.Codec, au [][]byte, random bool, captured time.Time, fromSender bool, arrived time.Time) {
	data := joinAnnexB(codec, au)
	s.stats.accessUnit(arrived, len(data))
	if s.OnAccessUnit != nil {
		s.OnAccessUnit(codec, au, captured, random)
	}
	img, err := dec.Decode(data)
	if err != nil {
		s.stats.update(func(h *Health) { h.FramesCorrupt++ })
		return
	}
	if img == nil {
		return
	}
	s.seq++
	s.publish(&Frame{
		Seq: s.seq, Image: img, Captured: captured, CapturedFromSender: fromSender,
		Arrived: arrived, Decoded: s.timeNow(),
	})
}

// depacketizerFor picks the stream's video format: H.264, then H.265, then MJPEG.
func depacketizerFor(desc *description.Session) (*description.Media, depacketizer, error) {
	var h264f *format.H264
	if m := desc.FindFormat(&h264f); m != nil {
		d, err := newH264Depacketizer(h264f)
		return m, d, err
	}
	var h265f *format.H265
	if m := desc.FindFormat(&h265f); m != nil {
		d, err := newH265Depacketizer(h265f)
		return m, d, err
	}
	var mjpegf *format.MJPEG
	if m := desc.FindFormat(&mjpegf); m != nil {
		d, err := newMJPEGDepacketizer(mjpegf)
		return m, d, err
	}
	var offered []string
	for _, m := range desc.Medias {
		for _, f := range m.Formats {
			offered = append(offered, f.Codec())
		}
	}
	return nil, nil, fmt.Errorf("%w: the stream offers %s", errUnsupportedCodec, strings.Join(offered, ", "))
}

var (
	errBadURL           = errors.New("bad URL")
	errUnsupportedCodec = errors.New("no H.264, H.265 or MJPEG video")
	errNoFrames         = errors.New("no picture")
)

// isPermanent tells failures that retrying cannot fix: a wrong password (retrying could
// also lock the account), a format Vigil cannot decode, a malformed URL.
func isPermanent(err error) bool {
	var bad liberrors.ErrClientBadStatusCode
	if errors.As(err, &bad) && (bad.Code == base.StatusUnauthorized || bad.Code == base.StatusForbidden) {
		return true
	}
	return errors.Is(err, errUnsupportedCodec) || errors.Is(err, errBadURL)
}

// describeError turns a connection failure into one sentence for the operator.
func describeError(err error, u *url.URL) string {
	host := u.Host
	var dnsErr *net.DNSError
	var bad liberrors.ErrClientBadStatusCode
	var opErr *net.OpError
	switch {
	case err == nil:
		return "the server ended the stream"
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("cannot find the camera's host %q (name does not resolve)", dnsErr.Name)
	case errors.As(err, &bad) && bad.Code == base.StatusUnauthorized:
		return fmt.Sprintf("%s refused the user name or password (401 Unauthorized)", host)
	case errors.As(err, &bad) && bad.Code == base.StatusNotFound:
		return fmt.Sprintf("%s has no stream at %s (404 Not Found)", host, u.Path)
	case errors.As(err, &bad):
		return fmt.Sprintf("%s answered %d %s", host, bad.Code, bad.Message)
	case errors.Is(err, errUnsupportedCodec):
		return fmt.Sprintf("Vigil decodes H.264, H.265 and MJPEG; %s", strings.TrimPrefix(err.Error(), errUnsupportedCodec.Error()+": "))
	case errors.Is(err, errBadURL):
		return strings.TrimPrefix(err.Error(), errBadURL.Error()+": ")
	case errors.Is(err, errNoRTP), errors.Is(err, errUnrecognised):
		return err.Error()
	case errors.Is(err, errNoFrames):
		return fmt.Sprintf("connected to %s but %v", host, err)
	case errors.As(err, &opErr) && errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("nothing answers at %s (connection refused)", host)
	case errors.As(err, &opErr) && opErr.Timeout():
		return fmt.Sprintf("no answer from %s (timed out)", host)
	}
	return fmt.Sprintf("%s: %v", host, err)
}
