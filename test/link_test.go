package test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// A vehicle is discovered over TCP and UDP with its ArduCopter identity and telemetry.
func TestDiscoveryOverTCPAndUDP(t *testing.T) {
	tcpPort, udpPort := freePort(t), freePort(t)
	startSim(t, simOptions{copters: 1}, fmt.Sprintf("tcpin://127.0.0.1:%d", tcpPort))
	startSim(t, simOptions{copters: 1, firstID: 7}, fmt.Sprintf("udpout://127.0.0.1:%d", udpPort))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", tcpPort), fmt.Sprintf("udp://127.0.0.1:%d", udpPort))

	for _, id := range []uint8{1, 7} {
		v := waitVehicle(t, c, id)
		require.Equal(t, gcs.VehicleQuadrotor, v.Type)
		require.Equal(t, gcs.AutopilotArduPilot, v.Autopilot)
		require.Equal(t, "STABILIZE", v.Mode)
		require.False(t, v.Armed)
		require.InDelta(t, -35.363261, v.Position.Point.Lat(), 0.001)
		require.InDelta(t, 0, v.Position.AltRelM, 0.5)
	}
	eventually(t, 5*time.Second, "home, GPS and battery reported", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return v.Home != nil && v.GPS.FixType >= 3 && v.Battery.VoltageV > 10 && c.Fleet.Poses(1).Len() > 10, describe(v)
	})
	links := c.Links()
	require.Len(t, links, 2)
	for _, l := range links {
		require.NotZero(t, l.Stats.Packets, l.Name)
		require.NotZero(t, l.Stats.Bytes, l.Name)
	}
}

// A vehicle with a camera tells the station its lens, sensor and video stream address.
func TestCameraDiscovery(t *testing.T) {
	port := freePort(t)
	cam := &gcs.CameraInfo{Vendor: "Vigil", Model: "SimCam", FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.55,
		ResolutionH: 1920, ResolutionV: 1080, VideoURI: "rtsp://127.0.0.1:8554/cam1", VideoHFOVDeg: 69, VideoResolutionH: 1920, VideoResolutionV: 1080}
	startSim(t, simOptions{camera: cam}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	eventually(t, 5*time.Second, "camera information and video stream received", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return v.Camera != nil && v.Camera.VideoURI != "" && v.Camera.FocalLengthMM > 0 && v.Gimbal != nil, fmt.Sprintf("%+v", v.Camera)
	})
	v, _ := c.Fleet.Vehicle(1)
	require.Equal(t, *cam, *v.Camera)
	require.InDelta(t, -45, v.Gimbal.PitchRad*180/math.Pi, 2, "the gimbal's default pitch")
}
