// Package assets holds the defaults Vigil embeds in its binary.
package assets

import _ "embed"

// CamerasJSON is the camera catalogue for survey planning: a JSON array of objects with
// name, brand, model, sensorWidthMM, sensorHeightMM, imageWidthPx, imageHeightPx,
// focalLengthMM, landscape, fixedOrientation and minTriggerIntervalS. The values are those of
// QGroundControl's camera list (src/Camera/QGCCameraManager.cc), so that a survey planned
// with the same camera name gives the same spacing in both; gcs.ParseCameraCatalogue reads it.
//
//go:embed cameras.json
var CamerasJSON []byte
