package avcodec

// #cgo pkg-config: libavutil
// #include <errno.h>
// #include <libavutil/error.h>
// #include <libavutil/log.h>
//
// static int averror_eagain(void) { return AVERROR(EAGAIN); }
import "C"

import (
	"errors"
	"unsafe"
)

var averrorEAGAIN = C.averror_eagain()

// FFmpeg's own logging goes to stderr, where an operator's terminal or a service journal
// would fill with codec chatter (every corrupt packet, every encoder summary); errors reach
// Vigil through return codes instead.
func init() { C.av_log_set_level(C.AV_LOG_QUIET) }

// averror turns a negative libav return code into an error carrying FFmpeg's own message.
func averror(code C.int) error {
	buf := make([]byte, 128)
	C.av_strerror(code, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
	for i, b := range buf {
		if b == 0 {
			buf = buf[:i]
			break
		}
	}
	return errors.New(string(buf))
}
