package detect

import (
	"image"
	"math"

	"gocv.io/x/gocv"
)

// PeopleConfig tunes the HOG people detector. The zero value uses the defaults.
type PeopleConfig struct {
	// MinScore drops weaker detections. It defaults to 0.6.
	MinScore float64
	// MinHeightPx is the smallest person looked for in full-resolution pixels: HOG's window
	// is 128 px tall, and a region is scaled up at most 3×. It defaults to 40.
	MinHeightPx int
	// Scale is the step between HOG's pyramid levels. It defaults to 1.05 (finer is slower).
	Scale float64
}

func (c *PeopleConfig) defaults() {
	if c.MinScore <= 0 {
		c.MinScore = 0.6
	}
	if c.MinHeightPx <= 0 {
		c.MinHeightPx = 40
	}
	if c.Scale <= 1 {
		c.Scale = 1.05
	}
}

// People finds standing and walking people with OpenCV's HOG detector (default weights),
// run only on regions of the frame — around motion and known tracks — each scaled so that
// a person filling it stands about HOG's window tall: running it on a whole 720p frame costs
// about a second here, on a region tens of milliseconds.
type People struct {
	Config PeopleConfig
}

// personWindowPx is the height a region's object is scaled to: HOG's 128-px window with the
// margin its training images had.
const personWindowPx = 112

// DetectRegions looks for people in each region of a full-resolution grey frame.
func (p *People) DetectRegions(grey gocv.Mat, regions []image.Rectangle) ([]Detection, error) {
	p.Config.defaults()
	frame := image.Rect(0, 0, grey.Cols(), grey.Rows())
	var all []Detection
	for _, r := range regions {
		if r.Dy() < p.Config.MinHeightPx/2 {
			continue
		}
		// Scale so the region's height becomes the window's, within 0.5..3×; then widen
		// the crop to hold the window and some context.
		s := math.Max(0.5, math.Min(3, personWindowPx/float64(max(r.Dy(), p.Config.MinHeightPx))))
		needW, needH := int(math.Ceil(96/s)), int(math.Ceil(160/s))
		cx, cy := (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2
		w, h := max(r.Dx()*3/2, needW), max(r.Dy()*3/2, needH)
		c := image.Rect(cx-w/2, cy-h/2, cx+w/2, cy+h/2).Intersect(frame)
		if c.Dx() < needW/2 || c.Dy() < needH/2 {
			continue
		}
		found, err := p.detectIn(grey, c, s)
		if err != nil {
			return nil, err
		}
		all = append(all, found...)
	}
	// Overlapping regions find the same person twice.
	return SuppressOverlaps(all, 0.4), nil
}

// detectIn runs HOG on crop c of the frame scaled by s and maps the boxes back.
func (p *People) detectIn(grey gocv.Mat, c image.Rectangle, s float64) ([]Detection, error) {
	roi := grey.Region(c)
	defer roi.Close()
	scaled := gocv.NewMat()
	defer scaled.Close()
	size := image.Pt(max(64, int(float64(c.Dx())*s)), max(128, int(float64(c.Dy())*s)))
	gocv.Resize(roi, &scaled, size, 0, 0, gocv.InterpolationLinear)
	data := scaled.ToBytes()
	boxes, scores, err := hogDetect(data, size.X, size.Y, 0, p.Config.Scale, 8, 2)
	if err != nil {
		return nil, err
	}
	sx, sy := float64(c.Dx())/float64(size.X), float64(c.Dy())/float64(size.Y)
	var out []Detection
	for i, b := range boxes {
		if scores[i] < p.Config.MinScore {
			continue
		}
		full := image.Rect(c.Min.X+int(float64(b.Min.X)*sx), c.Min.Y+int(float64(b.Min.Y)*sy),
			c.Min.X+int(float64(b.Max.X)*sx), c.Min.Y+int(float64(b.Max.Y)*sy))
		out = append(out, Detection{Box: full, Class: ClassPerson, Score: scores[i], Detector: "people"})
	}
	return out, nil
}
