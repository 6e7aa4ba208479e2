package mavlink

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialect"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/bluenviron/gomavlib/v3/pkg/tlog"
)

// TlogWriter records frames to a .tlog file (QGroundControl and MAVProxy's telemetry log:
// a big-endian microsecond timestamp before each raw frame). It is safe for concurrent use,
// so every link can record into one file.
type TlogWriter struct {
	mu  sync.Mutex
	f   *os.File
	buf *bufio.Writer
	w   *tlog.Writer
	n   int
	err error
}

// CreateTlog opens a new log file, replacing an old one.
func CreateTlog(name string) (*TlogWriter, error) {
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	rw, err := dialectRW()
	if err != nil {
		f.Close()
		return nil, err
	}
	t := &TlogWriter{f: f, buf: bufio.NewWriterSize(f, 64<<10)}
	t.w = &tlog.Writer{ByteWriter: t.buf, DialectRW: rw}
	if err := t.w.Initialize(); err != nil {
		f.Close()
		return nil, err
	}
	return t, nil
}

// Write appends one frame; the first error sticks and is returned by Close.
func (t *TlogWriter) Write(at time.Time, f frame.Frame) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err != nil {
		return
	}
	t.err = t.w.Write(&tlog.Entry{Time: at, Frame: shallowCopy(f)})
	t.n++
}

// shallowCopy protects a frame that others still read: gomavlib's frame writer replaces the
// frame's decoded message with its raw bytes in place.
func shallowCopy(f frame.Frame) frame.Frame {
	switch ff := f.(type) {
	case *frame.V2Frame:
		c := *ff
		return &c
	case *frame.V1Frame:
		c := *ff
		return &c
	}
	return f
}

// Frames is how many frames were written.
func (t *TlogWriter) Frames() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// Flush pushes buffered frames to the file, so a crash loses at most the last moments.
func (t *TlogWriter) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err == nil {
		t.err = t.buf.Flush()
	}
	return t.err
}

// Close flushes and closes the file.
func (t *TlogWriter) Close() error {
	err := t.Flush()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// RecordTlog listens on the connections (answering as a GCS, so vehicles stream) and
// records every frame received until ctx ends.
func RecordTlog(ctx context.Context, name string, conns []Connection) (int, error) {
	w, err := CreateTlog(name)
	if err != nil {
		return 0, err
	}
	c := &Client{Connections: conns, OnFrame: w.Write}
	if err := c.Initialize(); err != nil {
		w.Close()
		return 0, err
	}
	flush := time.NewTicker(time.Second)
	defer flush.Stop()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-flush.C:
			w.Flush() //nolint:errcheck // Close reports it
		}
	}
	c.Close()
	return w.Frames(), w.Close()
}

// ReadTlog calls fn for every frame of a log, in order. A truncated last frame (the log of
// a session that crashed) ends the log quietly; corrupt frames in the middle are an error
// naming the frame.
func ReadTlog(r io.Reader, fn func(at time.Time, f frame.Frame) error) (int, error) {
	rw, err := dialectRW()
	if err != nil {
		return 0, err
	}
	src := &eofReader{r: r}
	tr := &tlog.Reader{ByteReader: src, DialectRW: rw}
	if err := tr.Initialize(); err != nil {
		return 0, err
	}
	n := 0
	for {
		e, err := tr.Read()
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || (err != nil && src.eof) {
			return n, nil // the end, possibly mid-frame after a crash
		}
		if err != nil {
			return n, fmt.Errorf("tlog frame %d: %w", n+1, err)
		}
		if err := fn(e.Time, e.Frame); err != nil {
			return n, err
		}
		n++
	}
}

// ReplayTlog plays a log to the endpoints as if its vehicles were live, keeping the
// recorded spacing (divided by speed).
func ReplayTlog(ctx context.Context, name string, endpoints []gomavlib.EndpointConf, speed float64) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	node := &gomavlib.Node{
		Endpoints: endpoints, Dialect: ardupilotmega.Dialect, OutVersion: gomavlib.V2,
		OutSystemID: 250, HeartbeatDisable: true,
	}
	if err := node.Initialize(); err != nil {
		return 0, err
	}
	defer node.Close()
	go func() {
		for range node.Events() { // a replayed vehicle does not answer
		}
	}()

	var first time.Time
	start := time.Now()
	return ReadTlog(bufio.NewReader(f), func(at time.Time, fr frame.Frame) error {
		if first.IsZero() {
			first = at
		}
		due := start.Add(time.Duration(float64(at.Sub(first)) / speed))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(due)):
		}
		return node.WriteFrameAll(fr)
	})
}

// eofReader notes when the file ran out, so a frame cut short by a crash is told apart
// from a corrupt one.
type eofReader struct {
	r   io.Reader
	eof bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if errors.Is(err, io.EOF) {
		e.eof = true
	}
	return n, err
}

// dialectRW is built once: preparing the ardupilotmega dialect's codecs takes milliseconds.
var dialectRW = sync.OnceValues(func() (*dialect.ReadWriter, error) {
	rw := &dialect.ReadWriter{Dialect: ardupilotmega.Dialect}
	return rw, rw.Initialize()
})
