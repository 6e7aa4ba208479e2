package detect

import (
	"fmt"
	"image"
	"image/color"

	"gocv.io/x/gocv"

	"github.com/vigil-gcs/vigil/vision/track"
)

// Colours of the debug view, by what they mark.
var (
	motionColour  = color.RGBA{160, 160, 160, 0}
	trackColour   = color.RGBA{0, 220, 255, 0}
	lostColour    = color.RGBA{0, 140, 255, 0}
	classColours  = map[string]color.RGBA{ClassPerson: {60, 220, 60, 0}, ClassAnomaly: {255, 60, 220, 0}}
	defaultColour = color.RGBA{255, 200, 0, 0}
)

// Annotate draws a result over its frame for a debug view or an annotated recording: motion
// boxes thin and grey, detections in their class's colour, confirmed tracks with their id,
// class and score (lost tracks, coasting on their prediction, in orange). The Mat is BGR; the
// caller closes it.
func Annotate(res Result) (gocv.Mat, error) {
	rgb, err := toRGB(res.Frame.Image)
	if err != nil {
		return gocv.Mat{}, err
	}
	gocv.CvtColor(rgb, &rgb, gocv.ColorBGRToRGB) // the same swap
	for _, b := range res.Motion.Boxes {
		gocv.Rectangle(&rgb, b, motionColour, 1)
	}
	for _, d := range res.Detections {
		if d.Class == ClassMotion {
			continue
		}
		c, ok := classColours[d.Class]
		if !ok {
			c = defaultColour
		}
		gocv.Rectangle(&rgb, d.Box, c, 2)
	}
	for _, tr := range res.Tracks {
		if tr.State != track.StateTracked && tr.State != track.StateLost {
			continue
		}
		c := trackColour
		if tr.State == track.StateLost {
			c = lostColour
		}
		r := tr.Box.Rect()
		gocv.Rectangle(&rgb, r, c, 1)
		label := fmt.Sprintf("#%d %s %.2f", tr.ID, tr.Class, tr.Score)
		gocv.PutText(&rgb, label, image.Pt(r.Min.X, max(12, r.Min.Y-4)), gocv.FontHersheyPlain, 1, c, 1)
	}
	return rgb, nil
}
