package main

import (
	"fmt"
	"image"
	_ "image/jpeg" // --world-image
	_ "image/png"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink/sitl"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

// simVideo is the simulated cameras of `vigil sim --camera`: one RTSP server, one camera
// per vehicle rendering the shared world from that vehicle's pose.
type simVideo struct {
	world  *synthcam.World
	server *synthcam.Server
	cams   []*synthcam.Camera
	truth  *os.File
	mounts map[uint8]*cameraMount
}

// cameraMount follows one simulated vehicle for its camera: the pose history (fed at every
// simulator step, so a frame is rendered from the pose of its own instant) and the gimbal.
type cameraMount struct {
	poses  *gcs.PoseHistory
	mu     sync.Mutex
	gimbal gcs.GimbalAttitude
	known  bool
}

func (m *cameraMount) update(at time.Time, st sitl.VehicleState) {
	m.poses.AddPosition(at, st.Position, st.Velocity)
	m.poses.AddAttitude(at, st.Attitude)
	m.mu.Lock()
	m.gimbal, m.known = st.Gimbal, true
	m.mu.Unlock()
}

func (m *cameraMount) pose(t time.Time) (gcs.Pose, gcs.GimbalAttitude, bool) {
	p, err := m.poses.At(t)
	m.mu.Lock()
	g, known := m.gimbal, m.known
	m.mu.Unlock()
	return p, g, err == nil && known
}

// simCameraLens is what the simulated cameras render: 720p, the field of view simCamera
// announces.
var simCameraLens = gcs.Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 69}

// cameraURL is vehicle sysID's stream: the --camera URL for the first vehicle; for the others
// its trailing number is replaced by the system id (cam1 → cam2), or the id is appended.
func cameraURL(base string, sysID uint8, first bool) string {
	if first {
		return base
	}
	trimmed := strings.TrimRight(base, "0123456789")
	return trimmed + strconv.Itoa(int(sysID))
}

type simVideoOptions struct {
	targets    int
	seed       int64
	truthPath  string
	timecode   bool
	worldImage string // an orthophoto to fly over instead of the generated world
	worldBox   string // its extent: SOUTH,WEST,NORTH,EAST
	latency    time.Duration
}

// world builds the simulated world: generated around home, or an image draped over a box.
func (o simVideoOptions) world(home gcs.Position) (*synthcam.World, error) {
	people := o.targets * 3 / 4
	if o.worldImage == "" {
		return synthcam.NewWorld(synthcam.WorldConfig{Origin: home, Seed: uint64(o.seed), People: people, Vehicles: o.targets - people}), nil
	}
	n, err := numbers(strings.Split(o.worldBox, ","))
	if err != nil || len(n) != 4 {
		return nil, usageErrorf("--world-box %q: want SOUTH,WEST,NORTH,EAST in degrees", o.worldBox)
	}
	f, err := os.Open(o.worldImage)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("--world-image %s: not a PNG or JPEG image (%v)", o.worldImage, err)
	}
	return synthcam.NewImageWorld(img, orb.Point{n[1], n[0]}, orb.Point{n[3], n[2]}, home.AltMSLM, o.targets, uint64(o.seed))
}

// startSimVideo serves the cameras; the returned hook feeds them the simulator's states.
func startSimVideo(base string, vehicles []sitl.SimVehicle, home gcs.Position, o simVideoOptions) (*simVideo, func(uint8, time.Time, sitl.VehicleState), error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "rtsp" || u.Port() == "" {
		return nil, nil, usageErrorf("--camera %q: want rtsp://HOST:PORT/PATH", base)
	}
	port, _ := strconv.Atoi(u.Port())
	// The world first: a reader that connects while it is being generated would find no
	// stream (404) rather than a slow one.
	world, err := o.world(home)
	if err != nil {
		return nil, nil, err
	}
	sv := &simVideo{world: world, mounts: map[uint8]*cameraMount{}}
	// RTP over UDP takes the even port pair just above the RTSP port.
	sv.server = &synthcam.Server{Address: net.JoinHostPort(u.Hostname(), u.Port()), UDPRTPPort: (port + 2) &^ 1}
	if err := sv.server.Initialize(); err != nil {
		return nil, nil, err
	}
	if o.truthPath != "" {
		if sv.truth, err = os.Create(o.truthPath); err != nil {
			sv.close()
			return nil, nil, fmt.Errorf("truth file: %w", err)
		}
	}
	for i, v := range vehicles {
		m := &cameraMount{poses: &gcs.PoseHistory{}}
		sv.mounts[v.SysID] = m
		cam := &synthcam.Camera{World: world, Lens: simCameraLens, Pose: m.pose, Timecode: o.timecode, Latency: o.latency}
		if i == 0 && sv.truth != nil {
			cam.Truth = sv.truth // one file: the world is shared, so one camera's truth covers it
		}
		su, _ := url.Parse(cameraURL(base, v.SysID, i == 0))
		pub, err := sv.server.Publish(su.Path, cam.ForceKeyframe)
		if err != nil {
			sv.close()
			return nil, nil, err
		}
		cam.Output = pub.WriteAccessUnit
		if err := cam.Initialize(); err != nil {
			sv.close()
			return nil, nil, err
		}
		sv.cams = append(sv.cams, cam)
	}
	hook := func(sysID uint8, at time.Time, st sitl.VehicleState) {
		if m := sv.mounts[sysID]; m != nil {
			m.update(at, st)
		}
	}
	return sv, hook, nil
}

func (sv *simVideo) close() {
	for _, c := range sv.cams {
		c.Close()
	}
	sv.server.Close()
	if sv.truth != nil {
		sv.truth.Close()
	}
}
