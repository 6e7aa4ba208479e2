package gcs

import (
	"bufio"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A TAK client listening on loopback receives one event per datagram and reads each as
// valid CoT.
func TestCoTSenderUDP(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer pc.Close()

	s := &CoTSender{URL: "udp://" + pc.LocalAddr().String()}
	require.NoError(t, s.Initialize())
	t.Cleanup(func() { s.Close() })
	e := sampleExport()
	now := time.Now()
	var c CoTConfig
	require.NoError(t, s.Send(c.VehicleEvent(e.Vehicles[0], now), c.TargetEvent(e.Targets[0], now)))

	var got []CoTEvent
	buf := make([]byte, 65536)
	for range 2 {
		require.NoError(t, pc.SetReadDeadline(time.Now().Add(5*time.Second)))
		n, _, err := pc.ReadFrom(buf)
		require.NoError(t, err)
		got = append(got, requireValidCoT(t, buf[:n]))
	}
	require.Equal(t, "vigil-vehicle-1", got[0].UID)
	require.Equal(t, CoTTypeOwnUAV, got[0].Type)
	require.Equal(t, "vigil-target-3", got[1].UID)
	require.Equal(t, CoTTypeGroundUnknown, got[1].Type)
	require.Equal(t, 1.3, got[1].Point.CE)
}

// A TAK server on loopback receives a stream of events; when it drops the connection, the
// next Send fails and the one after reaches the server again.
func TestCoTSenderTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	lines := make(chan string, 10)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			sc := bufio.NewScanner(conn)
			sc.Buffer(make([]byte, 65536), 65536)
			if sc.Scan() {
				lines <- sc.Text()
			}
			conn.Close() // one event per connection: the sender must dial again
		}
	}()

	s := &CoTSender{URL: "tcp://" + ln.Addr().String()}
	require.NoError(t, s.Initialize())
	t.Cleanup(func() { s.Close() })
	e := sampleExport()
	ev := CoTConfig{}.TargetEvent(e.Targets[0], time.Now())
	require.NoError(t, s.Send(ev))
	got := requireValidCoT(t, []byte(<-lines))
	require.Equal(t, "vigil-target-3", got.UID)

	// The server closed; writes fail once the peer's reset arrives, then the sender redials.
	delivered := false
	for i := 0; i < 250 && !delivered; i++ {
		if err := s.Send(ev); err != nil {
			require.ErrorContains(t, err, "cursor on target to tcp://")
		}
		select {
		case l := <-lines:
			requireValidCoT(t, []byte(l))
			delivered = true
		case <-time.After(20 * time.Millisecond):
		}
	}
	require.True(t, delivered, "reconnected and delivered")
}

func TestCoTSenderURL(t *testing.T) {
	s := &CoTSender{}
	require.NoError(t, s.Initialize(), "the default multicast group")
	require.Equal(t, CoTDefaultURL, s.URL)
	require.NoError(t, s.Close())
	for _, bad := range []string{"239.2.3.1:6969", "http://x:1", "udp://nohost", "tcp://:"} {
		err := (&CoTSender{URL: bad}).Initialize()
		require.ErrorContains(t, err, fmt.Sprintf("cursor on target destination %q", bad))
	}
	require.ErrorContains(t, (&CoTSender{}).Send(CoTEvent{}), "not initialized")
}

// The default destination is the SA multicast group: a TAK client that joined it receives
// the events (here on a free port instead of 6969, so as not to meet other tests).
func TestCoTSenderMulticast(t *testing.T) {
	probe, err := net.ListenPacket("udp4", ":0")
	require.NoError(t, err)
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	group := &net.UDPAddr{IP: net.ParseIP("239.2.3.1"), Port: port}
	l, err := net.ListenMulticastUDP("udp4", nil, group)
	if err != nil {
		t.Skipf("this machine cannot join a multicast group: %v", err)
	}
	defer l.Close()

	s := &CoTSender{URL: fmt.Sprintf("udp://239.2.3.1:%d", port)}
	require.NoError(t, s.Initialize())
	t.Cleanup(func() { s.Close() })
	ev := CoTConfig{UIDPrefix: "mcast-test"}.TargetEvent(sampleExport().Targets[0], time.Now())
	require.NoError(t, s.Send(ev))
	buf := make([]byte, 65536)
	require.NoError(t, l.SetReadDeadline(time.Now().Add(5*time.Second)))
	n, _, err := l.ReadFromUDP(buf)
	require.NoError(t, err)
	got := requireValidCoT(t, buf[:n])
	require.Equal(t, "mcast-test-target-3", got.UID)
}
