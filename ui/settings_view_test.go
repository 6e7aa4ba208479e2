package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

func newTestSettingsView(t *testing.T, path string) *SettingsView {
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	v := NewSettingsView(path, []gcs.CameraSpec{{Name: "Sony a6000 16mm"}}, w)
	w.SetContent(v.Object())
	w.Resize(fyne.NewSize(800, 900))
	return v
}

// A valid page is saved and reads back through LoadSettings as it was typed.
func TestSettingsViewSaveRoundTrips(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigil", "settings.json")
	v := newTestSettingsView(t, path)
	require.Equal(t, "metric", v.units.Selected, "no file: the defaults")
	test.Type(v.links, "udp://:14550\n\ntcp://192.168.1.10:5760\n")
	r := v.video.add("2", "rtsp://cam:pw@192.168.144.25:8554/main.264")
	require.NotNil(t, r)
	v.video.add("", "") // an empty row is ignored
	v.latency.SetText("120")
	v.cameras.add("1", "Sony a6000 16mm")
	v.dem.SetText("/data/srtm")
	v.mapSource.SetText("/data/area.mbtiles")
	v.mapCache.SetText("/var/cache/vigil")
	v.cot.SetText("udp://239.2.3.1:6969")
	v.units.SetSelected("imperial")
	var saved *gcs.Settings
	v.OnSaved = func(s gcs.Settings) { saved = &s }
	require.True(t, v.Save())
	require.Empty(t, v.Problems())
	require.Equal(t, widget.MediumImportance, v.status.Importance)
	require.Contains(t, v.status.Text, "take effect the next time Vigil starts")

	want := gcs.Settings{
		Links: []string{"udp://:14550", "tcp://192.168.1.10:5760"},
		Video: map[uint8]string{2: "rtsp://cam:pw@192.168.144.25:8554/main.264"}, VideoLatencyMs: 120,
		Cameras: map[uint8]string{1: "Sony a6000 16mm"}, DEMDir: "/data/srtm",
		MapSource: "/data/area.mbtiles", MapCacheDir: "/var/cache/vigil",
		CoTOutput: "udp://239.2.3.1:6969", Units: gcs.UnitsImperial,
	}
	got, err := gcs.LoadSettings(path)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.Equal(t, want, *saved)

	// Opening the page again shows what was saved.
	again := newTestSettingsView(t, path)
	s, problems := again.Settings()
	require.Empty(t, problems)
	require.Equal(t, want, s)
}

// Problems are shown under their fields, all at once, and nothing is written.
func TestSettingsViewShowsProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	require.NoError(t, gcs.SaveSettings(path, gcs.Settings{VideoLatencyMs: 50}))
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	v := newTestSettingsView(t, path)
	require.Equal(t, "50", v.latency.Text)
	v.CheckLink = func(s string) error {
		if strings.HasPrefix(s, "tcp://") && !strings.Contains(s, ":5760") {
			return errors.New("connection refused by the test")
		}
		return nil
	}
	v.links.SetText("udp://:14550\ntcp://10.0.0.1:9")
	v.video.add("3", "http://cam/x")
	v.video.add("300", "rtsp://cam/y")
	v.cameras.add("1", "")
	v.latency.SetText("fast")
	v.dem.SetText("srtm")
	v.mapSource.SetText("https://tiles.example/{z}/{x}.png")
	v.cot.SetText("239.2.3.1:6969")
	require.False(t, v.Save())
	require.Equal(t, map[string]string{
		"links":            "line 2: connection refused by the test",
		"video":            `row 2: vehicle "300" is not a system id (1-255)`,
		"video_latency_ms": `"fast" is not a whole number of milliseconds`,
		"cameras":          "vehicle 1: no camera named",
		"dem_dir":          `"srtm": want a full path to a folder of .hgt tiles`,
		"map_source":       `"https://tiles.example/{z}/{x}.png": the tile URL has no {y}`,
		"cot_output":       `"239.2.3.1:6969": want udp://HOST:PORT (e.g. udp://239.2.3.1:6969) or tcp://HOST:PORT for a TAK server`,
	}, v.Problems())
	require.Equal(t, "Not saved: 7 settings need fixing (shown in red).", v.status.Text)
	require.Equal(t, widget.DangerImportance, v.status.Importance)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, before, after, "nothing written")

	// Fixing them one by one: the red lines go as their problems do.
	v.video.rows[1].id.SetText("4")
	v.cameras.rows[0].set("Sony a6000")
	require.False(t, v.Save())
	require.Equal(t, "vehicle 3: want an rtsp://, rtsps:// or udp:// URL", v.Problems()["video"])
	require.Equal(t, `vehicle 1: "Sony a6000" is not in the camera catalogue`, v.Problems()["cameras"])
	v.links.SetText("udp://:14550")
	v.video.rows[0].set("udp://:5600")
	v.cameras.rows[0].set("Sony a6000 16mm")
	v.latency.SetText("")
	v.dem.SetText("")
	v.mapSource.SetText("")
	v.cot.SetText("")
	require.True(t, v.Save())
	require.Empty(t, v.Problems())
	got, err := gcs.LoadSettings(path)
	require.NoError(t, err)
	require.Equal(t, map[uint8]string{3: "udp://:5600", 4: "rtsp://cam/y"}, got.Video)
}

// A settings file that cannot be read is said so; the page starts empty and saving
// replaces the file.
func TestSettingsViewBrokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"vidoe": {}}`), 0o600))
	v := newTestSettingsView(t, path)
	require.Equal(t, widget.DangerImportance, v.status.Importance)
	require.Contains(t, v.status.Text, `unknown field "vidoe"`)
	require.True(t, v.Save())
	_, err := gcs.LoadSettings(path)
	require.NoError(t, err)
}
