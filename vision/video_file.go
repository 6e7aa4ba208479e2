package vision

import (
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"time"

	"gocv.io/x/gocv"
)

// VideoFile reads a recorded video (anything OpenCV's FFmpeg backend opens: MP4, AVI, MPEG-TS,
// MKV…) as frames, for running detection on footage. Capture times are the file's own
// timestamps from Start.
type VideoFile struct {
	Path  string
	Start time.Time

	vc       *gocv.VideoCapture
	bgr, yuv gocv.Mat
	seq      uint64
	declared int
}

// ErrEndedEarly is returned (wrapped, after the last frame) when a file holds fewer frames
// than its header declares: a recording cut off by a crash or a copy.
var ErrEndedEarly = errors.New("video ended early")

// OpenVideoFile opens a video file; frame 0 is dated start.
func OpenVideoFile(path string, start time.Time) (*VideoFile, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	// FFmpeg's reader only: OpenCV would otherwise try GStreamer and an image-sequence
	// reader in turn, each printing its complaints to stderr.
	vc, err := gocv.VideoCaptureFileWithAPI(path, gocv.VideoCaptureFFmpeg)
	if err != nil || !vc.IsOpened() {
		if vc != nil {
			vc.Close()
		}
		return nil, fmt.Errorf("%s: not a video this build can read", path)
	}
	return &VideoFile{
		Path: path, Start: start, vc: vc, bgr: gocv.NewMat(), yuv: gocv.NewMat(),
		declared: int(vc.Get(gocv.VideoCaptureFrameCount)),
	}, nil
}

// FPS is the file's nominal frame rate (0 when it does not say).
func (f *VideoFile) FPS() float64 { return f.vc.Get(gocv.VideoCaptureFPS) }

// Next returns the next frame, io.EOF after the last, or an error wrapping ErrEndedEarly
// when the file stops before the frame count its header declares.
func (f *VideoFile) Next() (*Frame, error) {
	if !f.vc.Read(&f.bgr) || f.bgr.Empty() {
		if f.declared > 0 && int(f.seq) < f.declared-1 {
			return nil, fmt.Errorf("%w: %s has %d of the %d frames it declares", ErrEndedEarly, f.Path, f.seq, f.declared)
		}
		return nil, io.EOF
	}
	w, h := f.bgr.Cols()&^1, f.bgr.Rows()&^1
	src := f.bgr
	if w != f.bgr.Cols() || h != f.bgr.Rows() {
		src = f.bgr.Region(image.Rect(0, 0, w, h)) // 4:2:0 wants even sizes
		defer src.Close()
	}
	gocv.CvtColor(src, &f.yuv, gocv.ColorBGRToYUVI420)
	data := f.yuv.ToBytes()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	n, c := w*h, (w/2)*(h/2)
	copy(img.Y, data[:n])
	copy(img.Cb, data[n:n+c])
	copy(img.Cr, data[n+c:n+2*c])
	f.seq++
	at := f.Start.Add(time.Duration(f.vc.Get(gocv.VideoCapturePosMsec) * float64(time.Millisecond)))
	return &Frame{Seq: f.seq, Image: img, Captured: at, Arrived: at, Decoded: at}, nil
}

// Close releases the file.
func (f *VideoFile) Close() {
	f.bgr.Close()
	f.yuv.Close()
	f.vc.Close()
}
