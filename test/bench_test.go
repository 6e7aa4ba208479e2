package test

// End-to-end benchmarks for docs/BENCHMARKS.md, goals 2-4, over real loopback TCP:
//
//	go test -run '^$' -bench . -benchtime 3x ./test/
//
// Each one also measures a baseline in the same run, with a bare gomavlib Node standing in for
// Vigil's client on the same simulator and link, and reports the ratio ("x-baseline"): absolute
// times on a shared machine drift by ±30 %, ratios much less.

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
	"github.com/vigil-gcs/vigil/mavlink/sitl"
)

// benchPort finds a free loopback TCP port.
func benchPort(b *testing.B) int {
	b.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// benchSim serves one in-process copter (system id 1) on tcpin://127.0.0.1:port.
func benchSim(b *testing.B, port, extraParams int) *sitl.Sim {
	b.Helper()
	conn, err := mavlink.ParseConnection(fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	if err != nil {
		b.Fatal(err)
	}
	s := &sitl.Sim{Endpoints: []gomavlib.EndpointConf{conn.Endpoint()}, Vehicles: []sitl.SimVehicle{{
		SysID: 1, Model: sitl.NewCopter(sitl.CopterConfig{Home: home, GPSDelay: -1, ExtraParams: extraParams}),
	}}}
	if err := s.Initialize(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	return s
}

// benchClient connects a Vigil client to the given tcp ports and waits until the vehicles
// 1..n are heard with a position.
func benchClient(b *testing.B, n int, ports ...int) *mavlink.Client {
	b.Helper()
	c := &mavlink.Client{TelemetryHz: 10}
	for _, p := range ports {
		conn, err := mavlink.ParseConnection(fmt.Sprintf("tcp://127.0.0.1:%d", p))
		if err != nil {
			b.Fatal(err)
		}
		c.Connections = append(c.Connections, conn)
	}
	if err := c.Initialize(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	deadline := time.Now().Add(20 * time.Second)
	for {
		ready := 0
		for _, v := range c.Fleet.Vehicles() {
			if v.Connected && v.PositionValid {
				ready++
			}
		}
		if ready >= n {
			return c
		}
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d vehicles discovered with a position in 20 s", ready, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// bareNode is the baseline peer: a gomavlib Node (system id 254) on one TCP link that does
// nothing with what it receives but hand it to onFrame. It returns once connected.
func bareNode(b *testing.B, port int, onFrame func(*gomavlib.EventFrame)) *gomavlib.Node {
	b.Helper()
	n := &gomavlib.Node{
		Endpoints:        []gomavlib.EndpointConf{gomavlib.EndpointTCPClient{Address: fmt.Sprintf("127.0.0.1:%d", port)}},
		Dialect:          ardupilotmega.Dialect,
		OutVersion:       gomavlib.V2,
		OutSystemID:      254,
		OutComponentID:   190,
		HeartbeatDisable: true,
	}
	if err := n.Initialize(); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	open := make(chan struct{})
	go func() {
		defer close(done)
		for evt := range n.Events() {
			switch e := evt.(type) {
			case *gomavlib.EventChannelOpen:
				select {
				case <-open: // a reconnection
				default:
					close(open)
				}
			case *gomavlib.EventFrame:
				onFrame(e)
			}
		}
	}()
	b.Cleanup(func() { n.Close(); <-done })
	select {
	case <-open:
	case <-time.After(5 * time.Second):
		b.Fatalf("bare node: no connection to port %d in 5 s", port)
	}
	return n
}

// rawRoundTrips is the lock-step floor of a transfer: n PARAM_REQUEST_READ → PARAM_VALUE
// round trips with vehicle 1, from a bare node, one at a time.
func rawRoundTrips(b *testing.B, port, n int) time.Duration {
	b.Helper()
	answers := make(chan uint16, 64)
	node := bareNode(b, port, func(e *gomavlib.EventFrame) {
		if pv, ok := e.Message().(*common.MessageParamValue); ok && e.SystemID() == 1 {
			answers <- pv.ParamIndex
		}
	})
	var total time.Duration
	for i := range n {
		idx := uint16(i % 100)
		start := time.Now()
		if err := node.WriteMessageAll(&common.MessageParamRequestRead{TargetSystem: 1, TargetComponent: 1, ParamIndex: int16(idx)}); err != nil {
			b.Fatal(err)
		}
		timeout := time.After(2 * time.Second)
	wait:
		for {
			select {
			case got := <-answers:
				if got == idx {
					break wait
				}
			case <-timeout:
				b.Fatalf("no PARAM_VALUE %d in 2 s", idx)
			}
		}
		total += time.Since(start)
	}
	return total
}

// mission500 is home and 500 waypoints on a lawnmower pattern: 501 items.
func mission500() []gcs.MissionItem {
	items := []gcs.MissionItem{{Frame: gcs.FrameGlobal, Command: gcs.CmdNavWaypoint, Autocontinue: true,
		X: home.Point.Lat(), Y: home.Point.Lon(), Z: home.AltMSLM}}
	for i := range 500 {
		row, col := i/25, i%25
		if row%2 == 1 {
			col = 24 - col
		}
		p := gcs.OffsetNE(home.Point, float64(row)*20, float64(col)*20)
		items = append(items, gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavWaypoint, Autocontinue: true,
			X: math.Round(p.Lat()*1e7) / 1e7, Y: math.Round(p.Lon()*1e7) / 1e7, Z: float64(30 + i%5)})
	}
	return items
}

// BenchmarkMissionUpload500: goal < 1 s for a 500-item mission over loopback. One op is one
// upload of 501 items (home + 500) to an in-process simulator over TCP, which needs 501
// lock-step round trips; the baseline is 501 bare PARAM_REQUEST_READ → PARAM_VALUE round
// trips on the same simulator and link, the floor any lock-step transfer has.
func BenchmarkMissionUpload500(b *testing.B) {
	port := benchPort(b)
	benchSim(b, port, 0)
	c := benchClient(b, 1, port)
	items := mission500()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	b.ResetTimer()
	for range b.N {
		items[1].Z++ // a different mission each time
		if err := c.UploadMission(ctx, 1, gcs.MissionTypeMission, items, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ms := b.Elapsed().Seconds() * 1000 / float64(b.N)
	base := rawRoundTrips(b, port, len(items)).Seconds() * 1000

	got, err := c.DownloadMission(ctx, 1, gcs.MissionTypeMission, nil)
	if err != nil || len(got) != len(items) {
		b.Fatalf("downloaded %d items (%v), want %d", len(got), err, len(items))
	}
	b.ReportMetric(ms, "ms/upload")
	b.ReportMetric(float64(len(items))/ms*1000, "items/s")
	b.ReportMetric(base, "baseline-ms")
	b.ReportMetric(ms/base, "x-baseline")
}

// BenchmarkMissionDownload500 is the same list read back: 501 round trips the GCS drives.
func BenchmarkMissionDownload500(b *testing.B) {
	port := benchPort(b)
	benchSim(b, port, 0)
	c := benchClient(b, 1, port)
	items := mission500()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := c.UploadMission(ctx, 1, gcs.MissionTypeMission, items, nil); err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	for range b.N {
		got, err := c.DownloadMission(ctx, 1, gcs.MissionTypeMission, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != len(items) {
			b.Fatalf("downloaded %d items, want %d", len(got), len(items))
		}
	}
	b.StopTimer()
	ms := b.Elapsed().Seconds() * 1000 / float64(b.N)
	base := rawRoundTrips(b, port, len(items)).Seconds() * 1000
	b.ReportMetric(ms, "ms/download")
	b.ReportMetric(float64(len(items))/ms*1000, "items/s")
	b.ReportMetric(base, "baseline-ms")
	b.ReportMetric(ms/base, "x-baseline")
}

// BenchmarkParamPull1000: a full parameter pull of a copter with 1,000 parameters (its
// defaults plus synthetic SIM_EXTRA_* ones). The baseline is the same PARAM_REQUEST_LIST from
// a bare node that only counts the PARAM_VALUEs, on the same simulator and link: what the
// simulator's output pacing (4,000 frames/s, telemetry included) allows.
func BenchmarkParamPull1000(b *testing.B) {
	const want = 1000
	extra := max(0, want-len(sitl.NewCopter(sitl.CopterConfig{Home: home}).Params()))
	port := benchPort(b)
	benchSim(b, port, extra)
	c := benchClient(b, 1, port)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	var n int
	b.ResetTimer()
	for range b.N {
		params, err := c.PullParams(ctx, 1, nil)
		if err != nil {
			b.Fatal(err)
		}
		n = len(params)
	}
	b.StopTimer()
	if n < want {
		b.Fatalf("pulled %d parameters, want at least %d", n, want)
	}
	ms := b.Elapsed().Seconds() * 1000 / float64(b.N)

	// Baseline: a bare node asks for the list and waits for every index.
	var mu sync.Mutex
	seen := make(map[uint16]bool)
	all := make(chan struct{}, 1)
	node := bareNode(b, port, func(e *gomavlib.EventFrame) {
		pv, ok := e.Message().(*common.MessageParamValue)
		if !ok || e.SystemID() != 1 {
			return
		}
		mu.Lock()
		seen[pv.ParamIndex] = true
		if len(seen) == int(pv.ParamCount) {
			select {
			case all <- struct{}{}:
			default:
			}
		}
		mu.Unlock()
	})
	var base float64
	const baseRuns = 3
	for range baseRuns {
		mu.Lock()
		clear(seen)
		mu.Unlock()
		start := time.Now()
		if err := node.WriteMessageAll(&common.MessageParamRequestList{TargetSystem: 1, TargetComponent: 1}); err != nil {
			b.Fatal(err)
		}
		select {
		case <-all:
		case <-time.After(10 * time.Second):
			b.Fatal("bare node: parameter list incomplete after 10 s")
		}
		base += time.Since(start).Seconds() * 1000 / baseRuns
	}

	b.ReportMetric(ms, "ms/pull")
	b.ReportMetric(float64(n), "params")
	b.ReportMetric(float64(n)/ms*1000, "params/s")
	b.ReportMetric(base, "baseline-ms")
	b.ReportMetric(ms/base, "x-baseline")
}

// fleetFigures are BenchmarkFleet100's results, measured once per process: the measurement
// takes half a minute and does not depend on b.N.
type fleetFigures struct {
	gcsCPUPct, gcsMsgs, baseCPUPct, baseMsgs, simCPUPct float64
}

var (
	fleetOnce   sync.Once
	fleetResult fleetFigures
)

const (
	fleetVehicles = 100
	fleetSims     = 4 // simulator processes, 25 copters each (see below)
	fleetWindow   = 8 * time.Second
)

// BenchmarkFleet100: CPU of the GCS for 100 simulated copters streaming 10 Hz telemetry
// (goal < 10 % of one core). The copters run in separate `vigil sim` processes so this
// process's CPU time (getrusage) is the GCS's alone. Four processes of 25, because one
// simulator paces its output to 4,000 frames/s and 100 copters at 10 Hz send ≈ 6,000.
// The baseline is the same traffic received by bare gomavlib Nodes (one per link, as the client
// has) that do nothing with it, measured over an equal window after the client is closed.
//
// It runs once whatever b.N is; later calls report the same figures.
func BenchmarkFleet100(b *testing.B) {
	fleetOnce.Do(func() { fleetResult = measureFleet(b) })
	f := fleetResult
	b.ReportMetric(f.gcsCPUPct, "gcs-cpu-%")
	b.ReportMetric(f.gcsMsgs, "msgs/s")
	b.ReportMetric(f.baseCPUPct, "baseline-cpu-%")
	b.ReportMetric(f.baseMsgs, "baseline-msgs/s")
	b.ReportMetric(f.gcsCPUPct/f.baseCPUPct, "x-baseline")
	// CPU per message, since the two windows see slightly different traffic (the client's
	// TIMESYNC requests are answered by every vehicle, for one).
	perMsg, basePerMsg := f.gcsCPUPct/f.gcsMsgs, f.baseCPUPct/f.baseMsgs
	b.ReportMetric(perMsg*1e4, "cpu-us/msg")
	b.ReportMetric(basePerMsg*1e4, "baseline-cpu-us/msg")
	b.ReportMetric(perMsg/basePerMsg, "x-baseline-per-msg")
	b.ReportMetric(f.simCPUPct, "sim-cpu-%")
}

func measureFleet(b *testing.B) fleetFigures {
	var ports []int
	var sims []*exec.Cmd
	per := fleetVehicles / fleetSims
	for i := range fleetSims {
		port := benchPort(b)
		cmd := exec.Command(vigilBinary, "sim", "--copter", strconv.Itoa(per), "--sysid", strconv.Itoa(1+i*per),
			"--gps-delay=-1s", "--mavlink", fmt.Sprintf("tcpin://127.0.0.1:%d", port))
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			cmd.Process.Signal(os.Interrupt) //nolint:errcheck // it may have exited
			cmd.Wait()                       //nolint:errcheck // interrupted on purpose
		})
		if !bufio.NewScanner(out).Scan() { // "vigil sim: … serving …" once listening
			b.Fatalf("simulator %d did not start", i)
		}
		go func() { // keep draining its output
			s := bufio.NewScanner(out)
			for s.Scan() {
			}
		}()
		ports = append(ports, port)
		sims = append(sims, cmd)
	}

	simCPU := func() time.Duration {
		var t time.Duration
		for _, s := range sims {
			t += procCPU(b, s.Process.Pid)
		}
		return t
	}
	var f fleetFigures

	// Vigil: discover all 100, let every stream start, then measure.
	c := &mavlink.Client{TelemetryHz: 10}
	for _, p := range ports {
		conn, _ := mavlink.ParseConnection(fmt.Sprintf("tcp://127.0.0.1:%d", p))
		c.Connections = append(c.Connections, conn)
	}
	if err := c.Initialize(); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		ready := 0
		for _, v := range c.Fleet.Vehicles() {
			if v.Connected && v.PositionValid && v.Gimbal != nil {
				ready++
			}
		}
		if ready == fleetVehicles {
			break
		}
		if time.Now().After(deadline) {
			c.Close()
			b.Fatalf("only %d of %d vehicles discovered and streaming in 20 s", ready, fleetVehicles)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // the introductions' requests settle
	packets := func() uint64 {
		var n uint64
		for _, l := range c.Links() {
			n += l.Stats.Packets
		}
		return n
	}
	p0, cpu0, sim0, t0 := packets(), selfCPU(), simCPU(), time.Now()
	time.Sleep(fleetWindow)
	p1, cpu1, sim1, t1 := packets(), selfCPU(), simCPU(), time.Now()
	wall := t1.Sub(t0)
	f.gcsCPUPct = 100 * (cpu1 - cpu0).Seconds() / wall.Seconds()
	f.gcsMsgs = float64(p1-p0) / wall.Seconds()
	f.simCPUPct = 100 * (sim1 - sim0).Seconds() / wall.Seconds()
	for _, v := range c.Fleet.Vehicles() {
		if !v.Connected {
			b.Errorf("vehicle %d lost during the measurement", v.SysID)
		}
	}
	c.Close()

	// Baseline: bare nodes on the same links; the simulators keep streaming at the rates asked.
	var frames atomic.Uint64
	for _, p := range ports {
		bareNode(b, p, func(*gomavlib.EventFrame) { frames.Add(1) })
	}
	time.Sleep(2 * time.Second)
	n0, cpu0, t0 := frames.Load(), selfCPU(), time.Now()
	time.Sleep(fleetWindow)
	n1, cpu1, t1 := frames.Load(), selfCPU(), time.Now()
	wall = t1.Sub(t0)
	f.baseCPUPct = 100 * (cpu1 - cpu0).Seconds() / wall.Seconds()
	f.baseMsgs = float64(n1-n0) / wall.Seconds()
	return f
}

// selfCPU is this process's user + system CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is another process's user + system CPU time, from /proc (clock ticks of 10 ms).
func procCPU(b *testing.B, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name, which is in parentheses: state is field 3, utime 14, stime 15.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}
