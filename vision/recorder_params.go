package vision

import (
	"bytes"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// NAL unit types the recorder looks at (H.264: ITU-T H.264 table 7-1; H.265: H.265
// table 7-1).
const (
	h264NALNonIDR = 1
	h264NALIDR    = 5
	h264NALSPS    = 7
	h264NALPPS    = 8
	h264NALAUD    = 9

	h265NALLastVCL = 31
	h265NALIDRRADL = 19
	h265NALIDRNLP  = 20
	h265NALCRA     = 21
	h265NALVPS     = 32
	h265NALSPS     = 33
	h265NALPPS     = 34
	h265NALAUD     = 35
)

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
			switch typ := (nalu[0] >> 1) & 0x3f; {
			case typ == h265NALVPS:
				p.vps = nalu
				continue
			case typ == h265NALSPS:
				p.sps = nalu
				continue
			case typ == h265NALPPS:
				p.pps = nalu
				continue
			case typ == h265NALAUD:
				continue
			case typ == h265NALIDRRADL || typ == h265NALIDRNLP || typ == h265NALCRA:
				random, pictures = true, true
			case typ <= h265NALLastVCL:
				pictures = true
			}
		} else {
			if len(nalu) == 0 {
				continue
			}
			switch typ := nalu[0] & 0x1f; {
			case typ == h264NALSPS:
				p.sps = nalu
				continue
			case typ == h264NALPPS:
				p.pps = nalu
				continue
			case typ == h264NALAUD:
				continue
			case typ == h264NALIDR:
				random, pictures = true, true
			case typ >= h264NALNonIDR && typ < h264NALIDR:
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
