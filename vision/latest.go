package vision

import (
	"context"
	"sync"
)

// Latest is a one-slot hand-off of frames from a stream to one consumer: Put never waits, and
// a frame the consumer had not taken when the next one arrived is dropped and counted. A slow
// detector therefore sees fewer frames, never older ones, and never delays decoding.
type Latest struct {
	mu      sync.Mutex
	frame   *Frame
	dropped uint64
	ready   chan struct{}
}

// NewLatest returns an empty hand-off.
func NewLatest() *Latest { return &Latest{ready: make(chan struct{}, 1)} }

// Put offers a frame, replacing (and counting as dropped) one not yet taken.
func (l *Latest) Put(f *Frame) {
	l.mu.Lock()
	if l.frame != nil {
		l.dropped++
	}
	l.frame = f
	l.mu.Unlock()
	select {
	case l.ready <- struct{}{}:
	default:
	}
}

// Next waits for a frame newer than the last one taken.
func (l *Latest) Next(ctx context.Context) (*Frame, error) {
	for {
		l.mu.Lock()
		f := l.frame
		l.frame = nil
		l.mu.Unlock()
		if f != nil {
			return f, nil
		}
		select {
		case <-l.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Dropped is how many frames were replaced before the consumer took them.
func (l *Latest) Dropped() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dropped
}
