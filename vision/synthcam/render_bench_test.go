package synthcam

import (
	"image"
	"image/png"
	"math"
	"os"
	"testing"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// BenchmarkRender720p is the simulated camera's drawing cost per frame at 1280×720, looking
// 30° down from the horizon at 120 m (the costliest common view: near ground and far).
func BenchmarkRender720p(b *testing.B) {
	w := NewWorld(WorldConfig{Origin: testHome, Seed: 7, People: 20, Vehicles: 6})
	cam := gcs.Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 69}
	img := image.NewYCbCr(image.Rect(0, 0, 1280, 720), image.YCbCrSubsampleRatio420)
	pose := gcs.Pose{Position: gcs.Position{Point: testHome.Point, AltMSLM: testHome.AltMSLM + 120}, Attitude: gcs.Attitude{YawRad: 0.5}}
	g := gcs.GimbalAttitude{PitchRad: -30 * math.Pi / 180}
	at := time.Unix(1_800_000_000, 0)
	b.ResetTimer()
	for i := range b.N {
		_ = w.Render(img, cam, pose, g, at.Add(time.Duration(i)*33*time.Millisecond))
	}
	if path := os.Getenv("SYNTHCAM_PNG"); path != "" {
		f, _ := os.Create(path)
		_ = png.Encode(f, img)
		f.Close()
	}
}
