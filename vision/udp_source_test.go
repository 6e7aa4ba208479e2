package vision

import (
	"context"
	"fmt"
	"image"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtcp"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/test/videotest"
	"github.com/vigil-gcs/vigil/vision/avcodec"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

// rtpSender is a camera that sends H.264 over plain RTP/UDP, as a MAVLink camera does: each
// picture carries its capture time as a timecode, and with senderReports it sends RTCP
// sender reports to the next port.
type rtpSender struct {
	port          int
	group         net.IP // a multicast group to send to; 127.0.0.1 when nil
	width, height int
	senderReports bool
	// dropEvery, when set, loses every dropEvery-th RTP packet, as a radio link would;
	// garbleEvery replaces every garbleEvery-th packet's payload with noise.
	dropEvery, garbleEvery int
}

// run sends 30 pictures a second until ctx ends.
func (c rtpSender) run(ctx context.Context) error {
	enc := &avcodec.Encoder{Width: c.width, Height: c.height, FPS: 30}
	if err := enc.Initialize(); err != nil {
		return err
	}
	defer enc.Close()
	forma := &format.H264{PayloadTyp: 96, PacketizationMode: 1}
	pk, err := forma.CreateEncoder()
	if err != nil {
		return err
	}
	var local *net.UDPAddr
	if c.group == nil {
		local = &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}
	}
	conn, err := net.ListenUDP("udp", local)
	if err != nil {
		return err
	}
	defer conn.Close()
	to := net.IPv4(127, 0, 0, 1)
	if c.group != nil {
		to = c.group
	}
	rtpAddr := &net.UDPAddr{IP: to, Port: c.port}
	rtcpAddr := &net.UDPAddr{IP: to, Port: c.port + 1}

	img := image.NewYCbCr(image.Rect(0, 0, c.width, c.height), image.YCbCrSubsampleRatio420)
	tick := time.NewTicker(time.Second / 30)
	defer tick.Stop()
	var first time.Time
	sentPackets := 0
	for n := int64(0); ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		at := time.Now()
		if first.IsZero() {
			first = at
		}
		for i := range img.Y {
			img.Y[i] = uint8(int64(i) + n)
		}
		synthcam.StampTimecode(img, at)
		au, err := enc.Encode(img, n, false)
		if err != nil {
			return err
		}
		pkts, err := pk.Encode(au)
		if err != nil {
			return err
		}
		ts := uint32(at.Sub(first).Seconds() * 90000)
		for _, pkt := range pkts {
			pkt.Timestamp += ts
			buf, err := pkt.Marshal()
			if err != nil {
				return err
			}
			sentPackets++
			if c.dropEvery > 0 && sentPackets%c.dropEvery == 0 {
				continue
			}
			if c.garbleEvery > 0 && sentPackets%c.garbleEvery == 0 {
				for i := 12; i < len(buf); i++ { // after the RTP header
					buf[i] = byte(i*131 + sentPackets)
				}
			}
			_, _ = conn.WriteToUDP(buf, rtpAddr) // nobody may listen yet
		}
		if c.senderReports && n%30 == 0 && len(pkts) > 0 {
			sr, err := (&rtcp.SenderReport{SSRC: pkts[0].SSRC, NTPTime: ntpStandardTime(at), RTPTime: ts}).Marshal()
			if err != nil {
				return err
			}
			_, _ = conn.WriteToUDP(sr, rtcpAddr)
		}
	}
}

// ntpStandardTime is t as an RFC 3550 NTP timestamp (32.32 fixed point).
func ntpStandardTime(t time.Time) uint64 {
	const unixToNTP = 2208988800
	ns := uint64(t.UnixNano()) + unixToNTP*1e9
	return (ns/1e9)<<32 | (ns%1e9)<<32/1e9
}

// startUDPStream reads udp://127.0.0.1:port (plus query) and returns it with a
// subscription.
func startUDPStream(t *testing.T, port int, query string, readTimeout time.Duration) (*Stream, *Latest) {
	t.Helper()
	s := &Stream{URL: fmt.Sprintf("udp://127.0.0.1:%d%s", port, query), ReadTimeout: readTimeout, StallTimeout: readTimeout / 2}
	require.NoError(t, s.Initialize())
	t.Cleanup(s.Close)
	return s, s.Subscribe()
}

// nextFrames waits for n frames and returns the last.
func nextFrames(t *testing.T, s *Stream, sub *Latest, n int, within time.Duration) *Frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	var f *Frame
	for range n {
		var err error
		f, err = sub.Next(ctx)
		require.NoError(t, err, "health: %+v", s.Health())
	}
	return f
}

// A MAVLink-style camera sending H.264 over plain RTP to the port plays with no SDP: the
// codec is recognised from the stream. Without RTCP a frame is dated by its arrival minus the
// configured latency; with sender reports on the next port, by the camera's own clock.
func TestUDPSourcePlaysH264WithoutSDP(t *testing.T) {
	for _, tc := range []struct {
		name          string
		senderReports bool
	}{
		{"arrival time", false},
		{"sender reports on port+1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := videotest.FreeUDPPair(t)
			s, sub := startUDPStream(t, port, "", 3*time.Second)
			ctx, cancel := context.WithCancel(context.Background())
			sent := make(chan error, 1)
			go func() {
				sent <- rtpSender{port: port, width: 640, height: 360, senderReports: tc.senderReports}.run(ctx)
			}()
			defer func() { cancel(); require.NoError(t, <-sent) }()

			f := nextFrames(t, s, sub, 5, 10*time.Second)
			require.Equal(t, image.Rect(0, 0, 640, 360), f.Image.Rect)
			for checked := 0; checked < 10; {
				f = nextFrames(t, s, sub, 1, 5*time.Second)
				if tc.senderReports && !f.CapturedFromSender {
					continue // before the first report
				}
				checked++
				require.Equal(t, tc.senderReports, f.CapturedFromSender)
				if tc.senderReports {
					truth, ok := synthcam.ReadTimecode(f.Image)
					require.True(t, ok)
					require.InDelta(t, 0, f.Captured.Sub(truth).Seconds(), 0.005, "capture time from the sender's clock")
				} else {
					require.Equal(t, f.Arrived.Add(-s.Latency), f.Captured)
				}
			}
			h := s.Health()
			require.Equal(t, StatePlaying, h.State)
			require.Equal(t, "H.264", h.Codec)
			require.Equal(t, "UDP", h.Transport)
			require.Equal(t, 640, h.Width)
			require.Equal(t, tc.senderReports, h.CaptureFromSender)
		})
	}
}

// startRTPSender runs c until the test ends.
func startRTPSender(t *testing.T, c rtpSender) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sent := make(chan error, 1)
	go func() { sent <- c.run(ctx) }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			require.NoError(t, <-sent)
		}
	}
	t.Cleanup(stop)
	return stop
}

// A camera that restarts comes back with a new SSRC and new sequence numbers: the stream
// follows it without reconnecting. Packets lost on the way are counted, and the pictures
// after them still decode.
func TestUDPSourceFollowsARestartedCameraAndCountsLoss(t *testing.T) {
	port := videotest.FreeUDPPair(t)
	s, sub := startUDPStream(t, port, "", 8*time.Second)
	stop := startRTPSender(t, rtpSender{port: port, width: 640, height: 360, dropEvery: 200})
	nextFrames(t, s, sub, 1, 10*time.Second)
	require.Eventually(t, func() bool { return s.Health().PacketsLost > 0 }, 10*time.Second, 20*time.Millisecond,
		"a lost packet in 200 is counted")
	first := nextFrames(t, s, sub, 10, 5*time.Second) // and decoding goes on
	stop()

	time.Sleep(1500 * time.Millisecond) // the camera reboots
	startRTPSender(t, rtpSender{port: port, width: 640, height: 360})
	again := nextFrames(t, s, sub, 10, 5*time.Second)
	require.Greater(t, again.Seq, first.Seq)
	h := s.Health()
	require.Equal(t, StatePlaying, h.State)
	require.Zero(t, h.Reconnects, "the stream followed the new source on the same socket")
}

// A camera sending to a multicast group (udp://239.255.42.1:PORT) is received by joining it.
func TestUDPSourceJoinsAMulticastGroup(t *testing.T) {
	group := net.IPv4(239, 255, 42, 1)
	port := videotest.FreeUDPPair(t)
	if !multicastLoopsBack(group, port) {
		t.Skip("multicast sent here does not come back to this host (no multicast route)")
	}
	s := &Stream{URL: fmt.Sprintf("udp://%s:%d", group, port), ReadTimeout: 5 * time.Second}
	require.NoError(t, s.Initialize())
	t.Cleanup(s.Close)
	sub := s.Subscribe()
	startRTPSender(t, rtpSender{port: port, group: group, width: 640, height: 360})
	f := nextFrames(t, s, sub, 5, 10*time.Second)
	require.Equal(t, 640, f.Image.Rect.Dx())
	require.Equal(t, "H.264", s.Health().Codec)
}

// multicastLoopsBack tells whether a datagram sent to group:port reaches a listener that
// joined the group on this host.
func multicastLoopsBack(group net.IP, port int) bool {
	l, err := net.ListenMulticastUDP("udp", nil, &net.UDPAddr{IP: group, Port: port})
	if err != nil {
		return false
	}
	defer l.Close()
	c, err := net.DialUDP("udp", nil, &net.UDPAddr{IP: group, Port: port})
	if err != nil {
		return false
	}
	defer c.Close()
	if _, err := c.Write([]byte("probe")); err != nil {
		return false
	}
	_ = l.SetReadDeadline(time.Now().Add(time.Second))
	_, err = l.Read(make([]byte, 16))
	return err == nil
}

// Corrupt packets in a good stream are counted and the pictures go on.
func TestUDPSourceSurvivesCorruptPackets(t *testing.T) {
	port := videotest.FreeUDPPair(t)
	s, sub := startUDPStream(t, port, "", 8*time.Second)
	startRTPSender(t, rtpSender{port: port, width: 640, height: 360, garbleEvery: 200})
	nextFrames(t, s, sub, 1, 10*time.Second)
	require.Eventually(t, func() bool { return s.Health().FramesCorrupt > 0 }, 10*time.Second, 20*time.Millisecond,
		"a garbled packet is counted: %+v", s.Health())
	nextFrames(t, s, sub, 10, 5*time.Second)
	require.Equal(t, StatePlaying, s.Health().State)
}

// ffmpeg sending RTP, as a companion computer or test rig would: H.264 and H.265 are
// recognised from their in-band parameter sets, MJPEG from its payload type, and a stream
// whose parameter sets are only in the SDP plays when the SDP file is given.
func TestUDPSourcePlaysWhatFFmpegSends(t *testing.T) {
	needTool(t, "ffmpeg")
	for _, tc := range []struct {
		name      string
		codecArgs []string
		withSDP   bool
		want      string
	}{
		{"H.264 recognised", []string{"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15"}, false, "H.264"},
		{"H.265 recognised", []string{"-c:v", "libx265", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-x265-params", "log-level=error"}, false, "H.265"},
		{"MJPEG by payload type", []string{"-c:v", "mjpeg", "-huffman", "default", "-pix_fmt", "yuvj420p", "-q:v", "5"}, false, "MJPEG"},
		{"H.264 parameter sets only in the SDP", []string{"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-flags", "+global_header"}, true, "H.264"},
		{"H.265 parameter sets only in the SDP", []string{"-c:v", "libx265", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-x265-params", "log-level=error", "-flags", "+global_header"}, true, "H.265"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := videotest.FreeUDPPair(t)
			sdpPath := filepath.Join(t.TempDir(), "cam.sdp")
			ffmpegSendRTP(t, port, tc.codecArgs, sdpPath)
			query := ""
			if tc.withSDP {
				// ffmpeg creates the file before it has written it all.
				require.Eventually(t, func() bool {
					b, err := os.ReadFile(sdpPath)
					return err == nil && strings.Contains(string(b), "a=rtpmap")
				}, 5*time.Second, 20*time.Millisecond)
				query = "?sdp=" + sdpPath
			}
			s, sub := startUDPStream(t, port, query, 5*time.Second)
			f := nextFrames(t, s, sub, 10, 10*time.Second)
			require.Equal(t, image.Rect(0, 0, 640, 360), f.Image.Rect)
			h := s.Health()
			require.Equal(t, tc.want, h.Codec)
			require.Equal(t, StatePlaying, h.State)
		})
	}
}

// A stream whose parameter sets travel only in its SDP cannot be recognised from its packets:
// the reason says so and how to give the SDP.
func TestUDPSourceAsksForTheSDP(t *testing.T) {
	needTool(t, "ffmpeg")
	port := videotest.FreeUDPPair(t)
	ffmpegSendRTP(t, port, []string{"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-flags", "+global_header"},
		filepath.Join(t.TempDir(), "cam.sdp"))
	s, _ := startUDPStream(t, port, "", 2*time.Second)
	require.Eventually(t, func() bool { return s.Health().State == StateReconnecting }, 10*time.Second, 20*time.Millisecond,
		"health: %+v", s.Health())
	require.Contains(t, s.Health().Reason, fmt.Sprintf("RTP arrives but Vigil cannot tell its codec (payload type 96, "+
		"no H.264 or H.265 parameter sets seen in 2s); give the camera's SDP file as udp://:%d?sdp=FILE", port))
}

// ffmpegSendRTP runs ffmpeg sending a 640×360 test pattern over RTP to 127.0.0.1:port for
// the rest of the test, writing the stream's SDP to sdpPath.
func ffmpegSendRTP(t *testing.T, port int, codecArgs []string, sdpPath string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	args := append([]string{"-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "20"}, codecArgs...)
	args = append(args, "-sdp_file", sdpPath, "-f", "rtp", "rtp://127.0.0.1:"+strconv.Itoa(port))
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
}

// What cannot play says why in one sentence, and the stream goes on trying where trying
// can help.
func TestUDPSourceBadInput(t *testing.T) {
	dir := t.TempDir()
	vp8SDP := filepath.Join(dir, "vp8.sdp")
	require.NoError(t, os.WriteFile(vp8SDP, []byte("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"+
		"m=video 5600 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n"), 0o600))
	for _, tc := range []struct {
		name   string
		query  string
		send   []byte // one datagram, sent every 20 ms
		state  State
		reason string
	}{
		{name: "nothing arrives", state: StateReconnecting, reason: "no RTP packets arrived on UDP port"},
		{
			name: "not RTP", state: StateReconnecting, reason: "no RTP packets arrived on UDP port",
			send: []byte("hello, this is not RTP"),
		},
		{
			name: "RTP of an unknown codec", state: StateReconnecting, reason: "RTP arrives but Vigil cannot tell its codec (payload type 97",
			send: []byte{0x80, 97, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0x90, 0x90, 0x12, 0x34}, // RTP v2, payload type 97
		},
		{name: "SDP file missing", query: "?sdp=" + filepath.Join(dir, "missing.sdp"), state: StateFailed, reason: "cannot read the SDP file"},
		{name: "SDP of an unsupported codec", query: "?sdp=" + vp8SDP, state: StateFailed, reason: "Vigil decodes H.264, H.265 and MJPEG; the stream offers VP8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := videotest.FreeUDPPair(t)
			s, _ := startUDPStream(t, port, tc.query, time.Second)
			if tc.send != nil {
				conn, err := net.Dial("udp", "127.0.0.1:"+strconv.Itoa(port))
				require.NoError(t, err)
				defer conn.Close()
				stop := make(chan struct{})
				defer close(stop)
				go func() {
					for {
						_, _ = conn.Write(tc.send)
						select {
						case <-stop:
							return
						case <-time.After(20 * time.Millisecond):
						}
					}
				}()
			}
			require.Eventually(t, func() bool { return s.Health().State == tc.state }, 5*time.Second, 20*time.Millisecond,
				"health: %+v", s.Health())
			h := s.Health()
			require.Contains(t, h.Reason, tc.reason)
			require.Zero(t, h.FramesDecoded)
		})
	}
}

// A URL without a port cannot be listened on.
func TestUDPSourceNeedsAPort(t *testing.T) {
	s := &Stream{URL: "udp://127.0.0.1"}
	require.NoError(t, s.Initialize())
	defer s.Close()
	require.Eventually(t, func() bool { return s.Health().State == StateFailed }, 5*time.Second, 10*time.Millisecond)
	require.Contains(t, s.Health().Reason, "needs a port to listen on, as udp://:5600")
}
