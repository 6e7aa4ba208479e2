package vision

import (
	"bytes"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// h265LastVCL is the last H.265 NAL unit type that carries a picture slice (ITU-T H.265
// table 7-1); mediacommon names the types but not the range.
const h265LastVCL = 31

// paramSets are a stream's latest parameter sets. Every segment must start with them, and
// many cameras send them only in the SDP (the ingest puts those in front of the first
// keyframe) or once in a while.
type paramSets struct{ vps, sps, pps []byte }

// sameSequence tells whether the video is still the same sequence (size, profile): a new
// one (the camera was reconfigured) starts a new segment, as some players cannot follow
// the change inside a file. Picture parameter sets may vary from keyframe to keyframe.
func (p paramSets) sameSequence(o paramSets) bool {
	return bytes.Equal(p.vps, o.vps) && bytes.Equal(p.sps, o.sps)
}

// prepare readies an access unit for the muxer: it drops empty units and access unit
// delimiters (the muxer writes its own), takes the parameter sets out (remembering them)
// and puts the latest ones back in front of every keyframe. ok is false for a unit that
// cannot be recorded: no picture in it, or a keyframe whose parameter sets never came.
func (p *paramSets) prepare(codec avcodec.Codec, au [][]byte) (out [][]byte, random, ok bool) {
	pictures := false
	out = make([][]byte, 0, len(au)+3)
	for _, nalu := range au {
		if codec == avcodec.CodecH265 {
			if len(nalu) < 2 { // the H.265 NAL header is two bytes
				continue
			}
			switch typ := h265.NALUType((nalu[0] >> 1) & 0x3f); {
			case typ == h265.NALUType_VPS_NUT:
				p.vps = nalu
				continue
			case typ == h265.NALUType_SPS_NUT:
				p.sps = nalu
				continue
			case typ == h265.NALUType_PPS_NUT:
				p.pps = nalu
				continue
			case typ == h265.NALUType_AUD_NUT:
				continue
			case typ == h265.NALUType_IDR_W_RADL || typ == h265.NALUType_IDR_N_LP || typ == h265.NALUType_CRA_NUT:
				random, pictures = true, true
			case typ <= h265LastVCL:
				pictures = true
			}
		} else {
			if len(nalu) == 0 {
				continue
			}
			switch typ := h264.NALUType(nalu[0] & 0x1f); {
			case typ == h264.NALUTypeSPS:
				p.sps = nalu
				continue
			case typ == h264.NALUTypePPS:
				p.pps = nalu
				continue
			case typ == h264.NALUTypeAccessUnitDelimiter:
				continue
			case typ == h264.NALUTypeIDR:
				random, pictures = true, true
			case typ >= h264.NALUTypeNonIDR && typ < h264.NALUTypeIDR:
				pictures = true
			}
		}
		out = append(out, nalu)
	}
	if !pictures {
		return nil, false, false
	}
	if random {
		if p.sps == nil || p.pps == nil || (codec == avcodec.CodecH265 && p.vps == nil) {
			return nil, false, false
		}
		sets := [][]byte{p.sps, p.pps}
		if codec == avcodec.CodecH265 {
			sets = [][]byte{p.vps, p.sps, p.pps}
		}
		out = append(sets, out...)
	}
	return out, random, true
}
