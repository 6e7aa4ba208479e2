package track_test

import (
	"fmt"
	"image"
	"time"

	"github.com/vigil-gcs/vigil/vision/track"
)

// A parked car seen while the drone pans right by 15 px a frame: the ego-motion homography
// keeps it one track, standing still.
func ExampleTracker() {
	tr := &track.Tracker{} // the defaults: confirmed after 3 hits, removed after 5 s unseen
	if err := tr.Initialize(); err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	pan := track.Homography{1, 0, -15, 0, 1, 0, 0, 0, 1} // previous frame → this one
	for k := range 4 {
		at := start.Add(time.Duration(k) * time.Second / 30) // the frame's capture time
		ego := &pan
		if k == 0 {
			ego = nil
		}
		x := 600 - 15*k
		updates, err := tr.Update(at, ego, []track.Detection{{
			Box:   track.BoxFromRect(image.Rect(x, 300, x+40, 320)),
			Class: "car",
			Score: 0.8,
		}})
		if err != nil {
			fmt.Println(err) // frames out of order, a bad homography or detection
			continue
		}
		for _, u := range updates {
			fmt.Printf("frame %d: track %d %s %s %.1f at %v, ground point %.0f, %.0f px/s\n",
				k, u.ID, u.State, u.Class, u.Score, u.Box.Rect(), u.GroundPoint(), u.VelocityPxPerS)
		}
	}
	// Output:
	// frame 2: track 1 tracked car 0.8 at (570,300)-(610,320), ground point {590 320}, {0 0} px/s
	// frame 3: track 1 tracked car 0.8 at (555,300)-(595,320), ground point {575 320}, {0 0} px/s
}
