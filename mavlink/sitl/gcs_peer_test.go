package sitl

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/stretchr/testify/require"
)

// Ids the scripted GCS speaks from (MAV_COMP_ID_MISSIONPLANNER).
const (
	peerSysID  = 255
	peerCompID = 190
)

// testPeer is a scripted GCS: a real gomavlib Node on loopback whose received frames the
// test reads in order.
type testPeer struct {
	t      *testing.T
	node   *gomavlib.Node
	frames chan *gomavlib.EventFrame
	done   chan struct{}
}

// startSim starts a Sim listening on a loopback TCP port chosen by the kernel, with the
// given vehicles, after conf has adjusted it; it returns the address to dial.
func startSim(t *testing.T, conf func(s *Sim), vehicles ...SimVehicle) (*Sim, string) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	s := &Sim{
		Endpoints: []gomavlib.EndpointConf{gomavlib.EndpointCustomServer{
			Listen: func() (net.Listener, error) { return ln, nil },
			Label:  "tcp",
		}},
		Vehicles:   vehicles,
		StepPeriod: 10 * time.Millisecond,
		// Faster heartbeats keep tests that wait for a state change short.
		heartbeatPeriod: 200 * time.Millisecond,
	}
	if conf != nil {
		conf(s)
	}
	require.NoError(t, s.Initialize())
	t.Cleanup(s.Close)
	return s, ln.Addr().String()
}

// startFakeSim starts a Sim serving one fake vehicle as system 1.
func startFakeSim(t *testing.T, nParams int, conf func(s *Sim)) (*fakeVehicle, *testPeer) {
	t.Helper()
	fv := newFakeVehicle(nParams)
	_, addr := startSim(t, conf, SimVehicle{SysID: 1, Model: fv})
	p := newTestPeer(t, gomavlib.EndpointTCPClient{Address: addr}, nil)
	// The simulator greets a new connection with a heartbeat: from then on, sends arrive.
	waitMsg[*common.MessageHeartbeat](p, 1, 2*time.Second, nil)
	return fv, p
}

func newTestPeer(t *testing.T, ep gomavlib.EndpointConf, key *frame.V2Key) *testPeer {
	t.Helper()
	p := &testPeer{
		t: t,
		node: &gomavlib.Node{
			Endpoints:      []gomavlib.EndpointConf{ep},
			Dialect:        ardupilotmega.Dialect,
			OutVersion:     gomavlib.V2,
			OutSystemID:    peerSysID,
			OutComponentID: peerCompID,
			// Heartbeats tell a UDP server endpoint where the GCS is, as with a real GCS.
			HeartbeatPeriod: 250 * time.Millisecond,
			InKey:           key,
			OutKey:          key,
		},
		frames: make(chan *gomavlib.EventFrame, 1<<16),
		done:   make(chan struct{}),
	}
	require.NoError(t, p.node.Initialize())
	go func() {
		defer close(p.done)
		for evt := range p.node.Events() {
			if fr, ok := evt.(*gomavlib.EventFrame); ok {
				select {
				case p.frames <- fr:
				default:
					t.Error("test peer: frame buffer full")
				}
			}
		}
	}()
	t.Cleanup(func() {
		p.node.Close()
		<-p.done
	})
	return p
}

// send writes a message to the simulator. The peer writes one message at a time, well below
// what would overflow gomavlib's write queue.
func (p *testPeer) send(msg message.Message) {
	p.t.Helper()
	require.NoError(p.t, p.node.WriteMessageAll(msg))
}

// waitFor returns the first frame matching match, failing the test after timeout.
func (p *testPeer) waitFor(timeout time.Duration, what string, match func(fr *gomavlib.EventFrame) bool) *gomavlib.EventFrame {
	p.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case fr := <-p.frames:
			if match(fr) {
				return fr
			}
		case <-deadline.C:
			p.t.Fatalf("no %s within %v", what, timeout)
			return nil
		}
	}
}

// collect gathers every matching frame that arrives within d.
func (p *testPeer) collect(d time.Duration, match func(fr *gomavlib.EventFrame) bool) []*gomavlib.EventFrame {
	var out []*gomavlib.EventFrame
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		select {
		case fr := <-p.frames:
			if match(fr) {
				out = append(out, fr)
			}
		case <-deadline.C:
			return out
		}
	}
}

// drain discards what arrived so far.
func (p *testPeer) drain() {
	for {
		select {
		case <-p.frames:
		default:
			return
		}
	}
}

// isMsg matches frames carrying a message of type T from system sysID.
func isMsg[T message.Message](sysID uint8) func(fr *gomavlib.EventFrame) bool {
	return func(fr *gomavlib.EventFrame) bool {
		_, ok := fr.Message().(T)
		return ok && fr.SystemID() == sysID
	}
}

// waitMsg waits for a message of type T from system sysID that also satisfies cond (if any).
func waitMsg[T message.Message](p *testPeer, sysID uint8, timeout time.Duration, cond func(m T) bool) T {
	p.t.Helper()
	var zero T
	fr := p.waitFor(timeout, fmt.Sprintf("%T", zero), func(fr *gomavlib.EventFrame) bool {
		m, ok := fr.Message().(T)
		return ok && fr.SystemID() == sysID && (cond == nil || cond(m))
	})
	return fr.Message().(T)
}
