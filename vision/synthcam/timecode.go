package synthcam

import (
	"image"
	"time"
)

// The timecode is the capture time in Unix milliseconds (48 bits) and an 8-bit checksum,
// drawn as a row of 8×8 black or white blocks along the top-left of the frame. Tests read it
// back from the decoded picture to check that each frame is paired with its own capture time
// after encoding, streaming and decoding.
const (
	timecodeBits  = 56
	timecodeBlock = 8
	// TimecodeMinWidth is the narrowest frame that holds a timecode.
	TimecodeMinWidth = timecodeBits * timecodeBlock
)

func timecodeWord(t time.Time) uint64 {
	ms := uint64(t.UnixMilli()) & (1<<48 - 1)
	var sum uint8
	for i := range 6 {
		sum += uint8(ms >> (8 * i))
	}
	return ms<<8 | uint64(sum^0xa5)
}

// StampTimecode draws t's timecode into img.
func StampTimecode(img *image.YCbCr, t time.Time) {
	if img.Rect.Dx() < TimecodeMinWidth || img.Rect.Dy() < timecodeBlock {
		return
	}
	word := timecodeWord(t)
	for bit := range timecodeBits {
		v := uint8(16)
		if word>>(timecodeBits-1-bit)&1 == 1 {
			v = 235
		}
		for y := range timecodeBlock {
			row := img.Y[y*img.YStride:]
			for x := bit * timecodeBlock; x < (bit+1)*timecodeBlock; x++ {
				row[x] = v
			}
		}
	}
}

// ReadTimecode reads a timecode drawn by StampTimecode; ok is false when there is none (or it
// was damaged beyond its checksum).
func ReadTimecode(img *image.YCbCr) (t time.Time, ok bool) {
	if img.Rect.Dx() < TimecodeMinWidth || img.Rect.Dy() < timecodeBlock {
		return time.Time{}, false
	}
	var word uint64
	for bit := range timecodeBits {
		c := timecodeBlock / 2
		word <<= 1
		if img.Y[c*img.YStride+bit*timecodeBlock+c] > 128 {
			word |= 1
		}
	}
	ms := word >> 8
	if timecodeWord(time.UnixMilli(int64(ms))) != word {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(ms)), true
}
