// Package detect finds objects in decoded frames: motion with ego-motion compensation (a
// flying camera does not report the whole world as moving), people (HOG), colour anomalies
// (Reed–Xiaoli) — on OpenCV through gocv.
package detect

import (
	"errors"
	"image"
	"image/color"
	"math"
	"unsafe"

	"gocv.io/x/gocv"
)

// MotionConfig tunes the motion detector. The zero value uses the defaults.
type MotionConfig struct {
	// WorkHeight is the height of the small grey copy motion works on. It defaults to 180
	// pixels: enough for a 12-pixel target at 720p to span two pixels, and cheap.
	WorkHeight int
	// Threshold is the grey-level difference from the background's 3×3 neighbourhood that
	// counts as change. It defaults to 16 (tuned with LearnRate on the simulated camera: every
	// moving car found, about one stray box per ten frames while turning at 30°/s).
	Threshold float32
	// LearnRate is how fast the background follows the scene (0..1 per frame). It defaults to
	// 0.1: a stopped object fades into the background in about a second at 30 fps, and a
	// background warped frame after frame keeps little of its older, blurred past.
	LearnRate float64
	// RecalibrateFraction: when more than this fraction of the frame changes at once
	// (exposure jump, ego-motion estimate lost), the background restarts from the current
	// frame instead of reporting the whole picture. It defaults to 0.4.
	RecalibrateFraction float64
	// MinAreaPx is the smallest motion box kept, in full-resolution pixels. It defaults to 40.
	MinAreaPx int
}

func (c *MotionConfig) defaults() {
	if c.WorkHeight <= 0 {
		c.WorkHeight = 180
	}
	if c.Threshold <= 0 {
		c.Threshold = 16
	}
	if c.LearnRate <= 0 {
		c.LearnRate = 0.1
	}
	if c.RecalibrateFraction <= 0 {
		c.RecalibrateFraction = 0.4
	}
	if c.MinAreaPx <= 0 {
		c.MinAreaPx = 40
	}
}

// Homography maps pixel coordinates of one frame to another's (row-major 3×3).
type Homography [9]float64

// Apply maps a point.
func (h Homography) Apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// Mul returns h·g: the mapping that applies g, then h.
func (h Homography) Mul(g Homography) Homography {
	var out Homography
	for r := range 3 {
		for c := range 3 {
			out[r*3+c] = h[r*3]*g[c] + h[r*3+1]*g[3+c] + h[r*3+2]*g[6+c]
		}
	}
	return out
}

// MotionResult is what one frame's motion detection found.
type MotionResult struct {
	// Boxes are changed regions in full-resolution pixels.
	Boxes []image.Rectangle
	// EgoMotion maps the previous frame's full-resolution pixels to this frame's: the
	// camera's own motion. Nil for the first frame and when it could not be estimated (then
	// the background restarted).
	EgoMotion *Homography
	// Recalibrated is true when the background restarted on this frame.
	Recalibrated bool
	// ChangedFraction is the share of the frame that differed from the background.
	ChangedFraction float64
}

// Motion is a background-subtraction motion detector whose background is warped by the
// camera's estimated ego-motion each frame: sparse optical flow on corners gives point pairs,
// RANSAC fits the homography, the background is warped onto the new view and then compared.
// On a fixed camera the homography is the identity and it behaves like a classic running-
// average background subtractor. Not safe for concurrent use: one per stream.
type Motion struct {
	Config MotionConfig

	scale     float64 // work pixels per full-resolution pixel
	workSize  image.Point
	prev      gocv.Mat // previous small grey frame
	bg        gocv.Mat // background, float32
	valid     gocv.Mat // 255 where the background has history (warping leaves holes at the edges)
	started   bool
	small     gocv.Mat
	kernel    gocv.Mat // joins nearby changed pixels into one region
	speck     gocv.Mat // removes changed regions thinner than 2 work pixels
	near      gocv.Mat // the 3×3 neighbourhood a background pixel may have moved within
	fullWidth int
}

// A motion region is a ghost when fewer than ghostMinChanged of its pixels changed from the
// previous frame by ghostThresholdRatio of the threshold (variables so tests can sweep them).
var (
	ghostThresholdRatio float32 = 0.5
	ghostMinChanged             = 2
)

// borderPx is the band along the work image's edge where changes are ignored.
const borderPx = 4

// minFlowPoints is the least number of RANSAC inliers trusted as an ego-motion estimate.
const minFlowPoints = 12

// Close frees the detector's images.
func (m *Motion) Close() {
	for _, mat := range []*gocv.Mat{&m.prev, &m.bg, &m.valid, &m.small, &m.kernel, &m.speck, &m.near} {
		if mat.Ptr() != nil {
			mat.Close()
		}
	}
}

// Detect finds motion in a full-resolution grey frame (the frame's luma plane).
func (m *Motion) Detect(grey gocv.Mat) (MotionResult, error) {
	if grey.Empty() || grey.Type() != gocv.MatTypeCV8U {
		return MotionResult{}, errors.New("motion: want a non-empty 8-bit grey image")
	}
	if !m.started || grey.Cols() != m.fullWidth {
		m.Close()
		m.Config.defaults()
		m.fullWidth = grey.Cols()
		m.scale = float64(m.Config.WorkHeight) / float64(grey.Rows())
		m.workSize = image.Pt(int(math.Round(float64(grey.Cols())*m.scale)), m.Config.WorkHeight)
		m.small = gocv.NewMat()
		m.prev = gocv.NewMat()
		m.bg = gocv.NewMat()
		m.valid = gocv.NewMat()
		m.kernel = gocv.GetStructuringElement(gocv.MorphEllipse, image.Pt(5, 5))
		m.speck = gocv.GetStructuringElement(gocv.MorphRect, image.Pt(2, 2))
		m.near = gocv.GetStructuringElement(gocv.MorphRect, image.Pt(3, 3))
	}
	gocv.Resize(grey, &m.small, m.workSize, 0, 0, gocv.InterpolationArea)
	gocv.GaussianBlur(m.small, &m.small, image.Pt(5, 5), 0, 0, gocv.BorderDefault)
	if !m.started {
		m.started = true
		m.restart()
		return MotionResult{Recalibrated: true}, nil
	}

	res := MotionResult{}
	h, ok := m.egoMotion(m.prev, m.small)
	if !ok {
		m.restart()
		res.Recalibrated = true
		return res, nil
	}
	m.warpBackground(h)
	// Frame-to-frame estimates are good to half a pixel, but the background is warped
	// frame after frame and a consistent half pixel adds up to pixels within its memory:
	// register the warped background to the frame itself and correct the residue.
	bg8 := gocv.NewMat()
	m.bg.ConvertTo(&bg8, gocv.MatTypeCV8U)
	if r, ok := m.egoMotion(bg8, m.small); ok {
		m.warpBackground(r)
		h = r.Mul(h)
	}
	bg8.Close()
	full := m.toFull(h)
	res.EgoMotion = &full

	cur := gocv.NewMat()
	defer cur.Close()
	m.small.ConvertTo(&cur, gocv.MatTypeCV32F)
	diff := m.difference(cur)
	defer diff.Close()
	mask := gocv.NewMat()
	defer mask.Close()
	gocv.Threshold(diff, &mask, m.Config.Threshold, 255, gocv.ThresholdBinary)
	mask.ConvertTo(&mask, gocv.MatTypeCV8U)
	gocv.BitwiseAnd(mask, m.valid, &mask)
	// The outer pixels are where registration is weakest and new ground enters the view.
	gocv.Rectangle(&mask, image.Rect(0, 0, m.workSize.X, m.workSize.Y), colorBlack, 2*borderPx)
	changed := float64(gocv.CountNonZero(mask)) / float64(m.workSize.X*m.workSize.Y)
	res.ChangedFraction = changed
	if changed > m.Config.RecalibrateFraction {
		m.restart()
		res.Recalibrated = true
		return res, nil
	}
	// Opening removes isolated pixels (texture edges the warped, interpolated background
	// no longer matches exactly); dilation then joins the parts of one object.
	gocv.MorphologyEx(mask, &mask, gocv.MorphOpen, m.speck)
	gocv.Dilate(mask, &mask, m.kernel)
	moving := m.movingNow(h)
	defer moving.Close()
	ghosts := gocv.NewMatWithSize(m.workSize.Y, m.workSize.X, gocv.MatTypeCV8U)
	defer ghosts.Close()
	res.Boxes = m.boxes(mask, moving, &ghosts)

	// Learn: blend the frame into the background, ten times slower where something moves
	// (a car moving less than its own length per second would otherwise be learnt into the
	// background while it is still passing; a stopped one still fades in, in seconds); where
	// the background had no history (the edge the view just moved onto) take the frame as
	// it is.
	slow := gocv.NewMat()
	defer slow.Close()
	gocv.AddWeighted(m.bg, 1-m.Config.LearnRate/10, cur, m.Config.LearnRate/10, 0, &slow)
	gocv.AddWeighted(m.bg, 1-m.Config.LearnRate, cur, m.Config.LearnRate, 0, &m.bg)
	slow.CopyToWithMask(&m.bg, mask)
	// A ghost (the ground an object left, still in the background) is learnt at once.
	cur.CopyToWithMask(&m.bg, ghosts)
	invalid := gocv.NewMat()
	defer invalid.Close()
	gocv.BitwiseNot(m.valid, &invalid)
	cur.CopyToWithMask(&m.bg, invalid)
	m.valid.SetTo(gocv.NewScalar(255, 0, 0, 0))
	m.small.CopyTo(&m.prev)
	return res, nil
}

var colorBlack = color.RGBA{}

// difference is how far each pixel lies outside the range of the background in its 3×3
// neighbourhood: max(cur − max(bg), min(bg) − cur, 0). A plain |cur − bg| flags every
// high-contrast edge the ego-motion estimate misplaces by a fraction of a pixel; an object
// that moves differs from its whole neighbourhood and still shows.
func (m *Motion) difference(cur gocv.Mat) gocv.Mat {
	lo, hi := gocv.NewMat(), gocv.NewMat()
	defer lo.Close()
	defer hi.Close()
	gocv.Erode(m.bg, &lo, m.near)
	gocv.Dilate(m.bg, &hi, m.near)
	above, below := gocv.NewMat(), gocv.NewMat()
	defer below.Close()
	gocv.Subtract(cur, hi, &above)
	gocv.Subtract(lo, cur, &below)
	gocv.Max(above, below, &above)
	gocv.Threshold(above, &above, 0, 0, gocv.ThresholdToZero)
	return above
}

// restart makes the current frame the background.
func (m *Motion) restart() {
	m.small.ConvertTo(&m.bg, gocv.MatTypeCV32F)
	valid := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(255, 0, 0, 0), m.workSize.Y, m.workSize.X, gocv.MatTypeCV8U)
	valid.CopyTo(&m.valid)
	valid.Close()
	m.small.CopyTo(&m.prev)
}

// warpBackground moves the background (and where it has history) by h.
func (m *Motion) warpBackground(h Homography) {
	hs := toMat(h)
	defer hs.Close()
	gocv.WarpPerspectiveWithParams(m.bg, &m.bg, hs, m.workSize, gocv.InterpolationCubic, gocv.BorderReplicate, colorBlack)
	gocv.WarpPerspectiveWithParams(m.valid, &m.valid, hs, m.workSize, gocv.InterpolationNearestNeighbor, gocv.BorderConstant, colorBlack)
	// The band along the edge of the warped background was interpolated against the
	// border: not history either.
	gocv.Erode(m.valid, &m.valid, m.near)
}

// egoMotion estimates the homography taking image from to image to (small grey frames).
func (m *Motion) egoMotion(from, to gocv.Mat) (Homography, bool) {
	corners := gocv.NewMat()
	defer corners.Close()
	gocv.GoodFeaturesToTrack(from, &corners, 200, 0.01, 6)
	if corners.Rows() < minFlowPoints {
		return Homography{}, false
	}
	next, status, errs := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer next.Close()
	defer status.Close()
	defer errs.Close()
	gocv.CalcOpticalFlowPyrLK(from, to, corners, next, &status, &errs)
	var src, dst []float32
	for i := range corners.Rows() {
		if status.GetUCharAt(i, 0) == 0 {
			continue
		}
		a, b := corners.GetVecfAt(i, 0), next.GetVecfAt(i, 0)
		src = append(src, a[0], a[1])
		dst = append(dst, b[0], b[1])
	}
	if len(src)/2 < minFlowPoints {
		return Homography{}, false
	}
	srcM, err1 := gocv.NewMatFromBytes(len(src)/2, 1, gocv.MatTypeCV32FC2, float32Bytes(src))
	dstM, err2 := gocv.NewMatFromBytes(len(dst)/2, 1, gocv.MatTypeCV32FC2, float32Bytes(dst))
	if err1 != nil || err2 != nil {
		return Homography{}, false
	}
	defer srcM.Close()
	defer dstM.Close()
	inliers := gocv.NewMat()
	defer inliers.Close()
	hm := gocv.FindHomography(srcM, &dstM, gocv.HomograpyMethodRANSAC, 1.5, &inliers, 2000, 0.995)
	defer func() { hm.Close() }()
	if hm.Empty() || gocv.CountNonZero(inliers) < minFlowPoints {
		return Homography{}, false
	}
	// RANSAC's model comes from four points; a least-squares fit over all its inliers is
	// several times more precise, which matters far from the centre of an oblique view.
	var inSrc, inDst []float32
	for i := range inliers.Rows() {
		if inliers.GetUCharAt(i, 0) != 0 {
			inSrc = append(inSrc, src[2*i], src[2*i+1])
			inDst = append(inDst, dst[2*i], dst[2*i+1])
		}
	}
	if refined, ok := fitHomography(inSrc, inDst); ok {
		hm.Close()
		hm = refined
	}
	var h Homography
	for r := range 3 {
		for c := range 3 {
			h[r*3+c] = hm.GetDoubleAt(r, c)
		}
	}
	return h, true
}

// fitHomography is the least-squares homography through point pairs (x, y interleaved).
func fitHomography(src, dst []float32) (gocv.Mat, bool) {
	if len(src)/2 < minFlowPoints {
		return gocv.Mat{}, false
	}
	srcM, err1 := gocv.NewMatFromBytes(len(src)/2, 1, gocv.MatTypeCV32FC2, float32Bytes(src))
	dstM, err2 := gocv.NewMatFromBytes(len(dst)/2, 1, gocv.MatTypeCV32FC2, float32Bytes(dst))
	if err1 != nil || err2 != nil {
		return gocv.Mat{}, false
	}
	defer srcM.Close()
	defer dstM.Close()
	none := gocv.NewMat()
	defer none.Close()
	hm := gocv.FindHomography(srcM, &dstM, gocv.HomograpyMethodAllPoints, 0, &none, 0, 0)
	if hm.Empty() {
		hm.Close()
		return gocv.Mat{}, false
	}
	return hm, true
}

// toFull converts a work-resolution homography to full resolution: S⁻¹·H·S.
func (m *Motion) toFull(h Homography) Homography {
	s := m.scale
	return Homography{
		h[0], h[1], h[2] / s,
		h[3], h[4], h[5] / s,
		h[6] * s, h[7] * s, h[8],
	}
}

// boxes returns the changed regions, in full-resolution pixels, above the minimum area.
//
// A region where nothing changed since the previous frame is a ghost: ground that an object
// has left, which the slowly learning background still remembers with the object on it. It
// is not reported, and painted into ghosts so the background takes it at once.
func (m *Motion) boxes(mask, moving gocv.Mat, ghosts *gocv.Mat) []image.Rectangle {
	contours := gocv.FindContours(mask, gocv.RetrievalExternal, gocv.ChainApproxSimple)
	defer contours.Close()
	var out []image.Rectangle
	inv := 1 / m.scale
	for i := range contours.Size() {
		r := gocv.BoundingRect(contours.At(i))
		region := moving.Region(r)
		changed := gocv.CountNonZero(region)
		if changed < ghostMinChanged {
			region.Close()
			gocv.Rectangle(ghosts, r, color.RGBA{255, 255, 255, 0}, -1)
			continue
		}
		// The region differs from the background where the object is and where it was
		// (the slowly learning background still remembers it there); what changed since the
		// previous frame is the object's leading and trailing edges, whose extent is the
		// object's: the box shrinks to it, so its centre is the object's, not behind it.
		if now := changedExtent(region); !now.Empty() {
			r = now.Add(r.Min).Inset(-1).Intersect(r)
		}
		region.Close()
		full := image.Rect(int(float64(r.Min.X)*inv), int(float64(r.Min.Y)*inv),
			int(math.Ceil(float64(r.Max.X)*inv)), int(math.Ceil(float64(r.Max.Y)*inv)))
		if full.Dx()*full.Dy() >= m.Config.MinAreaPx {
			out = append(out, full)
		}
	}
	return out
}

// changedExtent is the bounding box of a mask's non-zero pixels (empty when none).
func changedExtent(mask gocv.Mat) image.Rectangle {
	cs := gocv.FindContours(mask, gocv.RetrievalExternal, gocv.ChainApproxSimple)
	defer cs.Close()
	var out image.Rectangle
	for i := range cs.Size() {
		out = out.Union(gocv.BoundingRect(cs.At(i)))
	}
	return out
}

// movingNow marks the pixels that differ from the previous frame (brought into this
// frame's view by h): where something moved since then.
func (m *Motion) movingNow(h Homography) gocv.Mat {
	hs := toMat(h)
	defer hs.Close()
	prev := gocv.NewMat()
	defer prev.Close()
	gocv.WarpPerspectiveWithParams(m.prev, &prev, hs, m.workSize, gocv.InterpolationLinear, gocv.BorderReplicate, colorBlack)
	d := gocv.NewMat()
	gocv.AbsDiff(m.small, prev, &d)
	// Half the background threshold: an object moving less than a pixel per frame changes
	// its edges by a fraction of its contrast.
	gocv.Threshold(d, &d, m.Config.Threshold*ghostThresholdRatio, 255, gocv.ThresholdBinary)
	return d
}

func toMat(h Homography) gocv.Mat {
	m := gocv.NewMatWithSize(3, 3, gocv.MatTypeCV64F)
	for r := range 3 {
		for c := range 3 {
			m.SetDoubleAt(r, c, h[r*3+c])
		}
	}
	return m
}

func float32Bytes(f []float32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), len(f)*4)
}
