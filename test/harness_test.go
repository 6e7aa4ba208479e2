// Package test flies the built-in simulator over real sockets with the real GCS code.
package test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
	"github.com/vigil-gcs/vigil/mavlink/sitl"
)

// home is ArduPilot SITL's default home.
var home = gcs.Position{Point: orb.Point{149.165230, -35.363261}, AltMSLM: 584}

// freePort finds a port nobody listens on (TCP and UDP share the number space we use).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

type simOptions struct {
	copters    int
	firstID    uint8
	speedup    float64
	gpsDelay   time.Duration
	impairment sitl.Impairment
	extra      int
	signingKey *frame.V2Key
	camera     *gcs.CameraInfo
}

// startSim serves simulated copters on the given connection strings.
func startSim(t *testing.T, o simOptions, links ...string) *sitl.Sim {
	t.Helper()
	if o.copters == 0 {
		o.copters = 1
	}
	if o.firstID == 0 {
		o.firstID = 1
	}
	if o.speedup == 0 {
		o.speedup = 1
	}
	if o.gpsDelay == 0 {
		o.gpsDelay = -1 // a fix at boot unless the test is about the wait
	}
	s := &sitl.Sim{Speedup: o.speedup, Impairment: o.impairment, SigningKey: o.signingKey}
	for _, l := range links {
		c, err := mavlink.ParseConnection(l)
		require.NoError(t, err)
		s.Endpoints = append(s.Endpoints, c.Endpoint())
	}
	for i := range o.copters {
		h := home
		h.Point = gcs.OffsetNE(home.Point, 0, 5*float64(i))
		s.Vehicles = append(s.Vehicles, sitl.SimVehicle{
			SysID: o.firstID + uint8(i),
			Model: sitl.NewCopter(sitl.CopterConfig{Home: h, GPSDelay: o.gpsDelay, Seed: int64(i), ExtraParams: o.extra, Camera: o.camera}),
		})
	}
	require.NoError(t, s.Initialize())
	t.Cleanup(s.Close)
	return s
}

func startClient(t *testing.T, links ...string) *mavlink.Client {
	t.Helper()
	c := &mavlink.Client{}
	for _, l := range links {
		conn, err := mavlink.ParseConnection(l)
		require.NoError(t, err)
		c.Connections = append(c.Connections, conn)
	}
	require.NoError(t, c.Initialize())
	t.Cleanup(c.Close)
	return c
}

// eventually polls cond until it holds or the timeout passes, then fails with what it last saw.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		var ok bool
		if ok, last = cond(); ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s (last: %s)", what, timeout, last)
}

// waitVehicle waits until the vehicle is heard with a position.
func waitVehicle(t *testing.T, c *mavlink.Client, sysID uint8) gcs.Vehicle {
	t.Helper()
	eventually(t, 10*time.Second, fmt.Sprintf("vehicle %d discovered with a position", sysID), func() (bool, string) {
		v, ok := c.Fleet.Vehicle(sysID)
		return ok && v.Connected && v.PositionValid, fmt.Sprintf("%+v", v.Connected)
	})
	v, _ := c.Fleet.Vehicle(sysID)
	return v
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// describe is a one-line state for failure messages.
func describe(v gcs.Vehicle) string {
	return fmt.Sprintf("mode %s armed %v alt %.1f m at %.6f,%.6f mission %d", v.Mode, v.Armed, v.Position.AltRelM,
		v.Position.Point.Lat(), v.Position.Point.Lon(), v.MissionCurrent)
}
