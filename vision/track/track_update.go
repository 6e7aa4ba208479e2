package track

import "time"

// State is where a track stands in its life.
type State int

// The states of a track. A track starts Tentative, becomes Tracked after Tracker.ConfirmHits
// consecutive detections, is Lost in frames without a detection (its box is then the filter's
// prediction), and is Removed, reported once, after Tracker.MaxUnseen without one.
const (
	StateTentative State = iota
	StateTracked
	StateLost
	StateRemoved
)

// String implements fmt.Stringer.
func (s State) String() string {
	switch s {
	case StateTentative:
		return "tentative"
	case StateTracked:
		return "tracked"
	case StateLost:
		return "lost"
	case StateRemoved:
		return "removed"
	}
	return "unknown"
}

// TrackUpdate is one track in one processed frame: everything geotagging and the UI need.
type TrackUpdate struct {
	// ID is the track's identity, unique for the Tracker's life: 1, 2, 3… in order of
	// appearance. An id is never reused.
	ID    uint64
	State State
	// Class is the most frequent class among the track's recent detections; Score is the
	// median score of that class among them.
	Class string
	Score float64
	// Box is the filter's box in this frame's pixels: the smoothed detection when Tracked,
	// the prediction when Lost.
	Box Box
	// VelocityPxPerS is how the object moves relative to the scene, in this frame's pixels per
	// second: the camera's own motion is removed, so a parked car reads (0, 0) while the drone
	// pans.
	VelocityPxPerS Vec
	// At is the frame's capture time, which geotagging matches with the vehicle's pose.
	At time.Time
	// Hits counts the detections the track has been given.
	Hits int
	// Age is the time since the track's first detection; Unseen the time since its last one
	// (zero when Tracked).
	Age    time.Duration
	Unseen time.Duration
}

// GroundPoint is the box's bottom centre, where the object touches the ground: the pixel to
// geotag.
func (u *TrackUpdate) GroundPoint() Vec { return u.Box.BottomCenter() }
