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
	{"latency", `{"video_latency_ms": -5}`, "video_latency_ms: -5 ms: want 0 to 10000"},
	{"everything", `{"links": ["udp://:14550", "serial:///dev/ttyUSB0:57600"], "cameras": {"1": "Sony a6000 16mm"},
		"dem_dir": "/data/srtm", "cot_output": "udp://239.2.3.1:6969", "units": "imperial",
		"map_source": "https://tile.example/{z}/{x}/{y}.png", "map_cache_dir": "/var/cache/vigil"}`, ""},
	{"mbtiles", `{"map_source": "/data/area.mbtiles"}`, ""},
	{"link without scheme", `{"links": ["192.168.1.10:5760"]}`, `links: link 1: "192.168.1.10:5760": want scheme://address, e.g. udp://:14550, tcp://host:5760, serial:///dev/ttyUSB0:57600`},
	{"empty link", `{"links": ["udp://:14550", ""]}`, "links: link 2: empty: remove it or write one like udp://:14550"},
	{"camera key", `{"cameras": {"0": "x"}}`, `cameras: "0" is not a system id (1-255)`},
	{"camera unnamed", `{"cameras": {"4": " "}}`, "cameras for vehicle 4: no camera named"},
	{"relative dem", `{"dem_dir": "srtm"}`, `dem_dir: "srtm": want a full path to a folder of .hgt tiles`},
	{"cot scheme", `{"cot_output": "239.2.3.1:6969"}`, `cot_output: "239.2.3.1:6969": want udp://HOST:PORT (e.g. udp://239.2.3.1:6969) or tcp://HOST:PORT for a TAK server`},
	{"cot port", `{"cot_output": "tcp://tak.local"}`, `cot_output: "tcp://tak.local": want udp://HOST:PORT (e.g. udp://239.2.3.1:6969) or tcp://HOST:PORT for a TAK server`},
	{"units", `{"units": "nautical"}`, `units: "nautical": want "metric" or "imperial"`},
	{"tile url", `{"map_source": "https://tile.example/{z}/{x}.png"}`, `map_source: "https://tile.example/{z}/{x}.png": the tile URL has no {y}`},
	{"map source", `{"map_source": "tiles"}`, `map_source: "tiles": want an http(s):// tile URL with {z}, {x} and {y}, or the full path of an .mbtiles file`},
	{"cache", `{"map_cache_dir": "cache"}`, `map_cache_dir: "cache": want a full path to a folder`},
	{"map subdomains", `{"map_source": "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png"}`, ""},
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

// Saved settings read back the same, and a file that cannot be used is never written.
func TestSaveSettingsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigil", "settings.json")
	want := Settings{
		Video: map[uint8]string{1: "rtsp://u:p@10.0.0.2/main", 2: "udp://:5600"}, VideoLatencyMs: 120,
		Links: []string{"udp://:14550"}, Cameras: map[uint8]string{1: "Sony a6000 16mm"}, DEMDir: "/data/srtm",
		CoTOutput: "udp://239.2.3.1:6969", Units: UnitsImperial,
		MapSource: "/data/area.mbtiles", MapCacheDir: "/var/cache/vigil",
	}
	require.NoError(t, SaveSettings(path, want))
	got, err := LoadSettings(path)
	require.NoError(t, err)
	require.Equal(t, want, got)
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "stream passwords stay the owner's")

	bad := want
	bad.Units = "furlongs"
	bad.CoTOutput = "localhost"
	require.EqualError(t, SaveSettings(path, bad), `cot_output: "localhost": want udp://HOST:PORT (e.g. udp://239.2.3.1:6969) or tcp://HOST:PORT for a TAK server`)
	require.Len(t, bad.Problems(), 2, "every problem is listed, for the settings view")
	got, err = LoadSettings(path)
	require.NoError(t, err)
	require.Equal(t, want, got, "the old file is untouched")
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left behind")
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
		// What was read is written back and reads the same.
		var b strings.Builder
		require.NoError(t, WriteSettings(&b, s))
		back, err := ReadSettings(strings.NewReader(b.String()))
		require.NoError(t, err)
		if len(s.Links) == 0 {
			s.Links = nil
		}
		require.Equal(t, s, back)
	})
}
