// Command vigil is Vigil's one binary: the desktop station by default, and subcommands for
// headless work (simulate, inspect and command vehicles, transfer missions and parameters,
// export a mission's record).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/vigil-gcs/vigil/vision/detect"
)

const usage = `vigil — ground control for ISR drones and tethered aerostats

usage:
  vigil sim      --copter N | --aerostat N [--wind SPEED[,FROM]] [--mavlink URL]... [--home LAT,LON,ALT] [--speedup X] ...
                 [--camera rtsp://127.0.0.1:8554/cam1 [--targets 20] [--truth FILE]]
  vigil vehicles --connect URL [--wait 5s] [--json] [--watch]
  vigil cmd      --connect URL [--sysid N] arm|disarm|mode NAME|takeoff ALT|land|rtl|goto LAT LON ALT|roi LAT LON ALT|gimbal PITCH YAW [--wait]
  vigil cmd      --connect URL [--sysid N] winch length M|altitude M|rate MPS|hold|lock|retract [--wait]
  vigil cmd      --connect URL [--sysid N] stare LAT LON ALT | scan FROM_DEG TO_DEG --depression DEG --period S
                 | patrol LAT LON ALT [LAT LON ALT]... --dwell 30s   [--duration D]
  vigil mission  upload|download|clear --connect URL [FILE.(waypoints|plan|kml|geojson)] [--type mission|fence|rally]
  vigil plan     survey|corridor|orbit|patrol|convert|validate|info|cameras ... (vigil plan help)
  vigil params   pull|push|diff --connect URL FILE
  vigil tlog     record --connect URL FILE | replay FILE --mavlink URL
  vigil video    probe URL|--connect URL [--sysid N] [--json] [--for 10s] [--transport udp|tcp]
  vigil video    snapshot [URL|--connect URL [--sysid N]] OUT.jpg
  vigil video    record URL --out DIR [--segment 60s] [--for 5m] [--retain-gb X] [--retain-days N]
  vigil export   --db mission.db --format geojson|kml|csv|cot OUT
  vigil [gui]    [--connect URL (default: the settings file's links, else udp://:14550)] [the run flags]
                 # the desktop app: fly, watch, plan, respond
  vigil tiles    prefetch --bbox MINLON,MINLAT,MAXLON,MAXLAT --zoom 10-17 [--out area.mbtiles] [--source URL] | info FILE.mbtiles
  vigil demo     [--speed X] [--for D] [--db FILE] [--headless] [--memlog FILE]   # the simulator and the app on it
  vigil run      --connect URL [--video auto|URL] [--db mission.db] [--dem DIR] [--zones FILE] [--cot udp://239.2.3.1:6969] [--detectors motion,people]
  vigil detect   FILE|URL [--detectors motion,people,anomaly,onnx:MODEL.onnx --labels FILE] [--json] [--out annotated.mp4]

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
	"video":    runVideo,
	"export":   runExport,
	"detect":   runDetect,
	"run":      runRun,
	"gui":      runGUI,
	"demo":     runDemo,
	"tiles":    runTiles,
}

func main() {
	detect.RunModelCheckIfAsked() // when started as the ONNX model checker, only that
	if len(os.Args) < 2 {
		// `vigil` alone is the desktop app, listening where vehicles and SITL send by default.
		os.Args = append(os.Args, "gui")
	}
	if os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
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
