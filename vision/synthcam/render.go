package synthcam

import (
	"fmt"
	"image"
	"math"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// Sky colour (a pale grey-blue) for rays that miss the ground.
var skyColour = rgb(190, 205, 225)

// Render draws into dst (4:2:0, the camera's size) what cam sees at time t from pose p with
// the gimbal at g: the ground by inverse perspective mapping (for each pixel, where its ray
// meets the level ground, sampled from the mip level that matches the pixel's footprint) and
// each target as its 3D box projected with the same maths geotagging inverts.
//
// Pixel (x, y) is the square whose centre is (x+0.5, y+0.5) in the camera's image
// coordinates, the convention gcs.Camera and the detectors share. Lens distortion is not
// rendered: the simulated camera is distortion-free.
func (w *World) Render(dst *image.YCbCr, cam gcs.Camera, p gcs.Pose, g gcs.GimbalAttitude, t time.Time) error {
	fx, fy, cx, cy, err := cam.Intrinsics()
	if err != nil {
		return err
	}
	width, height := dst.Rect.Dx(), dst.Rect.Dy()
	if width != cam.WidthPx || height != cam.HeightPx || dst.SubsampleRatio != image.YCbCrSubsampleRatio420 {
		return fmt.Errorf("render target %v %v does not match the camera's %dx%d 4:2:0", dst.Rect.Size(), dst.SubsampleRatio, cam.WidthPx, cam.HeightPx)
	}
	r := gcs.CameraToNED(p.Attitude, g)
	n0, e0 := gcs.NorthEastM(w.Origin.Point, p.Position.Point)
	h := max(p.Position.AltMSLM-w.Origin.AltMSLM, 0.3)
	v := view{w: w, r: r, fx: fx, fy: fy, cx: cx, cy: cy, n0: n0, e0: e0, h: h}
	for y := range height {
		v.row(dst, y)
	}
	for _, tg := range w.Targets {
		v.drawTarget(dst, tg, t)
	}
	return nil
}

// view is one frame's camera geometry.
type view struct {
	w              *World
	r              [3][3]float64
	fx, fy, cx, cy float64
	n0, e0, h      float64 // camera north, east of the origin and height above the ground
}

// ray returns the NED direction (not normalised) of image point (u, v).
func (v *view) ray(u, y float64) [3]float64 {
	a, b := (u-v.cx)/v.fx, (y-v.cy)/v.fy
	var d [3]float64
	for i := range 3 {
		d[i] = v.r[i][0] + v.r[i][1]*a + v.r[i][2]*b
	}
	return d
}

// ground returns where a NED direction meets the ground, metres north and east of the
// origin; ok is false for rays that do not go down.
func (v *view) ground(d [3]float64) (n, e float64, ok bool) {
	if d[2] <= 1e-6 {
		return 0, 0, false
	}
	k := v.h / d[2]
	return v.n0 + d[0]*k, v.e0 + d[1]*k, true
}

// mipLevel is one texture level as the inner loop reads it.
type mipLevel struct {
	img      *image.YCbCr
	mask     int
	invTexel float64
}

// row renders one image row. Along a row the ray is linear in u, so each pixel costs one
// division and a texel lookup. Each pixel samples the mip level whose texels match its
// footprint on the ground, h/(fx·d_down²) for the ray d = R·[1, a, b]: one pixel subtends
// 1/(fx·|d|²) radians at range h·|d|/d_down, stretched by |d|/d_down on the ground. Choosing
// per pixel, not per block, keeps a feature's sharpness from jumping as it crosses the
// image, which a motion detector would take for motion.
func (v *view) row(dst *image.YCbCr, y int) {
	width := dst.Rect.Dx()
	yc := float64(y) + 0.5
	d0 := v.ray(0.5, yc)
	d1 := v.ray(1.5, yc)
	du := [3]float64{d1[0] - d0[0], d1[1] - d0[1], d1[2] - d0[2]}
	tex := v.w.tex
	half := float64(tex.levels[0].Rect.Dx()) * tex.texelM / 2
	levels := make([]mipLevel, len(tex.levels))
	// A pixel takes level L when its footprint is between 2^(L-0.5) and 2^(L+0.5) texels:
	// rounding rather than flooring, so nearest-texel sampling never aliases thin lines.
	var limits [24]float64
	for l, img := range tex.levels {
		texel := tex.texelM * float64(int(1)<<l)
		levels[l] = mipLevel{img: img, mask: img.Rect.Dx() - 1, invTexel: 1 / texel}
		limits[l] = texel * math.Sqrt2 * v.fx
	}
	last := len(levels) - 1
	yRow := dst.Y[y*dst.YStride:]
	var cRowB, cRowR []byte
	if y%2 == 0 {
		cRowB, cRowR = dst.Cb[(y/2)*dst.CStride:], dst.Cr[(y/2)*dst.CStride:]
	}
	for x := range width {
		fxp := float64(x)
		dn, de, dd := d0[0]+du[0]*fxp, d0[1]+du[1]*fxp, d0[2]+du[2]*fxp
		if dd <= 1e-6 {
			yRow[x] = skyColour.y
			if cRowB != nil && x%2 == 0 {
				cRowB[x/2], cRowR[x/2] = skyColour.cb, skyColour.cr
			}
			continue
		}
		k := v.h / dd
		// footprint·fx = k/dd, compared with each level's limit·fx
		fp := k / dd
		l := 0
		for l < last && fp >= limits[l] {
			l++
		}
		lv := &levels[l]
		// Luma is filtered bilinearly: with nearest texels, edges at the coarser levels
		// would step by whole texels (metres, far away) as the view turns.
		fx := (v.e0+de*k+half)*lv.invTexel - 0.5
		fy := (half-v.n0-dn*k)*lv.invTexel - 0.5
		ix, iy := math.Floor(fx), math.Floor(fy)
		wx, wy := fx-ix, fy-iy
		tx, ty := int(ix)&lv.mask, int(iy)&lv.mask
		tx1, ty1 := (tx+1)&lv.mask, (ty+1)&lv.mask
		ly := lv.img.Y
		st := lv.img.YStride
		top := float64(ly[ty*st+tx]) + wx*(float64(ly[ty*st+tx1])-float64(ly[ty*st+tx]))
		bot := float64(ly[ty1*st+tx]) + wx*(float64(ly[ty1*st+tx1])-float64(ly[ty1*st+tx]))
		yRow[x] = uint8(top + wy*(bot-top) + 0.5)
		if cRowB != nil && x%2 == 0 {
			ci := (ty/2)*lv.img.CStride + tx/2
			cRowB[x/2], cRowR[x/2] = lv.img.Cb[ci], lv.img.Cr[ci]
		}
	}
}

// drawTarget projects the target's box (8 corners) and fills their convex hull.
func (v *view) drawTarget(dst *image.YCbCr, tg *Target, t time.Time) {
	e, n, heading := tg.PositionAt(t)
	sh, ch := math.Sincos(heading)
	var pts [][2]float64
	for _, c := range [8][3]float64{
		{1, 1, 0}, {1, -1, 0}, {-1, -1, 0}, {-1, 1, 0}, {1, 1, 1}, {1, -1, 1}, {-1, -1, 1}, {-1, 1, 1},
	} {
		along, across := c[0]*tg.LengthM/2, c[1]*tg.WidthM/2
		cn := n + along*ch - across*sh
		ce := e + along*sh + across*ch
		ned := [3]float64{cn - v.n0, ce - v.e0, v.h - c[2]*tg.HeightM}
		var cam [3]float64
		for i := range 3 {
			cam[i] = v.r[0][i]*ned[0] + v.r[1][i]*ned[1] + v.r[2][i]*ned[2]
		}
		if cam[0] < 0.5 {
			return // partly behind the camera: not worth drawing
		}
		pts = append(pts, [2]float64{v.cx + v.fx*cam[1]/cam[0], v.cy + v.fy*cam[2]/cam[0]})
	}
	fillConvex(dst, convexHull(pts), tg.colour)
}
