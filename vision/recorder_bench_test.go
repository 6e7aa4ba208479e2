package vision

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// BenchmarkRecorderWrite is the writer's cost per access unit of 720p30 H.264 at 4 Mbit/s,
// on the writer goroutine: "recorder" muxes to MPEG-TS and writes 60 s segments (flushing
// every second, fsync at each close); "file" is the baseline, the same bytes appended to
// one file through the same buffer. Compare the two of one run.
func BenchmarkRecorderWrite(b *testing.B) {
	clip := ffmpegClip(b, 2, "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
		"-b:v", "4M", "-s", "1280x720")
	var bytesPerClip int64
	for _, u := range clip {
		for _, nalu := range u.au {
			bytesPerClip += int64(len(nalu))
		}
	}
	perUnit := bytesPerClip / int64(len(clip))

	b.Run("file", func(b *testing.B) {
		f, err := os.Create(filepath.Join(b.TempDir(), "raw.h264"))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		w := bufio.NewWriterSize(f, 64<<10)
		start := []byte{0, 0, 0, 1}
		b.SetBytes(perUnit)
		for i := 0; i < b.N; i++ {
			for _, nalu := range clip[i%len(clip)].au {
				w.Write(start)
				w.Write(nalu)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("recorder", func(b *testing.B) {
		r := &Recorder{Dir: b.TempDir(), Name: "cam1", SegmentDuration: time.Minute, timeNow: time.Now,
			flushPeriod: time.Second, syncFile: (*os.File).Sync}
		r.w = recorderWriter{r: r}
		b.SetBytes(perUnit)
		for i := 0; i < b.N; i++ {
			u := clip[i%len(clip)]
			loop := time.Duration(i/len(clip)) * 2 * time.Second
			r.w.write(recordedUnit{codec: avcodec.CodecH264, au: u.au, captured: u.captured.Add(loop)})
		}
		r.w.closeSegment(0)
		if st := r.Stats(); st.Written != uint64(b.N) {
			b.Fatalf("%d of %d written", st.Written, b.N)
		}
	})
}
