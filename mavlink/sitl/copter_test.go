package sitl

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestCopterBootAndGPSFix(t *testing.T) {
	c := NewCopter(CopterConfig{Home: testHome})
	s := c.State()
	require.False(t, s.Armed)
	require.True(t, s.Landed)
	require.Equal(t, uint8(3), s.SystemStatus)
	require.Equal(t, gcs.VehicleQuadrotor, s.Type)
	require.Equal(t, 0, s.GPS.FixType)
	require.Equal(t, 0, s.GPS.Satellites)
	require.False(t, s.EKFHealthy)
	require.False(t, s.PrearmOK)
	require.InDelta(t, 0, s.Position.AltRelM, 1e-9)
	require.Equal(t, 100, s.Battery.RemainingPct)
	require.InDelta(t, 16.8, s.Battery.VoltageV, 0.05)

	got := runUntil(t, c, 10*time.Second, func(s VehicleState) bool { return s.GPS.FixType == 3 })
	require.InDelta(t, 4, got.Seconds(), 0.1)
	s = c.State()
	require.Equal(t, 12, s.GPS.Satellites)
	require.Equal(t, 0.8, s.GPS.HDOP)
	require.True(t, s.EKFHealthy)
	require.True(t, s.PrearmOK)
	require.InDelta(t, 4, s.BootTime.Seconds(), 0.1)
}

func TestCopterArmRefusedBeforeFix(t *testing.T) {
	c := NewCopter(CopterConfig{Home: testHome})
	runFor(c, time.Second)
	require.Equal(t, resultFailed, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	st := c.TakeStatusTexts()
	require.Len(t, st, 1)
	require.Equal(t, "PreArm: Need 3D Fix", st[0].Text)
	require.Equal(t, gcs.SeverityCritical, st[0].Severity)
	require.False(t, c.State().Armed)

	runFor(c, 4*time.Second)
	require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	require.True(t, c.State().Armed)
	require.Equal(t, uint8(4), c.State().SystemStatus)
}

func TestCopterRefusals(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(c *Copter)
		do     func(c *Copter) uint8
		result uint8
		text   string
	}{
		{"unknown mode", nil, func(c *Copter) uint8 { return c.SetMode(99) }, resultDenied, "Unknown mode 99"},
		{"guided before fix", func(c *Copter) { c.conf.GPSDelay = time.Hour }, func(c *Copter) uint8 { return c.SetMode(modeGuided) },
			resultFailed, "Mode change to GUIDED failed: requires position"},
		{"auto without mission", nil, func(c *Copter) uint8 { return c.SetMode(modeAuto) },
			resultFailed, "Mode change to AUTO failed: no mission"},
		{"takeoff outside guided", func(c *Copter) { c.Command(cmdComponentArmDisarm, [7]float64{1}, 0) },
			func(c *Copter) uint8 { return c.Command(gcs.CmdNavTakeoff, [7]float64{6: 10}, 0) }, resultFailed, "Takeoff: mode must be GUIDED"},
		{"takeoff disarmed", func(c *Copter) { c.SetMode(modeGuided) },
			func(c *Copter) uint8 { return c.Command(gcs.CmdNavTakeoff, [7]float64{6: 10}, 0) }, resultFailed, "Takeoff: motors not armed"},
		{"arm in LAND", func(c *Copter) { c.SetMode(modeLand) },
			func(c *Copter) uint8 { return c.Command(cmdComponentArmDisarm, [7]float64{1}, 0) }, resultFailed, "Arm: Mode not armable"},
		{"reposition outside guided", nil, func(c *Copter) uint8 {
			return c.Command(cmdDoReposition, [7]float64{-1, 0, 0, 0, 47.4, 8.5, 10}, gcs.FrameGlobalRelativeAlt)
		}, resultFailed, "Reposition: mode must be GUIDED"},
		{"request message is the server's", nil, func(c *Copter) uint8 { return c.Command(512, [7]float64{33}, 0) }, resultUnsupported, ""},
		{"message interval is the server's", nil, func(c *Copter) uint8 { return c.Command(511, [7]float64{33, 1e5}, 0) }, resultUnsupported, ""},
		{"unknown command", nil, func(c *Copter) uint8 { return c.Command(183, [7]float64{}, 0) }, resultUnsupported, ""},
		{"do set mode", nil, func(c *Copter) uint8 { return c.Command(cmdDoSetMode, [7]float64{1, float64(modeLoiter)}, 0) }, resultAccepted, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			if tc.setup != nil {
				tc.setup(c)
			}
			c.TakeStatusTexts()
			require.Equal(t, tc.result, tc.do(c))
			if tc.text == "" {
				require.Empty(t, texts(c))
			} else {
				require.Equal(t, []string{tc.text}, texts(c))
			}
		})
	}
}

func TestCopterTakeoff(t *testing.T) {
	c := newFixedCopter(t)
	require.Equal(t, resultAccepted, c.SetMode(modeGuided))
	require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	require.Equal(t, resultAccepted, c.Command(gcs.CmdNavTakeoff, [7]float64{6: 20}, 0))
	var maxClimb float64
	took := runUntil(t, c, 60*time.Second, func(s VehicleState) bool {
		maxClimb = math.Max(maxClimb, -s.Velocity.DownMps)
		return math.Abs(s.Position.AltRelM-20) < 1 && math.Abs(s.Velocity.DownMps) < 0.2
	})
	require.Greater(t, took, 8*time.Second, "no faster than WPNAV_SPEED_UP")
	require.Less(t, took, 20*time.Second)
	require.InDelta(t, 2.5, maxClimb, 0.05)
	s := c.State()
	require.False(t, s.Landed)
	require.Greater(t, s.ThrottlePct, 20)
	require.InDelta(t, 0, distTo(s, testHome.Point), 0.5)

	// A second takeoff in the air is refused.
	require.Equal(t, resultFailed, c.Command(gcs.CmdNavTakeoff, [7]float64{6: 30}, 0))
	runFor(c, 10*time.Second)
	require.InDelta(t, 20, c.State().Position.AltRelM, 0.5, "holds altitude")
}

func TestCopterGoto(t *testing.T) {
	c := newFixedCopter(t)
	takeOff(t, c, 20)
	dest := offset(150, 150)
	require.Equal(t, resultAccepted, gotoPoint(c, 150, 150, 30))
	var maxSpeed, maxTilt float64
	runUntil(t, c, 90*time.Second, func(s VehicleState) bool {
		maxSpeed = math.Max(maxSpeed, math.Hypot(s.Velocity.NorthMps, s.Velocity.EastMps))
		maxTilt = math.Max(maxTilt, math.Max(math.Abs(s.Attitude.PitchRad), math.Abs(s.Attitude.RollRad)))
		if maxSpeed > 5 && maxSpeed < 9 {
			require.InDelta(t, 45, rad2deg(s.Attitude.YawRad), 5, "faces the direction of travel")
			require.Less(t, s.Attitude.PitchRad, 0.0, "nose down to accelerate")
		}
		return distTo(s, dest) < 1 && math.Hypot(s.Velocity.NorthMps, s.Velocity.EastMps) < 0.2
	})
	require.InDelta(t, 10, maxSpeed, 0.3, "WPNAV_SPEED")
	require.LessOrEqual(t, maxTilt, deg2rad(45))
	require.InDelta(t, 30, c.State().Position.AltRelM, 0.5)
}

func TestCopterCruiseSpeedFollowsWPNAVSpeed(t *testing.T) {
	for _, tc := range []struct {
		paramCmps float64
		wantMps   float64
	}{{500, 5}, {1500, 15}} {
		t.Run("", func(t *testing.T) {
			c := newFixedCopter(t)
			_, ok := c.SetParam("WPNAV_SPEED", tc.paramCmps)
			require.True(t, ok)
			takeOff(t, c, 20)
			require.Equal(t, resultAccepted, gotoPoint(c, 400, 0, 20))
			var maxSpeed float64
			runUntil(t, c, 2*time.Minute, func(s VehicleState) bool {
				maxSpeed = math.Max(maxSpeed, math.Hypot(s.Velocity.NorthMps, s.Velocity.EastMps))
				return distTo(s, offset(400, 0)) < 2
			})
			require.InDelta(t, tc.wantMps, maxSpeed, 0.2)
		})
	}
}

func TestCopterRTLLandsAtHomeAndDisarms(t *testing.T) {
	c := newFixedCopter(t)
	takeOff(t, c, 10)
	require.Equal(t, resultAccepted, gotoPoint(c, -80, 60, 10))
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return distTo(s, offset(-80, 60)) < 1 })
	c.TakeStatusTexts()

	require.Equal(t, resultAccepted, c.Command(gcs.CmdNavReturnToLaunch, [7]float64{}, 0))
	require.Equal(t, modeRTL, c.State().CustomMode)
	var maxAlt float64
	runUntil(t, c, 3*time.Minute, func(s VehicleState) bool {
		maxAlt = math.Max(maxAlt, s.Position.AltRelM)
		return !s.Armed
	})
	s := c.State()
	require.InDelta(t, 15, maxAlt, 0.5, "climbs to RTL_ALT first")
	require.True(t, s.Landed)
	require.Less(t, distTo(s, testHome.Point), 1.0)
	require.InDelta(t, 0, s.Position.AltRelM, 0.01)
	require.Equal(t, uint8(3), s.SystemStatus)
	require.Contains(t, texts(c), "Disarming motors")
}

func TestCopterLandModeDisarms(t *testing.T) {
	c := newFixedCopter(t)
	takeOff(t, c, 15)
	require.Equal(t, resultAccepted, c.Command(gcs.CmdNavLand, [7]float64{}, 0))
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return s.Landed })
	require.True(t, c.State().Armed)
	runFor(c, 1100*time.Millisecond)
	require.False(t, c.State().Armed)
}

func TestCopterDisarmInFlight(t *testing.T) {
	c := newFixedCopter(t)
	takeOff(t, c, 10)
	c.TakeStatusTexts()
	require.Equal(t, resultFailed, c.Command(cmdComponentArmDisarm, [7]float64{0}, 0))
	require.Equal(t, []string{"Disarm: vehicle is flying"}, texts(c))
	require.True(t, c.State().Armed)

	require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{0, forceDisarmMagic}, 0))
	require.False(t, c.State().Armed)
	took := runUntil(t, c, 5*time.Second, func(s VehicleState) bool { return s.Landed })
	require.InDelta(t, math.Sqrt(2*10/gravity), took.Seconds(), 0.1, "free fall")
}

func TestCopterAutoDisarmOnGround(t *testing.T) {
	c := newFixedCopter(t)
	require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	runFor(c, 9*time.Second)
	require.True(t, c.State().Armed)
	runFor(c, 1100*time.Millisecond)
	require.False(t, c.State().Armed)
	require.Equal(t, []string{"Disarming motors"}, texts(c))
}

func TestCopterWindHoldsPosition(t *testing.T) {
	run := func() VehicleState {
		c := NewCopter(CopterConfig{Home: testHome, GPSDelay: -1, WindMps: 6, WindFromDeg: 270, Seed: 7})
		takeOff(t, c, 20)
		runFor(c, 30*time.Second)
		return c.State()
	}
	s := run()
	require.Greater(t, s.WindEastMps, 3.0, "from the west blows east")
	require.Less(t, math.Abs(s.WindNorthMps), 3.0)
	require.Less(t, distTo(s, testHome.Point), 1.0, "holds position within a metre")
	require.Less(t, rad2deg(s.Attitude.RollRad), -1.0, "heading north, it rolls left into a west wind")
	require.Equal(t, s, run(), "same seed, same flight")
}
