package gcs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var casesSettings = []struct {
	name, in, err string
}{
	{"video per vehicle", `{"video": {"1": "rtsp://u:p@10.0.0.2/main", "2": "udp://:5600"}, "video_latency_ms": 120}`, ""},
	{"empty", `{}`, ""},
	{"typo", `{"vidoe": {}}`, `settings: json: unknown field "vidoe"`},
	{"syntax", "{\n  \"video\": {\n    \"1\": \"rtsp://x\",\n  }\n}", "line 4: invalid character '}' looking for beginning of object key string"},
	{"not a system id", `{"video": {"drone": "rtsp://x/y"}}`, `video: "drone" is not a system id (1-255)`},
	{"not a stream", `{"video": {"3": "http://u:secret@cam/x"}}`, "video for vehicle 3: want an rtsp://, rtsps:// or udp:// URL"},
	{"latency", `{"video_latency_ms": -5}`, "video_latency_ms -5: want 0 to 10000"},
	{"map tiles", `{"map_source": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "map_cache_dir": "/tmp/tiles"}`, ""},
	{"map file", `{"map_source": "/data/camp.mbtiles"}`, ""},
	{"map subdomains", `{"map_source": "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png"}`, ""},
	{"map URL without y", `{"map_source": "https://tiles.example/{z}/{x}.png"}`, "map_source: the tile URL has no {y}; want e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"},
	{"map neither", `{"map_source": "camp.tif"}`, `map_source "camp.tif": want an http(s) tile URL with {z}/{x}/{y} or an .mbtiles file`},
}

func TestReadSettings(t *testing.T) {
	for _, c := range casesSettings {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadSettings(strings.NewReader(c.in))
			if c.err == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, c.err)
			require.NotContains(t, err.Error(), "secret", "a password never reaches an error")
		})
	}
}

func TestSettingsVideoURL(t *testing.T) {
	s, err := ReadSettings(strings.NewReader(`{"video": {"2": "udp://:5600"}}`))
	require.NoError(t, err)
	announced := &CameraInfo{VideoURI: "rtsp://192.168.144.25:8554/main.264"}
	require.Equal(t, "rtsp://192.168.144.25:8554/main.264", s.VideoURL(Vehicle{SysID: 1, Camera: announced}))
	require.Equal(t, "udp://:5600", s.VideoURL(Vehicle{SysID: 2, Camera: announced}), "the settings win")
	require.Empty(t, s.VideoURL(Vehicle{SysID: 3}))
}

func TestSettingsMap(t *testing.T) {
	s, err := ReadSettings(strings.NewReader(`{"map_source": "/data/camp.mbtiles", "map_cache_dir": "/tmp/t"}`))
	require.NoError(t, err)
	require.Equal(t, "/data/camp.mbtiles", s.MapSource)
	require.Equal(t, "/tmp/t", s.MapCacheDir)
}

func TestLoadSettingsMissingFileIsEmpty(t *testing.T) {
	s, err := LoadSettings(filepath.Join(t.TempDir(), "none.json"))
	require.NoError(t, err)
	require.Empty(t, s.Video)
	path := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(path, []byte("{"), 0o600))
	_, err = LoadSettings(path)
	require.ErrorContains(t, err, path)
}

func FuzzReadSettings(f *testing.F) {
	for _, c := range casesSettings {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ReadSettings(strings.NewReader(in))
		if err != nil {
			return
		}
		for id, u := range s.Video {
			require.NotZero(t, id)
			require.NotEmpty(t, u)
		}
	})
}
