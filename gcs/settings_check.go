package gcs

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
)

// Units is how the station shows distances, heights and speeds.
type Units string

// Units the settings accept.
const (
	UnitsMetric   Units = "metric"
	UnitsImperial Units = "imperial"
)

// SettingsProblem is one setting that cannot be used, with the settings file's key it is
// under ("video", "cot_output") and, for per-vehicle settings, the vehicle.
type SettingsProblem struct {
	Key   string
	SysID uint8
	Err   error
}

func (p *SettingsProblem) Error() string {
	if p.SysID != 0 {
		return fmt.Sprintf("%s for vehicle %d: %v", p.Key, p.SysID, p.Err)
	}
	return fmt.Sprintf("%s: %v", p.Key, p.Err)
}

func (p *SettingsProblem) Unwrap() error { return p.Err }

// Problems lists every setting that cannot be used, in the file's key order, each saying
// what is wrong and what is wanted. It does not look at the disk: a DEM folder that is not
// there yet is the operator's business when the station starts.
func (s Settings) Problems() []*SettingsProblem {
	var ps []*SettingsProblem
	add := func(key string, id uint8, format string, args ...any) {
		ps = append(ps, &SettingsProblem{Key: key, SysID: id, Err: fmt.Errorf(format, args...)})
	}
	for _, id := range sortedIDs(s.Video) {
		u, err := url.Parse(s.Video[id])
		if err != nil || (u.Scheme != "rtsp" && u.Scheme != "rtsps" && u.Scheme != "udp") {
			// The URL itself is not repeated: it may hold a password.
			add("video", id, "want an rtsp://, rtsps:// or udp:// URL")
		}
	}
	if s.VideoLatencyMs < 0 || s.VideoLatencyMs > 10000 {
		add("video_latency_ms", 0, "%d ms: want 0 to 10000", s.VideoLatencyMs)
	}
	for i, l := range s.Links {
		if err := checkLinkForm(l); err != nil {
			add("links", 0, "link %d: %v", i+1, err)
		}
	}
	for _, id := range sortedIDs(s.Cameras) {
		if strings.TrimSpace(s.Cameras[id]) == "" {
			add("cameras", id, "no camera named")
		}
	}
	if s.DEMDir != "" && !filepath.IsAbs(s.DEMDir) {
		add("dem_dir", 0, "%q: want a full path to a folder of .hgt tiles", s.DEMDir)
	}
	if s.CoTOutput != "" {
		u, err := url.Parse(s.CoTOutput)
		if err != nil || (u.Scheme != "udp" && u.Scheme != "tcp") || u.Hostname() == "" || u.Port() == "" {
			add("cot_output", 0, "%q: want udp://HOST:PORT (e.g. %s) or tcp://HOST:PORT for a TAK server", s.CoTOutput, CoTDefaultURL)
		}
	}
	switch s.Units {
	case "", UnitsMetric, UnitsImperial:
	default:
		add("units", 0, "%q: want %q or %q", s.Units, UnitsMetric, UnitsImperial)
	}
	if s.MapSource != "" {
		if err := checkMapSource(s.MapSource); err != nil {
			add("map_source", 0, "%v", err)
		}
	}
	if s.MapCacheDir != "" && !filepath.IsAbs(s.MapCacheDir) {
		add("map_cache_dir", 0, "%q: want a full path to a folder", s.MapCacheDir)
	}
	return ps
}

// Check returns the first of the settings' problems, nil when they can all be used.
func (s Settings) Check() error {
	if ps := s.Problems(); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// checkLinkForm checks the shape of a connection string; the MAVLink adapter, which knows
// the schemes, checks the rest when it connects.
func checkLinkForm(l string) error {
	scheme, rest, ok := strings.Cut(l, "://")
	switch {
	case l == "":
		return errors.New("empty: remove it or write one like udp://:14550")
	case strings.ContainsAny(l, " \t\r\n"):
		return fmt.Errorf("%q has spaces: write one like tcp://192.168.1.10:5760", l)
	case !ok || scheme == "" || rest == "":
		return fmt.Errorf("%q: want scheme://address, e.g. udp://:14550, tcp://host:5760, serial:///dev/ttyUSB0:57600", l)
	}
	return nil
}

func checkMapSource(src string) error {
	if strings.EqualFold(filepath.Ext(src), ".mbtiles") && !strings.Contains(src, "://") {
		if !filepath.IsAbs(src) {
			return fmt.Errorf("%q: want a full path to the .mbtiles file", src)
		}
		return nil
	}
	// {s} (a, b, c subdomains) and the tile numbers are not URL characters until filled in.
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0", "{s}", "a").Replace(src))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q: want an http(s):// tile URL with {z}, {x} and {y}, or the full path of an .mbtiles file", src)
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(src, p) {
			return fmt.Errorf("%q: the tile URL has no %s", src, p)
		}
	}
	return nil
}

func sortedIDs(m map[uint8]string) []uint8 {
	ids := make([]uint8, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
