package avcodec

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/stretchr/testify/require"
)

// testPicture draws a gradient with a square at a position that moves with n, so
// consecutive pictures differ like video does.
func testPicture(w, h, n int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			img.Y[y*img.YStride+x] = uint8((x + y) * 255 / (w + h))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 110, 150
	}
	sx := (n * 4) % (w - 16)
	for y := 8; y < 24; y++ {
		for x := sx; x < sx+16; x++ {
			img.Y[y*img.YStride+x] = 235
		}
	}
	return img
}

func psnrY(a, b *image.YCbCr) float64 {
	var se float64
	for y := range a.Rect.Dy() {
		for x := range a.Rect.Dx() {
			d := float64(a.Y[y*a.YStride+x]) - float64(b.Y[y*b.YStride+x])
			se += d * d
		}
	}
	mse := se / float64(a.Rect.Dx()*a.Rect.Dy())
	return 10 * math.Log10(255*255/math.Max(mse, 1e-9))
}

func TestEncodeDecodeH264RoundTrip(t *testing.T) {
	enc := &Encoder{Width: 320, Height: 240, FPS: 30}
	require.NoError(t, enc.Initialize())
	defer enc.Close()
	dec := &Decoder{Codec: CodecH264}
	require.NoError(t, dec.Initialize())
	defer dec.Close()

	for n := range 45 {
		src := testPicture(320, 240, n)
		au, err := enc.Encode(src, int64(n), false)
		require.NoError(t, err)
		require.NotEmpty(t, au, "zerolatency gives one access unit per picture")
		if n == 0 || n == 30 {
			require.True(t, hasIDR(au), "picture %d should be a keyframe (1 s interval)", n)
		}
		annexB, err := h264.AnnexB(au).Marshal()
		require.NoError(t, err)
		got, err := dec.Decode(annexB)
		require.NoError(t, err)
		require.NotNil(t, got, "low-delay decoding returns picture %d at once", n)
		require.Equal(t, src.Rect, got.Rect)
		require.Greater(t, psnrY(src, got), 30.0, "picture %d decodes to what was encoded", n)
	}
}

func TestEncoderForcedKeyframe(t *testing.T) {
	enc := &Encoder{Width: 160, Height: 120}
	require.NoError(t, enc.Initialize())
	defer enc.Close()
	_, err := enc.Encode(testPicture(160, 120, 0), 0, false)
	require.NoError(t, err)
	au, err := enc.Encode(testPicture(160, 120, 1), 1, false)
	require.NoError(t, err)
	require.False(t, hasIDR(au))
	au, err = enc.Encode(testPicture(160, 120, 2), 2, true)
	require.NoError(t, err)
	require.True(t, hasIDR(au), "a forced keyframe lets a new viewer start at once")
}

func hasIDR(au [][]byte) bool {
	for _, n := range au {
		if h264.NALUType(n[0]&0x1f) == h264.NALUTypeIDR {
			return true
		}
	}
	return false
}

func TestDecodeMJPEGKeepsChromaLayout(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			src.Set(x, y, color.RGBA{uint8(x * 4), 100, uint8(y * 5), 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}))

	dec := &Decoder{Codec: CodecMJPEG}
	require.NoError(t, dec.Initialize())
	defer dec.Close()
	got, err := dec.Decode(buf.Bytes())
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Equal(t, image.Rect(0, 0, 64, 48), got.Rect)
	want, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	r1, g1, b1, _ := want.At(40, 30).RGBA()
	r2, g2, b2, _ := got.At(40, 30).RGBA()
	for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
		require.InDelta(t, 0, d, 6, "libavcodec and Go's decoder agree on a pixel")
	}
}

func TestDecodeCorruptDataIsAnErrorNotACrash(t *testing.T) {
	for _, c := range []Codec{CodecH264, CodecH265, CodecMJPEG} {
		dec := &Decoder{Codec: c}
		require.NoError(t, dec.Initialize())
		garbage := bytes.Repeat([]byte{0, 0, 1, 0x65, 0xff, 0x13, 0x77}, 50)
		for range 5 {
			img, err := dec.Decode(garbage)
			require.Nil(t, img)
			if err != nil {
				require.True(t, errors.Is(err, ErrCorrupt), "%v: %v", c, err)
			}
		}
		dec.Close()
	}
}

func TestUnsupportedCodec(t *testing.T) {
	err := (&Decoder{Codec: Codec(99)}).Initialize()
	require.EqualError(t, err, "unsupported codec codec 99")
}

func TestEncoderRejectsOddSizes(t *testing.T) {
	require.Error(t, (&Encoder{Width: 321, Height: 240}).Initialize())
}
