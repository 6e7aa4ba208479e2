package gcs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// CameraSpec is a survey camera as QGroundControl's camera list describes one: sensor and
// image size, lens, and how it is mounted.
type CameraSpec struct {
	Name                string  `json:"name"` // canonical name, as .plan files store it
	Brand               string  `json:"brand,omitempty"`
	Model               string  `json:"model,omitempty"`
	SensorWidthMM       float64 `json:"sensorWidthMM"`
	SensorHeightMM      float64 `json:"sensorHeightMM"`
	ImageWidthPx        int     `json:"imageWidthPx"`
	ImageHeightPx       int     `json:"imageHeightPx"`
	FocalLengthMM       float64 `json:"focalLengthMM"`
	Landscape           bool    `json:"landscape"`           // the image's long side across the track
	FixedOrientation    bool    `json:"fixedOrientation"`    // the camera cannot be turned to portrait
	MinTriggerIntervalS float64 `json:"minTriggerIntervalS"` // fastest it can take photos
}

// CameraFromHFOV returns a camera described by its horizontal field of view and image size
// instead of a sensor and lens: a 36 mm-wide sensor (any width would do, only the ratio to
// the focal length matters) behind the focal length that gives that field of view.
func CameraFromHFOV(name string, hfovDeg float64, widthPx, heightPx int) (CameraSpec, error) {
	if !(hfovDeg > 0 && hfovDeg < 180) {
		return CameraSpec{}, fmt.Errorf("horizontal field of view %g°: want between 0° and 180°", hfovDeg)
	}
	if widthPx <= 0 || heightPx <= 0 {
		return CameraSpec{}, fmt.Errorf("image size %d×%d px: want positive width and height", widthPx, heightPx)
	}
	const sensorW = 36.0
	return CameraSpec{
		Name: name, SensorWidthMM: sensorW, SensorHeightMM: sensorW * float64(heightPx) / float64(widthPx),
		ImageWidthPx: widthPx, ImageHeightPx: heightPx,
		FocalLengthMM: sensorW / 2 / math.Tan(hfovDeg/2*math.Pi/180), Landscape: true,
	}, nil
}

// ParseCameraCatalogue reads a camera catalogue (assets/cameras.json): a JSON array of
// CameraSpec. Every camera must be complete and names unique.
func ParseCameraCatalogue(data []byte) ([]CameraSpec, error) {
	var cams []CameraSpec
	if err := json.Unmarshal(data, &cams); err != nil {
		return nil, fmt.Errorf("camera catalogue: %w", err)
	}
	seen := map[string]bool{}
	for i, c := range cams {
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("camera catalogue entry %d (%q): %w", i+1, c.Name, err)
		}
		key := strings.ToLower(c.Name)
		if seen[key] {
			return nil, fmt.Errorf("camera catalogue entry %d: %q named twice", i+1, c.Name)
		}
		seen[key] = true
	}
	return cams, nil
}

// FindCamera returns the camera of the catalogue with that name, ignoring case.
func FindCamera(catalogue []CameraSpec, name string) (CameraSpec, bool) {
	for _, c := range catalogue {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return CameraSpec{}, false
}

func (c CameraSpec) check() error {
	switch {
	case c.Name == "":
		return errors.New("no name")
	case !(c.SensorWidthMM > 0) || !(c.SensorHeightMM > 0):
		return fmt.Errorf("sensor %g×%g mm: want a positive size", c.SensorWidthMM, c.SensorHeightMM)
	case c.ImageWidthPx <= 0 || c.ImageHeightPx <= 0:
		return fmt.Errorf("image %d×%d px: want a positive size", c.ImageWidthPx, c.ImageHeightPx)
	case !(c.FocalLengthMM > 0):
		return fmt.Errorf("focal length %g mm: want a positive length", c.FocalLengthMM)
	case c.MinTriggerIntervalS < 0:
		return fmt.Errorf("minimum trigger interval %g s: want 0 or more", c.MinTriggerIntervalS)
	}
	return nil
}

// GSDcm returns the ground sample distance in centimetres per pixel at altM above the
// ground, as QGroundControl's CameraCalc: altitude · sensor width · 100 / (image width ·
// focal length).
func (c CameraSpec) GSDcm(altM float64) float64 {
	return altM * c.SensorWidthMM * 100 / (float64(c.ImageWidthPx) * c.FocalLengthMM)
}

// AltForGSD returns the height above the ground that gives a ground sample distance of
// gsdCM centimetres per pixel: image width · GSD · focal length / (sensor width · 100).
func (c CameraSpec) AltForGSD(gsdCM float64) float64 {
	return float64(c.ImageWidthPx) * gsdCM * c.FocalLengthMM / (c.SensorWidthMM * 100)
}

// FootprintM returns the ground covered by one image at a ground sample distance, across
// the track (side) and along it (front): the image's width in landscape, its height in
// portrait, across the track.
func (c CameraSpec) FootprintM(gsdCM float64) (sideM, frontM float64) {
	w, h := float64(c.ImageWidthPx)*gsdCM/100, float64(c.ImageHeightPx)*gsdCM/100
	if c.Landscape {
		return w, h
	}
	return h, w
}

// CameraCalc is QGroundControl's CameraCalc: how high to fly and how far apart lanes and
// photos are. With a Camera it derives them from the overlaps and either the altitude or
// the wanted ground sample distance; without one ("Manual") SpacingM and TriggerDistM are
// given directly.
type CameraCalc struct {
	// Camera is the survey camera; nil means manual spacing.
	Camera *CameraSpec

	// AltFromGSD says which of AltM and GSDcm was given: true derives the altitude from
	// the ground sample distance (QGroundControl's ValueSetIsDistance false).
	AltFromGSD bool

	// AltM is the height above the surface (QGroundControl's DistanceToSurface).
	AltM float64
	// GSDcm is the ground sample distance in cm/px (QGroundControl's ImageDensity).
	GSDcm float64

	// FrontOverlapPct and SideOverlapPct are how much consecutive images and neighbouring
	// lanes overlap, in percent (QGroundControl's default 70 and 70).
	FrontOverlapPct, SideOverlapPct float64

	// SpacingM is the distance between lanes and TriggerDistM between photos
	// (QGroundControl's AdjustedFootprintSide and AdjustedFootprintFrontal). Recalc sets
	// them when there is a Camera.
	SpacingM, TriggerDistM float64
}

// Recalc fills in what the camera and overlaps determine, exactly as QGroundControl's
// CameraCalc::_recalcTriggerDistance: the altitude or GSD that was not given, then
// spacing = side footprint · (1 − side overlap) and trigger distance = front footprint · (1 −
// front overlap). It returns an error naming the value that makes that impossible.
func (c *CameraCalc) Recalc() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"altitude", c.AltM}, {"ground sample distance", c.GSDcm}, {"front overlap", c.FrontOverlapPct},
		{"side overlap", c.SideOverlapPct}, {"lane spacing", c.SpacingM}, {"trigger distance", c.TriggerDistM}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("%s is %v: want a number", f.name, f.v)
		}
	}
	if c.Camera == nil {
		if !(c.SpacingM > 0) {
			return fmt.Errorf("lane spacing %g m: without a camera the spacing must be given and positive", c.SpacingM)
		}
		if c.TriggerDistM < 0 {
			return fmt.Errorf("trigger distance %g m: want 0 or more", c.TriggerDistM)
		}
		return nil
	}
	if err := c.Camera.check(); err != nil {
		return fmt.Errorf("camera %q: %w", c.Camera.Name, err)
	}
	for _, o := range []struct {
		name string
		v    float64
	}{{"front overlap", c.FrontOverlapPct}, {"side overlap", c.SideOverlapPct}} {
		if o.v < 0 || o.v >= 100 {
			return fmt.Errorf("%s %g %%: want 0 to under 100 %%", o.name, o.v)
		}
	}
	if c.AltFromGSD {
		if !(c.GSDcm > 0) {
			return fmt.Errorf("ground sample distance %g cm/px: want a positive value", c.GSDcm)
		}
		c.AltM = c.Camera.AltForGSD(c.GSDcm)
	} else {
		if !(c.AltM > 0) {
			return fmt.Errorf("altitude %g m: want a positive height above the ground", c.AltM)
		}
		c.GSDcm = c.Camera.GSDcm(c.AltM)
	}
	side, front := c.Camera.FootprintM(c.GSDcm)
	c.SpacingM = side * (100 - c.SideOverlapPct) / 100
	c.TriggerDistM = front * (100 - c.FrontOverlapPct) / 100
	return nil
}
