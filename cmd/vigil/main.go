// Command vigil is Vigil's one binary: the desktop station by default, and subcommands for
// headless work (simulate, inspect and command vehicles, transfer missions and parameters).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `vigil — ground control for ISR drones and tethered aerostats

usage:
  vigil sim      --copter N [--mavlink URL]... [--home LAT,LON,ALT] [--speedup X] [--loss P] ...
  vigil vehicles --connect URL [--wait 5s] [--json] [--watch]
  vigil cmd      --connect URL [--sysid N] arm|disarm|mode NAME|takeoff ALT|land|rtl|goto LAT LON ALT|roi LAT LON ALT|gimbal PITCH YAW [--wait]
  vigil mission  upload|download|clear --connect URL [FILE.(waypoints|plan|kml|geojson)] [--type mission|fence|rally]
  vigil plan     survey|corridor|orbit|patrol|convert|validate|info|cameras ... (vigil plan help)
  vigil params   pull|push|diff --connect URL FILE
  vigil tlog     record --connect URL FILE | replay FILE --mavlink URL

Connection URLs: udp://:14550  udpout://HOST:PORT  tcp://HOST:PORT  tcpin://:PORT  serial:///dev/ttyUSB0:57600
(add ?key=PASSPHRASE for MAVLink 2 signing). --connect may be given more than once.
Run "vigil COMMAND --help" for a command's flags.
`

// exitError carries the process exit status: 1 for a refusal or failure, 2 for bad usage.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}

var commands = map[string]func(ctx context.Context, args []string) error{
	"sim":      runSim,
	"vehicles": runVehicles,
	"cmd":      runCmd,
	"mission":  runMission,
	"plan":     runPlan,
	"params":   runParams,
	"tlog":     runTlog,
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		fmt.Print(usage)
		return
	}
	run, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "vigil: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[2:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vigil:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}
