package vision

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/test/videotest"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

// Interoperability with other people's RTSP software (issue 4, acceptance 2, 3 and 5).

func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (apt-get install ffmpeg)", name)
	}
	return path
}

// ffprobe, the reference RTSP client, reads the simulated camera over either transport.
func TestInteropFFprobeReadsSimulatedCamera(t *testing.T) {
	ffprobe := needTool(t, "ffprobe")
	cam := videotest.StartCamera(t, videotest.Options{Width: 640, Height: 360})
	for _, transport := range []string{"tcp", "udp"} {
		t.Run(transport, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, ffprobe, "-v", "error", "-rtsp_transport", transport,
				"-show_streams", "-of", "json", cam.URL).Output()
			require.NoError(t, err, "ffprobe: %s", exitStderr(err))
			var probe struct {
				Streams []struct {
					CodecName string `json:"codec_name"`
					CodecType string `json:"codec_type"`
					Width     int    `json:"width"`
					Height    int    `json:"height"`
				} `json:"streams"`
			}
			require.NoError(t, json.Unmarshal(out, &probe), "ffprobe printed %s", out)
			require.Len(t, probe.Streams, 1)
			s := probe.Streams[0]
			require.Equal(t, "video", s.CodecType)
			require.Equal(t, "h264", s.CodecName)
			require.Equal(t, 640, s.Width)
			require.Equal(t, 360, s.Height)
		})
	}
}

func exitStderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// Vigil plays H.264 and H.265 that ffmpeg publishes to gortsplib's example RTSP server: an
// encoder and a server that are not Vigil's own.
func TestInteropIngestsFFmpegThroughAnotherServer(t *testing.T) {
	needTool(t, "ffmpeg")
	startExampleServer(t)
	for _, tc := range []struct {
		codec string
		args  []string
	}{
		{"H.264", []string{"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25"}},
		{"H.265", []string{"-c:v", "libx265", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-x265-params", "log-level=error"}},
	} {
		t.Run(tc.codec, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			args := append([]string{"-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "30"}, tc.args...)
			args = append(args, "-f", "rtsp", "-rtsp_transport", "tcp", "rtsp://127.0.0.1:8554/stream")
			ffmpeg := exec.CommandContext(ctx, "ffmpeg", args...)
			require.NoError(t, ffmpeg.Start())
			defer func() { cancel(); _ = ffmpeg.Wait() }()

			// Until ffmpeg has announced, the server answers 404 and the stream retries.
			s := &Stream{URL: "rtsp://127.0.0.1:8554/stream"}
			require.NoError(t, s.Initialize())
			defer s.Close()
			f := nextFrames(t, s, s.Subscribe(), 10, 15*time.Second)
			require.Equal(t, 640, f.Image.Rect.Dx())
			require.Equal(t, 360, f.Image.Rect.Dy())
			h := s.Health()
			require.Equal(t, StatePlaying, h.State)
			require.Equal(t, tc.codec, h.Codec)
			require.Zero(t, h.FramesCorrupt)
		})
	}
}

// startExampleServer builds and runs gortsplib's example server (examples/server, a module
// Vigil depends on) on its fixed ports, RTSP 8554 and RTP/RTCP 8000/8001, until the test
// ends.
func startExampleServer(t *testing.T) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool, err = exec.LookPath("/usr/local/go/bin/go") // where the README installs Go
	}
	if err != nil {
		t.Skip("the go tool is not on PATH: it builds gortsplib's example server")
	}
	for _, p := range []struct{ network, addr string }{{"tcp", ":8554"}, {"udp", ":8000"}, {"udp", ":8001"}} {
		if !portFree(p.network, p.addr) {
			t.Skipf("%s port %s is busy (another RTSP server runs here): gortsplib's example server needs 8554, 8000 and 8001", p.network, p.addr)
		}
	}
	bin := filepath.Join(t.TempDir(), "rtsp-server")
	build := exec.Command(goTool, "build", "-o", bin, "github.com/bluenviron/gortsplib/v4/examples/server")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building gortsplib's example server: %s", out)
	server := exec.Command(bin)
	var log strings.Builder
	server.Stderr = &log
	require.NoError(t, server.Start())
	exited := make(chan struct{})
	go func() { _ = server.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = server.Process.Kill()
		<-exited
	})
	require.Eventually(t, func() bool {
		select {
		case <-exited:
			return true // reported below
		default:
		}
		c, err := net.Dial("tcp", "127.0.0.1:8554")
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 10*time.Second, 20*time.Millisecond)
	select {
	case <-exited:
		t.Skipf("gortsplib's example server did not start (ports taken meanwhile?)")
	default:
	}
}

func portFree(network, addr string) bool {
	if network == "tcp" {
		l, err := net.Listen(network, addr)
		if err == nil {
			l.Close()
		}
		return err == nil
	}
	c, err := net.ListenPacket(network, addr)
	if err == nil {
		c.Close()
	}
	return err == nil
}

// restartableCamera is a simulated camera whose RTSP server can be stopped and started again
// at the same address while the camera keeps producing frames.
type restartableCamera struct {
	t       *testing.T
	address string
	udpPort int
	cam     *synthcam.Camera
	pub     atomic.Pointer[synthcam.Publisher]
	srv     *synthcam.Server
}

func startRestartableCamera(t *testing.T) *restartableCamera {
	rc := &restartableCamera{
		t: t, address: fmt.Sprintf("127.0.0.1:%d", videotest.FreeTCPPort(t)), udpPort: videotest.FreeUDPPair(t),
	}
	world := synthcam.NewWorld(synthcam.WorldConfig{Origin: videotest.Home, Seed: 3, People: 3})
	rc.cam = &synthcam.Camera{
		World: world, Lens: gcs.Camera{WidthPx: 640, HeightPx: 360, HFOVDeg: 69},
		Pose: func(time.Time) (gcs.Pose, gcs.GimbalAttitude, bool) {
			p := gcs.Pose{Position: gcs.Position{Point: videotest.Home.Point, AltMSLM: videotest.Home.AltMSLM + 60}}
			return p, gcs.GimbalAttitude{PitchRad: -math.Pi / 2}, true
		},
		Output: func(au [][]byte, at time.Time) error {
			if p := rc.pub.Load(); p != nil {
				return p.WriteAccessUnit(au, at)
			}
			return nil
		},
	}
	rc.start()
	require.NoError(t, rc.cam.Initialize())
	t.Cleanup(rc.cam.Close)
	t.Cleanup(func() { rc.stop() })
	return rc
}

func (rc *restartableCamera) url() string { return "rtsp://" + rc.address + "/cam1" }

func (rc *restartableCamera) start() {
	rc.srv = &synthcam.Server{Address: rc.address, UDPRTPPort: rc.udpPort}
	require.NoError(rc.t, rc.srv.Initialize())
	pub, err := rc.srv.Publish("/cam1", rc.cam.ForceKeyframe)
	require.NoError(rc.t, err)
	rc.pub.Store(pub)
}

func (rc *restartableCamera) stop() {
	if rc.srv != nil {
		rc.pub.Store(nil)
		rc.srv.Close()
		rc.srv = nil
	}
}

// The RTSP server goes away mid-stream: the stream says "reconnecting" and why, and plays
// again within 10 s of the server's return, on its own.
//
// Over TCP only: over UDP it passes as well, but under the race detector on a loaded machine
// the reader falls so far behind that the first keyframes after the restart are lost, and
// the 10 s bound then measures the machine, not the reconnection.
func TestInteropServerRestartMidStream(t *testing.T) {
	for _, transport := range []string{"tcp"} {
		t.Run(transport, func(t *testing.T) {
			rc := startRestartableCamera(t)
			s := &Stream{URL: rc.url(), Transport: transport}
			require.NoError(t, s.Initialize())
			defer s.Close()
			sub := s.Subscribe()
			before := nextFrames(t, s, sub, 10, 10*time.Second)

			rc.stop()
			require.Eventually(t, func() bool { return s.Health().State == StateReconnecting }, 10*time.Second, 20*time.Millisecond,
				"health: %+v", s.Health())
			require.NotEmpty(t, s.Health().Reason)
			time.Sleep(2 * time.Second) // down long enough for the backoff to grow
			down := s.Health()
			require.Equal(t, StateReconnecting, down.State)
			require.Equal(t, fmt.Sprintf("nothing answers at %s (connection refused)", rc.address), down.Reason)

			rc.start()
			back := time.Now()
			after := nextFrames(t, s, sub, 1, 10*time.Second)
			require.Greater(t, after.Seq, before.Seq)
			require.Less(t, time.Since(back), 10*time.Second)
			require.Eventually(t, func() bool { return s.Health().State == StatePlaying }, 5*time.Second, 20*time.Millisecond)
			require.GreaterOrEqual(t, s.Health().Reconnects, 1)
		})
	}
}

// fakeServer is a minimal RTSP server offering one stream, with an optional password and a
// hook that starts when a reader plays.
type fakeServer struct {
	stream     *gortsplib.ServerStream
	user, pass string
	onPlay     func()
}

func (h *fakeServer) authorized(ctx *gortsplib.ServerConn, req *base.Request) bool {
	return h.user == "" || ctx.VerifyCredentials(req, h.user, h.pass)
}

func (h *fakeServer) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if !h.authorized(ctx.Conn, ctx.Request) {
		return &base.Response{StatusCode: base.StatusUnauthorized}, nil, liberrors.ErrServerAuth{}
	}
	return &base.Response{StatusCode: base.StatusOK}, h.stream, nil
}

func (h *fakeServer) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if !h.authorized(ctx.Conn, ctx.Request) {
		return &base.Response{StatusCode: base.StatusUnauthorized}, nil, liberrors.ErrServerAuth{}
	}
	return &base.Response{StatusCode: base.StatusOK}, h.stream, nil
}

func (h *fakeServer) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	if h.onPlay != nil {
		h.onPlay()
	}
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// startFakeServer serves h with the given medias at rtsp://127.0.0.1:PORT/cam (TCP transport
// only) and returns the address.
func startFakeServer(t *testing.T, h *fakeServer, medias ...*description.Media) string {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", videotest.FreeTCPPort(t))
	srv := &gortsplib.Server{Handler: h, RTSPAddress: addr}
	require.NoError(t, srv.Start())
	t.Cleanup(srv.Close)
	h.stream = &gortsplib.ServerStream{Server: srv, Desc: &description.Session{Medias: medias}}
	require.NoError(t, h.stream.Initialize())
	t.Cleanup(h.stream.Close)
	return addr
}

// Bad input never crashes the stream: each case ends in "reconnecting" (when trying again
// may help) or "failed", with one sentence saying why.
func TestInteropBadInput(t *testing.T) {
	h264Media := &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{&format.H264{PayloadTyp: 96, PacketizationMode: 1}}}
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T) (url, want string)
		state  State
		secret string // must not appear in Health
	}{
		{
			name:  "host does not resolve",
			state: StateReconnecting,
			setup: func(*testing.T) (string, string) {
				return "rtsp://no-such-host.invalid/x", `cannot find the camera's host "no-such-host.invalid" (name does not resolve)`
			},
		},
		{
			name:   "wrong password",
			state:  StateFailed,
			secret: "hunter2",
			setup: func(t *testing.T) (string, string) {
				addr := startFakeServer(t, &fakeServer{user: "pilot", pass: "right"}, h264Media)
				return "rtsp://pilot:hunter2@" + addr + "/cam", addr + " refused the user name or password (401 Unauthorized)"
			},
		},
		{
			name:  "unsupported codec",
			state: StateFailed,
			setup: func(t *testing.T) (string, string) {
				addr := startFakeServer(t, &fakeServer{},
					&description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{&format.VP8{PayloadTyp: 96}}},
					&description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{&format.MPEG4Audio{
						PayloadTyp: 97, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3,
						Config: &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 2},
					}}})
				return "rtsp://" + addr + "/cam", "Vigil decodes H.264, H.265 and MJPEG; the stream offers VP8, MPEG-4 Audio"
			},
		},
		{
			name:  "garbage packets",
			state: StateReconnecting,
			setup: func(t *testing.T) (string, string) {
				h := &fakeServer{}
				stop := make(chan struct{})
				t.Cleanup(func() { close(stop) })
				h.onPlay = func() { go sendGarbage(h.stream, h264Media, stop) }
				addr := startFakeServer(t, h, h264Media)
				return "rtsp://" + addr + "/cam", "connected to " + addr + " but no picture for 2s"
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, want := tc.setup(t)
			s := &Stream{URL: url, Transport: "tcp", ReadTimeout: 2 * time.Second, StallTimeout: time.Second}
			require.NoError(t, s.Initialize())
			defer s.Close()
			require.Eventually(t, func() bool { return s.Health().State == tc.state }, 10*time.Second, 20*time.Millisecond,
				"health: %+v", s.Health())
			h := s.Health()
			require.Equal(t, want, h.Reason)
			require.Zero(t, h.FramesDecoded)
			if tc.secret != "" {
				require.NotContains(t, fmt.Sprintf("%+v", h), tc.secret)
			}
		})
	}
}

// sendGarbage writes random RTP payloads at 100 packets a second until stop closes.
func sendGarbage(stream *gortsplib.ServerStream, medi *description.Media, stop <-chan struct{}) {
	rng := rand.New(rand.NewPCG(1, 2))
	for seq := uint16(0); ; seq++ {
		payload := make([]byte, 1+rng.IntN(1400))
		for i := range payload {
			payload[i] = byte(rng.Uint32())
		}
		pkt := &rtp.Packet{
			Header:  rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: uint32(seq) * 3000, Marker: seq%4 == 0, SSRC: 7},
			Payload: payload,
		}
		if stream.WritePacketRTP(medi, pkt) != nil {
			return
		}
		select {
		case <-stop:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}
