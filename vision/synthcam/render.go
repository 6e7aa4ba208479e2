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

// spanPx is how many pixels share one level-of-detail choice.
const spanPx = 32

// row renders one image row. Along a row the ray is linear in u, so each pixel costs one
// division and a texel lookup; the mip level is chosen per span from the ground distance
// between neighbouring pixels.
func (v *view) row(dst *image.YCbCr, y int) {
	width := dst.Rect.Dx()
	yc := float64(y) + 0.5
	d0 := v.ray(0.5, yc)
	d1 := v.ray(1.5, yc)
	du := [3]float64{d1[0] - d0[0], d1[1] - d0[1], d1[2] - d0[2]}
	next := v.ray(0.5, yc+1)
	dv := [3]float64{next[0] - d0[0], next[1] - d0[1], next[2] - d0[2]}
	tex := v.w.tex
	half := float64(tex.levels[0].Rect.Dx()) * tex.texelM / 2
	yRow := dst.Y[y*dst.YStride:]
	var cRowB, cRowR []byte
	if y%2 == 0 {
		cRowB, cRowR = dst.Cb[(y/2)*dst.CStride:], dst.Cr[(y/2)*dst.CStride:]
	}
	for x0 := 0; x0 < width; x0 += spanPx {
		level := v.level(d0, du, dv, float64(x0+spanPx/2))
		lv := tex.levels[level]
		size := lv.Rect.Dx()
		mask := size - 1
		texelM := tex.texelM * float64(int(1)<<level)
		for x := x0; x < min(x0+spanPx, width); x++ {
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
			tx := int(math.Floor((v.e0+de*k+half)/texelM)) & mask
			ty := int(math.Floor((half-v.n0-dn*k)/texelM)) & mask
			yRow[x] = lv.Y[ty*lv.YStride+tx]
			if cRowB != nil && x%2 == 0 {
				ci := (ty/2)*lv.CStride + tx/2
				cRowB[x/2], cRowR[x/2] = lv.Cb[ci], lv.Cr[ci]
			}
		}
	}
}

// level picks the mip level whose texels are about one pixel's footprint at pixel u.
func (v *view) level(d0, du, dv [3]float64, u float64) int {
	at := [3]float64{d0[0] + du[0]*u, d0[1] + du[1]*u, d0[2] + du[2]*u}
	n, e, ok := v.ground(at)
	if !ok {
		return len(v.w.tex.levels) - 1
	}
	n1, e1, ok1 := v.ground([3]float64{at[0] + du[0], at[1] + du[1], at[2] + du[2]})
	n2, e2, ok2 := v.ground([3]float64{at[0] + dv[0], at[1] + dv[1], at[2] + dv[2]})
	footprint := math.Inf(1)
	if ok1 && ok2 {
		footprint = max(math.Hypot(n1-n, e1-e), math.Hypot(n2-n, e2-e))
	}
	l := int(math.Floor(math.Log2(footprint / v.w.tex.texelM)))
	return max(0, min(l, len(v.w.tex.levels)-1))
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
