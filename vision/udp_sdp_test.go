package vision

import (
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/stretchr/testify/require"
)

// casesSDP are SDP files as ffmpeg (`-sdp_file`) and cameras write them, and what Vigil reads
// from each; they seed FuzzParseSDP too.
var casesSDP = []struct {
	name  string
	sdp   string
	codec string // the format's codec, or "" when parsing fails
	pt    uint8
	err   string
}{
	{
		name: "ffmpeg H.264 with parameter sets",
		sdp: "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=No Name\nc=IN IP4 127.0.0.1\nt=0 0\na=tool:libavformat LIBAVFORMAT_VERSION\n" +
			"m=video 5600 RTP/AVP 96\na=rtpmap:96 H264/90000\n" +
			"a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QACqzZRHsBEAAAAwAQAAADAUDxIllg,aOvjyyLA; profile-level-id=64000A\n",
		codec: "H264", pt: 96,
	},
	{
		name: "ffmpeg H.265 with parameter sets",
		sdp: "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=No Name\nc=IN IP4 127.0.0.1\nt=0 0\n" +
			"m=video 5600 RTP/AVP 96\na=rtpmap:96 H265/90000\n" +
			"a=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwAelZgJ; sprop-sps=QgEBAWAAAAMAkAAAAwAAAwAeoCCDFllZrkyvAWgIAAADAAgAAAMAUEA=; sprop-pps=RAHBc9CJ\n",
		codec: "H265", pt: 96,
	},
	{
		name:  "ffmpeg MJPEG",
		sdp:   "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=No Name\nc=IN IP4 127.0.0.1\nt=0 0\nm=video 5600 RTP/AVP 26\nb=AS:200\n",
		codec: "M-JPEG", pt: 26,
	},
	{
		name: "audio first, then H.264 on payload type 97",
		sdp: "v=0\r\no=- 1 1 IN IP4 192.168.144.25\r\ns=cam\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n" +
			"m=audio 5602 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" +
			"m=video 5600 RTP/AVP 97\r\na=rtpmap:97 H264/90000\r\na=fmtp:97 packetization-mode=1\r\n",
		codec: "H264", pt: 97,
	},
	{
		name: "VP8 only",
		sdp:  "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=cam\nc=IN IP4 127.0.0.1\nt=0 0\nm=video 5600 RTP/AVP 96\na=rtpmap:96 VP8/90000\n",
		err:  "no H.264, H.265 or MJPEG video: the stream offers VP8",
	},
	{
		name: "not an SDP",
		sdp:  "hello\n",
		err:  "bad URL: SDP file cam.sdp: ",
	},
}

func TestParseSDP(t *testing.T) {
	for _, tc := range casesSDP {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseSDP([]byte(tc.sdp), "cam.sdp")
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.codec, f.Codec())
			require.Equal(t, tc.pt, f.PayloadType())
			require.NotZero(t, formatCodec(f))
			if h, ok := f.(*format.H264); ok && tc.pt == 96 {
				sps, pps := h.SafeParams()
				require.NotEmpty(t, sps, "the SPS comes from sprop-parameter-sets")
				require.NotEmpty(t, pps)
			}
		})
	}
}

// FuzzParseSDP: whatever an SDP file holds, reading it returns a format Vigil decodes or an
// error, never a panic.
func FuzzParseSDP(f *testing.F) {
	for _, tc := range casesSDP {
		f.Add([]byte(tc.sdp))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		forma, err := parseSDP(data, "fuzz.sdp")
		if err == nil {
			require.NotZero(t, formatCodec(forma))
		}
	})
}
