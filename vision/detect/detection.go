package detect

import "image"

// Detection is one object found in one frame.
type Detection struct {
	Box      image.Rectangle // full-resolution pixels
	Class    string          // "person", "vehicle", "motion", "anomaly", or a model's label
	Score    float64         // 0..1
	Detector string          // the detector that found it
}

// Classes the built-in detectors report.
const (
	ClassPerson  = "person"
	ClassMotion  = "motion"
	ClassAnomaly = "anomaly"
)
