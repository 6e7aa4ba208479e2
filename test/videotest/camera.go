// Package videotest runs a simulated camera on loopback for the tests of the video code and
// the command line.
package videotest

import (
	"fmt"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

// Home is the simulated world's origin (ArduPilot SITL's home).
var Home = gcs.Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}

// Camera is a running simulated camera and its RTSP server.
type Camera struct {
	URL    string
	Server *synthcam.Server
	Cam    *synthcam.Camera
}

// Options size the camera.
type Options struct {
	Width, Height, FPS int
}

// StartCamera serves a timecoded simulated camera hovering at 80 m over home, looking down,
// at rtsp://127.0.0.1:PORT/cam1; it stops when the test ends.
func StartCamera(t testing.TB, o Options) *Camera {
	t.Helper()
	if o.Width == 0 {
		o.Width, o.Height = 640, 360
	}
	// A port found free can be taken by a parallel test before the server binds it: try
	// again with others.
	var srv *synthcam.Server
	for attempt := 0; ; attempt++ {
		srv = &synthcam.Server{Address: fmt.Sprintf("127.0.0.1:%d", FreeTCPPort(t)), UDPRTPPort: FreeUDPPair(t)}
		err := srv.Initialize()
		if err == nil {
			break
		}
		if attempt == 4 || !strings.Contains(err.Error(), "address already in use") {
			t.Fatal(err)
		}
	}
	t.Cleanup(srv.Close)
	world := synthcam.NewWorld(synthcam.WorldConfig{Origin: Home, Seed: 1, People: 5, Vehicles: 2, Texels: 1024})
	cam := &synthcam.Camera{
		World: world, Lens: gcs.Camera{WidthPx: o.Width, HeightPx: o.Height, HFOVDeg: 69}, FPS: o.FPS,
		Timecode: true,
		Pose: func(time.Time) (gcs.Pose, gcs.GimbalAttitude, bool) {
			p := gcs.Pose{Position: gcs.Position{Point: Home.Point, AltMSLM: Home.AltMSLM + 80}}
			return p, gcs.GimbalAttitude{PitchRad: -math.Pi / 2}, true
		},
	}
	pub, err := srv.Publish("/cam1", cam.ForceKeyframe)
	if err != nil {
		t.Fatal(err)
	}
	cam.Output = pub.WriteAccessUnit
	if err := cam.Initialize(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cam.Close)
	return &Camera{URL: "rtsp://" + srv.Address + "/cam1", Server: srv, Cam: cam}
}

// FreeTCPPort returns a loopback TCP port nobody listens on.
func FreeTCPPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// FreeUDPPair returns an even UDP port whose successor is free too (RTP and RTCP).
func FreeUDPPair(t testing.TB) int {
	t.Helper()
	for range 100 {
		a, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := a.LocalAddr().(*net.UDPAddr).Port &^ 1
		a.Close()
		x, err1 := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", p))
		y, err2 := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", p+1))
		if x != nil {
			x.Close()
		}
		if y != nil {
			y.Close()
		}
		if err1 == nil && err2 == nil {
			return p
		}
	}
	t.Fatal("no free UDP port pair")
	return 0
}
