package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

func TestSettingsLinks(t *testing.T) {
	links, err := settingsLinks(gcs.Settings{Links: []string{"udp://:14550", "tcp://10.0.0.2:5760"}})
	require.NoError(t, err)
	require.Equal(t, "[udp://:14550 tcp://10.0.0.2:5760]", links.String())
	_, err = settingsLinks(gcs.Settings{Links: []string{"udp://:14550", "bluetooth://x"}})
	require.ErrorContains(t, err, `settings: link 2: connection "bluetooth://x": unknown scheme "bluetooth"`)
}

// A vehicle that does not describe its camera gets the settings' one; what the vehicle
// says wins.
func TestSettingsCameras(t *testing.T) {
	_, err := settingsCameras(gcs.Settings{Cameras: map[uint8]string{1: "No Such Camera"}})
	require.EqualError(t, err, `settings: camera for vehicle 1: "No Such Camera" is not in the catalogue (vigil plan cameras lists them)`)
	cat, err := cameraCatalogue()
	require.NoError(t, err)
	cams, err := settingsCameras(gcs.Settings{Cameras: map[uint8]string{1: cat[0].Name, 2: cat[0].Name}})
	require.NoError(t, err)

	fleet := &gcs.Fleet{}
	fleet.Update(1, func(*gcs.Vehicle) {})
	fleet.Update(2, func(v *gcs.Vehicle) {
		v.Camera = &gcs.CameraInfo{VideoResolutionH: 1280, VideoResolutionV: 720, VideoHFOVDeg: 69}
	})
	describeCamera(fleet, 1, cams[1])
	describeCamera(fleet, 2, cams[2])
	v1, _ := fleet.Vehicle(1)
	require.Equal(t, cat[0].FocalLengthMM, v1.Camera.FocalLengthMM)
	_, err = gcs.CameraFromInfo(*v1.Camera)
	require.NoError(t, err, "enough to geotag with")
	v2, _ := fleet.Vehicle(2)
	require.Zero(t, v2.Camera.FocalLengthMM, "the vehicle's own field of view stays")
}
