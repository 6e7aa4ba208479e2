package sitl

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// orbitCmd is DO_ORBIT around the point north/east of home, as a GCS sends it in a COMMAND_INT
// (altitude above home).
func orbitCmd(northM, eastM, radiusM, speedMps, altRelM float64) [7]float64 {
	p := offset(northM, eastM)
	return [7]float64{radiusM, speedMps, 0, 0, p.Lat(), p.Lon(), altRelM}
}

// fromCentre is the copter's distance from a centre north/east of home and its angle around
// it from north.
func fromCentre(s VehicleState, centreN, centreE float64) (distM, angleRad float64) {
	n, e := newLocalFrame(testHome.Point).toNE(s.Position.Point)
	return math.Hypot(n-centreN, e-centreE), math.Atan2(e-centreE, n-centreN)
}

// In GUIDED, DO_ORBIT flies to the circle's edge, then round the centre at the radius, in the
// direction the radius's sign asks, nose on the centre, at the asked altitude and speed.
func TestOrbitFliesRoundTheCentre(t *testing.T) {
	cases := []struct {
		name             string
		centreN, centreE float64
		radiusM          float64
		speedMps         float64
		altRelM          float64
		wantSpeedMps     float64
	}{
		// CIRCLE_RATE's 20°/s would be 10 m/s: the turn is held to half WPNAV_ACCEL, √(1.25·30)
		{"clockwise, far away, default speed", 120, -40, 30, math.NaN(), 40, 6.1},
		{"counter-clockwise, 4 m/s", 60, 60, -25, 4, 25, 4},
		{"clockwise around where it is", 0, 0, 15, 3, 30, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			takeOff(t, c, 30)
			p := orbitCmd(tc.centreN, tc.centreE, tc.radiusM, tc.speedMps, tc.altRelM)
			if tc.centreN == 0 && tc.centreE == 0 {
				p[4], p[5] = math.NaN(), math.NaN()
				n, e := newLocalFrame(testHome.Point).toNE(c.State().Position.Point)
				tc.centreN, tc.centreE = n, e
			}
			require.Equal(t, resultAccepted, c.Command(cmdDoOrbit, p, gcs.FrameGlobalRelativeAlt))
			require.Empty(t, texts(c))

			radius := math.Abs(tc.radiusM)
			runUntil(t, c, 90*time.Second, func(s VehicleState) bool {
				d, _ := fromCentre(s, tc.centreN, tc.centreE)
				return math.Abs(d-radius) < 1 && math.Abs(s.Position.AltRelM-tc.altRelM) < 1
			})
			for range int(8 * time.Second / testStep) { // speeding up to the orbit's speed
				c.Step(testStep)
				d, _ := fromCentre(c.State(), tc.centreN, tc.centreE)
				require.InDelta(t, radius, d, 2, "distance from the centre at %v", c.State().BootTime)
			}

			_, prev := fromCentre(c.State(), tc.centreN, tc.centreE)
			var turned, speedSum float64
			n := 0
			for range int(60 * time.Second / testStep) {
				c.Step(testStep)
				s := c.State()
				d, ang := fromCentre(s, tc.centreN, tc.centreE)
				require.InDelta(t, radius, d, 2, "distance from the centre at %v", s.BootTime)
				require.InDelta(t, tc.altRelM, s.Position.AltRelM, 1)
				step := wrapPi(ang - prev)
				if tc.radiusM > 0 {
					require.Greater(t, step, 0.0, "clockwise")
				} else {
					require.Less(t, step, 0.0, "counter-clockwise")
				}
				turned += step
				prev = ang
				toCentre := wrapPi(ang + math.Pi)
				require.InDelta(t, 0, rad2deg(wrapPi(s.Attitude.YawRad-toCentre)), 10, "nose on the centre")
				speedSum += math.Hypot(s.Velocity.NorthMps, s.Velocity.EastMps)
				n++
			}
			require.InDelta(t, tc.wantSpeedMps, speedSum/float64(n), 0.3)
			require.InDelta(t, tc.wantSpeedMps*60/radius, math.Abs(turned), 0.1*math.Abs(turned))
		})
	}
}

// An orbit with an angle (p4, radians) flies that far and then holds where it is.
func TestOrbitStopsAfterItsAngle(t *testing.T) {
	c := newFixedCopter(t)
	takeOff(t, c, 20)
	p := orbitCmd(0, 0, 10, 2, 20)
	p[4], p[5] = math.NaN(), math.NaN()
	p[3] = math.Pi // half a turn
	require.Equal(t, resultAccepted, c.Command(cmdDoOrbit, p, gcs.FrameGlobalRelativeAlt))
	runFor(c, 60*time.Second) // 10 m at 2 m/s: π rad take about 16 s after reaching the edge
	s := c.State()
	require.Less(t, math.Hypot(s.Velocity.NorthMps, s.Velocity.EastMps), 0.2, "holding")
	runFor(c, 10*time.Second)
	require.Less(t, distTo(c.State(), s.Position.Point), 0.5)
}

// Leaving GUIDED ends the orbit: LOITER stops the copter where it is.
func TestOrbitEndsWhenLeavingGuided(t *testing.T) {
	c := newFixedCopter(t)
	takeOff(t, c, 20)
	require.Equal(t, resultAccepted, c.Command(cmdDoOrbit, orbitCmd(0, 0, 10, 4, 20), gcs.FrameGlobalRelativeAlt))
	runFor(c, 20*time.Second)
	require.Greater(t, math.Hypot(c.State().Velocity.NorthMps, c.State().Velocity.EastMps), 2.0)
	require.Equal(t, resultAccepted, c.SetMode(modeLoiter))
	runFor(c, 5*time.Second)
	s := c.State()
	runFor(c, 10*time.Second)
	require.Less(t, distTo(c.State(), s.Position.Point), 0.5, "stopped")
	require.Nil(t, c.orbiting)
}

// ArduCopter takes DO_ORBIT only in GUIDED and while flying, and says why it refuses.
func TestOrbitRefusals(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, c *Copter)
		p     [7]float64
		text  string
	}{
		{"not in GUIDED", func(t *testing.T, c *Copter) {
			takeOff(t, c, 20)
			require.Equal(t, resultAccepted, c.SetMode(modeLoiter))
		}, orbitCmd(50, 0, 20, math.NaN(), 20), "Orbit: mode must be GUIDED"},
		{"on the ground, disarmed", func(t *testing.T, c *Copter) {
			require.Equal(t, resultAccepted, c.SetMode(modeGuided))
		}, orbitCmd(50, 0, 20, math.NaN(), 20), "Orbit: vehicle is not flying"},
		{"armed on the ground", func(t *testing.T, c *Copter) {
			require.Equal(t, resultAccepted, c.SetMode(modeGuided))
			require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
		}, orbitCmd(50, 0, 20, math.NaN(), 20), "Orbit: vehicle is not flying"},
		{"unknown yaw behaviour", func(t *testing.T, c *Copter) {
			takeOff(t, c, 20)
		}, [7]float64{20, math.NaN(), 7, 0, math.NaN(), math.NaN(), math.NaN()}, "Orbit: unknown yaw behaviour"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			tc.setup(t, c)
			texts(c)
			before := c.State().Position
			require.Equal(t, resultDenied, c.Command(cmdDoOrbit, tc.p, gcs.FrameGlobalRelativeAlt))
			require.Equal(t, []string{tc.text}, texts(c))
			require.Nil(t, c.orbiting)
			runFor(c, 3*time.Second)
			require.Less(t, distTo(c.State(), before.Point), 1.0, "stays put")
		})
	}
}

// DO_SET_HOME in a COMMAND_INT with the GLOBAL frame takes the altitude as MSL.
func TestSetHomeGlobalFrame(t *testing.T) {
	c := newFixedCopter(t)
	p := offset(100, 50)
	require.Equal(t, resultAccepted, c.Command(gcs.CmdDoSetHome, [7]float64{0, 0, 0, math.NaN(), p.Lat(), p.Lon(), 512.5}, gcs.FrameGlobal))
	h := c.State().Home
	require.InDelta(t, 0, distanceM(h.Point, p), 0.01)
	require.InDelta(t, 512.5, h.AltMSLM, 1e-9)
}

// A tethered aerostat cannot orbit; it says so.
func TestAerostatRefusesOrbit(t *testing.T) {
	a := newTestAerostat(AerostatConfig{LineM: 100})
	require.Equal(t, resultUnsupported, a.Command(cmdDoOrbit, orbitCmd(50, 0, 20, math.NaN(), 20), gcs.FrameGlobalRelativeAlt))
	require.Equal(t, []string{"Aerostat: tethered, use the winch"}, aerostatTexts(a))
}

// The other ORBIT_YAW_BEHAVIOUR values: hold the heading the orbit began with (RC too: the
// simulator has no sticks), or point along the circle.
func TestOrbitYawBehaviour(t *testing.T) {
	cases := []struct {
		name    string
		yaw     float64
		wantYaw func(angleRad, initialRad float64) float64
	}{
		{"hold initial heading", orbitYawHoldInitial, func(_, initial float64) float64 { return initial }},
		{"RC controlled", orbitYawRC, func(_, initial float64) float64 { return initial }},
		{"tangent, clockwise", orbitYawTangent, func(a, _ float64) float64 { return a + math.Pi/2 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			takeOff(t, c, 20)
			initial := c.State().Attitude.YawRad
			p := orbitCmd(0, 0, 15, 3, 20)
			p[2], p[4], p[5] = tc.yaw, math.NaN(), math.NaN()
			n0, e0 := newLocalFrame(testHome.Point).toNE(c.State().Position.Point)
			require.Equal(t, resultAccepted, c.Command(cmdDoOrbit, p, gcs.FrameGlobalRelativeAlt))
			runFor(c, 20*time.Second)
			for range int(20 * time.Second / testStep) {
				c.Step(testStep)
				s := c.State()
				d, ang := fromCentre(s, n0, e0)
				require.InDelta(t, 15, d, 2)
				want := tc.wantYaw(ang, initial)
				require.InDelta(t, 0, rad2deg(wrapPi(s.Attitude.YawRad-want)), 10, "heading at %v", s.BootTime)
			}
		})
	}
}
