package vision

import (
	"errors"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtpmjpeg"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtp"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// depacketizer turns RTP packets into whole access units of one codec.
type depacketizer interface {
	codec() avcodec.Codec
	// decode returns an access unit when pkt completes one (nil while more are needed):
	// NAL units for H.264/H.265, one JPEG for MJPEG; random is true when decoding can start
	// there. Units before the first random-access one are held back: they cannot decode.
	decode(pkt *rtp.Packet) (au [][]byte, random bool, err error)
}

// moreNeeded tells the depacketizers' "wait for the next packet" errors from real ones.
func moreNeeded(err error) bool {
	return errors.Is(err, rtph264.ErrMorePacketsNeeded) || errors.Is(err, rtph264.ErrNonStartingPacketAndNoPrevious) ||
		errors.Is(err, rtph265.ErrMorePacketsNeeded) || errors.Is(err, rtph265.ErrNonStartingPacketAndNoPrevious) ||
		errors.Is(err, rtpmjpeg.ErrMorePacketsNeeded) || errors.Is(err, rtpmjpeg.ErrNonStartingPacketAndNoPrevious)
}

type h264Depacketizer struct {
	f       *format.H264
	d       *rtph264.Decoder
	started bool
}

func newH264Depacketizer(f *format.H264) (*h264Depacketizer, error) {
	d, err := f.CreateDecoder()
	return &h264Depacketizer{f: f, d: d}, err
}

func (*h264Depacketizer) codec() avcodec.Codec { return avcodec.CodecH264 }

func (p *h264Depacketizer) decode(pkt *rtp.Packet) ([][]byte, bool, error) {
	au, err := p.d.Decode(pkt)
	if err != nil {
		if moreNeeded(err) {
			err = nil
		}
		return nil, false, err
	}
	random := h264.IsRandomAccess(au)
	if !p.started {
		if !random {
			return nil, false, nil
		}
		p.started = true
		// Cameras often send the parameter sets only in the SDP.
		if sps, pps := p.f.SafeParams(); sps != nil && pps != nil {
			au = append([][]byte{sps, pps}, au...)
		}
	}
	return au, random, nil
}

type h265Depacketizer struct {
	f       *format.H265
	d       *rtph265.Decoder
	started bool
}

func newH265Depacketizer(f *format.H265) (*h265Depacketizer, error) {
	d, err := f.CreateDecoder()
	return &h265Depacketizer{f: f, d: d}, err
}

func (*h265Depacketizer) codec() avcodec.Codec { return avcodec.CodecH265 }

func (p *h265Depacketizer) decode(pkt *rtp.Packet) ([][]byte, bool, error) {
	au, err := p.d.Decode(pkt)
	if err != nil {
		if moreNeeded(err) {
			err = nil
		}
		return nil, false, err
	}
	random := h265.IsRandomAccess(au)
	if !p.started {
		if !random {
			return nil, false, nil
		}
		p.started = true
		if vps, sps, pps := p.f.SafeParams(); vps != nil && sps != nil && pps != nil {
			au = append([][]byte{vps, sps, pps}, au...)
		}
	}
	return au, random, nil
}

type mjpegDepacketizer struct{ d *rtpmjpeg.Decoder }

func newMJPEGDepacketizer(f *format.MJPEG) (*mjpegDepacketizer, error) {
	d, err := f.CreateDecoder()
	return &mjpegDepacketizer{d: d}, err
}

func (*mjpegDepacketizer) codec() avcodec.Codec { return avcodec.CodecMJPEG }

func (p *mjpegDepacketizer) decode(pkt *rtp.Packet) ([][]byte, bool, error) {
	img, err := p.d.Decode(pkt)
	if err != nil {
		if moreNeeded(err) {
			err = nil
		}
		return nil, false, err
	}
	return [][]byte{img}, true, nil
}

// joinAnnexB is the decoder's input: H.264/H.265 units in Annex-B form, a JPEG as it is.
func joinAnnexB(codec avcodec.Codec, au [][]byte) []byte {
	if codec == avcodec.CodecMJPEG {
		return au[0]
	}
	out, err := h264.AnnexB(au).Marshal() // the start-code framing is the same for H.265
	if err != nil {
		return nil
	}
	return out
}
