package avcodec

// #cgo pkg-config: libavcodec libavutil
// #include <libavcodec/avcodec.h>
// #include <stdlib.h>
// #include <libavutil/opt.h>
//
// static void set_plane(AVFrame *f, int i, uint8_t *data, int linesize) { f->data[i] = data; f->linesize[i] = linesize; }
import "C"

import (
	"errors"
	"fmt"
	"image"
	"runtime"
	"unsafe"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// Encoder encodes 4:2:0 pictures to H.264 with libx264 tuned for latency: no B-frames, no
// lookahead, one packet out per picture in, parameter sets repeated on every keyframe so a
// viewer can join at any keyframe. It is not safe for concurrent use.
type Encoder struct {
	// Width and Height of every picture, even numbers. Required.
	Width, Height int
	// FPS is the nominal frame rate. It defaults to 30.
	FPS int
	// BitrateKbps is the target bitrate. It defaults to 4000 (plenty for 720p aerial video).
	BitrateKbps int
	// KeyframeInterval is the distance between keyframes in pictures. It defaults to one
	// second of pictures, so a viewer that joins or loses packets recovers within a second.
	KeyframeInterval int
	// Threads for libx264. It defaults to 1.
	Threads int

	ctx    *C.AVCodecContext
	frame  *C.AVFrame
	packet *C.AVPacket
}

// Initialize opens libx264.
func (e *Encoder) Initialize() error {
	if e.Width <= 0 || e.Height <= 0 || e.Width%2 != 0 || e.Height%2 != 0 {
		return fmt.Errorf("encoder size %dx%d: want positive even numbers", e.Width, e.Height)
	}
	if e.FPS <= 0 {
		e.FPS = 30
	}
	if e.BitrateKbps <= 0 {
		e.BitrateKbps = 4000
	}
	if e.KeyframeInterval <= 0 {
		e.KeyframeInterval = e.FPS
	}
	if e.Threads <= 0 {
		e.Threads = 1
	}
	name := C.CString("libx264")
	defer C.free(unsafe.Pointer(name))
	codec := C.avcodec_find_encoder_by_name(name)
	if codec == nil {
		return errors.New("this FFmpeg has no libx264 encoder")
	}
	e.ctx = C.avcodec_alloc_context3(codec)
	if e.ctx == nil {
		return errors.New("avcodec_alloc_context3 failed")
	}
	e.ctx.width, e.ctx.height = C.int(e.Width), C.int(e.Height)
	e.ctx.pix_fmt = C.AV_PIX_FMT_YUV420P
	e.ctx.time_base = C.AVRational{num: 1, den: C.int(e.FPS)}
	e.ctx.framerate = C.AVRational{num: C.int(e.FPS), den: 1}
	e.ctx.bit_rate = C.int64_t(e.BitrateKbps) * 1000
	e.ctx.gop_size = C.int(e.KeyframeInterval)
	e.ctx.max_b_frames = 0
	e.ctx.thread_count = C.int(e.Threads)
	for k, v := range map[string]string{"preset": "ultrafast", "tune": "zerolatency"} {
		setOpt(e.ctx.priv_data, k, v)
	}
	if res := C.avcodec_open2(e.ctx, codec, nil); res < 0 {
		C.avcodec_free_context(&e.ctx)
		return fmt.Errorf("opening libx264: %w", averror(res))
	}
	e.frame = C.av_frame_alloc()
	e.packet = C.av_packet_alloc()
	if e.frame == nil || e.packet == nil {
		e.Close()
		return errors.New("av_frame_alloc failed")
	}
	e.frame.format = C.AV_PIX_FMT_YUV420P
	e.frame.width, e.frame.height = C.int(e.Width), C.int(e.Height)
	return nil
}

func setOpt(obj unsafe.Pointer, key, value string) {
	k, v := C.CString(key), C.CString(value)
	C.av_opt_set(obj, k, v, 0)
	C.free(unsafe.Pointer(k))
	C.free(unsafe.Pointer(v))
}

// Close frees the encoder.
func (e *Encoder) Close() {
	if e.frame != nil {
		C.av_frame_free(&e.frame)
	}
	if e.packet != nil {
		C.av_packet_free(&e.packet)
	}
	if e.ctx != nil {
		C.avcodec_free_context(&e.ctx)
	}
}

// Encode compresses one picture (4:2:0, the encoder's size) with presentation index pts
// (in pictures) and returns its access unit as NAL units; keyframe forces an IDR picture.
func (e *Encoder) Encode(img *image.YCbCr, pts int64, keyframe bool) ([][]byte, error) {
	if img.SubsampleRatio != image.YCbCrSubsampleRatio420 || img.Rect.Dx() != e.Width || img.Rect.Dy() != e.Height {
		return nil, fmt.Errorf("encoder wants %dx%d 4:2:0 pictures, got %v %v", e.Width, e.Height, img.Rect.Size(), img.SubsampleRatio)
	}
	var pin runtime.Pinner
	defer pin.Unpin()
	for i, plane := range [][]byte{img.Y, img.Cb, img.Cr} {
		pin.Pin(&plane[0])
		stride := img.YStride
		if i > 0 {
			stride = img.CStride
		}
		C.set_plane(e.frame, C.int(i), (*C.uint8_t)(unsafe.Pointer(&plane[0])), C.int(stride))
	}
	e.frame.pts = C.int64_t(pts)
	e.frame.pict_type = C.AV_PICTURE_TYPE_NONE
	if keyframe {
		e.frame.pict_type = C.AV_PICTURE_TYPE_I
	}
	res := C.avcodec_send_frame(e.ctx, e.frame)
	for i := range 3 {
		C.set_plane(e.frame, C.int(i), nil, 0)
	}
	if res < 0 {
		return nil, fmt.Errorf("encoding: %w", averror(res))
	}
	res = C.avcodec_receive_packet(e.ctx, e.packet)
	if res == averrorEAGAIN {
		return nil, nil
	}
	if res < 0 {
		return nil, fmt.Errorf("encoding: %w", averror(res))
	}
	defer C.av_packet_unref(e.packet)
	annexB := C.GoBytes(unsafe.Pointer(e.packet.data), e.packet.size)
	var au h264.AnnexB
	if err := au.Unmarshal(annexB); err != nil {
		return nil, fmt.Errorf("libx264 output: %w", err)
	}
	return au, nil
}
