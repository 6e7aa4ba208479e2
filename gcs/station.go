package gcs

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// Record is where the station keeps what it saw (gcs/store's Store satisfies it).
type Record interface {
	AddDetections(ds []Detection) ([]int64, error)
	SaveTargets(ts ...Target) error
	AddAlert(a Alert) error
	AcknowledgeAlert(id int64, at time.Time) error
	AddIncident(in Incident) (int64, error)
	SaveZone(z *Zone) error
}

// Sighting is one tracked object in one video frame, as the detection pipeline reports it.
type Sighting struct {
	SysID   uint8
	Stream  string
	TrackID int64
	// Captured is the frame's capture time on the station's clock.
	Captured time.Time
	Class    string
	Score    float64
	// Box is in the frame's pixels; FrameW and FrameH are the frame's size.
	Box            Box
	FrameW, FrameH int
	// Snapshot, when set, names a picture of the object taken from this frame.
	Snapshot string
}

// Station is the headless engine where the three flows meet: it puts every sighting on the
// ground with the pose the vehicle had when the frame was captured, fuses sightings into
// targets, watches the zones, and keeps the record. It holds no sockets: the MAVLink adapter
// feeds Fleet, the video pipelines call Sight, and the UI or the command line read the
// snapshots. Safe for concurrent use.
type Station struct {
	// Fleet is the vehicles and their pose histories. Required.
	Fleet *Fleet
	// Ground is the terrain; nil uses level ground at each vehicle's home altitude.
	Ground Ground
	// Geotagger and Sigmas tune the projection and its error ellipse (zero values: the
	// defaults, DefaultSigmas for the errors).
	Geotagger Geotagger
	Sigmas    Sigmas
	// DefaultCamera is used for a vehicle that has not described its camera
	// (CAMERA_INFORMATION); its resolution is scaled to the frames'. It defaults to a
	// 69° horizontal field of view.
	DefaultCamera Camera
	// Record, when set, receives every detection, target and alert.
	Record Record
	// OnTarget and OnAlert, when set, are called with each changed target and raised alert
	// (for Cursor on Target, the UI); they must not block.
	OnTarget func(Target)
	OnAlert  func(Alert)
	// MaxPoseWait is how long a sighting may wait for the vehicle's telemetry to reach its
	// capture time. Video often arrives before the pose of the same instant (the telemetry
	// link is slower or busier); placing the sighting at once would extrapolate the pose
	// of a swinging balloon or a turning drone. After the wait it is placed with the
	// extrapolated pose. It defaults to 1 second.
	MaxPoseWait time.Duration
	// Link, when set, carries the operator's intents to the vehicles (Do, UploadPlan…);
	// Audit, when set, records each of them with the vehicle's answer.
	Link  Link
	Audit Audit
	// TetherLimits bound the winch commands sent to tethered vehicles.
	TetherLimits TetherLimits

	timeNow func() time.Time
	pending []Sighting

	mu      sync.Mutex
	fusion  Fusion
	alerter Alerter
	stats   StationStats

	commands  []*CommandLogEntry
	incidents []Incident
	plans     map[uint8]*Plan
	// commanding and transferring keep one command and one mission transfer per vehicle.
	commanding, transferring vehicleLocks
	recent                   []orb.Point // ring of the last located sightings, for the map
	recentAt                 int
}

// recentSightings is how many located sightings the station keeps for the map.
const recentSightings = 2000

// RecentSightings returns where the last located sightings were placed (up to 2,000), in no
// particular order: the map shows them before they are fused.
func (s *Station) RecentSightings() []orb.Point {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recent)
}

// StationStats counts what the station did with sightings, each counted once it is in the
// record.
type StationStats struct {
	Sightings, Located, Unlocated int
	LastError                     string
}

// SetZones replaces the watched zones.
func (s *Station) SetZones(zones []Zone) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alerter.Zones = zones
}

// Targets returns the fused targets.
func (s *Station) Targets() []Target {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fusion.Targets()
}

// Alerts returns the alerts raised so far.
func (s *Station) Alerts() []Alert {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.alerter.Alerts()
}

// Stats returns the counters.
func (s *Station) Stats() StationStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// ErrNoPose: the vehicle's pose at the frame's capture time is not known.
var ErrNoPose = errors.New("no pose at the frame's capture time")

// ErrWaitingForPose: the sighting waits for the telemetry of its capture instant (see
// MaxPoseWait); Flush or a later Sight places it.
var ErrWaitingForPose = errors.New("waiting for the pose at the frame's capture time")

// Sight takes one sighting: geotags it, fuses it, checks zones and records it. The returned
// detection says where it was placed (Located false, with the reason, when it could not be:
// above the horizon, no pose at that instant…); unplaced sightings are recorded too. A
// sighting newer than the vehicle's telemetry waits (ErrWaitingForPose).
func (s *Station) Sight(sg Sighting) (Detection, error) {
	s.Flush()
	if !s.Fleet.Poses(sg.SysID).Covers(sg.Captured) && s.now().Sub(sg.Captured) < s.maxPoseWait() {
		s.mu.Lock()
		s.pending = append(s.pending, sg)
		s.mu.Unlock()
		return Detection{}, ErrWaitingForPose
	}
	return s.sight(sg)
}

// Flush places the waiting sightings whose pose has arrived or whose wait is over.
func (s *Station) Flush() {
	s.mu.Lock()
	var due []Sighting
	keep := s.pending[:0]
	for _, sg := range s.pending {
		if s.Fleet.Poses(sg.SysID).Covers(sg.Captured) || s.now().Sub(sg.Captured) >= s.maxPoseWait() {
			due = append(due, sg)
		} else {
			keep = append(keep, sg)
		}
	}
	s.pending = keep
	s.mu.Unlock()
	for _, sg := range due {
		_, _ = s.sight(sg)
	}
}

func (s *Station) now() time.Time {
	if s.timeNow != nil {
		return s.timeNow()
	}
	return time.Now()
}

func (s *Station) maxPoseWait() time.Duration {
	if s.MaxPoseWait <= 0 {
		return time.Second
	}
	return s.MaxPoseWait
}

func (s *Station) sight(sg Sighting) (Detection, error) {
	d := Detection{
		Time: sg.Captured, SysID: sg.SysID, Stream: sg.Stream, TrackID: sg.TrackID,
		Class: sg.Class, Score: sg.Score, Box: sg.Box, Snapshot: sg.Snapshot,
	}
	err := s.locate(&d, sg)
	// The callbacks (Cursor on Target, the UI) run after the lock is released: they may
	// send on a network or call back into the station.
	var changed *Target
	var raised []Alert
	defer func() {
		if changed != nil && s.OnTarget != nil {
			s.OnTarget(*changed)
		}
		for _, a := range raised {
			if s.OnAlert != nil {
				s.OnAlert(a)
			}
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	var target Target
	var fused bool
	if err == nil {
		var ferr error
		target, _, ferr = s.fusion.Add(d)
		fused = ferr == nil
		if ferr != nil {
			err = ferr
		}
	}
	if fused {
		d.TargetID = target.ID
	}
	if s.Record != nil {
		ids, rerr := s.Record.AddDetections([]Detection{d})
		if rerr == nil && len(ids) == 1 {
			d.ID = ids[0]
		}
		if fused {
			rerr = errors.Join(rerr, s.Record.SaveTargets(target))
		}
		if rerr != nil {
			s.stats.LastError = rerr.Error()
			return d, fmt.Errorf("recording: %w", rerr)
		}
	}
	// Counted once committed: a count the operator saw is a count the record holds.
	s.stats.Sightings++
	if d.Located {
		s.stats.Located++
		if len(s.recent) < recentSightings {
			s.recent = append(s.recent, d.Ground.Point)
		} else {
			s.recent[s.recentAt] = d.Ground.Point
			s.recentAt = (s.recentAt + 1) % recentSightings
		}
	} else {
		s.stats.Unlocated++
		s.stats.LastError = err.Error()
	}
	if fused {
		changed = &target
		for _, a := range s.alerter.Observe(d.Time, target) {
			if s.Record != nil {
				_ = s.Record.AddAlert(a)
			}
			raised = append(raised, a)
		}
	}
	return d, err
}

// locate places the sighting on the ground: at the middle of the object's footprint, which
// is what its truth is. The box's bottom centre is the footprint's near edge (a person's
// feet, a car's near side); the box's angular height covers the footprint's depth seen at the
// elevation e plus the object's height seen at e: h·R ≈ D·sin e + H·cos e, so with a height
// for the class the depth D follows, and the footprint's middle is D/2 beyond the near edge,
// up the picture. Straight down the whole box is footprint (the box centre); level, the box
// is all height (the feet).
func (s *Station) locate(d *Detection, sg Sighting) error {
	v, ok := s.Fleet.Vehicle(sg.SysID)
	if !ok {
		return fmt.Errorf("vehicle %d unknown", sg.SysID)
	}
	pose, err := s.Fleet.Poses(sg.SysID).At(sg.Captured)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoPose, err)
	}
	cam := s.camera(v, sg.FrameW, sg.FrameH)
	var gimbal GimbalAttitude
	if v.Gimbal != nil {
		gimbal = *v.Gimbal
	}
	ground := s.Ground
	if ground == nil {
		alt := 0.0
		if v.Home != nil {
			alt = v.Home.AltMSLM
		}
		ground = FlatGround{AltMSLM: alt}
	}
	u, bottom := sg.Box.BottomCentre()
	near, err := s.Geotagger.Geotag(pose, gimbal, cam, u, bottom, ground)
	if err != nil {
		return err
	}
	_, fy, _, _, err := cam.Intrinsics()
	if err != nil {
		return err
	}
	elev := (90 - near.OffNadirDeg) * math.Pi / 180
	spanM := (sg.Box.MaxV - sg.Box.MinV) / fy * near.RangeM
	depthM := 0.0
	if sin := math.Sin(elev); sin > 0.05 {
		depthM = max(0, min(maxFootprintM, (spanM-classHeightM(sg.Class)*math.Cos(elev))/sin))
	}
	gp := near
	if depthM > 0 {
		// "Beyond" is up the picture: the ground direction of the pixel above the edge
		// (away from the camera in an oblique view, towards the top straight down).
		if above, err := s.Geotagger.Geotag(pose, gimbal, cam, u, bottom-1, ground); err == nil {
			n, e := NorthEastM(near.Point, above.Point)
			if h := math.Hypot(n, e); h > 1e-6 {
				gp.Point = OffsetNE(near.Point, n/h*depthM/2, e/h*depthM/2)
				if alt, ok := ground.HeightAt(gp.Point); ok {
					gp.AltMSLM = alt
				}
			}
		}
	}
	sigmas := s.Sigmas
	if sigmas == (Sigmas{}) {
		sigmas = DefaultSigmas()
	}
	ell, err := s.Geotagger.GeotagError(pose, gimbal, cam, u, bottom, ground, sigmas)
	if err != nil {
		return err
	}
	d.Located, d.Ground, d.Error = true, gp, ell
	return nil
}

// maxFootprintM bounds the depth read from a box: nothing Vigil tracks is longer than a lorry.
const maxFootprintM = 12

// classHeightM is how tall an object of a class stands, for the footprint estimate.
func classHeightM(class string) float64 {
	switch class {
	case "person", "face":
		return 1.7
	case "vehicle", "car", "truck", "bus":
		return 1.6
	}
	return 1.5 // unnamed movers: mostly people and cars
}

// camera is the vehicle's camera model at the frames' resolution.
func (s *Station) camera(v Vehicle, w, h int) Camera {
	return FrameCamera(v.Camera, s.DefaultCamera, w, h)
}
