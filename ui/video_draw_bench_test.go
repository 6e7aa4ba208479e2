//go:build unix

package ui

import (
	"image"
	"syscall"
	"testing"
	"time"
)

// BenchmarkVideoDraw is one refresh of the panel's picture: a 720p frame shown at 480×270
// with 30 tracked objects.
func BenchmarkVideoDraw(b *testing.B) {
	img := testFrame(1280, 720, 128, 128, 128)
	for i := range img.Y {
		img.Y[i] = uint8(16 + (i*7919)%219)
	}
	f := &VideoFrame{Image: img}
	for i := range 30 {
		x, y := 40*i, 20*i
		f.Boxes = append(f.Boxes, VideoBox{Rect: image.Rect(x, y, x+60, y+90), TrackID: uint64(100 + i), Class: "person", Score: 0.8, Lost: i%5 == 0})
	}
	var d videoDrawer
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		d.draw(480, 270, 1, f, videoOverlay{Recording: true})
	}
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

// processCPU is the CPU time this process has used: unlike the wall clock, it does not
// count the time the benchmark waits for a core on a busy machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
