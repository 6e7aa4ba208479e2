package sitl

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// The blow-down model against numbers worked by hand (aerostat_tether.go's comment):
// L = 600 N, w = 0.5 N/m, CdA = 4 m², so D = ½·1.225·4·V² = 2.45·V².
func TestBlowDownHandWorked(t *testing.T) {
	cases := []struct {
		name                       string
		lineM, liftN, windMps      float64
		angleDeg, heightM, downM   float64
		tensionN, groundM, airLine float64
	}{
		// No wind: straight up, the winch holds the lift less the line's weight (600 − 75).
		{"calm", 150, 600, 0, 0, 150, 0, 525, 0, 150},
		// 10 m/s: D = 245 N, tan θ = 245 / (600 − 37.5), T = √(245² + 525²).
		{"10 m/s", 150, 600, 10, 23.5358, 137.5216, 59.8983, 579.3531, 0, 150},
		// 16 m/s: D = 627.2 N, tan θ = 627.2 / 562.5 = 1.115, θ = 48.1°.
		{"16 m/s gust", 150, 600, 16, 48.1129, 100.1498, 111.6692, 817.9272, 0, 150},
		// The whole tether out, calm: 600 − 150 N at the winch.
		{"300 m calm", 300, 600, 0, 0, 300, 0, 450, 0, 300},
		// Lift 50 N carries 100 m of line; 50 m lies on the ground downwind.
		{"lift lost", 150, 50, 0, 0, 100, 50, 0, 50, 100},
		{"no lift", 150, 0, 5, 90, 0, 150, 61.25, 150, 0},
		// The mooring holds it all: √(245² + 600²).
		{"on the mooring", 0, 600, 10, 22.2118, 0, 0, 648.0933, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := equilibrium(tc.lineM, tc.liftN, 0.5, dragN(4, tc.windMps))
			require.InDelta(t, tc.angleDeg, rad2deg(b.AngleRad), 1e-3)
			require.InDelta(t, tc.heightM, b.HeightM, 1e-3)
			require.InDelta(t, tc.downM, b.DownwindM, 1e-3)
			require.InDelta(t, tc.tensionN, b.TensionN, 1e-3)
			require.InDelta(t, tc.groundM, b.GroundM, 1e-9)
			require.InDelta(t, tc.airLine, b.AirborneM, 1e-9)
		})
	}
}

func newTestAerostat(conf AerostatConfig) *Aerostat {
	conf.Home = testHome
	if conf.LiftLossPerDay == 0 {
		conf.LiftLossPerDay = -1 // exact lift unless the test is about it
	}
	return NewAerostat(conf)
}

func stepAerostat(a *Aerostat, d time.Duration) {
	for range int(d / testStep) {
		a.Step(testStep)
	}
}

func winchCmd(action gcs.WinchAction, lengthM, rateMps float64) [7]float64 {
	return [7]float64{1, float64(action), lengthM, rateMps}
}

func aerostatTexts(a *Aerostat) []string {
	var out []string
	for _, s := range a.TakeStatusTexts() {
		out = append(out, s.Text)
	}
	return out
}

// Deploy to 150 m in calm air: the line runs at the rate limit, stops on the length and
// the balloon stands straight above the winch; then it retrieves to fully retracted.
func TestAerostatDeployAndRetrieve(t *testing.T) {
	a := newTestAerostat(AerostatConfig{})
	st := a.State()
	require.Equal(t, gcs.VehicleAirship, st.Type)
	require.True(t, st.Winch.Status.Has(gcs.WinchFullyRetracted|gcs.WinchHealthy))
	require.True(t, st.Landed)

	require.Equal(t, resultAccepted, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionRelativeLength, 150, 0), 0))
	stepAerostat(a, 10*time.Second)
	st = a.State()
	require.InDelta(t, 2, st.Winch.SpeedMps, 1e-6, "the rate limit once up to speed")
	require.True(t, st.Winch.Status.Has(gcs.WinchMoving))

	stepAerostat(a, 80*time.Second)
	st = a.State()
	require.InDelta(t, 150, st.Winch.LineLengthM, 0.05)
	require.Zero(t, st.Winch.SpeedMps)
	require.InDelta(t, 150, st.Position.AltRelM, 0.1)
	require.Less(t, distanceM(st.Position.Point, testHome.Point), 0.1)
	require.InDelta(t, 53.5, st.Winch.TensionKg, 0.1, "(600 − 0.5·150) N")
	// Holding 53.5 kg: 0.3 A + 0.25 A/kg.
	require.InDelta(t, 0.3+0.25*53.535, st.Winch.CurrentA, 0.01)
	require.False(t, st.Landed)

	require.Equal(t, resultAccepted, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionRetract, 0, 0), 0))
	stepAerostat(a, 5*time.Second)
	require.True(t, a.State().Winch.Status.Has(gcs.WinchRetracting))
	stepAerostat(a, 90*time.Second)
	st = a.State()
	require.True(t, st.Winch.Status.Has(gcs.WinchFullyRetracted), "%s", st.Winch.Status)
	require.False(t, st.Winch.Status.Has(gcs.WinchRetracting))
	require.Zero(t, st.Winch.LineLengthM)
	require.True(t, st.Landed)
}

// In a steady wind the balloon leans downwind and drops as the blow-down model says.
func TestAerostatLeansDownwind(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 150})
	a.InjectGust(10, time.Hour) // calm plus a 10 m/s "gust" from the south: a steady 10 m/s
	stepAerostat(a, 40*time.Second)
	st := a.State()
	require.InDelta(t, 137.52, st.Position.AltRelM, 0.05)
	n, e := a.frame.toNE(st.Position.Point)
	require.InDelta(t, 59.90, n, 0.05, "downwind is north")
	require.InDelta(t, 0, e, 0.01)
	require.InDelta(t, 59.08, st.Winch.TensionKg, 0.05)
	require.InDelta(t, 180, headingDeg(st.Attitude.YawRad), 0.1, "nose into the wind")
	require.InDelta(t, 10, math.Hypot(st.WindNorthMps, st.WindEastMps), 1e-9)
}

func TestAerostatWinchCommands(t *testing.T) {
	cases := []struct {
		name   string
		p      [7]float64
		result uint8
		text   string
	}{
		{"rate over the limit", winchCmd(gcs.WinchActionRate, 0, 2.5), resultDenied, "Winch: rate 2.50 m/s over the 2.0 m/s limit"},
		{"beyond the tether", winchCmd(gcs.WinchActionRelativeLength, 201, 0), resultDenied, "Winch: length 301.0 m outside 0-300 m"},
		{"below zero", winchCmd(gcs.WinchActionRelativeLength, -101, 0), resultDenied, "Winch: length -1.0 m outside 0-300 m"},
		{"unknown action", winchCmd(4, 0, 0), resultUnsupported, "Winch: action 4 not supported"},
		{"other instance", [7]float64{2, 5}, resultFailed, "Winch: no instance 2"},
		{"hold", winchCmd(gcs.WinchActionHold, 0, 0), resultAccepted, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAerostat(AerostatConfig{LineM: 100})
			require.Equal(t, tc.result, a.Command(cmdDoWinch, tc.p, 0))
			if tc.text == "" {
				require.Empty(t, aerostatTexts(a))
			} else {
				require.Equal(t, []string{tc.text}, aerostatTexts(a))
			}
		})
	}
}

// Lock sets the brake (no motor current); rate control runs the line and reels in with a
// negative rate; relaxed lets the lift pull line out.
func TestAerostatWinchModes(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 100})
	require.Equal(t, resultAccepted, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionLock, 0, 0), 0))
	stepAerostat(a, time.Second)
	st := a.State().Winch
	require.True(t, st.Status.Has(gcs.WinchLocked))
	require.InDelta(t, winchIdleA, st.CurrentA, 1e-9)

	require.Equal(t, resultAccepted, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionRate, 0, -1), 0))
	stepAerostat(a, 11*time.Second)
	st = a.State().Winch
	require.InDelta(t, -1, st.SpeedMps, 1e-9)
	require.InDelta(t, 100-0.5-10, st.LineLengthM, 0.06, "1 s to reach 1 m/s, then 10 s at it")
	// Reeling in 1 m/s against 55.8 kg: 0.3 + 0.25·55.8 + 2·1 A.
	require.InDelta(t, 0.3+0.25*st.TensionKg+2, st.CurrentA, 1e-6)

	require.Equal(t, resultAccepted, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionRelaxed, 0, 0), 0))
	stepAerostat(a, 5*time.Second)
	require.Greater(t, a.State().Winch.SpeedMps, 0.9, "the balloon pulls line out")
}

// A stalled winch does not move, draws its stall current, reports itself unhealthy, heats
// and says so once; freed, it moves again.
func TestAerostatWinchStall(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 100})
	a.InjectWinchStall(true)
	require.Equal(t, resultAccepted, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionRelativeLength, 50, 1), 0))
	stepAerostat(a, 10*time.Second)
	st := a.State().Winch
	require.Equal(t, 100.0, st.LineLengthM)
	require.Zero(t, st.SpeedMps)
	require.Equal(t, float64(winchStallA), st.CurrentA)
	require.False(t, st.Status.Has(gcs.WinchHealthy))
	require.Greater(t, st.TemperatureC, 30.0)
	require.Equal(t, []string{"Winch: motor stalled at 100.0 m"}, aerostatTexts(a))
	require.Equal(t, uint8(5), a.State().SystemStatus, "critical")

	a.InjectWinchStall(false)
	stepAerostat(a, 5*time.Second)
	st = a.State().Winch
	require.True(t, st.Status.Has(gcs.WinchHealthy))
	require.Greater(t, st.LineLengthM, 100.0)
}

// Left stalled, the motor overheats and the winch sets its brake.
func TestAerostatWinchOvertemp(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 100})
	a.InjectWinchStall(true)
	require.Equal(t, resultAccepted, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionRate, 0, 1), 0))
	// 45 A heads for 25 + 0.1·45² = 227 °C with a 120 s time constant: 90 °C after
	// 120·ln(202/137) = 46.6 s.
	stepAerostat(a, 46*time.Second)
	require.False(t, a.winch.overtemp)
	stepAerostat(a, 1500*time.Millisecond)
	require.True(t, a.winch.overtemp)
	st := a.State().Winch
	require.True(t, st.Status.Has(gcs.WinchLocked))
	require.Contains(t, aerostatTexts(a), "Winch: motor 90 °C over temperature, brake on")
	require.Equal(t, resultTemporarilyRejected, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionHold, 0, 0), 0))
}

// A gust raises the tension at once (drag acts at once) and the balloon swings downwind
// after it; a snag beyond the winch's pull stops it reeling in.
func TestAerostatGustAndSnag(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 150})
	stepAerostat(a, time.Second)
	require.InDelta(t, 53.54, a.State().Winch.TensionKg, 0.01)
	a.InjectGust(16, 10*time.Second)
	stepAerostat(a, 100*time.Millisecond)
	require.InDelta(t, 83.41, a.State().Winch.TensionKg, 0.01, "√(627.2² + 525²) N")
	stepAerostat(a, 15*time.Second)
	require.InDelta(t, 53.54, a.State().Winch.TensionKg, 0.01, "the gust is over")

	a.InjectSnag(60)
	require.Equal(t, resultAccepted, a.Command(cmdDoWinch, winchCmd(gcs.WinchActionRate, 0, -1), 0))
	stepAerostat(a, 2*time.Second)
	st := a.State().Winch
	require.InDelta(t, 113.54, st.TensionKg, 0.01)
	require.Zero(t, st.SpeedMps)
	require.False(t, st.Status.Has(gcs.WinchHealthy))
	require.Equal(t, []string{"Winch: tension 114 kg over the 100 kg rated pull, holding"}, aerostatTexts(a))
}

// Without tether power the payload runs on its battery, which lasts 30 minutes.
func TestAerostatTetherPowerLoss(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 100})
	stepAerostat(a, time.Second)
	require.True(t, a.State().TetherPower.Supplying())
	a.InjectTetherPowerLoss(true)
	stepAerostat(a, 3*time.Minute)
	st := a.State()
	require.False(t, st.TetherPower.Supplying())
	require.Equal(t, 90, st.Battery.RemainingPct)
	require.Equal(t, uint8(5), st.SystemStatus)
	a.InjectTetherPowerLoss(false)
	stepAerostat(a, time.Second)
	require.True(t, a.State().TetherPower.Supplying())
}

// Losing lift, the balloon can no longer carry its line: it sinks and the line lies on the
// ground, so it is much nearer the winch than its line is long.
func TestAerostatLeak(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 150, LiftLossPerDay: 0.005})
	stepAerostat(a, time.Hour)
	require.InDelta(t, 600*math.Exp(-0.005/24), a.liftN, 1e-6, "helium seeps out slowly")

	a.InjectLeak(0.5) // half the lift every minute
	stepAerostat(a, 4*time.Minute)
	// 600·0.5⁴ = 37.5 N carries 75 m of line: 75 m up, 75 m on the ground.
	st := a.State()
	require.InDelta(t, 75, st.Position.AltRelM, 0.5)
	n, e := a.frame.toNE(st.Position.Point)
	require.Less(t, math.Hypot(math.Hypot(n, e), st.Position.AltRelM), 120.0)
}

// The gimbal reports the way the copter's does: earth-framed yaw after a yaw-locked
// DO_GIMBAL_MANAGER_PITCHYAW, whatever the balloon's heading.
func TestAerostatGimbal(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 100, WindMps: 6, WindFromDeg: 270})
	require.Equal(t, resultAccepted, a.Command(gcs.CmdDoGimbalManagerPitchYaw,
		[7]float64{-30, 45, math.NaN(), math.NaN(), gimbalManagerYawLock}, 0))
	stepAerostat(a, 3*time.Second)
	g := a.State().Gimbal
	require.True(t, g.EarthFrame)
	require.InDelta(t, -30, rad2deg(g.PitchRad), 0.01)
	require.InDelta(t, 45, rad2deg(g.YawRad), 0.5, "the balloon swings, the gimbal keeps up")
	require.Equal(t, resultUnsupported, a.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	require.Equal(t, []string{"Aerostat: tethered, use the winch"}, aerostatTexts(a))
}

// BenchmarkAerostatStep: one simulated second of an aerostat in gusty wind with its winch
// paying out (20 model steps of 50 ms), what a Sim does per vehicle per second at speedup 1.
func BenchmarkAerostatStep(b *testing.B) {
	a := NewAerostat(AerostatConfig{Home: testHome, WindMps: 8, LineM: 100})
	a.Command(cmdDoWinch, winchCmd(gcs.WinchActionRate, 0, 0.5), 0)
	b.ReportAllocs()
	for b.Loop() {
		for range 20 {
			a.Step(testStep)
		}
		if a.winch.lineM > 250 {
			a.winch.lineM = 100
		}
	}
}
