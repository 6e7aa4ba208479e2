package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/gcs/store"
	"github.com/vigil-gcs/vigil/mavlink"
	"github.com/vigil-gcs/vigil/ui"
)

// runRun is the headless station: vehicles over MAVLink, their video through detection and
// tracking, every sighting geotagged at its capture time, fused into targets, zones watched,
// everything recorded.
func runRun(ctx context.Context, args []string) error { return runStation(ctx, args, nil) }

// defaultGUILink is where the app listens when neither --connect nor the settings say.
const defaultGUILink = "udp://:14550"

// runStation is `vigil run`, and with a window maker the desktop app around it.
// The window gets the station, the cameras (the video panel's feed) and the settings file.
func runStation(ctx context.Context, args []string, window func(ctx context.Context, st *gcs.Station, video ui.VideoFeed, loop func(context.Context) error, settingsPath string) error) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var links connections
	fs.Var(&links, "connect", "link to the vehicle(s) (repeatable; default: the settings file's links)")
	video := fs.String("video", "auto", "auto: each vehicle's stream (settings file, else what it announces); or one URL for the only vehicle")
	dbPath := fs.String("db", "", "the mission record (default: vigil-YYYYMMDD-HHMMSS.db here)")
	demDir := fs.String("dem", "", "folder of SRTM .hgt tiles (default: the settings' dem_dir, else level ground at home altitude)")
	zonesPath := fs.String("zones", "", "zones to watch (GeoJSON or KML)")
	cotURL := fs.String("cot", "", "send Cursor on Target to udp://239.2.3.1:6969 (multicast) or tcp://HOST:PORT (default: the settings' cot_output, else off)")
	detectors := fs.String("detectors", "motion", "detectors on every stream: motion, people, anomaly, cascade:NAME")
	motionHeight := fs.Int("motion-height", 180, "height of the picture motion works on: 360 finds targets half as large (far, oblique views) at twice the cost")
	settingsPath := fs.String("settings", gcs.DefaultSettingsPath(), "settings file")
	dur := fs.Duration("for", 0, "stop after this long (default: until Ctrl-C)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	settings, err := gcs.LoadSettings(*settingsPath)
	if err != nil {
		return err
	}
	if len(links) == 0 {
		if links, err = settingsLinks(settings); err != nil {
			return err
		}
	}
	if len(links) == 0 && window != nil {
		// The app listens where autopilots and SITL send by default, as QGroundControl does.
		if err := links.Set(defaultGUILink); err != nil {
			return err
		}
	}
	if len(links) == 0 {
		return usageErrorf("run: say where the vehicles are: --connect tcp://127.0.0.1:5760 (or udp://:14550), or links in %s", *settingsPath)
	}
	*demDir = cmp.Or(*demDir, settings.DEMDir)
	*cotURL = cmp.Or(*cotURL, settings.CoTOutput)
	cameras, err := settingsCameras(settings)
	if err != nil {
		return err
	}
	if *dur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *dur)
		defer cancel()
	}

	if *dbPath == "" {
		*dbPath = "vigil-" + time.Now().UTC().Format("20060102-150405") + ".db"
	}
	rec, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer rec.Close()

	client := &mavlink.Client{Connections: links}
	if err := client.Initialize(); err != nil {
		return err
	}
	defer client.Close()
	st := &gcs.Station{Fleet: client.Fleet, Record: rec, Link: client, Audit: rec}
	if *demDir != "" {
		dem := &gcs.SRTM{Dir: *demDir}
		if err := dem.Initialize(); err != nil {
			return err
		}
		st.Ground = dem
	}
	if *zonesPath != "" {
		zones, err := readZonesFile(*zonesPath)
		if err != nil {
			return err
		}
		for i := range zones {
			if err := rec.SaveZone(&zones[i]); err != nil {
				return err
			}
		}
		st.SetZones(zones)
	}
	st.OnAlert = func(a gcs.Alert) { fmt.Printf("ALERT %s: %s\n", a.Time.UTC().Format("15:04:05"), a.Message) }
	if *cotURL != "" {
		cot := &gcs.CoTSender{URL: *cotURL}
		if err := cot.Initialize(); err != nil {
			return err
		}
		defer cot.Close()
		cfg := gcs.CoTConfig{}
		st.OnTarget = func(t gcs.Target) { _ = cot.Send(cfg.TargetEvent(t, time.Now())) }
	}

	recordBase := strings.TrimSuffix(*dbPath, filepath.Ext(*dbPath))
	snapshots := recordBase + "_snapshots"
	if err := os.MkdirAll(snapshots, 0o755); err != nil {
		return err
	}
	cams := &cameraRunners{station: st, detectors: *detectors, motionHeight: *motionHeight,
		snapshots: snapshots, videoDir: recordBase + "_video",
		latency: time.Duration(settings.VideoLatencyMs) * time.Millisecond}
	defer cams.close()
	fmt.Printf("vigil run: recording to %s; vehicles on %v\n", *dbPath, links.String())
	loop := func(ctx context.Context) error {
		return stationLoop(ctx, st, client, rec, cams, settings, cameras, *video, *dbPath)
	}
	if window != nil {
		return window(ctx, st, cams, loop, *settingsPath)
	}
	return loop(ctx)
}

// stationLoop starts each vehicle's camera as it appears, keeps the vehicles in the record
// and reports, once a second, until ctx ends.
func stationLoop(ctx context.Context, st *gcs.Station, client *mavlink.Client, rec *store.Store, cams *cameraRunners,
	settings gcs.Settings, cameras map[uint8]gcs.CameraSpec, video, dbPath string) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			cams.close()
			s := st.Stats()
			fmt.Printf("vigil run: %d sightings, %d placed, %d targets, %d alerts; record %s\n",
				s.Sightings, s.Located, len(st.Targets()), len(st.Alerts()), dbPath)
			return nil
		case <-tick.C:
		}
		st.Flush() // sightings whose wait for telemetry is over
		for _, v := range client.Fleet.Vehicles() {
			if spec, ok := cameras[v.SysID]; ok {
				describeCamera(client.Fleet, v.SysID, spec)
			}
			url := settings.VideoURL(v)
			if video != "auto" {
				url = video
			}
			if url != "" {
				if err := cams.ensure(v.SysID, url); err != nil {
					return err
				}
			}
			if n%10 == 0 {
				_ = rec.SaveVehicle(v)
			}
		}
		if n%5 == 4 {
			cams.report(os.Stdout)
		}
	}
}

func readZonesFile(path string) ([]gcs.Zone, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zones, err := gcs.ReadZones(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return zones, nil
}
