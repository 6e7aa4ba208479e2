package ui

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Colours of the video panel's picture.
var (
	videoBackground = color.RGBA{14, 16, 18, 255}
	videoText       = color.RGBA{200, 205, 210, 255}
	videoLabelBack  = color.RGBA{0, 0, 0, 200}
	videoAlarm      = color.RGBA{230, 40, 40, 255}
	// Boxes by class, as the detection debug view colours them.
	videoPerson  = color.RGBA{60, 220, 60, 255}
	videoVehicle = color.RGBA{255, 160, 0, 255}
	videoMotion  = color.RGBA{0, 220, 255, 255}
	videoAnomaly = color.RGBA{255, 60, 220, 255}
	videoOther   = color.RGBA{255, 220, 0, 255}
)

// videoBoxColour is the colour of a class's boxes.
func videoBoxColour(class string) color.RGBA {
	switch class {
	case "person", "face":
		return videoPerson
	case "vehicle", "car", "truck", "bus", "motorcycle":
		return videoVehicle
	case "motion", "":
		return videoMotion
	case "anomaly":
		return videoAnomaly
	}
	return videoOther
}

// videoBoxLabel is the text over a box: "#12 person 87%" (no score for motion, whose score
// means nothing; no id for a detection without a track).
func videoBoxLabel(b VideoBox) string {
	s := b.Class
	if s == "" {
		s = "motion"
	}
	if b.TrackID != 0 {
		s = fmt.Sprintf("#%d %s", b.TrackID, s)
	}
	if b.Class != "motion" && b.Class != "" && b.Score > 0 {
		s += fmt.Sprintf(" %.0f%%", 100*b.Score)
	}
	return s
}

// videoLayout is where a frame sits in a view: scaled to fit, keeping its aspect, centred.
// Its units are the view's (device pixels when drawing, Fyne units for a click).
type videoLayout struct {
	scale      float64 // view units per frame pixel
	offX, offY float64 // the picture's top-left corner
	w, h       float64 // the picture's size
}

func fitVideo(frameW, frameH int, viewW, viewH float64) videoLayout {
	if frameW <= 0 || frameH <= 0 || viewW <= 0 || viewH <= 0 {
		return videoLayout{}
	}
	s := math.Min(viewW/float64(frameW), viewH/float64(frameH))
	w, h := float64(frameW)*s, float64(frameH)*s
	return videoLayout{scale: s, offX: (viewW - w) / 2, offY: (viewH - h) / 2, w: w, h: h}
}

// toFrame is the frame pixel under a point of the view; ok is false outside the picture.
func (l videoLayout) toFrame(x, y float64) (u, v float64, ok bool) {
	if l.scale <= 0 || x < l.offX || y < l.offY || x >= l.offX+l.w || y >= l.offY+l.h {
		return 0, 0, false
	}
	return (x - l.offX) / l.scale, (y - l.offY) / l.scale, true
}

// videoDrawer draws pictures into a reused RGBA at the view's size: the frame scaled
// straight from its YCbCr planes (only the pixels shown are converted, once), then the
// boxes and their labels. Not safe for concurrent use.
type videoDrawer struct {
	dst *image.RGBA
	// Per column and per row of the picture: the source sample and its bilinear weight.
	cols, rows []videoSample
	tableKey   [4]int // frame w, h and picture w, h the tables were built for
}

type videoSample struct {
	lo, hi int // luma offsets (column, or row times stride) of the two neighbours
	w      int32
	chroma int // chroma offset of the nearest sample
}

// videoOverlay is what is drawn over the picture besides the boxes.
type videoOverlay struct {
	// Banner, when set, is written in red across the top (the stream is not playing).
	Banner string
	// Recording shows the red REC mark.
	Recording bool
	// Empty is written in the middle when there is no picture.
	Empty string
}

// draw renders f at w×h device pixels; density is device pixels per Fyne unit (line
// widths and text follow it). The returned image is reused by the next call.
func (d *videoDrawer) draw(w, h int, density float64, f *VideoFrame, o videoOverlay) *image.RGBA {
	if d.dst == nil || d.dst.Rect.Dx() != w || d.dst.Rect.Dy() != h {
		d.dst = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	dst := d.dst
	fillRGBA(dst, videoBackground)
	if f == nil || f.Image == nil || f.Image.Bounds().Empty() {
		text := o.Empty
		if text == "" {
			text = "no picture"
		}
		videoString(dst, (w-7*len(text))/2, h/2+4, text, videoText, false)
		return dst
	}
	b := f.Image.Bounds()
	l := fitVideo(b.Dx(), b.Dy(), float64(w), float64(h))
	pic := image.Rect(int(math.Round(l.offX)), int(math.Round(l.offY)), int(math.Round(l.offX+l.w)), int(math.Round(l.offY+l.h))).Intersect(dst.Rect)
	if img, ok := f.Image.(*image.YCbCr); ok {
		d.scaleYCbCr(pic, img)
	} else {
		scaleAny(dst, pic, f.Image)
	}
	thick := max(1, int(math.Round(2*density)))
	for _, bx := range f.Boxes {
		r := image.Rect(
			int(math.Round(l.offX+float64(bx.Rect.Min.X-b.Min.X)*l.scale)), int(math.Round(l.offY+float64(bx.Rect.Min.Y-b.Min.Y)*l.scale)),
			int(math.Round(l.offX+float64(bx.Rect.Max.X-b.Min.X)*l.scale)), int(math.Round(l.offY+float64(bx.Rect.Max.Y-b.Min.Y)*l.scale)),
		)
		c := videoBoxColour(bx.Class)
		if bx.Lost {
			videoDashedRect(dst, r, max(1, thick/2), c)
		} else {
			videoRect(dst, r, thick, c)
		}
		// The label sits on the box's top edge, inside the picture.
		text := videoBoxLabel(bx)
		y := r.Min.Y - 3
		if y-11 < pic.Min.Y {
			y = r.Min.Y + 13
		}
		x := min(max(r.Min.X, pic.Min.X), pic.Max.X-7*len(text))
		videoString(dst, x, y, text, c, true)
	}
	if o.Recording {
		videoDisc(dst, pic.Min.X+12, pic.Min.Y+12, 5, videoAlarm)
		videoString(dst, pic.Min.X+21, pic.Min.Y+17, "REC", videoAlarm, true)
	}
	if o.Banner != "" {
		x := pic.Min.X + (pic.Dx()-7*len(o.Banner))/2
		fillRect(dst, image.Rect(pic.Min.X, pic.Min.Y+24, pic.Max.X, pic.Min.Y+42), videoLabelBack)
		videoString(dst, x, pic.Min.Y+37, o.Banner, videoAlarm, false)
	}
	return dst
}

// scaleYCbCr draws src into the rectangle pic of d.dst: luma interpolated bilinearly
// (smooth when shrinking a 720p frame to a panel), chroma from the nearest sample, BT.601
// limited range as H.264 and H.265 cameras send it.
func (d *videoDrawer) scaleYCbCr(pic image.Rectangle, src *image.YCbCr) {
	if pic.Empty() {
		return
	}
	b := src.Rect
	key := [4]int{b.Dx(), b.Dy(), pic.Dx(), pic.Dy()}
	hdiv, vdiv := chromaDivisors(src.SubsampleRatio)
	if key != d.tableKey || len(d.cols) != pic.Dx() {
		d.cols = videoSamples(d.cols, b.Dx(), pic.Dx(), 1, hdiv, 1, b.Min.X)
		d.rows = videoSamples(d.rows, b.Dy(), pic.Dy(), src.YStride, vdiv, src.CStride, b.Min.Y)
		d.tableKey = key
	}
	dst := d.dst
	for j, row := range d.rows {
		wy := row.w
		y0, y1 := src.Y[row.lo:], src.Y[row.hi:]
		cb, cr := src.Cb[row.chroma:], src.Cr[row.chroma:]
		out := dst.Pix[dst.PixOffset(pic.Min.X, pic.Min.Y+j):]
		out = out[:4*len(d.cols)]
		for i, col := range d.cols {
			wx := col.w
			top := int32(y0[col.lo])*(256-wx) + int32(y0[col.hi])*wx
			bot := int32(y1[col.lo])*(256-wx) + int32(y1[col.hi])*wx
			// ycbcrLimited, written out: the call is too big to inline.
			yy := videoYTab[uint8((top*(256-wy)+bot*wy)>>16)]
			u, v := cb[col.chroma], cr[col.chroma]
			p := out[4*i : 4*i+4 : 4*i+4]
			p[0], p[1], p[2], p[3] = clamp8((yy+videoCrR[v])>>16), clamp8((yy+videoCbG[u]+videoCrG[v])>>16), clamp8((yy+videoCbB[u])>>16), 255
		}
	}
}

// videoSamples fills the sample table of one axis: n output pixels over size source pixels.
// stride multiplies luma offsets, cdiv and cstride give chroma offsets, origin is the
// source rectangle's minimum on this axis (chroma planes are aligned to it as image.YCbCr's
// COffset does).
func videoSamples(t []videoSample, size, n, stride, cdiv, cstride, origin int) []videoSample {
	t = t[:0]
	s := float64(size) / float64(n)
	for i := range n {
		x := (float64(i)+0.5)*s - 0.5
		x0 := math.Floor(x)
		w := int32(math.Round((x - x0) * 256))
		lo, hi := int(x0), int(x0)+1
		lo, hi = min(max(lo, 0), size-1), min(max(hi, 0), size-1)
		near := min(max(int((float64(i)+0.5)*s), 0), size-1)
		c := (near+origin)/cdiv - origin/cdiv
		t = append(t, videoSample{lo: lo * stride, hi: hi * stride, w: w, chroma: c * cstride})
	}
	return t
}

// chromaDivisors is how many luma columns and rows share one chroma sample.
func chromaDivisors(r image.YCbCrSubsampleRatio) (h, v int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}

// BT.601 limited range in 16.16 fixed point, by sample value: R = Y' + 1.596·Cr',
// G = Y' − 0.392·Cb' − 0.813·Cr', B = Y' + 2.017·Cb' with Y' = 1.164·(Y−16), C' = C−128.
var videoYTab, videoCrR, videoCbG, videoCrG, videoCbB = func() (y, crR, cbG, crG, cbB [256]int32) {
	for i := range 256 {
		c := int32(i) - 128
		y[i], crR[i], cbG[i], crG[i], cbB[i] = (int32(i)-16)*76284+1<<15, 104595*c, -25690*c, -53279*c, 132186*c
	}
	return
}()

// ycbcrLimited converts one BT.601 limited-range sample to RGB.
func ycbcrLimited(y, cb, cr uint8) (r, g, b uint8) {
	yy := videoYTab[y]
	return clamp8((yy + videoCrR[cr]) >> 16), clamp8((yy + videoCbG[cb] + videoCrG[cr]) >> 16), clamp8((yy + videoCbB[cb]) >> 16)
}

func clamp8(v int32) uint8 {
	if uint32(v) <= 255 {
		return uint8(v)
	}
	if v < 0 {
		return 0
	}
	return 255
}

// scaleAny draws any other image (nearest sample): slower, for pictures that are not
// straight from a decoder.
func scaleAny(dst *image.RGBA, pic image.Rectangle, src image.Image) {
	b := src.Bounds()
	for y := pic.Min.Y; y < pic.Max.Y; y++ {
		sy := b.Min.Y + min((y-pic.Min.Y)*b.Dy()/pic.Dy(), b.Dy()-1)
		for x := pic.Min.X; x < pic.Max.X; x++ {
			sx := b.Min.X + min((x-pic.Min.X)*b.Dx()/pic.Dx(), b.Dx()-1)
			dst.Set(x, y, src.At(sx, sy))
		}
	}
}

func fillRGBA(img *image.RGBA, c color.RGBA) {
	fillRect(img, img.Rect, c)
}

// fillRect fills r (clipped), blending c over what is there by its alpha.
func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Rect)
	a := int(c.A)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		p := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := 0; i < len(p); i += 4 {
			if a == 255 {
				p[i], p[i+1], p[i+2], p[i+3] = c.R, c.G, c.B, 255
				continue
			}
			p[i] = uint8((int(p[i])*(255-a) + int(c.R)*a) / 255)
			p[i+1] = uint8((int(p[i+1])*(255-a) + int(c.G)*a) / 255)
			p[i+2] = uint8((int(p[i+2])*(255-a) + int(c.B)*a) / 255)
			p[i+3] = 255
		}
	}
}

// videoRect outlines r with lines t pixels thick, inside r.
func videoRect(img *image.RGBA, r image.Rectangle, t int, c color.RGBA) {
	t = min(t, max(1, r.Dx()/2), max(1, r.Dy()/2))
	fillRect(img, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+t), c)
	fillRect(img, image.Rect(r.Min.X, r.Max.Y-t, r.Max.X, r.Max.Y), c)
	fillRect(img, image.Rect(r.Min.X, r.Min.Y+t, r.Min.X+t, r.Max.Y-t), c)
	fillRect(img, image.Rect(r.Max.X-t, r.Min.Y+t, r.Max.X, r.Max.Y-t), c)
}

// videoDashedRect outlines r in dashes: a track coasting on its prediction.
func videoDashedRect(img *image.RGBA, r image.Rectangle, t int, c color.RGBA) {
	const dash = 6
	for x := r.Min.X; x < r.Max.X; x += 2 * dash {
		e := min(x+dash, r.Max.X)
		fillRect(img, image.Rect(x, r.Min.Y, e, r.Min.Y+t), c)
		fillRect(img, image.Rect(x, r.Max.Y-t, e, r.Max.Y), c)
	}
	for y := r.Min.Y; y < r.Max.Y; y += 2 * dash {
		e := min(y+dash, r.Max.Y)
		fillRect(img, image.Rect(r.Min.X, y, r.Min.X+t, e), c)
		fillRect(img, image.Rect(r.Max.X-t, y, r.Max.X, e), c)
	}
}

func videoDisc(img *image.RGBA, cx, cy, r int, c color.RGBA) {
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			if x*x+y*y <= r*r {
				fillRect(img, image.Rect(cx+x, cy+y, cx+x+1, cy+y+1), c)
			}
		}
	}
}

// videoString writes text with its baseline at y (7×13 pixel font), on a dark strip when
// backed so that it reads over any picture.
func videoString(img *image.RGBA, x, y int, text string, c color.RGBA, backed bool) {
	if backed {
		fillRect(img, image.Rect(x-2, y-11, x+7*len(text)+2, y+3), videoLabelBack)
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(text)
}
