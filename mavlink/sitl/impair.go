package sitl

import (
	"fmt"
	"math/rand"
	"sort"
	"time"
)

// Impairment degrades the simulated link so the GCS can be tested against the radio links it
// meets in the field. It is applied to every message in both directions, and is deterministic
// for a given Seed so that a failing test can be replayed.
type Impairment struct {
	// Loss, Duplicate and Reorder are probabilities (0..1) per message: drop it, send it twice,
	// or hold it back and deliver it after the next one.
	Loss, Duplicate, Reorder float64
	// Latency is an added one-way delay, with ±20% jitter per message.
	Latency time.Duration
	// Seed seeds the random choices.
	Seed int64
}

// reorderHoldMax bounds how long a reordered message waits for the next one, so that the last
// message of a burst (a final MISSION_ACK, say) is late but not lost.
const reorderHoldMax = 200 * time.Millisecond

func (im Impairment) validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"Loss", im.Loss}, {"Duplicate", im.Duplicate}, {"Reorder", im.Reorder}} {
		if p.v < 0 || p.v > 1 {
			return fmt.Errorf("impairment %s is %v, want a probability between 0 and 1", p.name, p.v)
		}
	}
	if im.Latency < 0 {
		return fmt.Errorf("impairment Latency is %v, want zero or more", im.Latency)
	}
	return nil
}

func (im Impairment) active() bool {
	return im.Loss > 0 || im.Duplicate > 0 || im.Reorder > 0 || im.Latency > 0
}

// impairer applies an Impairment to one direction of traffic. It is used by one goroutine.
type impairer[T any] struct {
	conf Impairment
	rng  *rand.Rand

	held    *T
	heldAt  time.Time
	delayed delayQueue[T]
}

func newImpairer[T any](conf Impairment, seed int64) *impairer[T] {
	return &impairer[T]{conf: conf, rng: rand.New(rand.NewSource(seed))} //nolint:gosec // reproducible on purpose
}

// push feeds one message; deliver is called (now or on a later release) for every copy that
// survives, in the order the far end would see them.
func (im *impairer[T]) push(now time.Time, item T, deliver func(T)) {
	if !im.conf.active() {
		deliver(item)
		return
	}

	// Always draw the same numbers per message, so one choice does not shift the others.
	lossR, dupR, reorderR := im.rng.Float64(), im.rng.Float64(), im.rng.Float64()
	jitter := [2]float64{im.rng.Float64(), im.rng.Float64()}

	var held *T
	if im.held != nil {
		held, im.held = im.held, nil
	}

	if lossR >= im.conf.Loss {
		if reorderR < im.conf.Reorder && held == nil {
			im.held, im.heldAt = &item, now
		} else {
			copies := 1
			if dupR < im.conf.Duplicate {
				copies = 2
			}
			for i := range copies {
				im.schedule(now, item, jitter[i], deliver)
			}
		}
	}

	if held != nil {
		im.schedule(now, *held, jitter[1], deliver)
	}
}

func (im *impairer[T]) schedule(now time.Time, item T, jitter float64, deliver func(T)) {
	if im.conf.Latency <= 0 {
		deliver(item)
		return
	}
	d := time.Duration(float64(im.conf.Latency) * (0.8 + 0.4*jitter))
	im.delayed.push(now.Add(d), item)
}

// release delivers what is due: delayed messages and a reordered one that waited too long.
func (im *impairer[T]) release(now time.Time, deliver func(T)) {
	if im.held != nil && now.Sub(im.heldAt) >= reorderHoldMax {
		item := *im.held
		im.held = nil
		im.schedule(now, item, 0.5, deliver)
	}
	im.delayed.popDue(now, deliver)
}

// delayQueue holds messages until their delivery time, earliest first, ties in arrival order.
type delayQueue[T any] struct {
	items []delayed[T]
}

type delayed[T any] struct {
	due  time.Time
	item T
}

func (q *delayQueue[T]) push(due time.Time, item T) {
	i := sort.Search(len(q.items), func(i int) bool { return q.items[i].due.After(due) })
	q.items = append(q.items, delayed[T]{})
	copy(q.items[i+1:], q.items[i:])
	q.items[i] = delayed[T]{due: due, item: item}
}

func (q *delayQueue[T]) popDue(now time.Time, deliver func(T)) {
	n := 0
	for n < len(q.items) && !q.items[n].due.After(now) {
		n++
	}
	if n == 0 {
		return
	}
	due := q.items[:n]
	q.items = append([]delayed[T](nil), q.items[n:]...)
	for _, d := range due {
		deliver(d.item)
	}
}
