package gcs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
)

// Settings is the station's settings file (JSON, by default settings.json in the user's
// config folder, e.g. ~/.config/vigil/settings.json). Every field is optional:
//
//	{
//	  "video": {
//	    "1": "rtsp://user:pass@192.168.144.25:8554/main.264",
//	    "2": "udp://:5600"
//	  },
//	  "video_latency_ms": 120
//	}
type Settings struct {
	// Video maps a vehicle's system id to its camera's stream URL, overriding (or standing
	// in for) the URI the vehicle reports in VIDEO_STREAM_INFORMATION.
	Video map[uint8]string
	// VideoLatencyMs is the capture-to-arrival latency assumed for streams without RTCP
	// sender reports; 0 keeps the default.
	VideoLatencyMs int
}

type settingsFile struct {
	Video          map[string]string `json:"video"`
	VideoLatencyMs int               `json:"video_latency_ms"`
}

// DefaultSettingsPath is where the station looks for its settings file.
func DefaultSettingsPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "settings.json"
	}
	return filepath.Join(dir, "vigil", "settings.json")
}

// LoadSettings reads a settings file; a missing file is empty settings, not an error.
func LoadSettings(path string) (Settings, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, err
	}
	defer f.Close()
	s, err := ReadSettings(f)
	if err != nil {
		return Settings{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ReadSettings parses settings JSON. Unknown fields are an error, so a typo ("vidoe") does
// not silently do nothing.
func ReadSettings(r io.Reader) (Settings, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Settings{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f settingsFile
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")) + 1
			return Settings{}, fmt.Errorf("line %d: %v", line, err)
		}
		return Settings{}, fmt.Errorf("settings: %w", err)
	}
	if f.VideoLatencyMs < 0 || f.VideoLatencyMs > 10000 {
		return Settings{}, fmt.Errorf("video_latency_ms %d: want 0 to 10000", f.VideoLatencyMs)
	}
	s := Settings{Video: map[uint8]string{}, VideoLatencyMs: f.VideoLatencyMs}
	for k, v := range f.Video {
		id, err := strconv.Atoi(k)
		if err != nil || id < 1 || id > 255 {
			return Settings{}, fmt.Errorf("video: %q is not a system id (1-255)", k)
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "rtsp" && u.Scheme != "rtsps" && u.Scheme != "udp") {
			return Settings{}, fmt.Errorf("video for vehicle %d: want an rtsp://, rtsps:// or udp:// URL", id)
		}
		s.Video[uint8(id)] = v
	}
	return s, nil
}

// VideoURL is the stream to play for a vehicle: the settings' URL when there is one, else
// what the vehicle announced (empty when neither).
func (s Settings) VideoURL(v Vehicle) string {
	if u, ok := s.Video[v.SysID]; ok {
		return u
	}
	if v.Camera != nil {
		return v.Camera.VideoURI
	}
	return ""
}
