package mavlink

import (
	"sync"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"

	"github.com/vigil-gcs/vigil/gcs"
)

// link is one connection: its own gomavlib Node (so each link has its own signing key),
// drained by one goroutine that never waits on anything but the client's short locks.
type link struct {
	client *Client
	conn   Connection
	node   *gomavlib.Node
	bytes  byteCounter
	done   chan struct{}

	mu    sync.Mutex
	stats gcs.LinkStats
	seqs  map[[2]uint8]uint8 // last sequence number per (system, component)
	// bytes/s is measured over the housekeeping period
	lastBytes uint64
	lastAt    time.Time
}

func (l *link) initialize() error {
	l.node = &gomavlib.Node{
		Endpoints:              []gomavlib.EndpointConf{l.conn.endpoint(&l.bytes)},
		Dialect:                ardupilotmega.Dialect,
		OutVersion:             gomavlib.V2,
		OutSystemID:            l.client.SystemID,
		OutComponentID:         l.client.ComponentID,
		InKey:                  l.conn.Key,
		OutKey:                 l.conn.Key,
		HeartbeatPeriod:        time.Second, // a GCS heartbeat at 1 Hz, as vehicles expect
		HeartbeatSystemType:    6,           // MAV_TYPE_GCS
		HeartbeatAutopilotType: 8,           // MAV_AUTOPILOT_INVALID: not a flight controller
	}
	if err := l.node.Initialize(); err != nil {
		return err
	}
	l.seqs = make(map[[2]uint8]uint8)
	l.lastAt = l.client.timeNow()
	l.done = make(chan struct{})
	go l.run()
	return nil
}

func (l *link) close() {
	l.node.Close()
	<-l.done
}

// run drains the node's events: gomavlib stalls every channel if they are not read.
func (l *link) run() {
	defer close(l.done)
	for evt := range l.node.Events() {
		switch e := evt.(type) {
		case *gomavlib.EventFrame:
			l.count(e.SystemID(), e.ComponentID(), e.Frame.GetSequenceNumber())
			l.client.onFrame(l, e)
		case *gomavlib.EventParseError:
			l.mu.Lock()
			l.stats.ParseErrors++
			l.mu.Unlock()
		}
	}
}

// count updates packet and loss figures from the frame's sequence number.
func (l *link) count(sys, comp, seq uint8) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stats.Packets++
	key := [2]uint8{sys, comp}
	last, seen := l.seqs[key]
	gap, newer := sequenceGap(last, seq, seen)
	l.stats.Lost += gap
	if newer {
		l.seqs[key] = seq
	}
}

// sequenceGap is how many frames went missing between the last sequence number and this
// one. A jump forward of less than half the sequence space is loss; anything else is a
// duplicate or a late frame (newer false: keep the last as reference).
func sequenceGap(last, seq uint8, seen bool) (lost uint64, newer bool) {
	if !seen {
		return 0, true
	}
	if gap := seq - last - 1; gap < 128 {
		return uint64(gap), true
	}
	return 0, false
}

// Stats returns the link's counters, with bytes/s over the last second or so.
func (l *link) Stats() gcs.LinkStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stats
	s.Bytes = l.bytes.n.Load()
	return s
}

// sample updates the bytes/s figure; housekeeping calls it once a second.
func (l *link) sample(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bytes.n.Load()
	if dt := now.Sub(l.lastAt).Seconds(); dt > 0 {
		l.stats.BytesPerSec = float64(b-l.lastBytes) / dt
	}
	l.lastBytes, l.lastAt = b, now
}

// LinkStatus is one link's name and counters.
type LinkStatus struct {
	Name  string
	Stats gcs.LinkStats
}

// Links reports every link's statistics.
func (c *Client) Links() []LinkStatus {
	out := make([]LinkStatus, len(c.links))
	for i, l := range c.links {
		out[i] = LinkStatus{Name: l.conn.String(), Stats: l.Stats()}
	}
	return out
}
