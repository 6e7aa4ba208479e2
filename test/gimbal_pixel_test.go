package test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// What the operator clicks in the video comes to the centre of the picture: a ground point
// seen off-centre by the simulated copter's camera is, once the gimbal has turned where
// PixelAim says (sent through the station as the video panel sends it), at the image centre
// as the vehicle's reported attitude and gimbal place it. This holds the conventions of the
// simulator's gimbal, the MAVLink gimbal messages and the pixel maths together.
func TestClickInTheVideoCentresIt(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{speedup: 5}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	st := &gcs.Station{Fleet: c.Fleet, Link: c}
	ctx := ctxT(t, 2*time.Minute)
	for _, in := range []gcs.Intent{{Kind: gcs.IntentMode, Mode: "GUIDED"}, {Kind: gcs.IntentArm}, {Kind: gcs.IntentTakeoff, AltM: 40}} {
		in.SysID = 1
		_, err := st.Do(ctx, in)
		require.NoError(t, err, in.String())
	}
	var v gcs.Vehicle
	eventually(t, 40*time.Second, "hovering at 40 m", func() (bool, string) {
		v, _ = c.Fleet.Vehicle(1)
		return math.Abs(v.Position.AltRelM-40) < 0.3 && math.Abs(v.Velocity.DownMps) < 0.1, describe(v)
	})
	settled := func(pitchDeg, yawDeg float64) {
		t.Helper()
		eventually(t, 20*time.Second, fmt.Sprintf("gimbal at pitch %.1f°, yaw %.1f°", pitchDeg, yawDeg), func() (bool, string) {
			v, _ = c.Fleet.Vehicle(1)
			if v.Gimbal == nil {
				return false, "no gimbal attitude"
			}
			g := *v.Gimbal
			yaw := g.YawRad * 180 / math.Pi
			if g.EarthFrame {
				yaw -= v.Attitude.YawRad * 180 / math.Pi
			}
			dy := math.Remainder(yaw-yawDeg, 360)
			return math.Abs(g.PitchRad*180/math.Pi-pitchDeg) < 0.3 && math.Abs(dy) < 0.3, fmt.Sprintf("%+v", g)
		})
	}
	_, err := st.Do(ctx, gcs.Intent{SysID: 1, Kind: gcs.IntentPointGimbal, PitchDeg: -45, YawDeg: 20})
	require.NoError(t, err)
	settled(-45, 20)

	cam := gcs.FrameCamera(v.Camera, gcs.Camera{}, 1280, 720)
	ground := gcs.FlatGround{AltMSLM: home.AltMSLM}
	pose, ok := c.Fleet.Poses(1).Latest()
	require.True(t, ok)
	const u, vpx = 1010.0, 540.0 // right of and below the centre
	spot, err := gcs.Geotag(pose, *v.Gimbal, cam, u, vpx, ground)
	require.NoError(t, err)
	pitch, yaw, err := gcs.PixelAim(pose.Attitude, *v.Gimbal, cam, u, vpx)
	require.NoError(t, err)
	require.Greater(t, yaw, 20.0, "a point right of the centre turns the gimbal right")
	require.Less(t, pitch, -45.0, "a point below it, down")
	_, err = st.Do(ctx, gcs.Intent{SysID: 1, Kind: gcs.IntentPointGimbal, PitchDeg: pitch, YawDeg: yaw})
	require.NoError(t, err)
	settled(pitch, yaw)

	before := pose
	pose, _ = c.Fleet.Poses(1).Latest()
	n, e := gcs.NorthEastM(before.Position.Point, pose.Position.Point)
	t.Logf("moved %.2f m N, %.2f m E, %.2f m up; yaw %.2f° to %.2f°", n, e, pose.Position.AltMSLM-before.Position.AltMSLM, before.Attitude.YawRad*180/math.Pi, pose.Attitude.YawRad*180/math.Pi)
	cu, cv, ok := gcs.ImagePoint(pose, *v.Gimbal, cam, gcs.Position{Point: spot.Point, AltMSLM: spot.AltMSLM})
	require.True(t, ok)
	t.Logf("aimed at pitch %.2f°, yaw %.2f°; gimbal now %+v", pitch, yaw, *v.Gimbal)
	t.Logf("the clicked spot %.1f m away is now at (%.1f, %.1f)", gcs.DistanceM(pose.Position.Point, spot.Point), cu, cv)
	// Hovering, the copter holds its place; the gimbal settles within 0.3° (5 px).
	require.InDelta(t, 640, cu, 5, "at the centre across")
	require.InDelta(t, 360, cv, 5, "at the centre down")
}
