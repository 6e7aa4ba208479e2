package vision

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtpmjpeg"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// A fuzz input is a codec selector byte (0 H.264, 1 H.265, 2 MJPEG, modulo 3) and then RTP
// packets, each preceded by its length in two bytes (big-endian).

var fuzzFormats = []func() format.Format{
	func() format.Format { return &format.H264{PayloadTyp: 96, PacketizationMode: 1} },
	func() format.Format { return &format.H265{PayloadTyp: 96} },
	func() format.Format { return &format.MJPEG{} },
}

func splitFuzzPackets(data []byte) [][]byte {
	var pkts [][]byte
	for len(data) >= 2 {
		n := int(data[0])<<8 | int(data[1])
		data = data[2:]
		if n > len(data) {
			n = len(data)
		}
		pkts = append(pkts, data[:n])
		data = data[n:]
	}
	return pkts
}

func joinFuzzPackets(selector byte, pkts []*rtp.Packet) ([]byte, error) {
	out := []byte{selector}
	for _, p := range pkts {
		b, err := p.Marshal()
		if err != nil {
			return nil, err
		}
		out = append(out, byte(len(b)>>8), byte(len(b)))
		out = append(out, b...)
	}
	return out, nil
}

// FuzzDepacketize feeds arbitrary RTP packets through both receive paths: the depacketizer of
// a known format (as RTSP sets it up) with the decoder behind it, and the plain-UDP receiver
// that has to recognise the codec first. Nothing may crash, in Go or in libavcodec.
func FuzzDepacketize(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{0, 0, 13, 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0x18})             // STAP-A with no unit
	f.Add([]byte{1, 0, 15, 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0x60, 0x01, 0x00}) // H.265 AP, zero size
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, err := depacketizeAll(data)
		require.NoError(t, err)
	})
}

// depacketizeAll runs a fuzz input through both receive paths and returns how many pictures
// each decoded.
func depacketizeAll(data []byte) (known, recognised uint64, err error) {
	if len(data) == 0 {
		return 0, 0, nil
	}
	forma := fuzzFormats[int(data[0])%len(fuzzFormats)]()
	var pkts []*rtp.Packet
	for _, b := range splitFuzzPackets(data[1:]) {
		var pkt rtp.Packet
		if pkt.Unmarshal(b) == nil {
			pkts = append(pkts, &pkt)
		}
	}

	// The RTSP path: the format is known from the SDP.
	s := &Stream{Latency: 100 * time.Millisecond, timeNow: time.Now}
	r := &udpReceiver{s: s}
	if err := r.follow(forma, &rtp.Packet{}); err != nil {
		return 0, 0, err
	}
	for _, pkt := range pkts {
		au, random, err := r.dp.decode(pkt)
		if err != nil || au == nil {
			continue
		}
		s.accessUnit(r.dec, r.dp.codec(), au, random, time.Now(), false, time.Now())
	}
	r.closeDecoder()

	// The plain-UDP path: the codec is recognised from the packets.
	u := &udpReceiver{s: &Stream{Latency: 100 * time.Millisecond, timeNow: time.Now}}
	for _, pkt := range pkts {
		u.packet(pkt, time.Now())
	}
	u.closeDecoder()
	return s.seq, u.s.seq, nil
}

// The committed seeds are real streams: every picture in them decodes on both paths, so the
// fuzzer starts from inputs that reach the decoder.
func TestFuzzDepacketizeSeedsDecode(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDepacketize")
	for name, want := range map[string]uint64{
		"h264-three-pictures": 3, "h265-three-pictures": 3, "mjpeg-one-picture": 1,
	} {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			quoted := strings.TrimSuffix(strings.TrimPrefix(string(body), "go test fuzz v1\n[]byte("), ")\n")
			data, err := strconv.Unquote(quoted)
			require.NoError(t, err)
			known, recognised, err := depacketizeAll([]byte(data))
			require.NoError(t, err)
			require.Equal(t, want, known, "pictures decoded with the format known")
			require.Equal(t, want, recognised, "pictures decoded with the codec recognised")
		})
	}
}

// TestWriteFuzzDepacketizeSeeds regenerates the committed seed corpus of FuzzDepacketize
// from real streams (H.264 from the libx264 encoder, H.265 from ffmpeg's libx265, a JPEG),
// packetized small so fragmentation units and aggregation packets appear. It runs only with
// VIGIL_WRITE_FUZZ_SEEDS=1.
func TestWriteFuzzDepacketizeSeeds(t *testing.T) {
	if os.Getenv("VIGIL_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set VIGIL_WRITE_FUZZ_SEEDS=1 to regenerate testdata/fuzz/FuzzDepacketize")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzDepacketize")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	write := func(name string, selector byte, pkts []*rtp.Packet) {
		data, err := joinFuzzPackets(selector, pkts)
		require.NoError(t, err)
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}

	// H.264: three pictures, the first a keyframe with its parameter sets.
	enc := &avcodec.Encoder{Width: 64, Height: 48, FPS: 10, BitrateKbps: 200}
	require.NoError(t, enc.Initialize())
	defer enc.Close()
	p264 := &rtph264.Encoder{PayloadType: 96, PayloadMaxSize: 120, PacketizationMode: 1}
	require.NoError(t, p264.Init())
	var h264Pkts []*rtp.Packet
	img := image.NewYCbCr(image.Rect(0, 0, 64, 48), image.YCbCrSubsampleRatio420)
	for n := range 3 {
		for i := range img.Y {
			img.Y[i] = byte(i*3 + n*40)
		}
		au, err := enc.Encode(img, int64(n), false)
		require.NoError(t, err)
		pkts, err := p264.Encode(au)
		require.NoError(t, err)
		for _, p := range pkts {
			p.Timestamp = uint32(n) * 9000
		}
		h264Pkts = append(h264Pkts, pkts...)
	}
	write("h264-three-pictures", 0, h264Pkts)
	write("h264-first-half", 0, h264Pkts[:len(h264Pkts)/2])

	// H.265 from ffmpeg.
	if _, err := exec.LookPath("ffmpeg"); err == nil {
		out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10", "-frames:v", "3",
			"-c:v", "libx265", "-x265-params", "log-level=error:keyint=10:bframes=0", "-f", "hevc", "-").Output()
		require.NoError(t, err)
		var annexB h264.AnnexB // the same framing as H.265
		require.NoError(t, annexB.Unmarshal(out))
		p265 := &rtph265.Encoder{PayloadType: 96, PayloadMaxSize: 120}
		require.NoError(t, p265.Init())
		var h265Pkts []*rtp.Packet
		var au [][]byte
		n := 0
		for _, nalu := range annexB {
			au = append(au, nalu)
			if (nalu[0]>>1)&0x3f < 32 { // a picture's slice ends the access unit
				pkts, err := p265.Encode(au)
				require.NoError(t, err)
				for _, p := range pkts {
					p.Timestamp = uint32(n) * 9000
				}
				h265Pkts = append(h265Pkts, pkts...)
				au, n = nil, n+1
			}
		}
		write("h265-three-pictures", 1, h265Pkts)
	}

	// MJPEG: one picture.
	var jpg bytes.Buffer
	require.NoError(t, jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 60}))
	pj := &rtpmjpeg.Encoder{PayloadMaxSize: 200}
	require.NoError(t, pj.Init())
	pkts, err := pj.Encode(jpg.Bytes())
	require.NoError(t, err)
	write("mjpeg-one-picture", 2, pkts)
}
