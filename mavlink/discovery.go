package mavlink

import (
	"slices"
	"sync"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"

	"github.com/vigil-gcs/vigil/gcs"
)

// mavTypeGCS and mavAutopilotInvalid mark heartbeats that are not a vehicle's autopilot
// (other ground stations, gimbals, cameras).
const (
	mavTypeGCS          = 6
	mavAutopilotInvalid = 8
	modeFlagSafetyArmed = 128
)

// vehicleWatch is the client's own bookkeeping for one vehicle, beside its fleet state.
// Only the primary link's goroutine uses it, but two may overlap while the primary moves.
type vehicleWatch struct {
	mu        sync.Mutex
	lastSeq   map[uint8]uint8 // per component, for the vehicle's loss figure
	statusBuf statusChunks
}

// onFrame runs on a link's goroutine for every frame: it must stay quick.
func (c *Client) onFrame(l *link, e *gomavlib.EventFrame) {
	now := c.timeNow()
	if c.OnFrame != nil {
		c.OnFrame(now, e.Frame)
	}
	sys, comp, msg := e.SystemID(), e.ComponentID(), e.Message()
	if sys == c.SystemID {
		return // our own echo, or another GCS using our id
	}
	if hb, ok := msg.(*common.MessageHeartbeat); ok && isAutopilot(hb) {
		c.onHeartbeat(l, e.Channel, sys, comp, hb, now)
	}

	c.mu.Lock()
	r, known := c.routes[sys]
	w := c.watchdogs[sys]
	c.mu.Unlock()
	if !known || r.link != l {
		return // unknown until its autopilot's heartbeat; a second link's copy is not news
	}
	gap := w.countSeq(comp, e.Frame.GetSequenceNumber())
	c.applyTelemetry(sys, comp, msg, now, w)
	c.Fleet.Update(sys, func(v *gcs.Vehicle) {
		v.Stats.Packets++
		v.Stats.Lost += gap
	})
	c.publish(sys, comp, msg)
}

func isAutopilot(hb *common.MessageHeartbeat) bool {
	return hb.Type != mavTypeGCS && hb.Autopilot != mavAutopilotInvalid
}

// countSeq returns how many frames went missing before this one from that component.
func (w *vehicleWatch) countSeq(comp, seq uint8) uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	last, seen := w.lastSeq[comp]
	gap, newer := sequenceGap(last, seq, seen)
	if newer {
		w.lastSeq[comp] = seq
	}
	return gap
}

// onHeartbeat discovers vehicles, notes which link hears them, and finds lost ones again.
func (c *Client) onHeartbeat(l *link, ch *gomavlib.Channel, sys, comp uint8, hb *common.MessageHeartbeat, now time.Time) {
	c.mu.Lock()
	if r, ok := c.routes[sys]; !ok || r.link == l || now.Sub(r.heardAt) > primaryTimeout {
		c.routes[sys] = route{link: l, channel: ch, compID: comp, heardAt: now}
	}
	if c.watchdogs[sys] == nil {
		c.watchdogs[sys] = &vehicleWatch{lastSeq: make(map[uint8]uint8)}
	}
	c.mu.Unlock()

	var cameBack bool
	c.Fleet.Update(sys, func(v *gcs.Vehicle) {
		if v.FirstSeen.IsZero() {
			v.FirstSeen = now
			cameBack = true
		} else if !v.Connected {
			cameBack = true
		}
		v.CompID = comp
		v.Type = gcs.VehicleType(hb.Type)
		v.Autopilot = gcs.Autopilot(hb.Autopilot)
		v.CustomMode = hb.CustomMode
		v.Mode = ModeName(v.Autopilot, v.Type, hb.CustomMode)
		v.Armed = hb.BaseMode&modeFlagSafetyArmed != 0
		v.SystemStatus = mavStateName(uint8(hb.SystemStatus))
		v.Connected = true
		v.LastHeartbeat = now
		name := l.conn.String()
		v.Links = slices.DeleteFunc(v.Links, func(s string) bool { return s == name })
		v.Links = slices.Insert(v.Links, 0, name)
	})
	if cameBack {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.introduce(sys)
		}()
	}
}

// checkLost marks vehicles silent for LostTimeout as lost (QGroundControl's 3.5 s).
func (c *Client) checkLost(now time.Time) {
	for _, v := range c.Fleet.Vehicles() {
		if v.Connected && now.Sub(v.LastHeartbeat) > c.LostTimeout {
			c.Fleet.Update(v.SysID, func(v *gcs.Vehicle) {
				v.Connected = false
				v.StatusTexts = append(v.StatusTexts, gcs.StatusText{
					Time: now, Severity: gcs.SeverityCritical, Text: "Vigil: link lost (no heartbeat for " + c.LostTimeout.String() + ")",
				})
			})
		}
	}
}

// housekeepingPeriod paces lost checks, bytes/s and TIMESYNC; lost is then declared
// between LostTimeout and LostTimeout + this.
const housekeepingPeriod = 500 * time.Millisecond

func (c *Client) housekeeping() {
	defer c.wg.Done()
	t := time.NewTicker(housekeepingPeriod)
	defer t.Stop()
	var n int
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
		now := c.timeNow()
		c.checkLost(now)
		n++
		if n%2 == 0 {
			for _, l := range c.links {
				l.sample(now)
			}
			c.sendTimesync(now)
		}
	}
}

var mavStateNames = [...]string{"UNINIT", "BOOT", "CALIBRATING", "STANDBY", "ACTIVE", "CRITICAL", "EMERGENCY", "POWEROFF", "FLIGHT_TERMINATION"}

func mavStateName(s uint8) string {
	if int(s) < len(mavStateNames) {
		return mavStateNames[s]
	}
	return "UNKNOWN"
}
