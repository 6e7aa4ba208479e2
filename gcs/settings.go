package gcs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
//	  "video_latency_ms": 120,
//	  "map_source": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
//	  "map_cache_dir": "/var/cache/vigil/tiles"
//	}
type Settings struct {
	// Video maps a vehicle's system id to its camera's stream URL, overriding (or standing
	// in for) the URI the vehicle reports in VIDEO_STREAM_INFORMATION.
	Video map[uint8]string
	// VideoLatencyMs is the capture-to-arrival latency assumed for streams without RTCP
	// sender reports; 0 keeps the default.
	VideoLatencyMs int

	// Links are the connection strings of the vehicles' links ("udp://:14550",
	// "tcp://192.168.1.10:5760", "serial:///dev/ttyUSB0:57600"), used when none is given on
	// the command line.
	Links []string
	// Cameras maps a vehicle's system id to a camera of the catalogue (assets/cameras.json),
	// for a vehicle that does not describe its camera.
	Cameras map[uint8]string
	// DEMDir is a folder of SRTM .hgt tiles; empty is level ground at home altitude.
	DEMDir string
	// CoTOutput is where Cursor on Target events go (udp://HOST:PORT or tcp://HOST:PORT);
	// empty sends none.
	CoTOutput string
	// Units is how distances, heights and speeds are shown: UnitsMetric (the default) or
	// UnitsImperial.
	Units Units
	// MapSource is the map's base: a tile URL template ("https://tile.example/{z}/{x}/{y}.png")
	// or an .mbtiles file; empty is the built-in offline grid. MapCacheDir is where
	// downloaded tiles are kept; empty is the user's cache folder.
	MapSource   string
	MapCacheDir string
}

type settingsFile struct {
	Video          map[string]string `json:"video,omitempty"`
	VideoLatencyMs int               `json:"video_latency_ms,omitempty"`
	Links          []string          `json:"links,omitempty"`
	Cameras        map[string]string `json:"cameras,omitempty"`
	DEMDir         string            `json:"dem_dir,omitempty"`
	CoTOutput      string            `json:"cot_output,omitempty"`
	Units          Units             `json:"units,omitempty"`
	MapSource      string            `json:"map_source,omitempty"`
	MapCacheDir    string            `json:"map_cache_dir,omitempty"`
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
	s := Settings{Video: map[uint8]string{}, VideoLatencyMs: f.VideoLatencyMs, Links: f.Links,
		Cameras: map[uint8]string{}, DEMDir: f.DEMDir, CoTOutput: f.CoTOutput, Units: f.Units,
		MapSource: f.MapSource, MapCacheDir: f.MapCacheDir}
	if err := readVehicleKeys("video", f.Video, s.Video); err != nil {
		return Settings{}, err
	}
	if err := readVehicleKeys("cameras", f.Cameras, s.Cameras); err != nil {
		return Settings{}, err
	}
	if err := s.Check(); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// readVehicleKeys reads a JSON object keyed by system id.
func readVehicleKeys(key string, in map[string]string, out map[uint8]string) error {
	for k, v := range in {
		id, err := strconv.Atoi(k)
		if err != nil || id < 1 || id > 255 {
			return fmt.Errorf("%s: %q is not a system id (1-255)", key, k)
		}
		out[uint8(id)] = v
	}
	return nil
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
