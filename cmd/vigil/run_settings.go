package main

import (
	"fmt"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
)

// settingsLinks are the settings file's links, for a station started without --connect.
func settingsLinks(s gcs.Settings) (connections, error) {
	var links connections
	for i, l := range s.Links {
		c, err := mavlink.ParseConnection(l)
		if err != nil {
			return nil, fmt.Errorf("settings: link %d: %w", i+1, err)
		}
		links = append(links, c)
	}
	return links, nil
}

// settingsCameras resolves the settings' camera per vehicle against the catalogue.
func settingsCameras(s gcs.Settings) (map[uint8]gcs.CameraSpec, error) {
	if len(s.Cameras) == 0 {
		return nil, nil
	}
	catalogue, err := cameraCatalogue()
	if err != nil {
		return nil, err
	}
	out := map[uint8]gcs.CameraSpec{}
	for id, name := range s.Cameras {
		spec, ok := gcs.FindCamera(catalogue, name)
		if !ok {
			return nil, fmt.Errorf("settings: camera for vehicle %d: %q is not in the catalogue (vigil plan cameras lists them)", id, name)
		}
		out[id] = spec
	}
	return out, nil
}

// describeCamera gives a vehicle that has not described its lens (CAMERA_INFORMATION, or a
// field of view in VIDEO_STREAM_INFORMATION) the settings' camera, so that its sightings are
// placed with the right field of view. What the vehicle reports later replaces it.
func describeCamera(fleet *gcs.Fleet, sysID uint8, spec gcs.CameraSpec) {
	fleet.Update(sysID, func(v *gcs.Vehicle) {
		if v.Camera != nil && (v.Camera.FocalLengthMM > 0 || v.Camera.VideoHFOVDeg > 0) {
			return
		}
		if v.Camera == nil {
			v.Camera = &gcs.CameraInfo{}
		}
		c := v.Camera
		c.Model = spec.Name
		c.FocalLengthMM, c.SensorWidthMM, c.SensorHeightMM = spec.FocalLengthMM, spec.SensorWidthMM, spec.SensorHeightMM
		c.ResolutionH, c.ResolutionV = spec.ImageWidthPx, spec.ImageHeightPx
	})
}
