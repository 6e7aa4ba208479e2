package detect

import (
	"fmt"
	"image"
	"os"
	"path/filepath"

	"gocv.io/x/gocv"
)

// CascadeDir is where Debian's opencv-data puts OpenCV's trained Haar cascades.
const CascadeDir = "/usr/share/opencv4/haarcascades"

// Cascades Vigil offers, by name, with the class their detections get.
var cascades = map[string]struct{ file, class string }{
	"fullbody":  {"haarcascade_fullbody.xml", ClassPerson},
	"upperbody": {"haarcascade_upperbody.xml", ClassPerson},
	"face":      {"haarcascade_frontalface_default.xml", "face"},
}

// Cascade is one of OpenCV's Haar cascade detectors (full body, upper body, face), an
// alternative to HOG for people: faster on large regions, more false alarms. Run on regions
// like People. Not safe for concurrent use.
type Cascade struct {
	name  string
	class string
	cc    gocv.CascadeClassifier
}

// NewCascade loads a named cascade ("fullbody", "upperbody" or "face") from dir (CascadeDir
// when empty).
func NewCascade(name, dir string) (*Cascade, error) {
	spec, ok := cascades[name]
	if !ok {
		return nil, fmt.Errorf("no cascade %q (want fullbody, upperbody or face)", name)
	}
	if dir == "" {
		dir = CascadeDir
	}
	path := filepath.Join(dir, spec.file)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("cascade %s: %w (Debian package opencv-data)", name, err)
	}
	c := &Cascade{name: name, class: spec.class, cc: gocv.NewCascadeClassifier()}
	if !c.cc.Load(path) {
		c.cc.Close()
		return nil, fmt.Errorf("cascade %s: OpenCV could not load %s", name, path)
	}
	return c, nil
}

// Close frees the classifier.
func (c *Cascade) Close() { c.cc.Close() }

// DetectRegions looks for the cascade's object in each region of a grey frame, each region
// widened by half its size for context.
func (c *Cascade) DetectRegions(grey gocv.Mat, regions []image.Rectangle) []Detection {
	frame := image.Rect(0, 0, grey.Cols(), grey.Rows())
	var out []Detection
	for _, r := range mergeRegions(regions) {
		crop := r.Inset(-max(r.Dx(), r.Dy()) / 2).Intersect(frame)
		if crop.Dx() < 24 || crop.Dy() < 24 {
			continue
		}
		roi := grey.Region(crop)
		found := c.cc.DetectMultiScaleWithParams(roi, 1.1, 3, 0, image.Pt(12, 12), image.Pt(crop.Dx(), crop.Dy()))
		roi.Close()
		for _, b := range found {
			// Haar cascades give no score; 0.6 ranks them below a confident HOG or model hit.
			out = append(out, Detection{Box: b.Add(crop.Min), Class: c.class, Score: 0.6, Detector: "cascade:" + c.name})
		}
	}
	return SuppressOverlaps(out, 0.4)
}
