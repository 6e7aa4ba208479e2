package mavlink

import (
	"container/heap"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/stretchr/testify/require"
)

// The GCS and vehicle ids every protocol test uses.
var (
	testGCS     = target{sys: 255, comp: 190}
	testVehicle = target{sys: 1, comp: 1}
)

// netConf is how the simulated link treats each message, both ways.
type netConf struct {
	loss     float64 // probability a message is lost
	dup      float64 // probability a delivered message arrives twice
	minDelay time.Duration
	maxDelay time.Duration // delays spread this wide reorder messages
}

var (
	cleanNet = netConf{minDelay: 2 * time.Millisecond, maxDelay: 2 * time.Millisecond}
	// lossyNet loses 20 % each way, duplicates some and reorders many.
	lossyNet = netConf{loss: 0.2, dup: 0.05, minDelay: time.Millisecond, maxDelay: 30 * time.Millisecond}
)

// delivery is a message in flight.
type delivery struct {
	at        time.Time
	order     int // keeps equal times first-in first-out, so runs are reproducible
	toVehicle bool
	from      target
	msg       message.Message
}

type deliveries []delivery

func (d deliveries) Len() int { return len(d) }
func (d deliveries) Less(i, j int) bool {
	if d[i].at.Equal(d[j].at) {
		return d[i].order < d[j].order
	}
	return d[i].at.Before(d[j].at)
}
func (d deliveries) Swap(i, j int) { d[i], d[j] = d[j], d[i] }
func (d *deliveries) Push(x any)   { *d = append(*d, x.(delivery)) }
func (d *deliveries) Pop() any {
	old := *d
	x := old[len(old)-1]
	*d = old[:len(old)-1]
	return x
}

// simNet runs one exchange against a simulated vehicle over a simulated link on a fake
// clock, playing the part of Client.runExchange: it feeds the exchange the vehicle's
// messages (after the source check runExchange is asked to make) and its deadlines.
type simNet struct {
	t       *testing.T
	conf    netConf
	rng     *rand.Rand
	now     time.Time
	queue   deliveries
	order   int
	vehicle *apVehicle
	toVeh   int // messages the GCS sent
	trace   func(format string, args ...any)
}

func newSimNet(t *testing.T, conf netConf, seed uint64, v *apVehicle) *simNet {
	return &simNet{t: t, conf: conf, rng: rand.New(rand.NewPCG(seed, 42)),
		now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), vehicle: v}
}

func (n *simNet) post(toVehicle bool, from target, msgs []message.Message) {
	if toVehicle {
		// gomavlib drops writes beyond its 64-slot queue: one call must stay well below.
		require.LessOrEqual(n.t, len(msgs), 10, "an exchange returned a burst")
		n.toVeh += len(msgs)
	}
	for _, m := range msgs {
		if n.rng.Float64() < n.conf.loss {
			continue
		}
		copies := 1
		if n.rng.Float64() < n.conf.dup {
			copies = 2
		}
		for range copies {
			delay := n.conf.minDelay
			if spread := n.conf.maxDelay - n.conf.minDelay; spread > 0 {
				delay += time.Duration(n.rng.Int64N(int64(spread)))
			}
			n.order++
			heap.Push(&n.queue, delivery{at: n.now.Add(delay), order: n.order, toVehicle: toVehicle, from: from, msg: m})
		}
	}
}

func (n *simNet) postFromVehicle(out []sourced) {
	for _, o := range out {
		n.post(false, o.from, []message.Message{o.msg})
	}
}

// run drives ex to its end and returns its outcome; it fails the test if the exchange is
// still running after limit of simulated time.
func (n *simNet) run(ex exchange, limit time.Duration) error {
	end := n.now.Add(limit)
	n.post(true, testGCS, ex.start(n.now))
	for steps := 0; ; steps++ {
		require.Less(n.t, steps, 10_000_000, "exchange stuck without time passing")
		if done, err := ex.finished(); done {
			return err
		}
		next := ex.deadline()
		if vd := n.vehicle.deadline(); !vd.IsZero() && vd.Before(next) {
			next = vd
		}
		if len(n.queue) > 0 && n.queue[0].at.Before(next) {
			next = n.queue[0].at
		}
		if next.After(n.now) {
			n.now = next
		}
		require.False(n.t, n.now.After(end), "exchange still running after %s", limit)
		switch {
		case len(n.queue) > 0 && !n.queue[0].at.After(n.now):
			d := heap.Pop(&n.queue).(delivery)
			if n.trace != nil {
				n.trace("%s toVeh=%v %T %+v", n.now.Format("04:05.000"), d.toVehicle, d.msg, d.msg)
			}
			if d.toVehicle {
				n.postFromVehicle(n.vehicle.receive(n.now, d.msg))
			} else if sf, ok := ex.(sourceFilter); !ok || sf.fromPeer(d.from.sys, d.from.comp) {
				n.post(true, testGCS, ex.handle(n.now, d.msg))
			}
		case !n.vehicle.deadline().IsZero() && !n.vehicle.deadline().After(n.now):
			n.postFromVehicle(n.vehicle.tick(n.now))
		default:
			if n.trace != nil {
				n.trace("%s tick", n.now.Format("04:05.000"))
			}
			n.post(true, testGCS, ex.tick(n.now))
		}
	}
}
