// Package vision is Vigil's video: RTSP and RTP ingest with low-latency decoding, stream
// health, the one-slot hand-off to consumers, recording and snapshots. Detection and
// tracking build on its frames.
package vision

import (
	"image"
	"time"
)

// Frame is one decoded picture and the times that place it.
//
// Pictures are 8-bit YCbCr as the decoder produced them (usually 4:2:0, BT.601/709 limited
// range): the luma plane is the grey image motion detection wants, with no conversion, and
// image.YCbCr is a standard image the UI can draw. Converting to RGB for every frame would
// cost more than decoding it.
type Frame struct {
	// Seq counts decoded frames of the stream from 1.
	Seq   uint64
	Image *image.YCbCr
	// Captured is when the camera captured the picture, on the station's clock: from the RTCP
	// sender reports when the server sends them (CapturedFromSender), otherwise Arrived minus
	// the stream's configured latency.
	Captured           time.Time
	CapturedFromSender bool
	// Arrived is when the last packet of the picture arrived; Decoded when decoding finished.
	Arrived time.Time
	Decoded time.Time
}

// Latency is the capture-to-decoded delay.
func (f *Frame) Latency() time.Duration { return f.Decoded.Sub(f.Captured) }
