package mavlink

// Benchmarks for docs/BENCHMARKS.md, goal 1: MAVLink messages decoded into vehicle state per
// second per core (goal ≥ 200,000). Run with -cpu 1:
//
//	go test -run '^$' -bench . -cpu 1 ./mavlink/
//
// Both benchmarks read the same bytes: a realistic telemetry mix written with gomavlib's
// frame writer. BenchmarkTelemetryDecode is the baseline (gomavlib frame reader and the
// ardupilotmega dialect, nothing else); BenchmarkTelemetryIntoFleet adds Vigil's per-frame
// path (Client.onFrame: discovery, sequence counting, applyTelemetry into gcs.Fleet and its
// pose histories, publishing to exchanges) and measures the baseline again in the same run, so
// the ratio it reports does not depend on how fast the machine happens to be today.

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialect"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/bluenviron/gomavlib/v3/pkg/streamwriter"

	"github.com/vigil-gcs/vigil/gcs"
)

const (
	// benchVehicles share the stream, as on a link carrying a small fleet.
	benchVehicles = 10
	// benchSeconds of telemetry per vehicle are encoded; the first benchWarmSeconds are fed
	// to the fleet untimed so the pose histories (120 s) are full and trimming, as in flight.
	benchSeconds     = 240
	benchWarmSeconds = 120
)

// telemetryMix is one second of what ArduCopter sends a GCS that asked for 10 Hz position and
// attitude (the rates Client.introduce requests): message id → per second.
var telemetryMix = []struct {
	id   uint32
	comp uint8
	hz   int
}{
	{0, 1, 1},      // HEARTBEAT
	{33, 1, 10},    // GLOBAL_POSITION_INT (POSITION stream)
	{30, 1, 10},    // ATTITUDE (EXTRA1)
	{285, 154, 10}, // GIMBAL_DEVICE_ATTITUDE_STATUS (EXTRA1, from the gimbal)
	{74, 1, 4},     // VFR_HUD (EXTRA2)
	{1, 1, 2},      // SYS_STATUS (EXTENDED_STATUS)
	{24, 1, 2},     // GPS_RAW_INT
	{42, 1, 2},     // MISSION_CURRENT
	{147, 1, 2},    // BATTERY_STATUS (EXTRA3)
	{193, 1, 2},    // EKF_STATUS_REPORT
	{2, 1, 2},      // SYSTEM_TIME
}

// benchStream is the encoded telemetry and the arrival time of each frame.
type benchStream struct {
	data     []byte
	frames   int
	warm     int // frames in the warm-up part
	perSec   int // frames per second of telemetry, all vehicles
	start    time.Time
	interval time.Duration // between consecutive frames
}

var benchStreamCache *benchStream

// telemetryStream encodes benchSeconds of the mix for benchVehicles vehicles, interleaved
// by time as a link carries them.
func telemetryStream(b *testing.B) *benchStream {
	if benchStreamCache != nil {
		return benchStreamCache
	}
	rw := &dialect.ReadWriter{Dialect: ardupilotmega.Dialect}
	if err := rw.Initialize(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	fw := &frame.Writer{ByteWriter: &buf, DialectRW: rw}
	if err := fw.Initialize(); err != nil {
		b.Fatal(err)
	}
	writers := make(map[[2]uint8]*streamwriter.Writer)
	writerOf := func(sys, comp uint8) *streamwriter.Writer {
		k := [2]uint8{sys, comp}
		if w := writers[k]; w != nil {
			return w
		}
		w := &streamwriter.Writer{FrameWriter: fw, Version: streamwriter.V2, SystemID: sys, ComponentID: comp}
		if err := w.Initialize(); err != nil {
			b.Fatal(err)
		}
		writers[k] = w
		return w
	}

	// Within one second, message k of a stream at hz goes out at slot k*100/hz of 100 slots.
	const slots = 100
	s := &benchStream{start: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	for sec := range benchSeconds {
		if sec == benchWarmSeconds {
			s.warm = s.frames
		}
		for slot := range slots {
			for v := range benchVehicles {
				sys := uint8(v + 1)
				for _, m := range telemetryMix {
					if slot*m.hz%slots >= m.hz { // true for hz slots out of 100, evenly spread
						continue
					}
					bootMs := uint32(sec*1000 + slot*10 + 30000 + v*7)
					if err := writerOf(sys, m.comp).Write(telemetryMessage(m.id, v, bootMs)); err != nil {
						b.Fatal(err)
					}
					s.frames++
				}
			}
		}
	}
	s.perSec = s.frames / benchSeconds
	s.interval = time.Second / time.Duration(s.perSec)
	s.data = buf.Bytes()
	benchStreamCache = s
	return s
}

// telemetryMessage fills message id for vehicle v at bootMs with plausible, changing values.
func telemetryMessage(id uint32, v int, bootMs uint32) message.Message {
	t := float64(bootMs) / 1000
	lat := int32((-35.363261 + 0.0001*math.Sin(t/20) + 0.0002*float64(v)) * 1e7)
	lon := int32((149.165230 + 0.0001*math.Cos(t/20)) * 1e7)
	switch id {
	case 0:
		return &common.MessageHeartbeat{Type: 2, Autopilot: 3, BaseMode: 128 | 89, CustomMode: 4, SystemStatus: 4, MavlinkVersion: 3}
	case 33:
		return &common.MessageGlobalPositionInt{TimeBootMs: bootMs, Lat: lat, Lon: lon, Alt: 614000, RelativeAlt: 30000,
			Vx: int16(500 * math.Cos(t/20)), Vy: int16(-500 * math.Sin(t/20)), Vz: 3, Hdg: uint16(int(t*100) % 36000)}
	case 30:
		return &common.MessageAttitude{TimeBootMs: bootMs, Roll: float32(0.05 * math.Sin(t)), Pitch: float32(-0.08 * math.Cos(t)),
			Yaw: float32(math.Mod(t/20, 2*math.Pi) - math.Pi), Rollspeed: 0.01, Pitchspeed: -0.02, Yawspeed: 0.05}
	case 285:
		return &common.MessageGimbalDeviceAttitudeStatus{TimeBootMs: bootMs, Flags: 4 | 8 | 16,
			Q: [4]float32{0.92, 0.01, -0.38, 0.02}, AngularVelocityX: float32(math.NaN()), AngularVelocityY: float32(math.NaN()),
			AngularVelocityZ: float32(math.NaN()), DeltaYaw: float32(math.NaN()), DeltaYawVelocity: float32(math.NaN())}
	case 74:
		return &common.MessageVfrHud{Airspeed: 5, Groundspeed: 5.02, Heading: int16(int(t) % 360), Throttle: 48, Alt: 614, Climb: 0.03}
	case 1:
		return &common.MessageSysStatus{OnboardControlSensorsPresent: 0x1320fc2f | sensorPrearmCheck,
			OnboardControlSensorsEnabled: 0x1320fc2f, OnboardControlSensorsHealth: 0x1320fc2f | sensorPrearmCheck,
			Load: 212, VoltageBattery: uint16(16800 - bootMs/1000), CurrentBattery: 1530, BatteryRemaining: 87}
	case 24:
		return &common.MessageGpsRawInt{TimeUsec: uint64(bootMs) * 1000, FixType: 3, Lat: lat, Lon: lon, Alt: 614000,
			Eph: 121, Epv: 200, Vel: 502, Cog: uint16(int(t*100) % 36000), SatellitesVisible: 10}
	case 42:
		return &common.MessageMissionCurrent{Seq: 3, Total: 12, MissionState: 3}
	case 147:
		return &common.MessageBatteryStatus{Temperature: math.MaxInt16,
			Voltages:       [10]uint16{uint16(16800 - bootMs/1000), 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535},
			CurrentBattery: 1530, CurrentConsumed: int32(bootMs / 2400), EnergyConsumed: -1, BatteryRemaining: 87}
	case 193:
		return &ardupilotmega.MessageEkfStatusReport{Flags: 0x3ff &^ ekfUninitialized, VelocityVariance: 0.02,
			PosHorizVariance: 0.01, PosVertVariance: 0.02, CompassVariance: 0.03}
	case 2:
		return &common.MessageSystemTime{TimeUnixUsec: 1795_000_000_000_000 + uint64(bootMs)*1000, TimeBootMs: bootMs}
	}
	panic("no such message in the mix")
}

func newBenchReader(b *testing.B, data []byte) *frame.Reader {
	rw := &dialect.ReadWriter{Dialect: ardupilotmega.Dialect}
	if err := rw.Initialize(); err != nil {
		b.Fatal(err)
	}
	r := &frame.Reader{ByteReader: bytes.NewReader(data), DialectRW: rw}
	if err := r.Initialize(); err != nil {
		b.Fatal(err)
	}
	return r
}

// newBenchClient is a Client as Initialize leaves it, without sockets: TelemetryHz < 0 so a
// newly found vehicle is not sent stream requests, and a clock the benchmark sets per frame.
func newBenchClient(now *time.Time) (*Client, *link) {
	c := &Client{SystemID: 255, ComponentID: 190, Fleet: &gcs.Fleet{}, LostTimeout: 3500 * time.Millisecond, TelemetryHz: -1}
	c.timeNow = func() time.Time { return *now }
	c.routes = make(map[uint8]route)
	c.subs = make(map[uint8]map[*subscription]struct{})
	c.clocks = make(map[uint8]*bootClock)
	c.watchdogs = make(map[uint8]*vehicleWatch)
	l := &link{client: c, conn: Connection{Scheme: SchemeTCP, Address: "127.0.0.1:5760"}, seqs: make(map[[2]uint8]uint8)}
	return c, l
}

// decoder is the baseline's reader: it decodes frames from the stream, starting over at
// its end, and does nothing else with them.
type decoder struct {
	b *testing.B
	s *benchStream
	r *frame.Reader
}

// run decodes n frames and returns how long that took.
func (d *decoder) run(n int) time.Duration {
	start := time.Now()
	for range n {
		if d.r == nil {
			d.r = newBenchReader(d.b, d.s.data)
		}
		f, err := d.r.Read()
		if errors.Is(err, io.EOF) {
			d.r = newBenchReader(d.b, d.s.data)
			f, err = d.r.Read()
		}
		if err != nil {
			d.b.Fatal(err)
		}
		if f.GetMessage() == nil {
			d.b.Fatal("no message")
		}
	}
	return time.Since(start)
}

// BenchmarkTelemetryDecode is the baseline: gomavlib's frame reader with the ardupilotmega
// dialect over the telemetry mix, one op per message.
func BenchmarkTelemetryDecode(b *testing.B) {
	s := telemetryStream(b)
	r := newBenchReader(b, s.data)
	b.SetBytes(int64(len(s.data) / s.frames))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f, err := r.Read()
		if errors.Is(err, io.EOF) {
			b.StopTimer()
			r = newBenchReader(b, s.data)
			b.StartTimer()
			f, err = r.Read()
		}
		if err != nil {
			b.Fatal(err)
		}
		if f.GetMessage() == nil {
			b.Fatal("no message")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkTelemetryIntoFleet decodes the same mix and runs every frame through the client's
// receive path (link.count, Client.onFrame) into a gcs.Fleet, one op per message. Every
// baselineChunk messages it pauses the timer and decodes as many with the decode-only
// baseline, so both see the same machine load; it reports both rates and their ratio.
func BenchmarkTelemetryIntoFleet(b *testing.B) {
	s := telemetryStream(b)
	var now time.Time
	var c *Client
	var l *link
	var r *frame.Reader
	i := 0 // frame index in the stream, for its arrival time
	feed := func() {
		f, err := r.Read()
		if err != nil {
			b.Fatal(err)
		}
		now = s.start.Add(time.Duration(i) * s.interval)
		i++
		e := &gomavlib.EventFrame{Frame: f} // Channel nil: the route keeps it, nothing writes
		l.count(e.SystemID(), e.ComponentID(), f.GetSequenceNumber())
		c.onFrame(l, e)
	}
	// restart gives a fresh client and fleet, warmed with the first part of the stream.
	restart := func() {
		c, l = newBenchClient(&now)
		r = newBenchReader(b, s.data)
		i = 0
		for range s.warm {
			feed()
		}
	}
	restart()
	// The subscribers an exchange would hold are not there: publishing to none is the usual case.
	b.SetBytes(int64(len(s.data) / s.frames))
	b.ReportAllocs()
	const baselineChunk = 8192
	base := &decoder{b: b, s: s}
	var baseTime time.Duration
	b.ResetTimer()
	for k := range b.N {
		if i == s.frames {
			b.StopTimer()
			restart()
			b.StartTimer()
		}
		feed()
		if (k+1)%baselineChunk == 0 {
			b.StopTimer()
			baseTime += base.run(baselineChunk)
			b.StartTimer()
		}
	}
	b.StopTimer()
	baseTime += base.run(b.N % baselineChunk)
	ours := float64(b.N) / b.Elapsed().Seconds()
	baseRate := float64(b.N) / baseTime.Seconds()

	if v, ok := c.Fleet.Vehicle(benchVehicles); !ok || !v.PositionValid || !v.Connected || v.Stats.Packets == 0 {
		b.Fatalf("vehicle %d not in the fleet with a position: %+v", benchVehicles, v)
	}
	if c.Fleet.Poses(1).Len() == 0 {
		b.Fatal("no pose history")
	}

	b.ReportMetric(ours, "msgs/s")
	b.ReportMetric(baseRate, "baseline-msgs/s")
	b.ReportMetric(ours/baseRate, "x-baseline")
}

// BenchmarkNodeReceiveTCP is gomavlib's own ceiling over loopback TCP, for comparison with
// REFERENCE.md (≈ 780 k msgs/s): a Node reading the telemetry mix as fast as a plain socket
// can write it, one op per message, nothing done with the messages.
func BenchmarkNodeReceiveTCP(b *testing.B) {
	s := telemetryStream(b)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			if _, err := conn.Write(s.data); err != nil {
				return // the node closed
			}
		}
	}()
	node := &gomavlib.Node{
		Endpoints:        []gomavlib.EndpointConf{gomavlib.EndpointTCPClient{Address: ln.Addr().String()}},
		Dialect:          ardupilotmega.Dialect,
		OutVersion:       gomavlib.V2,
		OutSystemID:      255,
		HeartbeatDisable: true,
	}
	if err := node.Initialize(); err != nil {
		b.Fatal(err)
	}
	defer node.Close()
	b.ResetTimer()
	n := 0
	for evt := range node.Events() {
		if _, ok := evt.(*gomavlib.EventFrame); ok {
			if n++; n == b.N {
				break
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
