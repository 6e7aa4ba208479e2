package store

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

func count(t *testing.T, s *Store) int64 {
	t.Helper()
	n, err := s.DetectionCount()
	require.NoError(t, err)
	return n
}

func TestDetectionWriterBatches(t *testing.T) {
	s, _ := openTemp(t)
	_, err := s.AddDetections([]gcs.Detection{sampleDetection(0)}) // ID 1, stored directly
	require.NoError(t, err)
	w := &DetectionWriter{Store: s, MaxBatch: 100, MaxDelay: time.Hour}
	require.NoError(t, w.Initialize())
	defer w.Close()
	for i := range 250 {
		id, err := w.Add(sampleDetection(i))
		require.NoError(t, err)
		require.Equal(t, int64(i+2), id, "IDs handed out at once, in order")
	}
	// Two full batches are written without waiting for MaxDelay; the rest waits.
	require.Eventually(t, func() bool { return count(t, s) >= 201 }, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, w.Flush())
	require.Equal(t, int64(251), count(t, s))
	ds, err := s.Detections()
	require.NoError(t, err)
	for i, d := range ds {
		require.Equal(t, int64(i+1), d.ID)
	}
	require.Equal(t, sampleDetection(249).Time, ds[250].Time)
}

func TestDetectionWriterMaxDelay(t *testing.T) {
	s, _ := openTemp(t)
	w := &DetectionWriter{Store: s, MaxDelay: 20 * time.Millisecond}
	require.NoError(t, w.Initialize())
	defer w.Close()
	_, err := w.Add(sampleDetection(1))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return count(t, s) == 1 }, 5*time.Second, 5*time.Millisecond)
}

func TestDetectionWriterQueueFullAndRetry(t *testing.T) {
	s, _ := openTemp(t)
	_, err := s.db.Exec("CREATE TRIGGER disk_full BEFORE INSERT ON detections BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
	require.NoError(t, err)
	var failures atomic.Int32
	var lastErr atomic.Value
	w := &DetectionWriter{Store: s, QueueSize: 3, MaxDelay: 10 * time.Millisecond, OnError: func(err error) {
		lastErr.Store(err)
		failures.Add(1)
	}}
	require.NoError(t, w.Initialize())
	for i := range 3 {
		_, err := w.Add(sampleDetection(i))
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return failures.Load() >= 2 }, 5*time.Second, 5*time.Millisecond, "retried")
	require.ErrorContains(t, lastErr.Load().(error), "disk is full")
	_, err = w.Add(sampleDetection(3))
	require.ErrorIs(t, err, ErrQueueFull)

	_, err = s.db.Exec("DROP TRIGGER disk_full")
	require.NoError(t, err)
	require.NoError(t, w.Close(), "the kept detections are written at close")
	require.Equal(t, int64(3), count(t, s))
	_, err = w.Add(sampleDetection(4))
	require.Error(t, err)
	require.NoError(t, w.Close())
}

// IDs continue after a reopen, whichever way the detections were stored.
func TestDetectionIDsAfterReopen(t *testing.T) {
	s, path := openTemp(t)
	id := s.NewDetectionID()
	d := sampleDetection(0)
	d.ID = id
	_, err := s.AddDetections([]gcs.Detection{d, sampleDetection(1)})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	s, err = Open(path)
	require.NoError(t, err)
	defer s.Close()
	require.Equal(t, int64(3), s.NewDetectionID())
	_, err = s.AddDetections([]gcs.Detection{d})
	require.ErrorContains(t, err, "UNIQUE constraint failed", "an ID is stored once")
}

// The map and lists read the record while detections pour in: neither waits for the
// other long enough to fail, and every read sees the detections in order with none
// missing (batches commit in the order their IDs were given).
func TestReadWhileWriting(t *testing.T) {
	s, _ := openTemp(t)
	w := &DetectionWriter{Store: s, MaxBatch: 50, MaxDelay: 5 * time.Millisecond}
	require.NoError(t, w.Initialize())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			if _, err := w.Add(sampleDetection(i)); err != nil {
				panic(err)
			}
		}
	}()
	reads := 0
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		n := 0
		require.NoError(t, s.EachDetection(func(d gcs.Detection) error {
			n++
			if d.ID != int64(n) {
				return fmt.Errorf("detection %d read as number %d", d.ID, n)
			}
			_, err := s.Targets() // another method inside the callback
			return err
		}))
		reads++
	}
	require.NoError(t, w.Close())
	require.Equal(t, int64(1000), count(t, s))
	require.Positive(t, reads)
}
