package ui

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// busyStation is 10 flying vehicles with cameras and trails, 5,000 targets and 2,000 recent
// sightings spread over 2 km, a zone and an incident: the load for the map.
func busyStation(tb testing.TB) (*gcs.Station, *snapshotBuilder, []gcs.Target) {
	rng := rand.New(rand.NewPCG(1, 2))
	var vs []gcs.Vehicle
	for i := range 10 {
		v := flyingVehicle()
		v.SysID = uint8(i + 1)
		v.Position.Point = gcs.OffsetNE(home, rng.Float64()*1000-500, rng.Float64()*1000-500)
		v.Home = &gcs.Position{Point: home, AltMSLM: 584}
		v.Gimbal = &gcs.GimbalAttitude{PitchRad: -math.Pi / 3}
		v.Camera = &gcs.CameraInfo{VideoResolutionH: 1280, VideoResolutionV: 720, VideoHFOVDeg: 69}
		vs = append(vs, v)
	}
	st, _ := testStation(vs...)
	ts := make([]gcs.Target, 5000)
	for i := range ts {
		ts[i] = gcs.Target{ID: int64(i + 1), Class: []string{"person", "car", "motion"}[i%3],
			Point: gcs.OffsetNE(home, rng.Float64()*2000-1000, rng.Float64()*2000-1000), ErrorM: 1 + rng.Float64()*5}
	}
	ring := orb.Ring{gcs.OffsetNE(home, -100, -100), gcs.OffsetNE(home, -100, 100), gcs.OffsetNE(home, 100, 100), gcs.OffsetNE(home, 100, -100)}
	if _, err := st.AddZone(gcs.Zone{Name: "camp", Polygon: orb.Polygon{ring}, Rules: []gcs.ZoneRule{{Kind: gcs.RuleInside, Class: "person"}}}); err != nil {
		tb.Fatal(err)
	}
	b := newSnapshotBuilder()
	// A minute of trails.
	for range trailLength {
		for _, v := range vs {
			st.Fleet.Update(v.SysID, func(x *gcs.Vehicle) { x.Position.Point = gcs.OffsetNE(x.Position.Point, 0.5, 0.5) })
		}
		b.build(readStation(st), time.Now())
	}
	return st, b, ts
}

// readBusy reads the station and adds the 5,000 targets to what it read (the station fuses
// its own; the benchmark needs 5,000 without 5,000 sightings).
func readBusy(st *gcs.Station, ts []gcs.Target) stationView {
	sv := readStation(st)
	sv.targets = append(sv.targets, ts...)
	return sv
}

// BenchmarkOverlay is one redraw's overlay work for 10 vehicles and 5,000 markers at
// 1280×800: reading the station, building the snapshot and drawing every layer (the base
// is not included). Goal: under 10 ms.
func BenchmarkOverlay(b *testing.B) {
	test.NewTempApp(b)
	st, builder, ts := busyStation(b)
	img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	pr := MapProjection{Centre: home, MetresPerPx: 2, W: 1280, H: 800, Scale: 1}
	cpu0 := processCPU()
	b.ResetTimer()
	for b.Loop() {
		snap := builder.build(readBusy(st, ts), time.Now())
		drawLayers(img, pr, snap, AllLayers())
	}
	b.StopTimer()
	// CPU time, not wall clock: on a shared machine the wall clock counts other work too.
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	snap := builder.build(readBusy(st, ts), time.Now())
	b.ReportMetric(float64(len(snap.Targets)), "markers")
	b.ReportMetric(float64(len(snap.Vehicles)), "vehicles")
}
