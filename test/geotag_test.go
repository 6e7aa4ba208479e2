package test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// The conventions agree end to end: while the simulated copter's gimbal stares at a point,
// geotagging the image centre from the telemetry the station received lands on that point.
func TestGeotagImageCentreOnROI(t *testing.T) {
	port := freePort(t)
	cam := &gcs.CameraInfo{VideoURI: "rtsp://127.0.0.1:8554/cam1", VideoHFOVDeg: 69, VideoResolutionH: 1280, VideoResolutionV: 720}
	startSim(t, simOptions{speedup: 4, camera: cam}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	ctx := ctxT(t, time.Minute)

	for _, step := range []func() (gcs.CommandReply, error){
		func() (gcs.CommandReply, error) { return c.SetMode(ctx, 1, "GUIDED") },
		func() (gcs.CommandReply, error) { return c.Arm(ctx, 1, false) },
		func() (gcs.CommandReply, error) { return c.Takeoff(ctx, 1, 30) },
	} {
		_, err := step()
		require.NoError(t, err)
	}
	eventually(t, 30*time.Second, "at 30 m", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return v.Position.AltRelM > 29.5, describe(v)
	})

	roi := gcs.Position{Point: gcs.OffsetNE(home.Point, 50, -20)} // on the ground, 54 m away
	_, err := c.SetROI(ctx, 1, roi)
	require.NoError(t, err)
	camera, err := gcs.CameraFromInfo(*cam)
	require.NoError(t, err)
	ground := gcs.FlatGround{AltMSLM: home.AltMSLM}

	var missM float64
	eventually(t, 15*time.Second, "image centre on the point of interest", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		pose, ok := c.Fleet.Poses(1).Latest()
		if !ok || v.Gimbal == nil {
			return false, "no pose or gimbal yet"
		}
		hit, err := gcs.Geotag(pose, *v.Gimbal, camera, 640, 360, ground)
		if err != nil {
			return false, err.Error()
		}
		missM = gcs.DistanceM(hit.Point, roi.Point)
		return missM < 3, fmt.Sprintf("centre lands %.1f m from the ROI (gimbal %+v)", missM, *v.Gimbal)
	})
	t.Logf("image centre %.2f m from the point of interest", missM)

	// A heading-relative gimbal (MAVLink v2 vehicle frame) 45° down and straight ahead
	// looks at the ground one altitude ahead of the nose.
	_, err = c.ClearROI(ctx, 1)
	require.NoError(t, err)
	_, err = c.PointGimbal(ctx, 1, -45, 0, false)
	require.NoError(t, err)
	eventually(t, 15*time.Second, "45° ahead lands one altitude ahead of the nose", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		pose, _ := c.Fleet.Poses(1).Latest()
		if v.Gimbal == nil || v.Gimbal.EarthFrame {
			return false, "gimbal not yet in the vehicle frame"
		}
		hit, err := gcs.Geotag(pose, *v.Gimbal, camera, 640, 360, ground)
		if err != nil {
			return false, err.Error()
		}
		h := pose.Attitude.YawRad
		alt := pose.Position.AltMSLM - home.AltMSLM
		want := gcs.OffsetNE(pose.Position.Point, alt*math.Cos(h), alt*math.Sin(h))
		missM = gcs.DistanceM(hit.Point, want)
		return missM < 1, fmt.Sprintf("%.1f m from the expected point (gimbal %+v, yaw %.1f°)", missM, *v.Gimbal, h*180/math.Pi)
	})
}
