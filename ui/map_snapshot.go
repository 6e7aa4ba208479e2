package ui

import (
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// trailLength is how many past positions a vehicle's trail keeps (a minute at the refresh
// rate).
const trailLength = 300

// snapshotBuilder turns the station's state into what the map draws, keeping what must
// persist between frames (trails) and what is costly to recompute (mission paths).
type snapshotBuilder struct {
	trails map[uint8][]orb.Point
	paths  map[*gcs.Plan]missionPath
	limits gcs.AerostatLimits
}

func newSnapshotBuilder() *snapshotBuilder {
	return &snapshotBuilder{trails: map[uint8][]orb.Point{}, paths: map[*gcs.Plan]missionPath{}}
}

// stationView is what a snapshot is built from: one read of the station.
type stationView struct {
	vehicles  []gcs.Vehicle
	targets   []gcs.Target
	sightings []orb.Point
	zones     []gcs.Zone
	alerting  map[string]bool
	incidents []gcs.Incident
	alerts    []gcs.Alert
	plans     map[uint8]*gcs.Plan
	goals     map[uint8]orb.Point
}

func readStation(st *gcs.Station) stationView {
	vs := st.Fleet.Vehicles()
	plans := map[uint8]*gcs.Plan{}
	for _, v := range vs {
		if p := st.Plan(v.SysID); p != nil {
			plans[v.SysID] = p
		}
	}
	return stationView{
		vehicles: vs, targets: st.Targets(), sightings: st.RecentSightings(), zones: st.Zones(),
		alerting: st.AlertingZones(), incidents: st.Incidents(), alerts: st.Alerts(), plans: plans,
	}
}

// build makes the map's snapshot. It runs on the refresh goroutine, never Fyne's.
func (b *snapshotBuilder) build(sv stationView, now time.Time) MapSnapshot {
	snap := MapSnapshot{Targets: sv.targets, Detections: sv.sightings, Incidents: sv.incidents}
	for _, z := range sv.zones {
		snap.Zones = append(snap.Zones, MapZone{Name: z.Name, Polygon: z.Polygon, Alerting: sv.alerting[z.Name]})
	}
	for _, v := range sv.vehicles {
		if !v.PositionValid {
			continue
		}
		tr := b.trails[v.SysID]
		if len(tr) == 0 || tr[len(tr)-1] != v.Position.Point {
			tr = append(tr, v.Position.Point)
		}
		if len(tr) > trailLength {
			tr = append(tr[:0:0], tr[len(tr)-trailLength:]...)
		}
		b.trails[v.SysID] = tr
		_, alarms := VehicleLine(v)
		mv := MapVehicle{
			SysID: v.SysID, Point: v.Position.Point, HeadingDeg: v.HeadingDeg,
			Trail: tr, Footprint: footprint(v), Alarm: len(alarms) > 0, Current: -1,
		}
		if v.Home != nil {
			h := v.Home.Point
			mv.Home = &h
		}
		if p := sv.plans[v.SysID]; p != nil {
			path := b.path(p)
			mv.Mission, mv.MissionSeqs = path.points, path.seqs
			mv.Current = v.MissionCurrent
			mv.Fence = p.Fence
		}
		if g, ok := sv.goals[v.SysID]; ok && v.Mode == "GUIDED" && gcs.DistanceM(g, v.Position.Point) > goalReachedM {
			mv.Goal = &g
		}
		if v.Winch != nil && v.Home != nil {
			mv.Tether = &MapTether{
				Winch: v.Home.Point, WatchRadiusM: b.limits.WatchRadiusM(v.Winch.LineLengthM),
				Alarm: len(b.limits.Check(v, now)) > 0,
			}
		}
		snap.Vehicles = append(snap.Vehicles, mv)
	}
	return snap
}

// goalReachedM is how close a vehicle must come to its goal for the map to stop showing it.
const goalReachedM = 3

// missionPath is a mission's positions after home and their item numbers.
type missionPath struct {
	points []orb.Point
	seqs   []int
}

// path is the positions of a plan's mission after home, computed once per plan. Items
// without a position (camera triggers, speed changes) are not on it; each point keeps its
// item's number, so the map's numbers and the current item match the vehicle's.
func (b *snapshotBuilder) path(p *gcs.Plan) missionPath {
	if mp, ok := b.paths[p]; ok {
		return mp
	}
	items, err := p.MissionItems(gcs.ExpandOptions{})
	var mp missionPath
	if err == nil {
		for seq, it := range items {
			if seq == 0 || !it.IsGlobal() || (it.X == 0 && it.Y == 0) {
				continue // home, or no position
			}
			mp.points = append(mp.points, orb.Point{it.Y, it.X})
			mp.seqs = append(mp.seqs, seq)
		}
	}
	if len(b.paths) > 20 {
		clear(b.paths) // plans replaced many times: start again
	}
	b.paths[p] = mp
	return mp
}

// footprint is the camera's view on level ground at home altitude, when the vehicle has told
// enough about its camera.
func footprint(v gcs.Vehicle) []orb.Point {
	if v.Camera == nil || v.Gimbal == nil || v.Home == nil {
		return nil
	}
	cam, err := gcs.CameraFromInfo(*v.Camera)
	if err != nil {
		return nil
	}
	fp, err := gcs.CameraFootprint(gcs.Pose{Position: v.Position, Attitude: v.Attitude}, *v.Gimbal, cam, gcs.FlatGround{AltMSLM: v.Home.AltMSLM})
	if err != nil {
		return nil
	}
	return fp.Corners[:]
}
