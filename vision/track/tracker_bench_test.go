package track

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkUpdate measures one processed frame with 30 tracked objects and their 30
// detections: prediction, ego-motion, the 30×30 cost matrix, the assignment and the 30
// filter updates. Goal: well under 1 ms a frame. Besides the wall-clock ns/op it reports
// the process's CPU time per frame (cpu-ns/op), which a loaded machine disturbs less.
func BenchmarkUpdate(b *testing.B) {
	// The objects circle on a 6×5 grid, 200 × 130 px apart, and the camera turns a full
	// circle, both with a period of 300 frames (10 s at 30 fps), so frames can be replayed
	// while time goes on.
	const period, fps = 300, 30
	turn := similarity(2*math.Pi/period, 1, Vec{640, 360})
	for _, c := range []struct {
		name string
		ego  *Homography
	}{
		{"static camera", nil},
		{"turning camera", &turn},
	} {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			frames := make([][]Detection, period)
			g := IdentityHomography()
			for k := range frames {
				if k > 0 && c.ego != nil {
					g = g.then(*c.ego)
				}
				phase := 2 * math.Pi * float64(k) / period
				for i := range 30 {
					q := Vec{
						140 + 200*float64(i%6) + 30*math.Cos(phase+float64(i)),
						100 + 130*float64(i/6) + 30*math.Sin(phase+float64(i)),
					}
					box := discBox(g, q, 20)
					frames[k] = append(frames[k], noisyDet(rng, box.Center(), box.Width(), 2*box.Height(), 1, "person"))
				}
			}
			tr := newTracker(b, Tracker{})
			at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second / fps) }
			for i := range period {
				if _, err := tr.Update(at(i), c.ego, frames[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, cpuOK := processCPU()
			i := period
			for b.Loop() {
				if _, err := tr.Update(at(i), c.ego, frames[i%period]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.StopTimer()
			if cpu1, ok := processCPU(); ok && cpuOK {
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(i-period), "cpu-ns/op")
			}
			if n := tr.Alive(); n != 30 {
				b.Fatalf("%d tracks alive, want the 30 objects", n)
			}
			if tr.nextID != 30 {
				b.Fatalf("%d tracks were started, want 30", tr.nextID)
			}
		})
	}
}
