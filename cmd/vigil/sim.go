package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
	"github.com/vigil-gcs/vigil/mavlink/sitl"
)

// defaultHome is ArduPilot SITL's: Canberra Model Aircraft Club, so logs compare with SITL's.
const defaultHome = "-35.363261,149.165230,584"

func runSim(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	copters := fs.Int("copter", 1, "number of simulated copters (system ids from --sysid up; 0 with --aerostat unless given)")
	aerostats := fs.Int("aerostat", 0, "number of simulated tethered aerostats (system ids after the copters')")
	var links connections
	fs.Var(&links, "mavlink", "where the simulator serves MAVLink (repeatable; default tcpin://127.0.0.1:5760)")
	home := fs.String("home", defaultHome, "home as LAT,LON,ALT_MSL; further vehicles start 5 m east of each other")
	firstID := fs.Uint("sysid", 1, "system id of the first vehicle")
	speedup := fs.Float64("speedup", 1, "simulated seconds per real second")
	gpsDelay := fs.Duration("gps-delay", 4*time.Second, "simulated time until GPS has a 3D fix (arming is refused before)")
	wind := fs.String("wind", "0,0", "steady wind as SPEED_MPS[,FROM_DEG] (from the west when no direction is given)")
	loss := fs.Float64("loss", 0, "probability 0..1 that a message is lost (both directions)")
	dup := fs.Float64("duplicate", 0, "probability 0..1 that a message arrives twice")
	reorder := fs.Float64("reorder", 0, "probability 0..1 that a message overtakes the one before")
	latency := fs.Duration("latency", 0, "added one-way delay")
	seed := fs.Int64("seed", 1, "random seed for wind gusts and link impairment")
	extra := fs.Int("extra-params", 0, "add this many synthetic parameters (for benchmarks)")
	key := fs.String("key", "", "MAVLink 2 signing passphrase (or 64 hex digits)")
	camera := fs.String("camera", "", "attach a simulated gimbal camera served at this RTSP URL (announced in VIDEO_STREAM_INFORMATION; further vehicles: trailing number = system id)")
	targets := fs.Int("targets", 20, "people and vehicles moving in the simulated camera's world (3 people to 1 vehicle)")
	truth := fs.String("truth", "", "write the true position of every target at every frame to this file (JSON lines)")
	worldImage := fs.String("world-image", "", "drape this image (PNG or JPEG, north up) over --world-box instead of the generated world")
	worldBox := fs.String("world-box", "", "the image's extent as SOUTH,WEST,NORTH,EAST in degrees")
	cameraLatency := fs.Duration("camera-latency", 0, "hand each video frame out this long after its capture (encoder and radio delay)")
	timecode := fs.Bool("timecode", false, "stamp each frame's capture time into its top-left pixels (for end-to-end tests)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *aerostats > 0 && !flagGiven(fs, "copter") {
		*copters = 0
	}
	total := *copters + *aerostats
	if *copters < 0 || *aerostats < 0 || total < 1 || int(*firstID)+total-1 > 254 || *firstID < 1 {
		return usageErrorf("--copter %d and --aerostat %d from --sysid %d do not fit system ids 1..254", *copters, *aerostats, *firstID)
	}
	if len(links) == 0 {
		links.Set("tcpin://127.0.0.1:5760") //nolint:errcheck // a constant that parses
	}
	homePos, err := parseHome(*home)
	if err != nil {
		return err
	}
	windMps, windFrom, err := parseWind(*wind)
	if err != nil {
		return usageErrorf("--wind: %v", err)
	}

	sim := &sitl.Sim{Speedup: *speedup, Impairment: sitl.Impairment{
		Loss: *loss, Duplicate: *dup, Reorder: *reorder, Latency: *latency, Seed: *seed,
	}}
	for _, l := range links {
		sim.Endpoints = append(sim.Endpoints, l.Endpoint())
		if *key == "" && l.Key != nil {
			sim.SigningKey = l.Key
		}
	}
	if *key != "" {
		sim.SigningKey = mavlink.SigningKey(*key)
	}
	for i := range *copters {
		h := homePos
		h.Point = gcs.OffsetNE(homePos.Point, 0, 5*float64(i))
		sim.Vehicles = append(sim.Vehicles, sitl.SimVehicle{
			SysID: uint8(int(*firstID) + i),
			Model: sitl.NewCopter(sitl.CopterConfig{
				Home: h, GPSDelay: *gpsDelay, WindMps: windMps, WindFromDeg: windFrom,
				Seed: *seed + int64(i), ExtraParams: *extra, Camera: simCamera(*camera, uint8(int(*firstID)+i), i == 0),
			}),
		})
	}
	for i := range *aerostats {
		// Aerostats stand 700 m apart, east of home, so their 300 m tethers never cross.
		h := homePos
		h.Point = gcs.OffsetNE(homePos.Point, 0, 700*float64(i))
		sysID := uint8(int(*firstID) + *copters + i)
		sim.Vehicles = append(sim.Vehicles, sitl.SimVehicle{
			SysID: sysID,
			Model: sitl.NewAerostat(sitl.AerostatConfig{
				Home: h, WindMps: windMps, WindFromDeg: windFrom, Seed: *seed + int64(*copters+i),
				Camera: simCamera(*camera, sysID, *copters == 0 && i == 0),
			}),
		})
	}
	if *camera != "" {
		video, hook, err := startSimVideo(*camera, sim.Vehicles, homePos, simVideoOptions{targets: *targets, seed: *seed, truthPath: *truth, timecode: *timecode, worldImage: *worldImage, worldBox: *worldBox, latency: *cameraLatency})
		if err != nil {
			return err
		}
		defer video.close()
		sim.OnState = hook
	}
	if err := sim.Initialize(); err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	defer sim.Close()
	fmt.Printf("vigil sim: %d copter(s) and %d aerostat(s), system id %d..%d, serving %v (Ctrl-C stops)\n",
		*copters, *aerostats, *firstID, int(*firstID)+total-1, links)
	<-ctx.Done()
	return nil
}

func parseHome(s string) (gcs.Position, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return gcs.Position{}, usageErrorf("--home %q: want LAT,LON,ALT_MSL", s)
	}
	n, err := numbers(parts)
	if err != nil || n[0] < -90 || n[0] > 90 || n[1] < -180 || n[1] > 180 {
		return gcs.Position{}, usageErrorf("--home %q: want LAT,LON,ALT_MSL in degrees and metres", s)
	}
	return gcs.Position{Point: orb.Point{n[1], n[0]}, AltMSLM: n[2]}, nil
}

// parseWind reads SPEED or SPEED,FROM_DEG; a bare speed blows from the west, the
// prevailing wind of the mid latitudes.
func parseWind(s string) (speedMps, fromDeg float64, err error) {
	if !strings.Contains(s, ",") {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 {
			return 0, 0, fmt.Errorf("want SPEED_MPS or SPEED_MPS,FROM_DEG, got %q", s)
		}
		return v, 270, nil
	}
	return parsePair(s)
}

// flagGiven reports whether a flag was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func parsePair(s string) (float64, float64, error) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, fmt.Errorf("want two numbers separated by a comma, got %q", s)
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("want two numbers separated by a comma, got %q", s)
	}
	return x, y, nil
}

// endpointsOf turns connections into gomavlib endpoints for peers that are not a Client.
func endpointsOf(conns connections) []gomavlib.EndpointConf {
	out := make([]gomavlib.EndpointConf, len(conns))
	for i, c := range conns {
		out[i] = c.Endpoint()
	}
	return out
}

// simCamera describes the simulated gimbal camera: a 1080p sensor like common survey drones'
// (1/2.3" sensor, 4.5 mm lens, about 69° horizontal field of view) streaming 720p video.
func simCamera(base string, sysID uint8, first bool) *gcs.CameraInfo {
	if base == "" {
		return nil
	}
	return &gcs.CameraInfo{
		Vendor: "Vigil", Model: "SimCam", FocalLengthMM: 4.5, SensorWidthMM: 6.17, SensorHeightMM: 4.55,
		ResolutionH: 1920, ResolutionV: 1080, VideoURI: cameraURL(base, sysID, first), VideoHFOVDeg: simCameraLens.HFOVDeg,
		VideoResolutionH: simCameraLens.WidthPx, VideoResolutionV: simCameraLens.HeightPx,
	}
}
