package vision

import (
	"errors"
	"fmt"
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
