//go:build unix

package track

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used, user and system: unlike the wall
// clock, it does not count the time the benchmark waits for a core on a busy machine.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
