package gcs

import (
	"slices"
	"sync"
)

// maxStatusTexts bounds how many STATUSTEXT lines a vehicle snapshot keeps.
const maxStatusTexts = 50

// Fleet is what the station knows about every vehicle: state snapshots and pose histories.
// Adapters write it as telemetry arrives; the UI, the CLI and geotagging read copies.
// It is safe for concurrent use.
type Fleet struct {
	mu       sync.RWMutex
	vehicles map[uint8]*fleetEntry
}

type fleetEntry struct {
	vehicle Vehicle
	poses   *PoseHistory
}

// Update changes one vehicle under the fleet's lock, creating it on first sight.
// It reports whether the vehicle is new. fn must be quick: telemetry waits on it.
func (f *Fleet) Update(sysID uint8, fn func(v *Vehicle)) (created bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.vehicles == nil {
		f.vehicles = make(map[uint8]*fleetEntry)
	}
	e, ok := f.vehicles[sysID]
	if !ok {
		e = &fleetEntry{vehicle: Vehicle{SysID: sysID, Battery: Battery{RemainingPct: -1}}, poses: &PoseHistory{}}
		f.vehicles[sysID] = e
	}
	fn(&e.vehicle)
	if n := len(e.vehicle.StatusTexts); n > maxStatusTexts {
		e.vehicle.StatusTexts = slices.Clone(e.vehicle.StatusTexts[n-maxStatusTexts:])
	}
	return !ok
}

// Vehicle returns a copy of one vehicle's state.
func (f *Fleet) Vehicle(sysID uint8) (Vehicle, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	e, ok := f.vehicles[sysID]
	if !ok {
		return Vehicle{}, false
	}
	return e.vehicle.clone(), true
}

// Vehicles returns copies of every vehicle's state, ordered by system id.
func (f *Fleet) Vehicles() []Vehicle {
	f.mu.RLock()
	defer f.mu.RUnlock()
	out := make([]Vehicle, 0, len(f.vehicles))
	for _, e := range f.vehicles {
		out = append(out, e.vehicle.clone())
	}
	slices.SortFunc(out, func(a, b Vehicle) int { return int(a.SysID) - int(b.SysID) })
	return out
}

// Poses returns a vehicle's pose history (nil if the vehicle is unknown). The history is
// shared, not copied: it is safe for concurrent use itself.
func (f *Fleet) Poses(sysID uint8) *PoseHistory {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if e, ok := f.vehicles[sysID]; ok {
		return e.poses
	}
	return nil
}

// clone copies the slices and pointers a snapshot reader could otherwise see change.
func (v Vehicle) clone() Vehicle {
	v.StatusTexts = slices.Clone(v.StatusTexts)
	v.Links = slices.Clone(v.Links)
	if v.Home != nil {
		h := *v.Home
		v.Home = &h
	}
	if v.Gimbal != nil {
		g := *v.Gimbal
		v.Gimbal = &g
	}
	if v.Camera != nil {
		c := *v.Camera
		v.Camera = &c
	}
	v.Winch = clonePtr(v.Winch)
	v.TetherPower = clonePtr(v.TetherPower)
	v.Wind = clonePtr(v.Wind)
	v.Fence = clonePtr(v.Fence)
	return v
}

// clonePtr copies what p points to, so a snapshot does not share it.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
