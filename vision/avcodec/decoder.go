// Package avcodec wraps FFmpeg's libavcodec (through cgo) for Vigil's video: a decoder for
// H.264, H.265 and MJPEG that hands out frames as Go images, and an H.264 encoder (libx264)
// for the simulated camera. It is the only place Vigil's video touches C.
package avcodec

// #cgo pkg-config: libavcodec libavutil libswscale
// #include <libavcodec/avcodec.h>
// #include <libavutil/imgutils.h>
// #include <libswscale/swscale.h>
//
// static int plane_linesize(AVFrame *f, int i) { return f->linesize[i]; }
// static uint8_t *plane_data(AVFrame *f, int i) { return f->data[i]; }
import "C"

import (
	"errors"
	"fmt"
	"image"
	"runtime"
	"unsafe"
)

// Codec is a compressed video format Vigil decodes.
type Codec int

// Codecs Vigil decodes.
const (
	CodecH264 Codec = iota + 1
	CodecH265
	CodecMJPEG
)

func (c Codec) String() string {
	switch c {
	case CodecH264:
		return "H.264"
	case CodecH265:
		return "H.265"
	case CodecMJPEG:
		return "MJPEG"
	}
	return fmt.Sprintf("codec %d", int(c))
}

func (c Codec) avID() (C.enum_AVCodecID, bool) {
	switch c {
	case CodecH264:
		return C.AV_CODEC_ID_H264, true
	case CodecH265:
		return C.AV_CODEC_ID_HEVC, true
	case CodecMJPEG:
		return C.AV_CODEC_ID_MJPEG, true
	}
	return 0, false
}

// ErrCorrupt is returned for data the decoder rejects; the decoder stays usable and picks up
// again at the next decodable frame (for H.264/H.265, the next keyframe at worst).
var ErrCorrupt = errors.New("corrupt video data")

// Decoder decodes one stream. It is not safe for concurrent use: one decoder per stream,
// fed from the stream's goroutine.
type Decoder struct {
	// Codec is the stream's format. Required.
	Codec Codec
	// Threads is how many threads libavcodec may use. It defaults to 1: frame threading
	// would add a frame of latency per thread, and slice threading buys little at the sizes
	// drones send.
	Threads int

	ctx    *C.AVCodecContext
	frame  *C.AVFrame
	packet *C.AVPacket

	// sws converts the rare formats that are not 8-bit planar YUV (10-bit H.265, NV12
	// from some MJPEG cameras) to yuv420p.
	sws       *C.struct_SwsContext
	swsFormat C.int
	swsW      C.int
	swsH      C.int
	converted *C.AVFrame
}

// Initialize opens the decoder.
func (d *Decoder) Initialize() error {
	id, ok := d.Codec.avID()
	if !ok {
		return fmt.Errorf("unsupported codec %v", d.Codec)
	}
	if d.Threads <= 0 {
		d.Threads = 1
	}
	codec := C.avcodec_find_decoder(id)
	if codec == nil {
		return fmt.Errorf("this FFmpeg has no %v decoder", d.Codec)
	}
	d.ctx = C.avcodec_alloc_context3(codec)
	if d.ctx == nil {
		return errors.New("avcodec_alloc_context3 failed")
	}
	d.ctx.thread_count = C.int(d.Threads)
	d.ctx.flags |= C.AV_CODEC_FLAG_LOW_DELAY
	if res := C.avcodec_open2(d.ctx, codec, nil); res < 0 {
		C.avcodec_free_context(&d.ctx)
		return fmt.Errorf("opening the %v decoder: %w", d.Codec, averror(res))
	}
	d.frame = C.av_frame_alloc()
	d.packet = C.av_packet_alloc()
	if d.frame == nil || d.packet == nil {
		d.Close()
		return errors.New("av_frame_alloc failed")
	}
	return nil
}

// Close frees the decoder.
func (d *Decoder) Close() {
	if d.sws != nil {
		C.sws_freeContext(d.sws)
		d.sws = nil
	}
	if d.converted != nil {
		C.av_frame_free(&d.converted)
	}
	if d.frame != nil {
		C.av_frame_free(&d.frame)
	}
	if d.packet != nil {
		C.av_packet_free(&d.packet)
	}
	if d.ctx != nil {
		C.avcodec_free_context(&d.ctx)
	}
}

// Decode feeds one access unit (H.264/H.265 in Annex-B form, or one JPEG image) and returns
// the picture it completes, or nil when the decoder needs more data first. The image is a
// copy in Go memory, so it outlives the next call. Corrupt data returns ErrCorrupt.
func (d *Decoder) Decode(data []byte) (*image.YCbCr, error) {
	if len(data) == 0 {
		return nil, nil
	}
	var pin runtime.Pinner
	pin.Pin(&data[0])
	d.packet.data = (*C.uint8_t)(unsafe.Pointer(&data[0]))
	d.packet.size = C.int(len(data))
	res := C.avcodec_send_packet(d.ctx, d.packet)
	d.packet.data = nil
	d.packet.size = 0
	pin.Unpin()
	if res < 0 && res != averrorEAGAIN {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, averror(res))
	}
	res = C.avcodec_receive_frame(d.ctx, d.frame)
	if res == averrorEAGAIN || res == C.AVERROR_EOF {
		return nil, nil
	}
	if res < 0 {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, averror(res))
	}
	defer C.av_frame_unref(d.frame)
	return d.toImage(d.frame)
}

// toImage copies a decoded frame into an image.YCbCr: planar 8-bit YUV formats are copied
// plane by plane with their own chroma subsampling, anything else is converted to 4:2:0.
func (d *Decoder) toImage(f *C.AVFrame) (*image.YCbCr, error) {
	w, h := int(f.width), int(f.height)
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%w: frame of %dx%d", ErrCorrupt, w, h)
	}
	ratio, ok := planarRatio(C.enum_AVPixelFormat(f.format))
	if !ok {
		conv, err := d.convert(f)
		if err != nil {
			return nil, err
		}
		f, ratio = conv, image.YCbCrSubsampleRatio420
	}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
	copyPlane(img.Y, img.YStride, f, 0, h)
	ch := len(img.Cb) / img.CStride
	copyPlane(img.Cb, img.CStride, f, 1, ch)
	copyPlane(img.Cr, img.CStride, f, 2, ch)
	return img, nil
}

func copyPlane(dst []byte, dstStride int, f *C.AVFrame, plane, rows int) {
	src := C.plane_data(f, C.int(plane))
	srcStride := int(C.plane_linesize(f, C.int(plane)))
	for y := range rows {
		row := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(src), y*srcStride)), dstStride)
		copy(dst[y*dstStride:(y+1)*dstStride], row)
	}
}

func planarRatio(format C.enum_AVPixelFormat) (image.YCbCrSubsampleRatio, bool) {
	switch format {
	case C.AV_PIX_FMT_YUV420P, C.AV_PIX_FMT_YUVJ420P:
		return image.YCbCrSubsampleRatio420, true
	case C.AV_PIX_FMT_YUV422P, C.AV_PIX_FMT_YUVJ422P:
		return image.YCbCrSubsampleRatio422, true
	case C.AV_PIX_FMT_YUV444P, C.AV_PIX_FMT_YUVJ444P:
		return image.YCbCrSubsampleRatio444, true
	case C.AV_PIX_FMT_YUV440P, C.AV_PIX_FMT_YUVJ440P:
		return image.YCbCrSubsampleRatio440, true
	}
	return 0, false
}

// convert turns a frame of any other pixel format into yuv420p with swscale.
func (d *Decoder) convert(f *C.AVFrame) (*C.AVFrame, error) {
	if d.sws == nil || d.swsFormat != f.format || d.swsW != f.width || d.swsH != f.height {
		if d.sws != nil {
			C.sws_freeContext(d.sws)
		}
		if d.converted != nil {
			C.av_frame_free(&d.converted)
		}
		d.sws = C.sws_getContext(f.width, f.height, int32(f.format), f.width, f.height,
			C.AV_PIX_FMT_YUV420P, C.SWS_BILINEAR, nil, nil, nil)
		if d.sws == nil {
			return nil, fmt.Errorf("%w: cannot convert pixel format %d", ErrCorrupt, int(f.format))
		}
		d.converted = C.av_frame_alloc()
		d.converted.format = C.AV_PIX_FMT_YUV420P
		d.converted.width, d.converted.height = f.width, f.height
		if res := C.av_frame_get_buffer(d.converted, 0); res < 0 {
			return nil, fmt.Errorf("allocating a frame: %w", averror(res))
		}
		d.swsFormat, d.swsW, d.swsH = f.format, f.width, f.height
	}
	C.sws_scale(d.sws, (**C.uint8_t)(unsafe.Pointer(&f.data[0])), (*C.int)(unsafe.Pointer(&f.linesize[0])),
		0, f.height, (**C.uint8_t)(unsafe.Pointer(&d.converted.data[0])), (*C.int)(unsafe.Pointer(&d.converted.linesize[0])))
	return d.converted, nil
}
