package gcs

import (
	"testing"
	"time"
)

// BenchmarkAerostatLimitsCheck: one snapshot through the safety checks; the station runs it
// for every aerostat on every telemetry update (a few to tens of times a second).
func BenchmarkAerostatLimitsCheck(b *testing.B) {
	v := flyingAerostat()
	v.Winch.TensionKg = 80 // one alert to format
	var lim AerostatLimits
	b.ReportAllocs()
	for b.Loop() {
		lim.Check(v, monitorNow)
	}
}

// BenchmarkStareAim: one stare update from a pose.
func BenchmarkStareAim(b *testing.B) {
	s := Stare{Target: Position{Point: OffsetNE(monitorHome.Point, 120, 60), AltMSLM: monitorHome.AltMSLM}, Lead: 500 * time.Millisecond}
	p := Pose{Position: Position{Point: OffsetNE(monitorHome.Point, 10, 40), AltMSLM: monitorHome.AltMSLM + 145},
		Velocity: Velocity{NorthMps: 1, EastMps: 2}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Aim(monitorNow, p); err != nil {
			b.Fatal(err)
		}
	}
}
