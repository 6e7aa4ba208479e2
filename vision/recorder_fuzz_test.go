package vision

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// fuzzUnits reads the fuzz input: the codec (first byte: odd for H.265), then access units
// separated by 00 00 02, each a signed time step in 10 ms (its first byte) and NAL units
// separated by 00 00 01 (neither sequence occurs inside a NAL unit).
func fuzzUnits(data []byte) (avcodec.Codec, []clipUnit) {
	if len(data) == 0 {
		return avcodec.CodecH264, nil
	}
	codec := avcodec.CodecH264
	if data[0]%2 == 1 {
		codec = avcodec.CodecH265
	}
	var units []clipUnit
	at := clipStart
	for _, chunk := range bytes.Split(data[1:], []byte{0, 0, 2}) {
		if len(chunk) == 0 {
			continue
		}
		at = at.Add(time.Duration(int8(chunk[0])) * 10 * time.Millisecond)
		units = append(units, clipUnit{au: bytes.Split(chunk[1:], []byte{0, 0, 1}), captured: at})
	}
	return codec, units
}

// Whatever a camera sends, the recorder neither panics nor loses count: every access unit
// is written or skipped, and every segment it opened is closed.
func FuzzRecorderAccessUnit(f *testing.F) {
	f.Add([]byte{0, 3, 0x67, 0x42, 0, 0, 1, 0x68, 0xce, 0, 0, 1, 0x65, 0x88, 0, 0, 2, 3, 0x41, 0x9a})
	f.Add([]byte{1, 3, 0x40, 0x01, 0, 0, 1, 0x42, 0x01, 0, 0, 1, 0x44, 0x01, 0, 0, 1, 0x26, 0x01, 0xaf})
	f.Fuzz(func(t *testing.T, data []byte) {
		codec, units := fuzzUnits(data)
		dir := t.TempDir()
		r := &Recorder{Dir: dir, Name: "cam1", SegmentDuration: time.Second, timeNow: time.Now, flushPeriod: time.Second,
			syncFile: func(*os.File) error { return nil }}
		r.w = recorderWriter{r: r}
		for _, u := range units {
			r.w.write(recordedUnit{codec: codec, au: u.au, captured: u.captured})
		}
		r.w.closeSegment(0)
		st := r.Stats()
		require.EqualValues(t, len(units), st.Written+st.Skipped)
		for _, name := range filesIn(t, dir) {
			require.True(t, strings.HasSuffix(name, ".ts"), name)
		}
	})
}

// Only this stream's segment names parse, and a parsed name is exactly the one the
// recorder would write for that start.
func FuzzParseSegmentName(f *testing.F) {
	for _, seed := range []string{
		"cam1_20261123T150405Z.ts", "cam1_20261123T150405Z-2.ts", "cam1_20261123T150405Z.ts.part",
		"cam2_20261123T150405Z.ts", "cam1_notes.ts", "cam1_20261123T150405Z-02.ts", "cam1_20261123T150405Z-1.ts",
		"cam1_20261323T150405Z.ts", "cam1_20261123T150405+0100.ts", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		start, ok := parseSegmentName("cam1", name)
		if !ok {
			return
		}
		stem := "cam1_" + start.Format(segmentTimeLayout)
		require.True(t, name == stem+".ts" || strings.HasPrefix(name, stem+"-"), "%q parsed as %v", name, start)
		require.Equal(t, time.UTC, start.Location())
	})
}
