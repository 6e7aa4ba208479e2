package ui

import (
	"image"
	"time"
)

// VideoFeed is what the video panel shows and does: each vehicle's newest picture with
// what detection found in it, the stream's health, snapshots and recording. The station's
// camera runners (cmd/vigil) provide it. Its methods are called from the panel's own
// goroutines, never from Fyne's, and must be safe for concurrent use; Snapshot and
// SetRecording may take a moment (they write to the disk).
type VideoFeed interface {
	// Streams returns the vehicles that have a video stream, in ascending order.
	Streams() []uint8
	// Latest returns the vehicle's newest decoded picture, or false before the first.
	Latest(sysID uint8) (VideoFrame, bool)
	// Health returns the state of the vehicle's stream, or false when it has none.
	Health(sysID uint8) (VideoHealth, bool)
	// Snapshot saves the newest picture and returns the file's path.
	Snapshot(sysID uint8) (path string, err error)
	// SetRecording starts or stops recording the vehicle's stream.
	SetRecording(sysID uint8, on bool) error
	// Recording reports whether the stream is being recorded and the segment file being
	// written (empty while waiting for a keyframe), or the last recording error.
	Recording(sysID uint8) RecordingState
}

// VideoFrame is one picture and the objects to draw on it. The feed hands it over and
// never changes it afterwards (nor its Image or Boxes), so the panel may keep and read it
// from any goroutine.
type VideoFrame struct {
	// Seq counts the stream's pictures; a new one has a larger Seq.
	Seq uint64
	// Image is the picture as decoded (usually *image.YCbCr).
	Image image.Image
	// Captured is when the camera took it.
	Captured time.Time
	// Boxes are the tracks (and detections) of the newest detection result, in Image's
	// pixels; detection lags the picture by its processing time.
	Boxes []VideoBox
}

// VideoBox is one tracked object (or a detection) on a picture.
type VideoBox struct {
	// Rect is the box in the frame's pixels.
	Rect image.Rectangle
	// TrackID is the tracker's id; 0 for a detection that no track holds yet.
	TrackID uint64
	Class   string
	Score   float64
	// Lost marks a track that the detector did not see in this frame: its box is the
	// tracker's prediction.
	Lost bool
}

// VideoHealth is the state of a stream as the panel's status line says it.
type VideoHealth struct {
	// State is the stream's state: "connecting", "playing", "stalled", "reconnecting",
	// "failed" or "closed"; Reason says why it is not playing, in one sentence.
	State  string
	Reason string
	// FPS is the decoded pictures per second over the last second.
	FPS float64
	// LatencyP50 and LatencyP95 are capture-to-decoded over the last few hundred pictures;
	// zero when the camera sends no timing (RTCP sender reports) to measure it by.
	LatencyP50, LatencyP95 time.Duration
	// Width and Height are the stream's picture size.
	Width, Height int
}

// Playing reports whether pictures are arriving.
func (h VideoHealth) Playing() bool { return h.State == "playing" }

// RecordingState is a stream's recording as the panel shows it.
type RecordingState struct {
	On bool
	// Segment is the file being written (empty between segments).
	Segment string
	// Err is the last problem the recording had (a full disk), empty when none.
	Err string
}
