package track

import (
	"errors"
	"fmt"
)

// ErrNotInitialized is returned by Update and Predict before Initialize.
var ErrNotInitialized = errors.New("tracker not initialized")

// ErrTimeWentBack is returned by Update and Predict for a frame captured before the previous
// processed frame: frames must come in capture order.
var ErrTimeWentBack = errors.New("frame captured before the previous processed frame")

// ErrBadHomography is returned for an ego-motion homography that cannot be a camera motion
// (non-finite or singular).
var ErrBadHomography = errors.New("bad ego-motion homography")

// DetectionError is returned by Update for a detection it cannot track: an empty or
// non-finite box, or a non-finite score. Index is the detection's place in the slice.
type DetectionError struct {
	Index  int
	Reason string
}

// Error implements error.
func (e *DetectionError) Error() string {
	return fmt.Sprintf("detection %d: %s", e.Index, e.Reason)
}
