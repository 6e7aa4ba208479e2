package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
	"github.com/vigil-gcs/vigil/mavlink/sitl"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

// The demo's world: two copters with cameras beside home, a tethered aerostat to the west
// watching the same ground, and people and vehicles moving around home.
const (
	demoCopters        = 2
	demoAerostatWestM  = 250 // far enough that the copters never fly into its tether
	demoCopterSpacingM = 40  // copter 2 stands east of copter 1: apart on the map
	demoAerostatLineM  = 150 // line out at boot: the aerostat is up and watching from the start
	demoTargets        = 20
	demoSurveyAltM     = 80 // copter 1's altitude over the targets
	demoDefaultMAVLink = 5760
	demoDefaultRTSP    = 8554
)

// runDemo is `vigil demo`: the built-in simulator in this process and the desktop app (or,
// with --headless, the headless station) connected to it. Copter 1 takes off by itself and
// looks down at the targets so detections appear without the operator doing anything; copter
// 2 waits on the ground for the operator.
func runDemo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	speed := fs.Float64("speed", 1, "simulated seconds per real second")
	dur := fs.Duration("for", 0, "stop after this long (default: until the window closes or Ctrl-C)")
	dbPath := fs.String("db", "", "the mission record (default: a new file in a temporary folder)")
	headless := fs.Bool("headless", false, "no window: run the headless station (vigil run) on the simulator")
	detectors := fs.String("detectors", "motion", "detectors on every stream (as vigil run)")
	mavPort := fs.Int("mavlink-port", demoDefaultMAVLink, "TCP port the simulator serves MAVLink on (127.0.0.1; 0 picks a free one)")
	rtspPort := fs.Int("rtsp-port", demoDefaultRTSP, "TCP port the simulated cameras serve RTSP on (127.0.0.1; 0 picks a free one)")
	memlog := fs.String("memlog", "", "append the process's heap in use and resident memory to this file every --memlog-every")
	memlogEvery := fs.Duration("memlog-every", time.Minute, "how often --memlog writes")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if !(*speed > 0 && *speed <= 20) {
		return usageErrorf("demo: --speed %g: want more than 0 and at most 20 simulated seconds per second", *speed)
	}
	if *memlogEvery <= 0 {
		return usageErrorf("demo: --memlog-every %s: want a positive duration", *memlogEvery)
	}
	ports, err := demoPorts(*mavPort, *rtspPort)
	if err != nil {
		return err
	}
	*mavPort, *rtspPort = ports[0], ports[1]
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "vigil-demo-")
		if err != nil {
			return err
		}
		*dbPath = filepath.Join(dir, "demo.db")
	}
	if *dur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *dur)
		defer cancel()
	}
	if *memlog != "" {
		ml, err := startMemLog(*memlog, *memlogEvery)
		if err != nil {
			return err
		}
		defer ml.close()
	}

	link := "tcp://127.0.0.1:" + strconv.Itoa(*mavPort)
	camera := fmt.Sprintf("rtsp://127.0.0.1:%d/cam1", *rtspPort)
	stop, world, err := startDemoSim(*speed, *mavPort, camera)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Printf("vigil demo: simulator at %.3g× speed: copters 1 and 2 (cameras %s, …/cam2), aerostat 3 (…/cam3); MAVLink on %s\n",
		*speed, camera, link)

	pilot, err := startDemoPilot(ctx, link)
	if err != nil {
		return err
	}
	defer pilot.close()

	station := []string{"--connect", link, "--db", *dbPath, "--detectors", *detectors}
	if !*headless && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Println("vigil demo: no display (DISPLAY and WAYLAND_DISPLAY unset): running headless, as with --headless")
		*headless = true
	}
	if *headless {
		err = runRun(ctx, station)
	} else {
		err = runGUIWith(ctx, station, guiOptions{base: worldBase{world}})
	}
	fmt.Printf("vigil demo: record %s (vigil export --db %s --format geojson targets.geojson)\n", *dbPath, *dbPath)
	return err
}

// worldBase draws the simulated world under the map's layers: the demo's map shows the
// same fields and roads as its cameras.
type worldBase struct{ world *synthcam.World }

func (b worldBase) DrawBase(img *image.RGBA, centre orb.Point, mpp float64) {
	b.world.DrawMap(img, centre, mpp)
}

// demoPorts checks that nothing listens on the ports and picks free ones for 0 (all held at
// once, so two zeros get two different ports).
func demoPorts(ports ...int) ([]int, error) {
	out := make([]int, len(ports))
	for i, port := range ports {
		if port < 0 || port > 65535 {
			return nil, usageErrorf("demo: port %d: want 0..65535", port)
		}
		l, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			return nil, fmt.Errorf("demo: port %d is taken (another demo or simulator running?); choose another with --mavlink-port/--rtsp-port, or 0: %w", port, err)
		}
		defer l.Close()
		out[i] = l.Addr().(*net.TCPAddr).Port
	}
	return out, nil
}

// startDemoSim starts the simulator and its cameras; stop closes both. The world is what the
// cameras see, for the map.
func startDemoSim(speed float64, mavPort int, camera string) (stop func(), world *synthcam.World, err error) {
	home, _ := parseHome(defaultHome)
	serve, err := mavlink.ParseConnection("tcpin://127.0.0.1:" + strconv.Itoa(mavPort))
	if err != nil {
		return nil, nil, err
	}
	sim := &sitl.Sim{Speedup: speed, Endpoints: endpointsOf(connections{serve})}
	for i := range demoCopters {
		h := home
		h.Point = gcs.OffsetNE(home.Point, 0, demoCopterSpacingM*float64(i))
		sysID := uint8(1 + i)
		sim.Vehicles = append(sim.Vehicles, sitl.SimVehicle{SysID: sysID, Model: sitl.NewCopter(sitl.CopterConfig{
			Home: h, Seed: int64(i + 1), Camera: simCamera(camera, sysID, i == 0),
		})})
	}
	aerostatHome := home
	aerostatHome.Point = gcs.OffsetNE(home.Point, 0, -demoAerostatWestM)
	const aerostatID = demoCopters + 1
	sim.Vehicles = append(sim.Vehicles, sitl.SimVehicle{SysID: aerostatID, Model: sitl.NewAerostat(sitl.AerostatConfig{
		Home: aerostatHome, Seed: aerostatID, LineM: demoAerostatLineM, Camera: simCamera(camera, aerostatID, false),
	})})

	video, hook, err := startSimVideo(camera, sim.Vehicles, home, simVideoOptions{targets: demoTargets, seed: 1})
	if err != nil {
		return nil, nil, err
	}
	sim.OnState = hook
	if err := sim.Initialize(); err != nil {
		video.close()
		return nil, nil, fmt.Errorf("simulator: %w", err)
	}
	return func() { sim.Close(); video.close() }, video.world, nil
}

// demoPilot flies the demo's script on its own link, as an operator with `vigil cmd` would,
// and prints the vehicles' state now and then.
type demoPilot struct {
	client *mavlink.Client
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startDemoPilot(ctx context.Context, link string) (*demoPilot, error) {
	conn, err := mavlink.ParseConnection(link)
	if err != nil {
		return nil, err
	}
	p := &demoPilot{client: &mavlink.Client{Connections: []mavlink.Connection{conn}}}
	if err := p.client.Initialize(); err != nil {
		return nil, err
	}
	ctx, p.cancel = context.WithCancel(ctx)
	p.wg.Go(func() { p.report(ctx) })
	p.wg.Go(func() {
		if err := p.fly(ctx); err != nil && ctx.Err() == nil {
			fmt.Fprintln(os.Stderr, "vigil demo:", err)
		}
	})
	return p, nil
}

// close stops the script and the reports and closes the pilot's link.
func (p *demoPilot) close() {
	p.cancel()
	p.wg.Wait()
	p.client.Close()
}
