package sitl

import (
	"sync/atomic"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
)

// Output pacing. gomavlib drops a frame silently when a channel's 64-slot write queue is full,
// so frames leave through a token bucket of paceBudget frames refilled at paceRate (4,000 per
// second): well under what a loopback or LAN link drains, and fast enough to pull 1,000
// parameters in a quarter second.
const (
	pacePeriod = 5 * time.Millisecond
	paceBudget = 20
	paceRate   = paceBudget * float64(time.Second/pacePeriod)
	// outQueueCapacity bounds the frames waiting for the pacer; past it frames are dropped
	// (counted), as a radio modem's buffer would.
	outQueueCapacity = 8192
)

// signatureEpoch is the MAVLink 2 signing timestamp origin (1 January 2015 GMT).
var signatureEpoch = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

// frameOut turns the vehicles' messages into frames that carry each vehicle's own system and
// component ids, passes them through the link impairment and writes them to the node at a
// bounded rate. It belongs to the owner goroutine.
type frameOut struct {
	node   *gomavlib.Node
	key    *frame.V2Key
	impair *impairer[*frame.V2Frame]

	seq       map[uint16]uint8 // next sequence number per sysid<<8|compid
	lastSigTS uint64
	queue     []*frame.V2Frame
	dropped   uint64 // atomic: frames the queue had no room for (tests read it)

	tokens     float64
	lastRefill time.Time
}

func newFrameOut(node *gomavlib.Node, key *frame.V2Key, im Impairment) *frameOut {
	return &frameOut{
		node:   node,
		key:    key,
		impair: newImpairer[*frame.V2Frame](im, im.Seed),
		seq:    make(map[uint16]uint8),
	}
}

// send frames msg as coming from sysID/compID and queues it.
func (o *frameOut) send(now time.Time, sysID, compID uint8, msg message.Message) {
	k := uint16(sysID)<<8 | uint16(compID)
	seq := o.seq[k]
	o.seq[k] = seq + 1

	fr := &frame.V2Frame{
		SequenceNumber: seq,
		SystemID:       sysID,
		ComponentID:    compID,
		Message:        msg,
	}
	if o.key != nil {
		// The timestamp must never go backwards on a link, or the far end rejects the frame.
		ts := uint64(now.Sub(signatureEpoch) / (10 * time.Microsecond))
		if ts <= o.lastSigTS {
			ts = o.lastSigTS + 1
		}
		o.lastSigTS = ts
		fr.IncompatibilityFlag |= frame.V2FlagSigned
		fr.SignatureLinkID = sysID
		fr.SignatureTimestamp = ts
	}
	// FixFrame encodes the message, fills the checksum and, with OutKey set, the signature.
	if err := o.node.FixFrame(fr); err != nil {
		atomic.AddUint64(&o.dropped, 1) // a message missing from the dialect: a bug, not a crash
		return
	}
	o.impair.push(now, fr, o.enqueue)
}

func (o *frameOut) enqueue(fr *frame.V2Frame) {
	if len(o.queue) >= outQueueCapacity {
		atomic.AddUint64(&o.dropped, 1)
		return
	}
	o.queue = append(o.queue, fr)
}

// pending is the number of frames waiting for the pacer.
func (o *frameOut) pending() int { return len(o.queue) }

// flush releases delayed frames and writes as many queued ones as the token bucket allows.
func (o *frameOut) flush(now time.Time) {
	o.impair.release(now, o.enqueue)

	if o.lastRefill.IsZero() {
		o.tokens = paceBudget
	} else if dt := now.Sub(o.lastRefill); dt > 0 {
		o.tokens = min(paceBudget, o.tokens+dt.Seconds()*paceRate)
	}
	o.lastRefill = now

	n := min(len(o.queue), int(o.tokens))
	o.tokens -= float64(n)
	for _, fr := range o.queue[:n] {
		o.node.WriteFrameAll(fr) //nolint:errcheck // only fails for messages FixFrame refused
	}
	o.queue = append(o.queue[:0], o.queue[n:]...)
}
