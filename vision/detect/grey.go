package detect

import (
	"fmt"
	"image"

	"gocv.io/x/gocv"
)

// Grey wraps a picture's luma plane as an 8-bit grey Mat (a copy: OpenCV keeps no pointer
// into Go memory). The caller closes it.
func Grey(img *image.YCbCr) (gocv.Mat, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w == 0 || h == 0 {
		return gocv.Mat{}, fmt.Errorf("empty picture")
	}
	if img.YStride == w {
		return gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, img.Y[:w*h])
	}
	packed := make([]byte, w*h)
	for y := range h {
		copy(packed[y*w:(y+1)*w], img.Y[y*img.YStride:y*img.YStride+w])
	}
	return gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, packed)
}
