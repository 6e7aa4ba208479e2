package gcs

import (
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

type memoryRecord struct {
	dets    []Detection
	targets map[int64]Target
}

func (m *memoryRecord) AddDetections(ds []Detection) ([]int64, error) {
	var ids []int64
	for _, d := range ds {
		d.ID = int64(len(m.dets) + 1)
		m.dets = append(m.dets, d)
		ids = append(ids, d.ID)
	}
	return ids, nil
}

func (m *memoryRecord) SaveTargets(ts ...Target) error {
	for _, t := range ts {
		m.targets[t.ID] = t
	}
	return nil
}

func (m *memoryRecord) AddAlert(Alert) error                    { return nil }
func (m *memoryRecord) AcknowledgeAlert(int64, time.Time) error { return nil }
func (m *memoryRecord) AddIncident(in Incident) (int64, error)  { return 1, nil }
func (m *memoryRecord) SaveZone(z *Zone) error                  { return nil }

// A sighting is placed with the pose of its capture instant, not the latest: the vehicle
// flies east at 10 m/s, and a frame captured 1 s before the latest pose shows the ground
// that was under the camera then.
func TestStationPlacesSightingsAtTheirCaptureTime(t *testing.T) {
	home := Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}
	fleet := &Fleet{}
	gimbal := GimbalAttitude{PitchRad: -math.Pi / 2}
	fleet.Update(1, func(v *Vehicle) {
		v.Home = &home
		v.Gimbal = &gimbal
		v.Camera = &CameraInfo{VideoResolutionH: 1280, VideoResolutionV: 720, VideoHFOVDeg: 69}
	})
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	poses := fleet.Poses(1)
	for i := range 30 {
		at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		poses.AddPosition(at, Position{Point: OffsetNE(home.Point, 0, float64(i)), AltMSLM: home.AltMSLM + 80}, Velocity{EastMps: 10})
		poses.AddAttitude(at, Attitude{})
	}
	rec := &memoryRecord{targets: map[int64]Target{}}
	now := t0.Add(3 * time.Second)
	st := &Station{Fleet: fleet, Record: rec, timeNow: func() time.Time { return now }}
	captured := t0.Add(1900 * time.Millisecond) // the camera was 19 m east of home then
	box := Box{MinU: 630, MinV: 350, MaxU: 650, MaxV: 370}
	d, err := st.Sight(Sighting{SysID: 1, Stream: "cam1", TrackID: 7, Captured: captured, Class: "person", Score: 0.8,
		Box: box, FrameW: 1280, FrameH: 720})
	require.NoError(t, err)
	require.True(t, d.Located)
	n, e := NorthEastM(home.Point, d.Ground.Point)
	require.InDelta(t, 0, n, 0.3)
	require.InDelta(t, 19, e, 0.3, "placed by the pose at capture time (the latest is 29 m east)")
	require.InDelta(t, home.AltMSLM, d.Ground.AltMSLM, 1e-6)
	require.Len(t, rec.dets, 1)
	require.Len(t, rec.targets, 1, "the sighting became a target")
	require.Equal(t, 1, st.Stats().Located)

	// Before the history begins there is no pose to place it with: recorded, not placed.
	d, err = st.Sight(Sighting{SysID: 1, Stream: "cam1", TrackID: 7, Captured: t0.Add(-time.Minute), Box: box, FrameW: 1280, FrameH: 720})
	require.ErrorIs(t, err, ErrNoPose)
	require.False(t, d.Located)
	require.Len(t, rec.dets, 2)

	// Video ahead of telemetry: a frame captured after the newest pose waits for it.
	ahead := t0.Add(3200 * time.Millisecond)
	_, err = st.Sight(Sighting{SysID: 1, Stream: "cam1", TrackID: 7, Captured: ahead, Box: box, FrameW: 1280, FrameH: 720})
	require.ErrorIs(t, err, ErrWaitingForPose)
	require.Len(t, rec.dets, 2, "not placed yet")
	poses.AddPosition(t0.Add(3300*time.Millisecond), Position{Point: OffsetNE(home.Point, 0, 33), AltMSLM: home.AltMSLM + 80}, Velocity{EastMps: 10})
	poses.AddAttitude(t0.Add(3300*time.Millisecond), Attitude{})
	st.Flush()
	require.Len(t, rec.dets, 3, "placed once its pose arrived")
	_, e = NorthEastM(home.Point, rec.dets[2].Ground.Point)
	require.InDelta(t, 32, e, 0.3, "with the pose of its own instant, interpolated")
}

// A sighting from a vehicle the fleet does not know is recorded as unplaced, not a crash.
func TestStationSightingFromUnknownVehicle(t *testing.T) {
	rec := &memoryRecord{targets: map[int64]Target{}}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	st := &Station{Fleet: &Fleet{}, Record: rec, timeNow: func() time.Time { return now }}
	_, err := st.Sight(Sighting{SysID: 9, Captured: now.Add(-2 * time.Second), FrameW: 640, FrameH: 360})
	require.ErrorContains(t, err, "vehicle 9 unknown")
	require.Equal(t, 1, st.Stats().Unlocated)
}

// The callbacks may call back into the station: they run after its lock is released.
func TestStationCallbacksMayUseTheStation(t *testing.T) {
	home := Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}
	fleet := &Fleet{}
	gimbal := GimbalAttitude{PitchRad: -math.Pi / 2}
	fleet.Update(1, func(v *Vehicle) { v.Home, v.Gimbal = &home, &gimbal })
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		fleet.Poses(1).AddPosition(at, Position{Point: home.Point, AltMSLM: 664, AltRelM: 80}, Velocity{})
		fleet.Poses(1).AddAttitude(at, Attitude{})
	}
	st := &Station{Fleet: fleet, timeNow: func() time.Time { return t0.Add(time.Second) }}
	var seen int
	st.OnTarget = func(Target) { seen = len(st.Targets()) } // would deadlock under the lock
	_, err := st.Sight(Sighting{SysID: 1, TrackID: 1, Captured: t0.Add(200 * time.Millisecond), Class: "person",
		Box: Box{MinU: 630, MinV: 350, MaxU: 650, MaxV: 370}, FrameW: 1280, FrameH: 720})
	require.NoError(t, err)
	require.Equal(t, 1, seen)
}
