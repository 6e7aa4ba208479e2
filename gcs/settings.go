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
	"strings"
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
	// MapSource is the map's base layer: an http(s) tile URL template with {z}, {x} and
	// {y} (and {s} for a, b, c subdomains), or the path of an .mbtiles file. Empty is the
	// built-in offline grid.
	MapSource string
	// MapCacheDir is where downloaded map tiles are kept; empty is the user's cache folder
	// (e.g. ~/.cache/vigil/tiles).
	MapCacheDir string
}

type settingsFile struct {
	Video          map[string]string `json:"video"`
	VideoLatencyMs int               `json:"video_latency_ms"`
	MapSource      string            `json:"map_source"`
	MapCacheDir    string            `json:"map_cache_dir"`
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
	if err := checkMapSource(f.MapSource); err != nil {
		return Settings{}, err
	}
	s := Settings{Video: map[uint8]string{}, VideoLatencyMs: f.VideoLatencyMs,
		MapSource: f.MapSource, MapCacheDir: f.MapCacheDir}
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

// checkMapSource accepts an empty source, a tile URL template or an .mbtiles path.
func checkMapSource(src string) error {
	if src == "" {
		return nil
	}
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		for _, k := range []string{"{z}", "{x}", "{y}"} {
			if !strings.Contains(src, k) {
				return fmt.Errorf("map_source: the tile URL has no %s; want e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png", k)
			}
		}
		if _, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0", "{s}", "a").Replace(src)); err != nil {
			return fmt.Errorf("map_source: not a URL (%v)", err)
		}
		return nil
	}
	if !strings.HasSuffix(strings.ToLower(src), ".mbtiles") {
		return fmt.Errorf("map_source %q: want an http(s) tile URL with {z}/{x}/{y} or an .mbtiles file", src)
	}
	return nil
}
