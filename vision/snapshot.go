package vision

import (
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
)

// snapshotQuality is the JPEG quality of snapshots: 90 keeps the detail an analyst zooms
// into at about a tenth of the raw picture's size.
const snapshotQuality = 90

// SaveSnapshot writes frame f as a JPEG file at path (the caller names it). The file is
// written under a temporary name and renamed, so path never holds half a picture.
func SaveSnapshot(path string, f *Frame) error {
	if f == nil || f.Image == nil || f.Image.Rect.Empty() {
		return errors.New("snapshot: no picture yet")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	err = tmp.Chmod(0o644) // as os.Create would; CreateTemp makes it private
	if err == nil {
		err = jpeg.Encode(tmp, f.Image, &jpeg.Options{Quality: snapshotQuality})
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	return nil
}

// SaveCrop writes a JPEG of part of a frame (a detected object with some context around it),
// at least minSide pixels on its shorter side so that a small object is still recognisable.
func SaveCrop(path string, f *Frame, r image.Rectangle, minSide int) error {
	if f == nil || f.Image == nil {
		return errors.New("snapshot: no picture")
	}
	c := r.Inset(-max(r.Dx(), r.Dy()) / 2)
	if grow := minSide - min(c.Dx(), c.Dy()); grow > 0 {
		c = c.Inset(-(grow + 1) / 2)
	}
	c = c.Intersect(f.Image.Rect)
	if c.Empty() {
		return errors.New("snapshot: the box is outside the picture")
	}
	sub, ok := f.Image.SubImage(c).(*image.YCbCr)
	if !ok {
		return errors.New("snapshot: unexpected picture type")
	}
	return SaveSnapshot(path, &Frame{Image: sub, Captured: f.Captured})
}
