package store

import (
	"errors"
	"sync"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// ErrQueueFull is returned by DetectionWriter.Add when detections arrive faster than the
// disk takes them and QueueSize are already waiting: the detection is not recorded.
var ErrQueueFull = errors.New("detection queue full")

// errWriterClosed is returned by Add after Close.
var errWriterClosed = errors.New("detection writer closed")

const (
	writerDefaultMaxBatch  = 100
	writerDefaultMaxDelay  = 100 * time.Millisecond
	writerDefaultQueueSize = 10000
)

// DetectionWriter stores detections in the background, in batches, so that the detector
// never waits for the disk. Add gives each detection its ID at once; a detection is
// committed within MaxDelay (or as soon as MaxBatch are waiting). A kill -9 loses at
// most what was added in the last MaxDelay; everything before is committed.
//
// When a batch cannot be stored (disk full), it is kept and tried again after MaxDelay,
// and OnError is told; Add fails with ErrQueueFull once QueueSize detections wait.
type DetectionWriter struct {
	Store *Store
	// MaxBatch is how many waiting detections start a write at once. It defaults to 100.
	MaxBatch int
	// MaxDelay is the longest a detection waits to be written. It defaults to 100 ms.
	MaxDelay time.Duration
	// QueueSize bounds the detections waiting. It defaults to 10,000.
	QueueSize int
	// OnError, when set, is called from the writer's goroutine with each failed write.
	OnError func(error)

	mu      sync.Mutex
	pending []gcs.Detection
	closed  bool

	wake    chan struct{} // one slot: a full batch is waiting
	flushes chan chan error
	done    chan struct{}
	stop    chan struct{}
}

// Initialize fills in the defaults and starts the writer.
func (w *DetectionWriter) Initialize() error {
	if w.Store == nil {
		return errors.New("detection writer needs a Store")
	}
	if w.MaxBatch <= 0 {
		w.MaxBatch = writerDefaultMaxBatch
	}
	if w.MaxDelay <= 0 {
		w.MaxDelay = writerDefaultMaxDelay
	}
	if w.QueueSize <= 0 {
		w.QueueSize = writerDefaultQueueSize
	}
	w.wake = make(chan struct{}, 1)
	w.flushes = make(chan chan error)
	w.done = make(chan struct{})
	w.stop = make(chan struct{})
	go w.run()
	return nil
}

// Add queues a detection and returns the ID it will be stored under.
func (w *DetectionWriter) Add(d gcs.Detection) (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, errWriterClosed
	}
	if len(w.pending) >= w.QueueSize {
		return 0, ErrQueueFull
	}
	if d.ID == 0 {
		d.ID = w.Store.NewDetectionID()
	}
	w.pending = append(w.pending, d)
	if len(w.pending) >= w.MaxBatch {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return d.ID, nil
}

// Flush writes what is waiting now and returns the write's error.
func (w *DetectionWriter) Flush() error {
	reply := make(chan error, 1)
	select {
	case w.flushes <- reply:
		return <-reply
	case <-w.done:
		return errWriterClosed
	}
}

// Close writes what is waiting, stops the writer, and returns the last write's error.
func (w *DetectionWriter) Close() error {
	w.mu.Lock()
	already := w.closed
	w.closed = true
	w.mu.Unlock()
	if already {
		return nil
	}
	close(w.stop)
	<-w.done
	return w.write()
}

func (w *DetectionWriter) run() {
	defer close(w.done)
	tick := time.NewTicker(w.MaxDelay)
	defer tick.Stop()
	for {
		select {
		case <-w.stop:
			return
		case reply := <-w.flushes:
			reply <- w.write()
		case <-w.wake:
			w.report(w.write())
		case <-tick.C:
			w.report(w.write())
		}
	}
}

func (w *DetectionWriter) report(err error) {
	if err != nil && w.OnError != nil {
		w.OnError(err)
	}
}

// write stores everything waiting in one transaction; on failure the detections go back
// to the front of the queue.
func (w *DetectionWriter) write() error {
	w.mu.Lock()
	batch := w.pending
	w.pending = nil
	w.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if _, err := w.Store.AddDetections(batch); err != nil {
		w.mu.Lock()
		w.pending = append(batch, w.pending...)
		w.mu.Unlock()
		return err
	}
	return nil
}
