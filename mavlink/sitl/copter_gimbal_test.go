package sitl

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestCopterGimbalDefault(t *testing.T) {
	c := newFixedCopter(t)
	g := c.State().Gimbal
	require.InDelta(t, -45, rad2deg(g.PitchRad), 1e-9)
	require.Zero(t, g.YawRad)
	require.False(t, g.EarthFrame)
	require.True(t, g.Time.IsZero())
	require.Nil(t, c.State().ROI)
}

func TestCopterGimbalCommands(t *testing.T) {
	cases := []struct {
		name       string
		cmd        uint16
		p          [7]float64
		pitchDeg   float64
		yawDeg     float64
		earthFrame bool
	}{
		{"mount control", gcs.CmdDoMountControl, [7]float64{-30, 0, 40}, -30, 40, false},
		{"mount control clamps pitch", gcs.CmdDoMountControl, [7]float64{-120, 0, 0}, -90, 0, false},
		{"manager, vehicle frame", gcs.CmdDoGimbalManagerPitchYaw, [7]float64{10, -60, math.NaN(), math.NaN(), 0}, 10, -60, false},
		{"manager, yaw lock", gcs.CmdDoGimbalManagerPitchYaw, [7]float64{-90, 90, math.NaN(), math.NaN(), gimbalManagerYawLock}, -90, 90, true},
		{"manager, pitch above limit", gcs.CmdDoGimbalManagerPitchYaw, [7]float64{45, 0, 0, 0, 0}, 30, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			require.Equal(t, resultAccepted, c.Command(tc.cmd, tc.p, 0))
			c.Step(500 * time.Millisecond)
			g := c.State().Gimbal
			// 60°/s: half a second moves 30° at most.
			require.LessOrEqual(t, math.Abs(rad2deg(g.PitchRad)+45), 30.001)
			runFor(c, 3*time.Second)
			g = c.State().Gimbal
			require.InDelta(t, tc.pitchDeg, rad2deg(g.PitchRad), 0.01)
			require.InDelta(t, tc.yawDeg, rad2deg(g.YawRad), 0.01)
			require.Equal(t, tc.earthFrame, g.EarthFrame)
		})
	}
}

func TestCopterGimbalStaresAtROI(t *testing.T) {
	c := newFixedCopter(t)
	takeOff(t, c, 30)
	roi := offset(0, 30) // 30 m east, on the ground: 45° down, bearing 90°
	require.Equal(t, resultAccepted, c.Command(gcs.CmdDoSetROILocation,
		[7]float64{0, 0, 0, 0, roi.Lat(), roi.Lon(), 0}, gcs.FrameGlobalRelativeAlt))
	runFor(c, 3*time.Second)
	s := c.State()
	require.NotNil(t, s.ROI)
	require.InDelta(t, roi.Lat(), s.ROI.Point.Lat(), 1e-9)
	require.InDelta(t, 0, s.ROI.AltRelM, 1e-9)
	require.True(t, s.Gimbal.EarthFrame)
	require.InDelta(t, -45, rad2deg(s.Gimbal.PitchRad), 1)
	require.InDelta(t, 90, rad2deg(s.Gimbal.YawRad), 1)

	// Flying past keeps it on target.
	require.Equal(t, resultAccepted, gotoPoint(c, 0, 60, 30))
	runUntil(t, c, time.Minute, func(s VehicleState) bool { return distTo(s, offset(0, 60)) < 0.5 })
	runFor(c, 2*time.Second)
	require.InDelta(t, -90, rad2deg(c.State().Gimbal.YawRad), 2)

	require.Equal(t, resultAccepted, c.Command(gcs.CmdDoSetROINone, [7]float64{}, 0))
	require.Nil(t, c.State().ROI)
}

func TestCopterCircleMode(t *testing.T) {
	c := newFixedCopter(t)
	takeOff(t, c, 20)
	require.Equal(t, resultAccepted, c.SetMode(modeCircle))
	center := offset(10, 0) // CIRCLE_RADIUS ahead of a copter facing north
	var minR, maxR = math.Inf(1), 0.0
	runFor(c, 5*time.Second)
	for range 400 {
		c.Step(testStep)
		r := distTo(c.State(), center)
		minR, maxR = math.Min(minR, r), math.Max(maxR, r)
	}
	require.InDelta(t, 10, minR, 1)
	require.InDelta(t, 10, maxR, 1)
	require.InDelta(t, 20, c.State().Position.AltRelM, 0.5)
}
