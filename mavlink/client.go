// Package mavlink connects Vigil to vehicles over MAVLink (gomavlib): links from connection
// strings, vehicle discovery, telemetry into gcs types, and the command, mission and parameter
// protocols as state machines driven by one Client.
package mavlink

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/bluenviron/gomavlib/v3/pkg/message"

	"github.com/vigil-gcs/vigil/gcs"
)

// Client is the ground station's side of every MAVLink link: it discovers vehicles, keeps
// their state in a gcs.Fleet and carries commands and transfers to them.
type Client struct {
	// Connections are the links to open (see ParseConnection). At least one.
	Connections []Connection
	// SystemID of the ground station. It defaults to 255, as QGroundControl and Mission Planner use.
	SystemID uint8
	// ComponentID of the ground station. It defaults to 190 (MAV_COMP_ID_MISSIONPLANNER).
	ComponentID uint8
	// Fleet receives the vehicles' state. It defaults to a new, empty fleet.
	Fleet *gcs.Fleet
	// LostTimeout is how long without a HEARTBEAT before a vehicle is lost. It defaults to 3.5 s.
	LostTimeout time.Duration
	// TelemetryHz is the rate asked for position and attitude. It defaults to 10 Hz, enough for
	// geotagging; other streams run slower. Negative: ask for nothing.
	TelemetryHz float64
	// OnFrame, if set, is called with every frame received (tlog recording). It runs on the
	// link's goroutine and must be quick.
	OnFrame func(t time.Time, f frame.Frame)

	links     []*link
	mu        sync.Mutex
	routes    map[uint8]route
	subs      map[uint8]map[*subscription]struct{}
	clocks    map[uint8]*bootClock
	watchdogs map[uint8]*vehicleWatch
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	timeNow   func() time.Time
}

// route is the vehicle's primary link: commands go out on it and only its telemetry is
// applied, so a vehicle heard on two links is not counted twice. It moves to another link
// only when the primary falls silent (primaryTimeout), as QGroundControl does.
type route struct {
	link    *link
	channel *gomavlib.Channel
	compID  uint8
	heardAt time.Time
}

// primaryTimeout is how long the primary link may miss heartbeats before another link
// that still hears the vehicle takes over.
const primaryTimeout = 1500 * time.Millisecond

// Initialize opens every link and starts listening. A failure closes what was opened.
func (c *Client) Initialize() error {
	if len(c.Connections) == 0 {
		return fmt.Errorf("no connection given: add one such as udp://:14550 or tcp://127.0.0.1:5760")
	}
	if c.SystemID == 0 {
		c.SystemID = 255
	}
	if c.ComponentID == 0 {
		c.ComponentID = 190
	}
	if c.Fleet == nil {
		c.Fleet = &gcs.Fleet{}
	}
	if c.LostTimeout == 0 {
		c.LostTimeout = 3500 * time.Millisecond
	}
	if c.TelemetryHz == 0 {
		c.TelemetryHz = 10
	}
	if c.timeNow == nil {
		c.timeNow = time.Now
	}
	c.routes = make(map[uint8]route)
	c.subs = make(map[uint8]map[*subscription]struct{})
	c.clocks = make(map[uint8]*bootClock)
	c.watchdogs = make(map[uint8]*vehicleWatch)
	c.ctx, c.cancel = context.WithCancel(context.Background())

	for _, conn := range c.Connections {
		l := &link{client: c, conn: conn}
		if err := l.initialize(); err != nil {
			c.Close()
			return fmt.Errorf("open %s: %w", conn, err)
		}
		c.links = append(c.links, l)
	}
	c.wg.Add(1)
	go c.housekeeping()
	return nil
}

// Close stops every link and waits for the client's goroutines.
func (c *Client) Close() {
	if c.cancel != nil {
		c.cancel()
	}
	for _, l := range c.links {
		l.close()
	}
	c.wg.Wait()
}

func (c *Client) self() target { return target{sys: c.SystemID, comp: c.ComponentID} }

// target is the vehicle's autopilot as last heard, or an error if the vehicle is unknown.
func (c *Client) target(sysID uint8) (target, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.routes[sysID]
	if !ok {
		return target{}, &UnknownVehicleError{SysID: sysID}
	}
	return target{sys: sysID, comp: r.compID}, nil
}

// send writes a message to a vehicle over the link it was last heard on.
func (c *Client) send(sysID uint8, msg message.Message) error {
	c.mu.Lock()
	r, ok := c.routes[sysID]
	c.mu.Unlock()
	if !ok {
		return &UnknownVehicleError{SysID: sysID}
	}
	return r.link.node.WriteMessageTo(r.channel, msg)
}

// sendPace spaces out the messages of one burst: gomavlib drops writes silently once a
// channel's 64-slot queue is full, and a serial link drains slowly.
const sendPace = 2 * time.Millisecond

// runExchange drives one protocol state machine to its end: it feeds it the vehicle's
// messages and its deadlines, and sends what it answers.
func (c *Client) runExchange(ctx context.Context, sysID uint8, ex exchange) error {
	sub := c.subscribe(sysID)
	defer c.unsubscribe(sub)

	sendAll := func(msgs []message.Message) error {
		for i, m := range msgs {
			if i > 0 {
				time.Sleep(sendPace)
			}
			if err := c.send(sysID, m); err != nil {
				return err
			}
		}
		return nil
	}
	if err := sendAll(ex.start(c.timeNow())); err != nil {
		return err
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if done, err := ex.finished(); done {
			return err
		}
		timer.Reset(max(ex.deadline().Sub(c.timeNow()), 0))
		var out []message.Message
		select {
		case in := <-sub.ch:
			if f, ok := ex.(sourceFilter); ok && !f.fromPeer(sysID, in.comp) {
				continue // a camera's parameters are not the autopilot's
			}
			out = ex.handle(c.timeNow(), in.msg)
		case <-timer.C:
			out = ex.tick(c.timeNow())
		case <-ctx.Done():
			return ctx.Err()
		case <-c.ctx.Done():
			return fmt.Errorf("link closed")
		}
		if err := sendAll(out); err != nil {
			return err
		}
	}
}

// UnknownVehicleError means no vehicle with that system id has been heard.
type UnknownVehicleError struct{ SysID uint8 }

func (e *UnknownVehicleError) Error() string {
	return fmt.Sprintf("vehicle %d has not been heard on any link", e.SysID)
}
