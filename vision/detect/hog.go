package detect

// #cgo !windows pkg-config: opencv4
// #cgo CXXFLAGS: --std=c++11
// #include <stdlib.h>
// #include "opencv_helper.h"
import "C"

import (
	"errors"
	"image"
	"math"
	"runtime"
	"unsafe"
)

// hogDetect runs OpenCV's HOG people detector on a packed grey image (stride = width) through
// our own C++ helper rather than gocv's: gocv v0.31's HOGDefaultPeopleDetector wraps
// OpenCV's temporary weight array without copying it, so a detector built on it reads freed
// memory — slower and with false detections (gocv issues #300 and #1062) — and gocv's
// DetectMultiScale does not return the detections' scores.
func hogDetect(grey []byte, width, height int, hitThreshold, scale float64, winStride int, finalThreshold float64) ([]image.Rectangle, []float64, error) {
	if width < 64 || height < 128 || len(grey) < width*height {
		return nil, nil, nil // smaller than the detection window: nothing to find
	}
	const capacity = 256
	rects := make([]C.int, 4*capacity)
	weights := make([]C.float, capacity)
	var pin runtime.Pinner
	pin.Pin(&grey[0])
	defer pin.Unpin()
	n := int(C.vigil_hog_detect((*C.uchar)(unsafe.Pointer(&grey[0])), C.int(width), C.int(height), C.int(width),
		C.double(hitThreshold), C.double(scale), C.int(winStride), C.double(finalThreshold),
		&rects[0], &weights[0], capacity))
	if n < 0 {
		return nil, nil, errors.New("OpenCV's HOG detector failed on this image")
	}
	n = min(n, capacity)
	boxes := make([]image.Rectangle, n)
	scores := make([]float64, n)
	for i := range n {
		x, y, w, h := int(rects[4*i]), int(rects[4*i+1]), int(rects[4*i+2]), int(rects[4*i+3])
		boxes[i] = image.Rect(x, y, x+w, y+h)
		scores[i] = svmScore(float64(weights[i]))
	}
	return boxes, scores, nil
}

// svmScore maps an SVM margin (0 at the decision boundary, 1-3 for clear people) to 0..1.
func svmScore(margin float64) float64 { return 1 / (1 + math.Exp(-2*margin)) }

// SetOpenCVThreads sets how many threads OpenCV's own parallel loops (resize, warp, HOG's
// pyramid) may use in this process. Vigil runs one pipeline per stream on its own goroutine,
// so 1 keeps a stream's detection on one core and makes the per-stream figures honest; 0
// restores OpenCV's default (all cores).
func SetOpenCVThreads(n int) { C.vigil_cv_set_threads(C.int(n)) }
