package ui

import (
	"sync"
	"time"
)

// refresher is a view's redraw loop: every period it reads the station's snapshots on its
// own goroutine (read), then hands the result to Fyne's goroutine (apply, through fyne.Do or
// a test's runner), until stopped. Reading off Fyne's goroutine keeps the window responsive
// however slow a snapshot is.
type refresher struct {
	stop, done chan struct{}
	once       sync.Once
}

// start begins the loop; tick is called every period on the loop's goroutine.
func (r *refresher) start(period time.Duration, tick func()) {
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(r.done)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				tick()
			}
		}
	}()
}

// running reports whether the loop was started and not yet stopped.
func (r *refresher) running() bool {
	if r.stop == nil {
		return false
	}
	select {
	case <-r.stop:
		return false
	default:
		return true
	}
}

// close stops the loop and waits for it; closing a loop never started does nothing.
func (r *refresher) close() {
	r.once.Do(func() {
		if r.stop != nil {
			close(r.stop)
			<-r.done
		}
	})
}
