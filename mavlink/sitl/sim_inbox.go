package sitl

import (
	"sync"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
)

// inboxCapacity bounds what the event drainer may queue for the owner goroutine. It is far
// above what a GCS sends; past it, messages are dropped and counted rather than stalling the
// drainer (a stalled drainer would stall every link of the node).
const inboxCapacity = 4096

// incoming is one thing the event drainer hands to the owner goroutine.
type incoming struct {
	frame   frame.Frame       // nil for a channel that just opened
	channel *gomavlib.Channel // where it came from
}

// inbox is the hand-off from the event drainer to the owner goroutine: a bounded queue that
// never blocks the producer, plus a one-slot wake-up channel.
type inbox struct {
	mu      sync.Mutex
	items   []incoming
	dropped uint64
	wake    chan struct{}
}

func newInbox() *inbox {
	return &inbox{wake: make(chan struct{}, 1)}
}

// put queues an item without ever blocking; it reports false when the queue was full.
func (b *inbox) put(it incoming) bool {
	b.mu.Lock()
	ok := len(b.items) < inboxCapacity
	if ok {
		b.items = append(b.items, it)
	} else {
		b.dropped++
	}
	b.mu.Unlock()

	select {
	case b.wake <- struct{}{}:
	default:
	}
	return ok
}

// take returns and clears everything queued.
func (b *inbox) take() []incoming {
	b.mu.Lock()
	defer b.mu.Unlock()
	items := b.items
	b.items = nil
	return items
}
