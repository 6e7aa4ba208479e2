package avcodec_test

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/vision/avcodec"
	"github.com/vigil-gcs/vigil/vision/synthcam"
)

// The decode benchmark's input is what a drone camera sends: 10 s of 1080p30 H.264, High
// profile, no B-frames, a keyframe every second, 8 Mbit/s. The pictures are the simulated
// world seen from 100 m while flying north at 12 m/s with the gimbal 45° down (the whole
// picture moves, as from a drone), plus a little temporal noise like a camera sensor's;
// libx264's "medium" preset compresses it like a camera's hardware encoder would.
const (
	benchW, benchH, benchFPS, benchSeconds = 1920, 1080, 30, 10
	benchClipVersion                       = "v1" // change when the clip's recipe changes
)

// benchClip returns the path of the benchmark clip, making it once (it takes about a minute)
// and keeping it in the temporary directory for the next runs.
func benchClip(b *testing.B) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("vigil-bench-%dp%d-%s.h264", benchH, benchFPS, benchClipVersion))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".part"
	ffmpeg := exec.Command("ffmpeg", "-v", "error", "-y",
		"-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", fmt.Sprintf("%dx%d", benchW, benchH), "-r", fmt.Sprint(benchFPS), "-i", "-",
		"-vf", "noise=alls=4:allf=t", "-c:v", "libx264", "-preset", "medium", "-profile:v", "high", "-bf", "0",
		"-g", fmt.Sprint(benchFPS), "-b:v", "8M", "-maxrate", "8M", "-bufsize", "4M", "-f", "h264", tmp)
	stdin, err := ffmpeg.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	ffmpeg.Stderr = &stderr
	if err := ffmpeg.Start(); err != nil {
		b.Fatal(err)
	}
	home := gcs.Position{AltMSLM: 584}
	home.Point[0], home.Point[1] = 149.16523, -35.363261
	world := synthcam.NewWorld(synthcam.WorldConfig{Origin: home, Seed: 11, People: 20, Vehicles: 6})
	lens := gcs.Camera{WidthPx: benchW, HeightPx: benchH, HFOVDeg: 69}
	img := image.NewYCbCr(image.Rect(0, 0, benchW, benchH), image.YCbCrSubsampleRatio420)
	start := time.Unix(1_800_000_000, 0)
	for n := range benchFPS * benchSeconds {
		at := start.Add(time.Duration(n) * time.Second / benchFPS)
		northM := -60 + 12*at.Sub(start).Seconds()
		pose := gcs.Pose{Position: gcs.Position{Point: gcs.OffsetNE(home.Point, northM, 0), AltMSLM: home.AltMSLM + 100}}
		if err := world.Render(img, lens, pose, gcs.GimbalAttitude{PitchRad: -math.Pi / 4}, at); err != nil {
			b.Fatal(err)
		}
		for _, plane := range [][]byte{img.Y, img.Cb, img.Cr} {
			if _, err := stdin.Write(plane); err != nil {
				b.Fatalf("ffmpeg: %v: %s", err, stderr.String())
			}
		}
	}
	stdin.Close()
	if err := ffmpeg.Wait(); err != nil {
		b.Fatalf("ffmpeg: %v: %s", err, stderr.String())
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// splitAccessUnits cuts an Annex-B H.264 stream into access units, each in Annex-B form: a
// new one starts at a slice whose first_mb_in_slice is 0, or at an AUD, SEI, SPS or PPS after
// a slice.
func splitAccessUnits(annexB []byte) ([][]byte, error) {
	var aus [][]byte
	var cur [][]byte
	hasSlice := false
	flush := func() error {
		if len(cur) > 0 {
			au, err := h264.AnnexB(cur).Marshal()
			if err != nil {
				return err
			}
			aus = append(aus, au)
		}
		cur, hasSlice = nil, false
		return nil
	}
	for _, nalu := range annexBUnits(annexB) {
		if len(nalu) < 2 {
			continue
		}
		typ := h264.NALUType(nalu[0] & 0x1f)
		slice := typ == h264.NALUTypeNonIDR || typ == h264.NALUTypeIDR
		newPicture := slice && nalu[1]&0x80 != 0 // first_mb_in_slice == 0 codes as a single 1 bit
		if hasSlice && (newPicture || typ == h264.NALUTypeAccessUnitDelimiter || typ == h264.NALUTypeSEI ||
			typ == h264.NALUTypeSPS || typ == h264.NALUTypePPS) {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		cur = append(cur, nalu)
		hasSlice = hasSlice || slice
	}
	return aus, flush()
}

// annexBUnits splits a whole Annex-B file at its start codes (h264.AnnexB caps its input at
// one access unit's maximum size).
func annexBUnits(data []byte) [][]byte {
	var units [][]byte
	start := -1
	for i := 0; i+3 <= len(data); {
		if data[i] == 0 && data[i+1] == 0 && data[i+2] == 1 {
			if start >= 0 {
				units = append(units, bytes.TrimRight(data[start:i], "\x00"))
			}
			i += 3
			start = i
			continue
		}
		i++
	}
	if start >= 0 {
		units = append(units, data[start:])
	}
	return units
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDecode1080p30VsFFmpeg measures the CPU time avcodec.Decoder (one thread) takes to
// decode the clip, pictures copied into Go images as the stream hands them out, against
// `ffmpeg -threads 1 -i clip -f null -` on the same clip in the same run. The goal (issue 4)
// is at most 1.3 times ffmpeg's CPU time.
func BenchmarkDecode1080p30VsFFmpeg(b *testing.B) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		b.Skip("ffmpeg is not installed")
	}
	path := benchClip(b)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	aus, err := splitAccessUnits(data)
	if err != nil {
		b.Fatal(err)
	}
	if len(aus) != benchFPS*benchSeconds {
		b.Fatalf("the clip has %d access units, want %d", len(aus), benchFPS*benchSeconds)
	}
	b.ResetTimer()
	var ours, theirs time.Duration
	for range b.N {
		// ffmpeg first, then Vigil, so both see the same machine load on average.
		cmd := exec.Command("ffmpeg", "-v", "error", "-threads", "1", "-i", path, "-f", "null", "-")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("ffmpeg: %v: %s", err, out)
		}
		theirs += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()

		before := cpuTime()
		dec := &avcodec.Decoder{Codec: avcodec.CodecH264, Threads: 1}
		if err := dec.Initialize(); err != nil {
			b.Fatal(err)
		}
		pictures := 0
		for _, au := range aus {
			img, err := dec.Decode(au)
			if err != nil {
				b.Fatal(err)
			}
			if img != nil {
				pictures++
			}
		}
		dec.Close()
		ours += cpuTime() - before
		if pictures != len(aus) {
			b.Fatalf("decoded %d pictures of %d", pictures, len(aus))
		}
	}
	frames := float64(b.N * len(aus))
	b.ReportMetric(ours.Seconds()*1000/frames, "ms-cpu/frame")
	b.ReportMetric(theirs.Seconds()*1000/frames, "ffmpeg-ms-cpu/frame")
	b.ReportMetric(frames/ours.Seconds(), "frames/cpu-s")
	b.ReportMetric(ours.Seconds()/theirs.Seconds(), "x-ffmpeg")
	b.ReportMetric(float64(len(data))*8/benchSeconds/1e6, "Mbit/s")
}
