package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memLog appends the process's memory to a file at a fixed period, for the soak benchmark
// "memory after an hour of vigil demo at 2× speed stays flat". Each line is tab-separated:
// RFC 3339 time, seconds since start, Go heap in use just after a collection (MiB: what is
// live, not the garbage of the moment), Go runtime total from the OS (MiB), resident set size
// (MiB, which includes the C libraries' FFmpeg and OpenCV memory), goroutines.
type memLog struct {
	f     *os.File
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
}

// memLogHeader names memLog's columns.
const memLogHeader = "# time\telapsed_s\theap_inuse_mib\tgo_sys_mib\trss_mib\tgoroutines\n"

func startMemLog(path string, every time.Duration) (*memLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--memlog: %w", err)
	}
	m := &memLog{f: f, start: time.Now(), stop: make(chan struct{})}
	if _, err := f.WriteString(memLogHeader); err != nil {
		f.Close()
		return nil, fmt.Errorf("--memlog %s: %w", path, err)
	}
	m.write()
	m.wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-tick.C:
				m.write()
			}
		}
	})
	return m, nil
}

// write appends one line; a failed write is reported once on stderr and the demo goes on.
func (m *memLog) write() {
	runtime.GC() // once a minute: cheap, and it makes successive lines comparable
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss := "?"
	if kb, err := residentKB(); err == nil {
		rss = fmt.Sprintf("%.1f", float64(kb)/1024)
	}
	now := time.Now()
	const mib = 1 << 20
	if _, err := fmt.Fprintf(m.f, "%s\t%.0f\t%.1f\t%.1f\t%s\t%d\n", now.UTC().Format(time.RFC3339), now.Sub(m.start).Seconds(),
		float64(ms.HeapInuse)/mib, float64(ms.Sys)/mib, rss, runtime.NumGoroutine()); err != nil {
		fmt.Fprintln(os.Stderr, "vigil demo: --memlog:", err)
	}
}

// close writes a last line and closes the file.
func (m *memLog) close() {
	close(m.stop)
	m.wg.Wait()
	m.write()
	m.f.Close()
}

// residentKB reads the resident set size from /proc (Linux).
func residentKB() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmRSS in /proc/self/status")
}
