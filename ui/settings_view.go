package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// restartNote says when saved settings apply: the station reads them as it starts.
const restartNote = "Saved settings take effect the next time Vigil starts: links, video, cameras, " +
	"terrain, map and Cursor on Target are all set up at start-up."

// SettingsView is the settings page: it edits the settings file (links, each vehicle's
// video URL and camera, video latency, terrain folder, map source and tile cache, Cursor on
// Target output, units). Save checks everything first and shows each problem under its
// field; only settings that can all be used are written, atomically.
type SettingsView struct {
	// CheckLink, when set, checks a connection string fully (the MAVLink adapter's parser);
	// without it only the scheme://address form is checked.
	CheckLink func(string) error
	// OnSaved, when set, is called with the settings just saved.
	OnSaved func(gcs.Settings)

	path    string
	win     fyne.Window
	catalog []gcs.CameraSpec

	links     *widget.Entry
	video     *vehicleRows
	latency   *widget.Entry
	cameras   *vehicleRows
	dem       *widget.Entry
	mapSource *widget.Entry
	mapCache  *widget.Entry
	cot       *widget.Entry
	units     *widget.RadioGroup
	save      *widget.Button
	status    *widget.Label
	problems  map[string]*widget.Label // by the settings file's key
	obj       fyne.CanvasObject
}

// NewSettingsView builds the page for the settings file at path; cameras are the
// catalogue's, offered for vehicles that do not describe their camera. A file that cannot
// be read is reported at the top, and the page starts from empty settings.
func NewSettingsView(path string, cameras []gcs.CameraSpec, win fyne.Window) *SettingsView {
	v := &SettingsView{path: path, win: win, catalog: cameras, problems: map[string]*widget.Label{}}
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.links = widget.NewMultiLineEntry()
	v.links.SetPlaceHolder("one per line: udp://:14550, tcp://192.168.1.10:5760, serial:///dev/ttyUSB0:57600")
	v.links.SetMinRowsVisible(3)
	v.video = newVehicleRows("video URL", func() (fyne.CanvasObject, func() string, func(string)) {
		e := widget.NewEntry()
		e.SetPlaceHolder("rtsp://192.168.144.25:8554/main.264 or udp://:5600")
		return e, func() string { return e.Text }, e.SetText
	})
	v.latency = widget.NewEntry()
	v.latency.SetPlaceHolder("0 (default)")
	names := make([]string, len(cameras))
	for i, c := range cameras {
		names[i] = c.Name
	}
	v.cameras = newVehicleRows("camera", func() (fyne.CanvasObject, func() string, func(string)) {
		s := widget.NewSelectEntry(names)
		s.SetPlaceHolder("camera from the catalogue")
		return s, func() string { return s.Text }, s.SetText
	})
	v.dem = widget.NewEntry()
	v.dem.SetPlaceHolder("folder of SRTM .hgt tiles (empty: level ground at home altitude)")
	v.mapSource = widget.NewEntry()
	v.mapSource.SetPlaceHolder("https://tiles.example/{z}/{x}/{y}.png or /path/area.mbtiles (empty: offline grid)")
	v.mapCache = widget.NewEntry()
	v.mapCache.SetPlaceHolder("folder for downloaded tiles (empty: the user's cache folder)")
	v.cot = widget.NewEntry()
	v.cot.SetPlaceHolder("off; e.g. " + gcs.CoTDefaultURL + " (ATAK multicast) or tcp://tak-server:8087")
	v.units = widget.NewRadioGroup([]string{string(gcs.UnitsMetric), string(gcs.UnitsImperial)}, nil)
	v.units.Horizontal = true
	v.units.Required = true
	v.save = widget.NewButton("Save", func() { v.Save() })
	v.save.Importance = widget.HighImportance

	s, err := gcs.LoadSettings(path)
	if err != nil {
		v.setStatus(fmt.Sprintf("The settings file cannot be used (%v); saving replaces it.", err), true)
		s = gcs.Settings{}
	}
	v.Set(s)

	form := container.NewVBox(
		v.field("links", "Links to the vehicles", v.links),
		v.field("video", "Video URL per vehicle (instead of what the vehicle announces)", v.video.object()),
		v.field("video_latency_ms", "Video latency, ms (for streams without sender reports)", v.latency),
		v.field("cameras", "Camera per vehicle (for vehicles that do not describe theirs)", v.cameras.object()),
		v.field("dem_dir", "Terrain (DEM) folder", v.withChooser(v.dem, true, nil)),
		v.field("map_source", "Map source", v.withChooser(v.mapSource, false, []string{".mbtiles"})),
		v.field("map_cache_dir", "Map tile cache folder", v.withChooser(v.mapCache, true, nil)),
		v.field("cot_output", "Cursor on Target output", v.cot),
		v.field("units", "Units", v.units),
	)
	note := widget.NewLabel(restartNote)
	note.Wrapping = fyne.TextWrapWord
	bottom := container.NewVBox(v.status, container.NewBorder(nil, nil, nil, v.save, note))
	v.obj = container.NewBorder(widget.NewLabel("Settings file: "+path), bottom, nil, nil, container.NewVScroll(form))
	return v
}

// Object is the page's content.
func (v *SettingsView) Object() fyne.CanvasObject { return v.obj }

// field is a titled setting with its problem line below it.
func (v *SettingsView) field(key, title string, obj fyne.CanvasObject) fyne.CanvasObject {
	p := widget.NewLabel("")
	p.Importance = widget.DangerImportance
	p.Wrapping = fyne.TextWrapWord
	p.Hide()
	v.problems[key] = p
	return container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), obj, p)
}

// withChooser puts a "Choose…" button beside e that fills it from a folder or file dialog.
func (v *SettingsView) withChooser(e *widget.Entry, folder bool, exts []string) fyne.CanvasObject {
	choose := widget.NewButton("Choose…", func() {
		if folder {
			dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
				if err == nil && u != nil {
					e.SetText(u.Path())
				}
			}, v.win)
			return
		}
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				e.SetText(r.URI().Path())
				r.Close()
			}
		}, v.win)
		if len(exts) > 0 {
			d.SetFilter(storage.NewExtensionFileFilter(exts))
		}
		d.Show()
	})
	return container.NewBorder(nil, nil, nil, choose, e)
}

// Set shows settings s in the page.
func (v *SettingsView) Set(s gcs.Settings) {
	v.links.SetText(strings.Join(s.Links, "\n"))
	v.video.set(s.Video)
	v.latency.SetText("")
	if s.VideoLatencyMs != 0 {
		v.latency.SetText(strconv.Itoa(s.VideoLatencyMs))
	}
	v.cameras.set(s.Cameras)
	v.dem.SetText(s.DEMDir)
	v.mapSource.SetText(s.MapSource)
	v.mapCache.SetText(s.MapCacheDir)
	v.cot.SetText(s.CoTOutput)
	units := s.Units
	if units == "" {
		units = gcs.UnitsMetric
	}
	v.units.SetSelected(string(units))
}

// Settings reads the page into settings, with the problems the page itself finds (a
// vehicle id or a latency that is not a number, a link the adapter refuses) by key.
func (v *SettingsView) Settings() (gcs.Settings, map[string]string) {
	problems := map[string]string{}
	s := gcs.Settings{
		DEMDir: strings.TrimSpace(v.dem.Text), MapSource: strings.TrimSpace(v.mapSource.Text),
		MapCacheDir: strings.TrimSpace(v.mapCache.Text), CoTOutput: strings.TrimSpace(v.cot.Text),
		Units: gcs.Units(v.units.Selected),
	}
	for i, line := range strings.Split(v.links.Text, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		s.Links = append(s.Links, line)
		if v.CheckLink != nil && problems["links"] == "" {
			if err := v.CheckLink(line); err != nil {
				problems["links"] = fmt.Sprintf("line %d: %v", i+1, err)
			}
		}
	}
	var err error
	if s.Video, err = v.video.values(); err != nil {
		problems["video"] = err.Error()
	}
	if s.Cameras, err = v.cameras.values(); err != nil {
		problems["cameras"] = err.Error()
	}
	for _, id := range sortedKeys(s.Cameras) {
		name := s.Cameras[id]
		if _, ok := gcs.FindCamera(v.catalog, name); !ok && name != "" && problems["cameras"] == "" {
			problems["cameras"] = fmt.Sprintf("vehicle %d: %q is not in the camera catalogue", id, name)
		}
	}
	if t := strings.TrimSpace(v.latency.Text); t != "" {
		if s.VideoLatencyMs, err = strconv.Atoi(t); err != nil {
			problems["video_latency_ms"] = fmt.Sprintf("%q is not a whole number of milliseconds", t)
		}
	}
	return s, problems
}

// Save checks the page and writes the settings file, or shows every problem under its
// field and writes nothing. It reports whether the file was written.
func (v *SettingsView) Save() bool {
	s, problems := v.Settings()
	for _, p := range s.Problems() {
		if _, ok := problems[p.Key]; !ok { // the page's own finding is the more precise
			msg := p.Err.Error()
			if p.SysID != 0 {
				msg = fmt.Sprintf("vehicle %d: %s", p.SysID, msg)
			}
			problems[p.Key] = msg
		}
	}
	for key, l := range v.problems {
		if msg, ok := problems[key]; ok {
			l.SetText(msg)
			l.Show()
		} else {
			l.Hide()
		}
	}
	if len(problems) > 0 {
		v.setStatus(fmt.Sprintf("Not saved: %d settings need fixing (shown in red).", len(problems)), true)
		return false
	}
	if err := gcs.SaveSettings(v.path, s); err != nil {
		v.setStatus(fmt.Sprintf("Not saved: %v", err), true)
		return false
	}
	v.setStatus("Saved. "+restartNote, false)
	if v.OnSaved != nil {
		v.OnSaved(s)
	}
	return true
}

// Problems returns the problem shown under each field, by the settings file's key.
func (v *SettingsView) Problems() map[string]string {
	out := map[string]string{}
	for key, l := range v.problems {
		if l.Visible() {
			out[key] = l.Text
		}
	}
	return out
}

func (v *SettingsView) setStatus(text string, bad bool) {
	v.status.Importance = widget.MediumImportance
	if bad {
		v.status.Importance = widget.DangerImportance
	}
	v.status.SetText(text)
}
