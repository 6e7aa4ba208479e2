package vision

import (
	"os"
	"testing"
	"time"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// BenchmarkRecorderWrite is the writer's cost per access unit of 720p30 H.264 at 4 Mbit/s
// (muxing to MPEG-TS and writing the file, 60 s segments), on the writer goroutine.
func BenchmarkRecorderWrite(b *testing.B) {
	clip := ffmpegClip(b, 2, "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
		"-b:v", "4M", "-s", "1280x720")
	var bytesPerClip int64
	for _, u := range clip {
		for _, nalu := range u.au {
			bytesPerClip += int64(len(nalu))
		}
	}
	r := &Recorder{Dir: b.TempDir(), Name: "cam1", SegmentDuration: time.Minute, timeNow: time.Now, flushPeriod: time.Second,
		syncFile: (*os.File).Sync}
	r.w = recorderWriter{r: r}
	b.SetBytes(bytesPerClip / int64(len(clip)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u := clip[i%len(clip)]
		loop := time.Duration(i/len(clip)) * 2 * time.Second
		r.w.write(recordedUnit{codec: avcodec.CodecH264, au: u.au, captured: u.captured.Add(loop)})
	}
	r.w.closeSegment(0)
	b.StopTimer()
	if st := r.Stats(); st.Written != uint64(b.N) {
		b.Fatalf("%d of %d written", st.Written, b.N)
	}
}
