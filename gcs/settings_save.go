package gcs

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// WriteSettings writes settings as the JSON ReadSettings reads, after checking them: a
// setting that cannot be used is refused, not written.
func WriteSettings(w io.Writer, s Settings) error {
	if err := s.Check(); err != nil {
		return err
	}
	f := settingsFile{VideoLatencyMs: s.VideoLatencyMs, Links: s.Links, DEMDir: s.DEMDir,
		CoTOutput: s.CoTOutput, Units: s.Units, MapSource: s.MapSource, MapCacheDir: s.MapCacheDir,
		Video: vehicleKeys(s.Video), Cameras: vehicleKeys(s.Cameras)}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// SaveSettings checks settings and writes them to path atomically (the file is the old one
// or the new one, never half of each). The file is readable by its owner only: stream URLs
// may hold passwords.
func SaveSettings(path string, s Settings) error {
	if err := s.Check(); err != nil {
		return err
	}
	if err := WriteFileAtomic(path, 0o600, func(w io.Writer) error { return WriteSettings(w, s) }); err != nil {
		return fmt.Errorf("saving settings to %s: %w", path, err)
	}
	return nil
}

func vehicleKeys(m map[uint8]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for id, v := range m {
		out[strconv.Itoa(int(id))] = v
	}
	return out
}
