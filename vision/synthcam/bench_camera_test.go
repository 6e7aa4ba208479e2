package synthcam

import (
	"image"
	"math"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// threadCPU is the CPU time of the calling OS thread (lock it first).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_THREAD, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRenderEncode720p is one frame of the simulated camera at 1280×720, done as the
// Camera's frame loop does it on its one goroutine: render the world (flying north at
// 12 m/s, 120 m up, gimbal 30° below the horizon: near ground and far), stamp the timecode,
// encode with libx264 on one thread (ultrafast, zerolatency, 4 Mbit/s). It reports frames
// per CPU-second of that thread, which is what "30 fps on one core" (issue 4) asks: at least
// 30, and the headroom above it is what the rest of the simulator gets.
func BenchmarkRenderEncode720p(b *testing.B) {
	w := NewWorld(WorldConfig{Origin: testHome, Seed: 7, People: 20, Vehicles: 6})
	lens := gcs.Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 69}
	img := image.NewYCbCr(image.Rect(0, 0, 1280, 720), image.YCbCrSubsampleRatio420)
	enc := &avcodec.Encoder{Width: 1280, Height: 720, FPS: 30, Threads: 1}
	if err := enc.Initialize(); err != nil {
		b.Fatal(err)
	}
	defer enc.Close()
	g := gcs.GimbalAttitude{PitchRad: -30 * math.Pi / 180}
	start := time.Unix(1_800_000_000, 0)

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	var renderCPU, encodeCPU time.Duration
	for i := range b.N {
		at := start.Add(time.Duration(i) * time.Second / 30)
		pose := gcs.Pose{Position: gcs.Position{
			Point: gcs.OffsetNE(testHome.Point, 12*at.Sub(start).Seconds(), 0), AltMSLM: testHome.AltMSLM + 120,
		}}
		t0 := threadCPU()
		if err := w.Render(img, lens, pose, g, at); err != nil {
			b.Fatal(err)
		}
		StampTimecode(img, at)
		t1 := threadCPU()
		if _, err := enc.Encode(img, int64(i), false); err != nil {
			b.Fatal(err)
		}
		renderCPU += t1 - t0
		encodeCPU += threadCPU() - t1
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric((renderCPU+encodeCPU).Seconds()*1000/n, "ms-cpu/frame")
	b.ReportMetric(renderCPU.Seconds()*1000/n, "render-ms-cpu/frame")
	b.ReportMetric(encodeCPU.Seconds()*1000/n, "encode-ms-cpu/frame")
	b.ReportMetric(n/(renderCPU+encodeCPU).Seconds(), "frames/cpu-s")
}
