package sitl

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
)

// Sim serves simulated vehicles over MAVLink: a real peer on real sockets that behaves
// towards a GCS the way ArduPilot does (heartbeats, requested telemetry streams, commands,
// the mission and parameter protocols), so the GCS under test cannot tell it from SITL.
type Sim struct {
	// Endpoints are where the simulator listens or connects (built by the CLI from
	// connection strings). At least one is required.
	Endpoints []gomavlib.EndpointConf
	// Vehicles are the simulated vehicles, each with its own system id; they share the sockets.
	// At least one is required.
	Vehicles []SimVehicle
	// Speedup is simulated seconds per real second. It defaults to 1. Telemetry rates stay
	// in real time, as a GCS expects.
	Speedup float64
	// Impairment degrades every message in both directions; the zero value is a perfect link.
	Impairment Impairment
	// SigningKey, when set, signs outgoing frames and accepts only signed incoming ones.
	SigningKey *frame.V2Key
	// StepPeriod is the real time between model steps. It defaults to 20 milliseconds.
	StepPeriod time.Duration
	// OnState, when set, receives every vehicle's state after each step, with the real time
	// of the step (a simulated camera renders from it). It runs on the simulator's goroutine:
	// it must return quickly and must not call back into the Sim.
	OnState func(sysID uint8, at time.Time, st VehicleState)

	// timeNow is the clock and heartbeatPeriod the heartbeat interval (1 s like ArduPilot);
	// tests may set them before Initialize.
	timeNow         func() time.Time
	heartbeatPeriod time.Duration

	node      *gomavlib.Node
	inbox     *inbox
	out       *frameOut
	inImpair  *impairer[incoming]
	vehicles  []*vehicleServer
	parseErrs uint64 // atomic: written by the drainer

	terminate chan struct{}
	ownerDone chan struct{}
	drainDone chan struct{}
}

// SimVehicle is one simulated vehicle and the system id it answers to.
type SimVehicle struct {
	SysID uint8
	Model Vehicle
}

// MAVLink component ids the simulated vehicles speak from.
const (
	mavCompAutopilot = 1
	mavCompCamera    = 100 // MAV_COMP_ID_CAMERA
	mavCompGimbal    = 154 // MAV_COMP_ID_GIMBAL
	mavCompWinch     = 169 // MAV_COMP_ID_WINCH
)

// Initialize validates the configuration, opens the sockets and starts serving.
func (s *Sim) Initialize() error {
	if err := s.validate(); err != nil {
		return err
	}
	if s.Speedup == 0 {
		s.Speedup = 1
	}
	if s.StepPeriod == 0 {
		s.StepPeriod = 20 * time.Millisecond
	}
	if s.timeNow == nil {
		s.timeNow = time.Now
	}
	if s.heartbeatPeriod == 0 {
		s.heartbeatPeriod = time.Second
	}

	s.node = &gomavlib.Node{
		Endpoints:        s.Endpoints,
		Dialect:          ardupilotmega.Dialect,
		OutVersion:       gomavlib.V2,
		OutSystemID:      s.Vehicles[0].SysID, // unused: every frame carries its vehicle's ids
		HeartbeatDisable: true,
		InKey:            s.SigningKey,
		OutKey:           s.SigningKey,
	}
	if err := s.node.Initialize(); err != nil {
		return fmt.Errorf("simulator endpoints: %w", err)
	}

	s.inbox = newInbox()
	s.out = newFrameOut(s.node, s.SigningKey, s.Impairment)
	// The incoming direction gets its own random stream, derived from the same seed.
	s.inImpair = newImpairer[incoming](s.Impairment, s.Impairment.Seed^0x5eed)
	now := s.timeNow()
	s.vehicles = make([]*vehicleServer, len(s.Vehicles))
	for i, v := range s.Vehicles {
		s.vehicles[i] = newVehicleServer(v.SysID, v.Model, s.out, now, s.heartbeatPeriod)
	}

	s.terminate = make(chan struct{})
	s.ownerDone = make(chan struct{})
	s.drainDone = make(chan struct{})
	go s.drain()
	go s.run()
	return nil
}

func (s *Sim) validate() error {
	if len(s.Endpoints) == 0 {
		return fmt.Errorf("simulator needs at least one endpoint")
	}
	if len(s.Vehicles) == 0 {
		return fmt.Errorf("simulator needs at least one vehicle")
	}
	seen := make(map[uint8]bool)
	for i, v := range s.Vehicles {
		switch {
		case v.Model == nil:
			return fmt.Errorf("simulated vehicle %d has no model", i)
		case v.SysID == 0:
			return fmt.Errorf("simulated vehicle %d has system id 0, which means broadcast: use 1-255", i)
		case seen[v.SysID]:
			return fmt.Errorf("two simulated vehicles use system id %d: give each its own", v.SysID)
		}
		seen[v.SysID] = true
	}
	if s.Speedup < 0 {
		return fmt.Errorf("simulator speedup is %v, want a positive number", s.Speedup)
	}
	if s.StepPeriod < 0 {
		return fmt.Errorf("simulator step period is %v, want a positive duration", s.StepPeriod)
	}
	return s.Impairment.validate()
}

// Close stops serving, closes the sockets and waits for every goroutine to end.
func (s *Sim) Close() {
	if s.terminate == nil {
		return
	}
	select {
	case <-s.terminate:
		return // already closed
	default:
	}
	close(s.terminate)
	<-s.ownerDone
	s.node.Close() // ends Events(), and with it the drainer
	<-s.drainDone
}

// drain is the only reader of the node's events. It must never wait on anything else, or
// every link of the node stalls; so it only queues what it reads for the owner goroutine.
func (s *Sim) drain() {
	defer close(s.drainDone)
	for evt := range s.node.Events() {
		switch e := evt.(type) {
		case *gomavlib.EventFrame:
			s.inbox.put(incoming{frame: e.Frame, channel: e.Channel})
		case *gomavlib.EventChannelOpen:
			s.inbox.put(incoming{channel: e.Channel})
		case *gomavlib.EventParseError:
			atomic.AddUint64(&s.parseErrs, 1) // includes unsigned frames refused in signed mode
		}
	}
}

// run is the owner goroutine: it alone touches the models and the protocol state.
func (s *Sim) run() {
	defer close(s.ownerDone)

	stepTicker := time.NewTicker(s.StepPeriod)
	defer stepTicker.Stop()
	paceTicker := time.NewTicker(pacePeriod)
	defer paceTicker.Stop()

	// Simulated time follows the real clock (times Speedup): when the machine is busy and
	// ticks come late, the step covers the real time that passed, in sub-steps no longer
	// than two periods, so the vehicles' boot clocks never fall behind the wall clock that
	// the simulated camera dates its frames with.
	lastStep := s.timeNow()
	maxStep := 2 * s.StepPeriod

	for {
		select {
		case <-s.inbox.wake:
			now := s.timeNow()
			for _, in := range s.inbox.take() {
				s.inImpair.push(now, in, func(in incoming) { s.handle(now, in) })
			}
			// Replies leave at once rather than on the next pace tick; the token bucket
			// still bounds the rate.
			s.out.flush(now)

		case <-stepTicker.C:
			now := s.timeNow()
			for elapsed := now.Sub(lastStep); elapsed > 0; {
				real := min(elapsed, maxStep)
				elapsed -= real
				at := now.Add(-elapsed)
				dt := time.Duration(float64(real) * s.Speedup)
				for _, v := range s.vehicles {
					v.step(at, dt)
					if s.OnState != nil {
						s.OnState(v.sysID, at, v.state)
					}
				}
			}
			lastStep = now

		case <-paceTicker.C:
			now := s.timeNow()
			s.inImpair.release(now, func(in incoming) { s.handle(now, in) })
			s.tick(now)

		case <-s.terminate:
			return
		}
	}
}

// tick runs the timers: streams, heartbeats, transfer retries, then the paced output. Bulk
// output (parameter lists) only fills what the pacer has room for, so it never delays
// heartbeats and replies by more than one pace period.
func (s *Sim) tick(now time.Time) {
	for _, v := range s.vehicles {
		v.tick(now)
	}
	for room := true; room; {
		room = false
		for _, v := range s.vehicles {
			if s.out.pending() < paceBudget && v.sendNextParam(now) {
				room = true
			}
		}
	}
	s.out.flush(now)
}

// handle dispatches one incoming frame (or channel opening) to the vehicles it targets.
func (s *Sim) handle(now time.Time, in incoming) {
	if in.frame == nil {
		// A new GCS connected: greet it at once rather than up to a second later, and tell it
		// where home is (sent once when set, it went to whoever was listening then).
		for _, v := range s.vehicles {
			v.sendHeartbeat(now)
			v.homeSent = nil
		}
		return
	}
	msg := in.frame.GetMessage()
	target, targeted := targetSystem(msg)
	from := peer{sysID: in.frame.GetSystemID(), compID: in.frame.GetComponentID()}
	for _, v := range s.vehicles {
		if targeted && target != 0 && target != v.sysID {
			continue
		}
		v.handle(now, from, msg)
	}
}
