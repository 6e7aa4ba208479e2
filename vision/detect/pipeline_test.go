package detect

import (
	"image"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/vision"
	"github.com/vigil-gcs/vigil/vision/synthcam"
	"github.com/vigil-gcs/vigil/vision/track"
)

// confirmed tells tracks the tracker believes in: detected this frame, or coasting.
func confirmed(tr track.TrackUpdate) bool {
	return tr.State == track.StateTracked || tr.State == track.StateLost
}

func newPipeline(t testing.TB, cfg PipelineConfig) *Pipeline {
	t.Helper()
	p := &Pipeline{Config: cfg}
	require.NoError(t, p.Initialize())
	t.Cleanup(p.Close)
	return p
}

// People walking through OpenCV's pedestrian clip are tracked with stable ids: the people
// tracks that are confirmed live long (a crossing takes several seconds), not a new id every
// few frames.
func TestPipelineTracksPeopleOnPedestrianClip(t *testing.T) {
	vc := openVtest(t)
	p := newPipeline(t, PipelineConfig{People: &PeopleConfig{}})
	bgr, yuv := gocv.NewMat(), gocv.NewMat()
	defer bgr.Close()
	defer yuv.Close()
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	firstSeen, lastSeen := map[uint64]int{}, map[uint64]int{}
	frames := 0
	for i := 0; i < 300 && vc.Read(&bgr); i++ {
		f := bgrFrame(t, bgr, &yuv, start.Add(time.Duration(i)*100*time.Millisecond))
		res, err := p.Process(f)
		require.NoError(t, err)
		for _, tr := range res.Tracks {
			if !confirmed(tr) || tr.Class != ClassPerson {
				continue
			}
			if _, ok := firstSeen[tr.ID]; !ok {
				firstSeen[tr.ID] = i
			}
			lastSeen[tr.ID] = i
		}
		frames++
	}
	require.Equal(t, 300, frames)
	long := 0
	for id := range firstSeen {
		if lastSeen[id]-firstSeen[id] >= 40 { // four seconds and more
			long++
		}
	}
	t.Logf("%d person tracks, %d lasting 4 s or more; metrics %+v", len(firstSeen), long, p.Metrics())
	require.GreaterOrEqual(t, long, 4, "several people keep one id through most of their crossing")
	require.LessOrEqual(t, len(firstSeen), 40, "ids are not reissued every few frames")
}

// bgrFrame turns an OpenCV BGR frame into a pipeline frame captured at at.
func bgrFrame(t testing.TB, bgr gocv.Mat, yuv *gocv.Mat, at time.Time) *vision.Frame {
	gocv.CvtColor(bgr, yuv, gocv.ColorBGRToYUVI420)
	w, h := bgr.Cols(), bgr.Rows()
	data := yuv.ToBytes()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	n, c := w*h, w*h/4
	copy(img.Y, data[:n])
	copy(img.Cb, data[n:n+c])
	copy(img.Cr, data[n+c:n+2*c])
	return &vision.Frame{Image: img, Captured: at, Arrived: at, Decoded: at}
}

// targetBox is where a target's 3D box appears in the image (the hull of its projected
// corners), false when any corner is behind the camera.
func targetBox(f *flight, tg *synthcam.Target, i int, yawRate float64) (image.Rectangle, bool) {
	p, g, at := f.pose(i, yawRate)
	e, n, heading := tg.PositionAt(at)
	centre := gcs.OffsetNE(f.world.Origin.Point, n, e)
	sh, ch := math.Sincos(heading)
	box := image.Rectangle{}
	for _, c := range [8][3]float64{{1, 1, 0}, {1, -1, 0}, {-1, -1, 0}, {-1, 1, 0}, {1, 1, 1}, {1, -1, 1}, {-1, -1, 1}, {-1, 1, 1}} {
		along, across := c[0]*tg.LengthM/2, c[1]*tg.WidthM/2
		pt := gcs.Position{Point: gcs.OffsetNE(centre, along*ch-across*sh, along*sh+across*ch), AltMSLM: f.world.Origin.AltMSLM + c[2]*tg.HeightM}
		u, v, ok := gcs.ImagePoint(p, g, f.cam, pt)
		if !ok {
			return image.Rectangle{}, false
		}
		r := image.Rect(int(u), int(v), int(u)+1, int(v)+1)
		if box.Empty() {
			box = r
		} else {
			box = box.Union(r)
		}
	}
	return box, true
}

// From the simulated camera turning over moving vehicles, confirmed tracks seen in the frame
// find the vehicles (recall) and only them (precision), both at 90 % or better, for targets of
// 12 px and more fully in view. Tracks coasting without a detection (lost) are predictions,
// not sightings: they are neither geotagged nor counted here.
func TestPipelineRecallAndPrecisionFromAMovingCamera(t *testing.T) {
	f := newFlight(t, 4)
	f.hoverNear()
	p := newPipeline(t, PipelineConfig{})
	const yawRate = 0.4 // degrees per frame: 12°/s
	visible, found, tracks, onTarget := 0, 0, 0, 0
	frame := image.Rect(0, 0, f.cam.WidthPx, f.cam.HeightPx)
	for i := range 90 {
		_, _, at := f.pose(i, yawRate)
		res, err := p.Process(&vision.Frame{Image: f.frame(t, i, yawRate), Captured: at})
		require.NoError(t, err)
		if i < 15 {
			continue // tracks need a few frames to confirm
		}
		var truths []image.Rectangle
		for _, tg := range f.world.Targets {
			b, ok := targetBox(f, tg, i, yawRate)
			if ok && b.In(frame.Inset(8)) && min(b.Dx(), b.Dy()) >= 12 {
				truths = append(truths, b)
			}
		}
		for _, b := range truths {
			visible++
			for _, tr := range res.Tracks {
				if tr.State == track.StateTracked && tr.Box.Rect().Inset(-6).Overlaps(b) {
					found++
					break
				}
			}
		}
		for _, tr := range res.Tracks {
			if tr.State != track.StateTracked {
				continue
			}
			tracks++
			for _, tg := range f.world.Targets {
				if b, ok := targetBox(f, tg, i, yawRate); ok && tr.Box.Rect().Inset(-6).Overlaps(b) {
					onTarget++
					break
				}
			}
		}
	}
	require.Positive(t, visible)
	t.Logf("recall %d/%d, precision %d/%d", found, visible, onTarget, tracks)
	require.GreaterOrEqual(t, float64(found)/float64(visible), 0.9, "recall")
	require.GreaterOrEqual(t, float64(onTarget)/float64(tracks), 0.9, "precision")
}

// A mask of the wrong size is reported once and the pipeline goes on watching everything.
func TestPipelineMaskOfTheWrongSize(t *testing.T) {
	p := newPipeline(t, PipelineConfig{Mask: image.NewGray(image.Rect(0, 0, 320, 240))})
	frame := func(i int) *vision.Frame {
		return &vision.Frame{Image: image.NewYCbCr(image.Rect(0, 0, 640, 360), image.YCbCrSubsampleRatio420), Captured: time.Unix(int64(i), 0)}
	}
	res, err := p.Process(frame(0))
	require.NoError(t, err)
	require.Len(t, res.Errors, 1)
	require.EqualError(t, res.Errors[0], "the mask is 320x240 but the stream's frames are 640x360: watching without it")
	res, err = p.Process(frame(1))
	require.NoError(t, err)
	require.Empty(t, res.Errors, "said once")
}

// The camera turning at 12°/s over a world where nothing moves makes no confirmed track in
// five seconds (the acceptance figure is fewer than one a minute).
func TestPipelineNoFalseTracksFromTheCamerasMotion(t *testing.T) {
	f := newFlight(t, 0)
	p := newPipeline(t, PipelineConfig{})
	ids := map[uint64]bool{}
	for i := range 150 {
		_, _, at := f.pose(i, 0.4)
		res, err := p.Process(&vision.Frame{Image: f.frame(t, i, 0.4), Captured: at})
		require.NoError(t, err)
		for _, tr := range res.Tracks {
			if confirmed(tr) {
				ids[tr.ID] = true
			}
		}
	}
	require.Empty(t, ids, "confirmed tracks over still ground")
}

// A stream whose clock steps back (arrival dating replaced by the first sender report) does
// not stop detection: the frame dated in the past is skipped and counted, the next ones go on.
func TestPipelineSkipsFramesDatedInThePast(t *testing.T) {
	p := newPipeline(t, PipelineConfig{})
	img := image.NewYCbCr(image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio420)
	t0 := time.Unix(1_800_000_000, 0)
	for i, at := range []time.Time{t0, t0.Add(33 * time.Millisecond), t0.Add(-17 * time.Millisecond), t0.Add(66 * time.Millisecond)} {
		_, err := p.Process(&vision.Frame{Image: img, Captured: at})
		require.NoError(t, err, "frame %d", i)
	}
	m := p.Metrics()
	require.EqualValues(t, 3, m.FramesProcessed)
	require.EqualValues(t, 1, m.FramesOutOfOrder)
}
