package test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
	"github.com/vigil-gcs/vigil/mavlink/sitl"
)

// The simulated aerostat's defaults (sitl.AerostatConfig), for the blow-down model.
const (
	aerostatLiftN   = 600
	aerostatTetherW = 0.5 // N/m
	aerostatCdA     = 4   // m²
)

// startAerostat serves one simulated aerostat (system id 1) and returns its model for
// fault injection, with a station connected to it.
func startAerostat(t *testing.T, speedup float64, conf sitl.AerostatConfig) (*sitl.Aerostat, *mavlink.Client) {
	t.Helper()
	return startAerostatWith(t, speedup, conf, nil)
}

// startAerostatWith is startAerostat with a station that sees every frame it receives.
func startAerostatWith(t *testing.T, speedup float64, conf sitl.AerostatConfig, onFrame func(time.Time, frame.Frame)) (*sitl.Aerostat, *mavlink.Client) {
	t.Helper()
	port := freePort(t)
	conf.Home = home
	model := sitl.NewAerostat(conf)
	conn, err := mavlink.ParseConnection(fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	require.NoError(t, err)
	s := &sitl.Sim{Speedup: speedup, Endpoints: []gomavlib.EndpointConf{conn.Endpoint()},
		Vehicles: []sitl.SimVehicle{{SysID: 1, Model: model}}}
	require.NoError(t, s.Initialize())
	t.Cleanup(s.Close)
	conn, err = mavlink.ParseConnection(fmt.Sprintf("tcp://127.0.0.1:%d", port))
	require.NoError(t, err)
	c := &mavlink.Client{Connections: []mavlink.Connection{conn}, OnFrame: onFrame}
	require.NoError(t, c.Initialize())
	t.Cleanup(c.Close)
	waitVehicle(t, c, 1)
	eventually(t, 10*time.Second, "winch status", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return v.Winch != nil && v.Wind != nil && v.TetherPower != nil, "no winch, wind or tether power yet"
	})
	return model, c
}

// blowDownHeightM is the model's height for a line in a wind (sitl/aerostat_tether.go).
func blowDownHeightM(lineM, windMps float64) float64 {
	d := 0.5 * 1.225 * aerostatCdA * windMps * windMps
	return lineM * math.Cos(math.Atan2(d, aerostatLiftN-aerostatTetherW*lineM/2))
}

func winchText(v gcs.Vehicle) string {
	if v.Winch == nil {
		return "no winch"
	}
	w := v.Winch
	return fmt.Sprintf("line %.1f m at %.2f m/s, %.1f kg, %.0f A, %s; alt %.1f m", w.LineLengthM, w.SpeedMps, w.TensionKg, w.CurrentA, w.Status, v.Position.AltRelM)
}

func alertKinds(alerts []gcs.AerostatAlert) []gcs.AlertKind {
	var k []gcs.AlertKind
	for _, a := range alerts {
		k = append(k, a.Kind)
	}
	return k
}

// Deploy to 150 m in a 6 m/s west wind: the winch stops at 150 m, the balloon stands at
// the height the blow-down model gives for the wind (between calm and the strongest gust),
// downwind (east) of the winch on a taut line; then it retrieves to fully retracted.
func TestAerostatDeployAndRetrieve(t *testing.T) {
	_, c := startAerostat(t, 30, sitl.AerostatConfig{WindMps: 6, WindFromDeg: 270, Seed: 3})
	ctx := ctxT(t, time.Minute)
	v, _ := c.Fleet.Vehicle(1)
	require.Equal(t, gcs.VehicleAirship, v.Type)
	require.Equal(t, "LOITER", v.Mode)
	require.True(t, v.Winch.Status.Has(gcs.WinchFullyRetracted), winchText(v))
	require.Equal(t, uint8(mavlink.WinchComponentID), v.Winch.CompID)

	reply, err := c.Winch(ctx, 1, gcs.WinchCommand{Kind: gcs.WinchToLength, LengthM: 150}, gcs.TetherLimits{})
	require.NoError(t, err)
	require.Equal(t, gcs.CommandAccepted, reply.Result)
	eventually(t, 20*time.Second, "line out to 150 m and stopped", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		return math.Abs(v.Winch.LineLengthM-150) < 0.1 && !v.Winch.Status.Has(gcs.WinchMoving), winchText(v)
	})
	time.Sleep(time.Second) // 30 s simulated: the balloon settles on its line

	// Gusts reach ±30 % of 6 m/s per axis, so at most √(7.8² + 1.8²) = 8 m/s.
	hiM, loM := blowDownHeightM(150, 0), blowDownHeightM(150, 8.1)
	var limits gcs.AerostatLimits
	for range 10 {
		v, _ = c.Fleet.Vehicle(1)
		alt := v.Position.AltRelM
		require.True(t, alt >= loM-0.5 && alt <= hiM+0.1, "altitude %.1f m outside the blow-down band %.1f-%.1f m", alt, loM, hiM)
		n, e := gcs.NorthEastM(home.Point, v.Position.Point)
		require.InDelta(t, 150, math.Sqrt(n*n+e*e+alt*alt), 0.5, "the line is taut: the balloon is 150 m from the winch")
		require.Greater(t, e, 10.0, "leaning east, downwind")
		require.Less(t, math.Abs(n), e/2)
		require.Empty(t, limits.Check(v, time.Now()), winchText(v))
		time.Sleep(100 * time.Millisecond)
	}
	// The band is the model's, not a wide guess: the calm-air height is out of it.
	require.Less(t, hiM-loM, 6.0)
	t.Logf("at 150 m of line: %.1f m up (blow-down band %.1f-%.1f m), tension %.1f kg", v.Position.AltRelM, loM, hiM, v.Winch.TensionKg)

	_, err = c.Winch(ctx, 1, gcs.WinchCommand{Kind: gcs.WinchRetract}, gcs.TetherLimits{})
	require.NoError(t, err)
	eventually(t, 20*time.Second, "fully retracted", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		return v.Winch.Status.Has(gcs.WinchFullyRetracted) && v.Winch.LineLengthM == 0, winchText(v)
	})
	require.Less(t, v.Position.AltRelM, 0.5)
}

// A gust raises the tension over its limit and the wind over the deploy limit; the alerts
// clear when it passes.
func TestAerostatGustTensionAlert(t *testing.T) {
	model, c := startAerostat(t, 10, sitl.AerostatConfig{WindMps: 6, WindFromDeg: 270, LineM: 150})
	var mon gcs.AerostatMonitor
	v, _ := c.Fleet.Vehicle(1)
	raised, _ := mon.Update(v, time.Now())
	require.Empty(t, raised, winchText(v))

	model.InjectGust(12, 30*time.Second) // 18 m/s: √(794² + 525²) N ≈ 97 kg
	var tension *gcs.AerostatAlert
	eventually(t, 5*time.Second, "tension alert", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		r, _ := mon.Update(v, time.Now())
		for _, a := range r {
			if a.Kind == gcs.AlertTensionHigh || a.Kind == gcs.AlertTensionCritical {
				tension = &a
			}
		}
		return tension != nil, winchText(v)
	})
	require.Contains(t, tension.Text, "tether tension")
	require.Contains(t, alertKinds(mon.Active(1)), gcs.AlertWindOverLimit)
	t.Logf("%s", tension)

	eventually(t, 15*time.Second, "alerts cleared after the gust", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		mon.Update(v, time.Now())
		return len(mon.Active(1)) == 0, fmt.Sprint(mon.Active(1))
	})
}

// A stalled winch raises a clear alarm (and says so itself); freed, the alarm clears and the
// line moves on.
func TestAerostatWinchStallAlarm(t *testing.T) {
	model, c := startAerostat(t, 5, sitl.AerostatConfig{LineM: 100})
	ctx := ctxT(t, 30*time.Second)
	var mon gcs.AerostatMonitor
	model.InjectWinchStall(true)
	_, err := c.Winch(ctx, 1, gcs.WinchCommand{Kind: gcs.WinchToLength, LengthM: 60}, gcs.TetherLimits{})
	require.NoError(t, err, "the winch accepts, then cannot turn")

	var stall gcs.AerostatAlert
	eventually(t, 5*time.Second, "winch stall alarm", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		r, _ := mon.Update(v, time.Now())
		for _, a := range r {
			if a.Kind == gcs.AlertWinchStall {
				stall = a
				return true, ""
			}
		}
		return false, winchText(v)
	})
	require.Equal(t, gcs.SeverityCritical, stall.Severity)
	require.Equal(t, "winch stalled: motor drawing 45 A with the line not moving at 100 m (unhealthy, clutch engaged)", stall.Text)
	eventually(t, 3*time.Second, "the winch's own STATUSTEXT", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return slices.ContainsFunc(v.StatusTexts, func(s gcs.StatusText) bool { return s.Text == "Winch: motor stalled at 100.0 m" }), fmt.Sprint(v.StatusTexts)
	})

	model.InjectWinchStall(false)
	eventually(t, 5*time.Second, "stall cleared, line moving in", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		_, cleared := mon.Update(v, time.Now())
		if slices.ContainsFunc(cleared, func(a gcs.AerostatAlert) bool { return a.Kind == gcs.AlertWinchStall }) {
			return v.Winch.LineLengthM < 100, winchText(v)
		}
		return false, winchText(v)
	})
}

// A leak makes the balloon sink with its line on the ground (payout not matching altitude);
// cutting the tether power leaves it on its battery. Both raise their alarms.
func TestAerostatLeakAndPowerLossAlerts(t *testing.T) {
	model, c := startAerostat(t, 20, sitl.AerostatConfig{LineM: 150})
	var mon gcs.AerostatMonitor
	v, _ := c.Fleet.Vehicle(1)
	raised, _ := mon.Update(v, time.Now())
	require.Empty(t, raised, winchText(v))

	model.InjectTetherPowerLoss(true)
	model.InjectLeak(0.9) // 90 % of the lift a minute: in a minute it carries only 120 m of line
	want := map[gcs.AlertKind]string{}
	eventually(t, 10*time.Second, "payout and tether power alerts", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		r, _ := mon.Update(v, time.Now())
		for _, a := range r {
			want[a.Kind] = a.Text
		}
		return want[gcs.AlertPayoutMismatch] != "" && want[gcs.AlertTetherPowerLost] != "", fmt.Sprint(want, " ", winchText(v))
	})
	require.Contains(t, want[gcs.AlertPayoutMismatch], "line out 150 m but the aerostat is only")
	require.Contains(t, want[gcs.AlertTetherPowerLost], "tether power lost (0 V): the aerostat runs on its battery")
}

// The stare holds the image centre within 10 m of its point while the balloon drifts in an
// 8 m/s wind, through a gust that swings it downwind; measured with the geotag maths on
// the pose and gimbal attitude the station receives, which are the simulator's truth.
func TestAerostatStareHoldsThePoint(t *testing.T) {
	cam := &gcs.CameraInfo{VideoURI: "rtsp://127.0.0.1:8554/aerostat", VideoHFOVDeg: 60, VideoResolutionH: 1280, VideoResolutionV: 720}
	model, c := startAerostat(t, 1, sitl.AerostatConfig{WindMps: 8, WindFromDeg: 270, LineM: 150, Camera: cam, Seed: 7})
	camera, err := gcs.CameraFromInfo(*cam)
	require.NoError(t, err)
	ground := gcs.FlatGround{AltMSLM: home.AltMSLM}
	target := gcs.Position{Point: gcs.OffsetNE(home.Point, 120, 60), AltMSLM: home.AltMSLM}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var sent atomic.Int32
	r := &gcs.GimbalRunner{SysID: 1, Pointer: c, Poses: c.Fleet.Poses(1), Period: time.Second,
		Aimer: gcs.Stare{Target: target, Lead: 500 * time.Millisecond},
		OnAim: func(_ gcs.GimbalAim, err error) {
			if err == nil {
				sent.Add(1)
			}
		}}
	wg.Add(1)
	go func() {
		defer wg.Done()
		require.NoError(t, r.Run(ctx))
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })

	miss := func() (float64, gcs.Pose, error) {
		v, _ := c.Fleet.Vehicle(1)
		pose, ok := c.Fleet.Poses(1).Latest()
		if !ok || v.Gimbal == nil {
			return 0, pose, errors.New("no pose or gimbal")
		}
		hit, err := gcs.Geotag(pose, *v.Gimbal, camera, 640, 360, ground)
		if err != nil {
			return 0, pose, err
		}
		return gcs.DistanceM(hit.Point, target.Point), pose, nil
	}
	eventually(t, 5*time.Second, "centre on the point", func() (bool, string) {
		m, _, err := miss()
		if err != nil {
			return false, err.Error()
		}
		return m < 10, fmt.Sprintf("%.1f m off", m)
	})

	model.InjectGust(4, 5*time.Second) // 12 m/s for 5 s: the balloon swings ~20 m east and back
	var worst, minE, maxE float64
	minE = math.Inf(1)
	for end := time.Now().Add(11 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		m, pose, err := miss()
		require.NoError(t, err)
		worst = max(worst, m)
		_, e := gcs.NorthEastM(home.Point, pose.Position.Point)
		minE, maxE = min(minE, e), max(maxE, e)
	}
	t.Logf("stare: worst %.1f m off the point while the balloon drifted %.1f m east-west; %d commands", worst, maxE-minE, sent.Load())
	require.Greater(t, maxE-minE, 10.0, "the balloon did drift")
	require.Less(t, worst, 10.0)
	require.GreaterOrEqual(t, int(sent.Load()), 11, "one command a second")
}

// A sector scan sweeps its whole sector once every period at its depression.
func TestAerostatScanCoversSector(t *testing.T) {
	_, c := startAerostat(t, 1, sitl.AerostatConfig{WindMps: 4, LineM: 120})
	scan := gcs.SectorScan{FromDeg: 340, ToDeg: 60, DepressionDeg: 25, Period: 2 * time.Second,
		Start: time.Now(), Step: 200 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	r := &gcs.GimbalRunner{SysID: 1, Pointer: c, Poses: c.Fleet.Poses(1), Aimer: scan, Period: 200 * time.Millisecond}
	wg.Add(1)
	go func() {
		defer wg.Done()
		require.NoError(t, r.Run(ctx))
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })

	// Record the gimbal for two passes after the first (which starts from wherever the
	// gimbal was), then check each pass. Pass k runs from Start + k·Period to the next; the
	// gimbal follows its commands a little late (acknowledgement, telemetry and slew),
	// hence the margins.
	type sample struct {
		at     time.Time
		offDeg float64 // clockwise from 340°
	}
	var samples []sample
	for end := scan.Start.Add(3*scan.Period + 500*time.Millisecond); time.Now().Before(end); time.Sleep(40 * time.Millisecond) {
		v, _ := c.Fleet.Vehicle(1)
		require.NotNil(t, v.Gimbal)
		if time.Since(scan.Start) < scan.Period {
			continue
		}
		require.True(t, v.Gimbal.EarthFrame)
		require.InDelta(t, -25, v.Gimbal.PitchRad*180/math.Pi, 0.5)
		off := math.Mod(v.Gimbal.YawRad*180/math.Pi-340+720, 360)
		if off > 200 {
			off -= 360 // just anticlockwise of 340°
		}
		samples = append(samples, sample{time.Now(), off})
	}
	for pass := 1; pass <= 2; pass++ {
		from := scan.Start.Add(time.Duration(pass)*scan.Period - 100*time.Millisecond)
		to := from.Add(scan.Period + 500*time.Millisecond)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range samples {
			if !s.at.Before(from) && s.at.Before(to) {
				lo, hi = min(lo, s.offDeg), max(hi, s.offDeg)
			}
		}
		t.Logf("pass %d covered %.1f° to %.1f°", pass, math.Mod(340+lo+360, 360), math.Mod(340+hi, 360))
		require.Less(t, lo, 1.0, "pass %d reached the 340° edge", pass)
		require.Greater(t, hi, 79.0, "pass %d reached the 60° edge", pass)
		require.Greater(t, lo, -1.0, "and did not overshoot it")
		require.Less(t, hi, 81.0)
	}
}

// Bad commands are refused with a reason before anything is sent: the simulator, which
// answers every command it receives, never acknowledges them.
func TestAerostatBadCommandsRefusedBeforeSending(t *testing.T) {
	var winchAcks atomic.Int32
	_, c := startAerostatWith(t, 1, sitl.AerostatConfig{LineM: 100}, func(_ time.Time, f frame.Frame) {
		if a, ok := f.GetMessage().(*common.MessageCommandAck); ok && a.Command == 42600 {
			winchAcks.Add(1)
		}
	})
	ctx := ctxT(t, 10*time.Second)
	for _, tc := range []struct {
		cmd  gcs.WinchCommand
		text string
	}{
		{gcs.WinchCommand{Kind: gcs.WinchToLength, LengthM: 350}, "vehicle 1: winch command refused: length 350 m is beyond the 300 m tether"},
		{gcs.WinchCommand{Kind: gcs.WinchAtRate, RateMps: -2.5}, "vehicle 1: winch command refused: rate 2.5 m/s is over the winch's 2 m/s limit"},
	} {
		_, err := c.Winch(ctx, 1, tc.cmd, gcs.TetherLimits{})
		require.EqualError(t, err, tc.text)
		require.True(t, errors.Is(err, gcs.ErrWinchCommandInvalid))
	}
	pose, ok := c.Fleet.Poses(1).Latest()
	require.True(t, ok)
	above := gcs.Stare{Target: gcs.Position{Point: gcs.OffsetNE(home.Point, 400, 0), AltMSLM: home.AltMSLM + 300}}
	_, err := above.Aim(time.Now(), pose)
	require.ErrorIs(t, err, gcs.ErrAboveHorizon)
	require.True(t, strings.HasPrefix(err.Error(), "the camera cannot see it: ray above the horizon: the point is 2"), err.Error())

	// A good command in the same session is acknowledged: the counter works.
	_, err = c.Winch(ctx, 1, gcs.WinchCommand{Kind: gcs.WinchHold}, gcs.TetherLimits{})
	require.NoError(t, err)
	require.Equal(t, int32(1), winchAcks.Load(), "only the good command reached the winch")
}

// The aerostat from the command line: a simulator in its own process, winch commands with
// honest exit codes, the tether in `vigil vehicles`, stare and scan.
func TestAerostatCommandLine(t *testing.T) {
	port, rtspPort := freePort(t), freePort(t)
	link := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	// Not RTSP's usual 8554: the vision package's interop test runs gortsplib's example
	// server there, and `go test ./...` runs packages side by side.
	sim := exec.Command(vigilBinary, "sim", "--aerostat", "1", "--wind", "6", "--speedup", "20",
		"--mavlink", fmt.Sprintf("tcpin://127.0.0.1:%d", port), "--camera", fmt.Sprintf("rtsp://127.0.0.1:%d/aerostat", rtspPort))
	simLog, err := os.Create(filepath.Join(t.TempDir(), "sim.log")) // a file: no copying goroutine to race
	require.NoError(t, err)
	sim.Stdout, sim.Stderr = simLog, simLog
	require.NoError(t, sim.Start())
	t.Cleanup(func() { sim.Process.Kill(); sim.Wait() }) //nolint:errcheck
	// The simulator generates its camera's world before it speaks: on a busy machine that
	// takes longer than a command's 10 s wait for a vehicle.
	code, out := vigil(t, "vehicles", "--connect", link, "--wait", "60s")
	if code != 0 {
		said, _ := os.ReadFile(simLog.Name())
		t.Fatalf("%s\nthe simulator said: %s", out, said)
	}

	code, out = vigil(t, "cmd", "--connect", link, "winch", "length", "40", "--wait")
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "vehicle 1: winch length 40 m accepted")
	require.Contains(t, out, "vehicle 1: line at 40 m after")

	code, out = vigil(t, "vehicles", "--connect", link)
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "TETHER")
	require.Regexp(t, `LOITER .* line 40\.0 m, \d+ kg`, out)
	code, out = vigil(t, "vehicles", "--connect", link, "--json")
	require.Equal(t, 0, code, out)
	require.Contains(t, out, `"line_length_m":40`)
	require.Contains(t, out, `"tether_power":true`)

	for _, tc := range []struct {
		args []string
		code int
		text string
	}{
		{[]string{"winch", "length", "400"}, 1, "vehicle 1: winch command refused: length 400 m is beyond the 300 m tether"},
		{[]string{"winch", "rate", "3"}, 1, "vehicle 1: winch command refused: rate 3 m/s is over the winch's 2 m/s limit"},
		{[]string{"winch", "rate", "1.5", "--winch-rate-max", "1"}, 1, "rate 1.5 m/s is over the winch's 1 m/s limit"},
		{[]string{"winch", "spin"}, 2, "winch needs one of"},
		{[]string{"stare", "-35.3620", "149.1652", "500"}, 1, "stare at -35.362000, 149.165200 refused: the camera cannot see it: ray above the horizon"},
		{[]string{"scan", "0", "90", "--depression", "0"}, 2, "a depression of 0° looks at or above the horizon"},
		{[]string{"stare", "-35.3620", "149.1652", "0", "--duration", "1500ms"}, 0, "vehicle 1: staring at -35.362000, 149.165200"},
		{[]string{"scan", "300", "30", "--period", "2", "--duration", "1s"}, 0, "vehicle 1: scanning 300° to 30° at 20° down, 2s a pass"},
		{[]string{"patrol", "-35.3620", "149.1652", "0", "-35.3640", "149.1660", "0", "--dwell", "1s", "--duration", "1500ms"}, 0,
			"vehicle 1: patrolling 2 points, 1s each"},
		{[]string{"patrol", "-35.3620", "149.1652", "0", "-35.3620", "149.1652", "900"}, 1,
			"stare patrol refused: point 2 of 2: the camera cannot see it"},
		{[]string{"winch", "altitude", "60", "--wait"}, 0, "vehicle 1: line at 6"},
		{[]string{"winch", "hold"}, 0, "vehicle 1: winch hold accepted"},
		{[]string{"winch", "lock"}, 0, "vehicle 1: winch lock accepted"},
		{[]string{"winch", "retract", "--wait"}, 0, "vehicle 1: line at 0 m after"},
	} {
		code, out = vigil(t, append([]string{"cmd", "--connect", link}, tc.args...)...)
		require.Equal(t, tc.code, code, "%v: %s", tc.args, out)
		require.Contains(t, out, tc.text, "%v", tc.args)
	}
}
