package ui

import (
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// fakeFeed is a VideoFeed of fixed pictures that records what the panel asked of it.
type fakeFeed struct {
	mu        sync.Mutex
	streams   []uint8
	frames    map[uint8]VideoFrame
	health    map[uint8]VideoHealth
	rec       map[uint8]RecordingState
	snapErr   error
	snapshots []uint8
	recCalls  []string
	polls     int
}

func newFakeFeed() *fakeFeed {
	return &fakeFeed{frames: map[uint8]VideoFrame{}, health: map[uint8]VideoHealth{}, rec: map[uint8]RecordingState{}}
}

func (f *fakeFeed) Streams() []uint8 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.polls++
	return append([]uint8(nil), f.streams...)
}

func (f *fakeFeed) Latest(id uint8) (VideoFrame, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fr, ok := f.frames[id]
	return fr, ok
}

func (f *fakeFeed) Health(id uint8) (VideoHealth, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.health[id]
	return h, ok
}

func (f *fakeFeed) Snapshot(id uint8) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snapshots = append(f.snapshots, id)
	if f.snapErr != nil {
		return "", f.snapErr
	}
	return "rec_snapshots/cam1_20261123-163005.123.jpg", nil
}

func (f *fakeFeed) SetRecording(id uint8, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if on {
		f.recCalls = append(f.recCalls, "on")
		f.rec[id] = RecordingState{On: true}
	} else {
		f.recCalls = append(f.recCalls, "off")
		f.rec[id] = RecordingState{}
	}
	return nil
}

func (f *fakeFeed) Recording(id uint8) RecordingState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rec[id]
}

func (f *fakeFeed) set(fn func(f *fakeFeed)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// gimbalLink answers gimbal commands; the panel sends nothing else.
type gimbalLink struct {
	gcs.Link
	mu     sync.Mutex
	sent   [][2]float64 // pitch, yaw
	earth  []bool
	answer gcs.CommandReply
}

func (l *gimbalLink) PointGimbal(_ context.Context, _ uint8, pitchDeg, yawDeg float64, earthYaw bool) (gcs.CommandReply, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent = append(l.sent, [2]float64{pitchDeg, yawDeg})
	l.earth = append(l.earth, earthYaw)
	return l.answer, nil
}

// testFrame is a w×h 4:2:0 picture of one limited-range colour.
func testFrame(w, h int, y, cb, cr uint8) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = y
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = cb, cr
	}
	return img
}

func rgbaAt(img *image.RGBA, x, y int) color.RGBA { return img.RGBAAt(x, y) }

func requireColour(t *testing.T, want, got color.RGBA, tol int, msg string, args ...any) {
	t.Helper()
	d := func(a, b uint8) int { return int(math.Abs(float64(a) - float64(b))) }
	ok := d(want.R, got.R) <= tol && d(want.G, got.G) <= tol && d(want.B, got.B) <= tol
	require.True(t, ok, append([]any{"want %v, got %v: " + msg, want, got}, args...)...)
}

func newTestPanel(t *testing.T, feed VideoFeed, st *gcs.Station) (*VideoPanel, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	if st == nil {
		st = &gcs.Station{Fleet: &gcs.Fleet{}}
	}
	p := NewVideoPanel(st, feed)
	p.async = func(f func()) { f() }
	t.Cleanup(p.Close)
	w := test.NewTempWindow(t, p.Object())
	w.Resize(fyne.NewSize(480, 360))
	return p, w
}

// The picture is scaled to fit keeping its shape, with each track's box where the object
// is and its "#id class" label over it; the colours are the camera's.
func TestVideoPanelDrawsBoxes(t *testing.T) {
	grey := color.RGBA{130, 130, 130, 255} // Y 128 in limited range
	for _, c := range []struct {
		name          string
		frameW, frame int
		viewW, viewH  int
	}{
		{"720p in a 16:9 view", 1280, 720, 480, 270},
		{"720p in a tall view: bars above and below", 1280, 720, 480, 400},
		{"4:3 in a 16:9 view: bars at the sides", 640, 480, 480, 270},
	} {
		t.Run(c.name, func(t *testing.T) {
			feed := newFakeFeed()
			box := image.Rect(c.frameW/2, c.frame/2, c.frameW/2+100, c.frame/2+100)
			feed.streams = []uint8{1}
			feed.health[1] = VideoHealth{State: "playing", FPS: 30}
			feed.frames[1] = VideoFrame{Seq: 1, Image: testFrame(c.frameW, c.frame, 128, 128, 128), Boxes: []VideoBox{
				{Rect: box, TrackID: 7, Class: "person", Score: 0.9},
			}}
			p, _ := newTestPanel(t, feed, nil)
			p.refresh()
			p.view.Resize(fyne.NewSize(float32(c.viewW), float32(c.viewH)))
			img := p.view.draw(c.viewW, c.viewH).(*image.RGBA)

			s := math.Min(float64(c.viewW)/float64(c.frameW), float64(c.viewH)/float64(c.frame))
			offX, offY := (float64(c.viewW)-s*float64(c.frameW))/2, (float64(c.viewH)-s*float64(c.frame))/2
			left, top := int(math.Round(offX+s*float64(box.Min.X))), int(math.Round(offY+s*float64(box.Min.Y)))
			right, bottom := int(math.Round(offX+s*float64(box.Max.X))), int(math.Round(offY+s*float64(box.Max.Y)))
			midY, midX := (top+bottom)/2, (left+right)/2
			require.Equal(t, videoPerson, rgbaAt(img, left, midY), "the box's left edge")
			require.Equal(t, videoPerson, rgbaAt(img, right-1, midY), "its right edge")
			require.Equal(t, videoPerson, rgbaAt(img, midX, top), "its top edge")
			require.Equal(t, videoPerson, rgbaAt(img, midX, bottom-1), "its bottom edge")
			requireColour(t, grey, rgbaAt(img, midX, midY), 1, "the picture inside the box")
			requireColour(t, grey, rgbaAt(img, left-3, midY), 1, "the picture beside it")
			labelled := 0
			for y := top - 14; y < top; y++ {
				for x := left; x < left+7*len("#7 person 90%"); x++ {
					if rgbaAt(img, x, y) == videoPerson {
						labelled++
					}
				}
			}
			require.Greater(t, labelled, 40, "the label's letters over the box")
			if offY >= 1 {
				require.Equal(t, videoBackground, rgbaAt(img, c.viewW/2, int(offY)-1), "the bar above the picture")
			}
			if offX >= 1 {
				require.Equal(t, videoBackground, rgbaAt(img, int(offX)-1, c.viewH/2), "the bar beside the picture")
			}
		})
	}
}

// Colours come out as a limited-range H.264 stream means them, whatever the subsampling.
func TestVideoColours(t *testing.T) {
	for _, c := range []struct {
		name      string
		y, cb, cr uint8
		want      color.RGBA
	}{
		{"black", 16, 128, 128, color.RGBA{0, 0, 0, 255}},
		{"white", 235, 128, 128, color.RGBA{255, 255, 255, 255}},
		{"red", 81, 90, 240, color.RGBA{255, 0, 0, 255}},
		{"green", 145, 54, 34, color.RGBA{0, 255, 0, 255}},
		{"blue", 41, 240, 110, color.RGBA{0, 0, 255, 255}},
	} {
		for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio444} {
			img := image.NewYCbCr(image.Rect(0, 0, 64, 36), ratio)
			for i := range img.Y {
				img.Y[i] = c.y
			}
			for i := range img.Cb {
				img.Cb[i], img.Cr[i] = c.cb, c.cr
			}
			var d videoDrawer
			out := d.draw(32, 18, 1, &VideoFrame{Image: img}, videoOverlay{})
			requireColour(t, c.want, out.RGBAAt(16, 9), 3, "%s %v", c.name, ratio)
		}
	}
	// A frame that is a part of a bigger picture (its Rect does not start at 0) is drawn
	// from its own pixels.
	img := testFrame(64, 64, 16, 128, 128)
	for y := 32; y < 64; y++ {
		for x := 32; x < 64; x++ {
			img.Y[img.YOffset(x, y)] = 235
		}
	}
	var d videoDrawer
	out := d.draw(32, 32, 1, &VideoFrame{Image: img.SubImage(image.Rect(32, 32, 64, 64))}, videoOverlay{})
	requireColour(t, color.RGBA{255, 255, 255, 255}, out.RGBAAt(16, 16), 3, "a sub-image")
}

// The status line says how the stream plays, or in red what is wrong with it; a vehicle
// chooser appears when several vehicles have video.
func TestVideoPanelHealth(t *testing.T) {
	for _, c := range []struct {
		name    string
		streams []uint8
		health  VideoHealth
		want    string
		alarm   bool
		banner  string
	}{
		{"playing", []uint8{1}, VideoHealth{State: "playing", FPS: 29.8, LatencyP50: 48 * time.Millisecond, LatencyP95: 62 * time.Millisecond},
			"vehicle 1: playing 29.8 fps, latency p95 62 ms", false, ""},
		{"no sender reports", []uint8{1}, VideoHealth{State: "playing", FPS: 25},
			"vehicle 1: playing 25.0 fps, latency not measured (no sender reports)", false, ""},
		{"reconnecting", []uint8{1}, VideoHealth{State: "reconnecting", Reason: "connection refused"},
			"vehicle 1: reconnecting: connection refused", true, "STREAM RECONNECTING"},
		{"failed", []uint8{1}, VideoHealth{State: "failed", Reason: "the camera sends no H.264, H.265 or MJPEG"},
			"vehicle 1: failed: the camera sends no H.264, H.265 or MJPEG", true, "STREAM FAILED"},
		{"connecting", []uint8{1}, VideoHealth{State: "connecting"}, "vehicle 1: connecting", false, ""},
		{"two vehicles: the chooser names it", []uint8{1, 2}, VideoHealth{State: "stalled", Reason: "no picture for 2 s"},
			"stalled: no picture for 2 s", true, "STREAM STALLED"},
		{"no video", nil, VideoHealth{}, "no video: give the vehicle a video URL in the settings, or start with --video URL", false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			feed := newFakeFeed()
			feed.streams = c.streams
			for _, id := range c.streams {
				feed.health[id] = c.health
				feed.frames[id] = VideoFrame{Seq: 1, Image: testFrame(64, 36, 128, 128, 128)}
			}
			p, _ := newTestPanel(t, feed, nil)
			p.refresh()
			require.Equal(t, c.want, p.health.Text)
			want := widget.MediumImportance
			if c.alarm {
				want = widget.DangerImportance
			}
			require.Equal(t, want, p.health.Importance, "alarms are red")
			require.Equal(t, c.banner, p.shownOver.Banner, "written over a frozen picture")
			require.Equal(t, len(c.streams) > 1, p.chooser.Visible())
			if len(c.streams) > 1 {
				require.Equal(t, []string{"Vehicle 1", "Vehicle 2"}, p.chooser.Options)
				require.Equal(t, "Vehicle 1", p.chooser.Selected)
				feed.set(func(f *fakeFeed) {
					f.health[2] = VideoHealth{State: "playing", FPS: 30}
					f.frames[2] = VideoFrame{Seq: 1, Image: testFrame(320, 240, 128, 128, 128)}
				})
				p.chooser.SetSelected("Vehicle 2")
				p.refresh()
				require.Equal(t, uint8(2), p.shown())
				require.Equal(t, image.Rect(0, 0, 320, 240), p.view.frame.Image.Bounds(), "vehicle 2's picture")
				require.Equal(t, "playing 30.0 fps, latency not measured (no sender reports)", p.health.Text)
			}
			require.Equal(t, len(c.streams) == 0, p.record.Disabled())
		})
	}
}

// flyingWithGimbal is a vehicle heading 30° with its gimbal 40° down, 10° right of the nose,
// and no camera description (the 69° default lens).
func flyingWithGimbal() *gcs.Fleet {
	f := &gcs.Fleet{}
	f.Update(1, func(v *gcs.Vehicle) {
		*v = flyingVehicle()
		v.Attitude.YawRad = 30 * math.Pi / 180
		v.Gimbal = &gcs.GimbalAttitude{PitchRad: -40 * math.Pi / 180, YawRad: 10 * math.Pi / 180}
	})
	return f
}

// viewPoint is where frame pixel (u, v) is on the view, in Fyne units.
func viewPoint(p *VideoPanel, frameW, frameH int, u, v float64) fyne.Position {
	sz := p.view.Size()
	l := fitVideo(frameW, frameH, float64(sz.Width), float64(sz.Height))
	return fyne.NewPos(float32(l.offX+u*l.scale), float32(l.offY+v*l.scale))
}

// A click in the picture points the gimbal at what is there: the centre leaves it where it
// is, a point to the right turns it right by the angle the lens sees there; the vehicle's
// answer is shown.
func TestVideoPanelPointsTheGimbal(t *testing.T) {
	link := &gimbalLink{answer: gcs.CommandReply{Result: gcs.CommandAccepted}}
	st := &gcs.Station{Fleet: flyingWithGimbal(), Link: link}
	feed := newFakeFeed()
	feed.streams = []uint8{1}
	feed.health[1] = VideoHealth{State: "playing", FPS: 30}
	feed.frames[1] = VideoFrame{Seq: 1, Image: testFrame(1280, 720, 128, 128, 128)}
	p, _ := newTestPanel(t, feed, st)
	p.refresh()
	require.Greater(t, p.view.Size().Width, float32(100))

	fx := 640 / math.Tan(69.0/2*math.Pi/180)
	right20 := 640 + fx*math.Tan(20*math.Pi/180)
	for _, c := range []struct {
		name       string
		gimbalDeg  float64 // its pitch
		u, v       float64
		pitch, yaw float64
	}{
		{"the centre: where the gimbal points", -40, 640, 360, -40, 10},
		{"20° right of the centre, gimbal level", 0, right20, 360, 0, 30},
		{"20° right on the centre row, gimbal 40° down", -40, right20, 360,
			-math.Asin(math.Sin(40*math.Pi/180)*math.Cos(20*math.Pi/180)) * 180 / math.Pi,
			10 + math.Atan(math.Tan(20*math.Pi/180)/math.Cos(40*math.Pi/180))*180/math.Pi},
		{"the top edge of a gimbal looking up looks higher, as far as it can", 15, 640, 0, 30, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			st.Fleet.Update(1, func(v *gcs.Vehicle) {
				v.Gimbal.PitchRad = c.gimbalDeg * math.Pi / 180
			})
			link.mu.Lock()
			link.sent = nil
			link.mu.Unlock()
			test.TapAt(p.view, viewPoint(p, 1280, 720, c.u, c.v))
			link.mu.Lock()
			defer link.mu.Unlock()
			require.Len(t, link.sent, 1)
			require.InDelta(t, c.pitch, link.sent[0][0], 1, "pitch")
			require.InDelta(t, c.yaw, link.sent[0][1], 1, "yaw from the nose")
			require.False(t, link.earth[0], "yaw relative to the vehicle's nose")
			require.Contains(t, p.message.Text, ": accepted")
			require.Equal(t, widget.MediumImportance, p.message.Importance)
		})
	}
	require.Contains(t, p.message.Text, "(it looks no higher than 30°)")
	require.Len(t, st.CommandLog(), 4, "each click is one command in the station's log")

	link.answer = gcs.CommandReply{Result: gcs.CommandDenied, Reason: "gimbal not ready"}
	test.TapAt(p.view, viewPoint(p, 1280, 720, 640, 360))
	require.Contains(t, p.message.Text, "denied: gimbal not ready")
	require.Equal(t, widget.DangerImportance, p.message.Importance)

	// Outside the picture (the bars of a view of another shape) nothing is sent.
	p.view.Resize(fyne.NewSize(480, 400))
	test.TapAt(p.view, fyne.NewPos(240, 10))
	link.mu.Lock()
	require.Len(t, link.sent, 2, "the last click and the denied one")
	link.mu.Unlock()

	// Without the gimbal's attitude there is nothing to aim from: the panel says so.
	st.Fleet.Update(1, func(v *gcs.Vehicle) { v.Gimbal = nil })
	test.TapAt(p.view, viewPoint(p, 1280, 720, 640, 360))
	require.Contains(t, p.message.Text, "vehicle 1 has not reported its gimbal's attitude")
	require.Equal(t, widget.DangerImportance, p.message.Importance)
	link.mu.Lock()
	require.Len(t, link.sent, 2, "the last click and the denied one")
	link.mu.Unlock()
}

// The snapshot button saves through the feed and says where; the record button starts
// and stops the recording, becomes a stop button meanwhile and shows the segment file.
func TestVideoPanelSnapshotAndRecord(t *testing.T) {
	feed := newFakeFeed()
	feed.streams = []uint8{1}
	feed.health[1] = VideoHealth{State: "playing", FPS: 30}
	feed.frames[1] = VideoFrame{Seq: 1, Image: testFrame(640, 360, 128, 128, 128)}
	p, w := newTestPanel(t, feed, nil)
	now := time.Date(2026, 11, 23, 16, 30, 0, 0, time.UTC)
	p.timeNow = func() time.Time { return now }
	p.refresh()
	require.Equal(t, "click the picture to point the camera there", p.message.Text)
	require.Empty(t, p.snapshot.Text, "icons only in a narrow panel")
	w.Resize(fyne.NewSize(800, 500))
	p.refresh()
	require.Equal(t, "Snapshot", p.snapshot.Text, "named buttons in a wide one")
	require.Equal(t, "Record", p.record.Text)

	test.Tap(p.snapshot)
	require.Equal(t, []uint8{1}, feed.snapshots)
	require.Equal(t, "snapshot cam1_20261123-163005.123.jpg saved in rec_snapshots", p.message.Text)

	feed.set(func(f *fakeFeed) { f.snapErr = errors.New("snapshot: no picture yet") })
	test.Tap(p.snapshot)
	require.Equal(t, "vehicle 1: snapshot: no picture yet", p.message.Text)
	require.Equal(t, widget.DangerImportance, p.message.Importance)

	test.Tap(p.record)
	require.Equal(t, []string{"on"}, feed.recCalls)
	require.True(t, p.recordingShown(), "the record button turns into a red stop button")
	require.Equal(t, "Stop recording", p.record.Text)
	require.Equal(t, theme.MediaStopIcon(), p.record.Icon)
	now = now.Add(videoMessageFor)
	p.refresh()
	require.Equal(t, "recording: waiting for a keyframe", p.message.Text)
	require.True(t, p.shownOver.Recording, "the picture carries the REC mark")
	feed.set(func(f *fakeFeed) { f.rec[1] = RecordingState{On: true, Segment: "rec_video/cam1_20261123T163001Z.ts"} })
	p.refresh()
	require.Equal(t, "recording to rec_video/cam1_20261123T163001Z.ts", p.message.Text)

	test.Tap(p.record)
	require.Equal(t, []string{"on", "off"}, feed.recCalls)
	require.False(t, p.recordingShown())
	require.Equal(t, theme.MediaRecordIcon(), p.record.Icon)
	require.Equal(t, "recording of vehicle 1 stopped", p.message.Text)
	p.refresh()
	require.False(t, p.shownOver.Recording)
}

// Start reads the feed on the panel's own ticker until Close, which stops it.
func TestVideoPanelStartClose(t *testing.T) {
	test.NewTempApp(t)
	feed := newFakeFeed()
	p := NewVideoPanel(&gcs.Station{Fleet: &gcs.Fleet{}}, feed)
	p.Start()
	require.Eventually(t, func() bool {
		feed.mu.Lock()
		defer feed.mu.Unlock()
		return feed.polls >= 3
	}, 5*time.Second, 20*time.Millisecond)
	p.Close()
	feed.mu.Lock()
	n := feed.polls
	feed.mu.Unlock()
	time.Sleep(3 * videoRefreshPeriod)
	feed.mu.Lock()
	defer feed.mu.Unlock()
	require.Equal(t, n, feed.polls, "no reading after Close")
	p.Close() // twice is harmless
}

// In the 400×260 px the window gives it, the picture keeps most of the panel: two text
// lines of status and answers, no more.
func TestVideoPanelSmall(t *testing.T) {
	feed := newFakeFeed()
	feed.streams = []uint8{1}
	feed.health[1] = VideoHealth{State: "playing", FPS: 29.8, LatencyP95: 62 * time.Millisecond}
	feed.frames[1] = VideoFrame{Seq: 1, Image: testFrame(1280, 720, 128, 128, 128)}
	p, w := newTestPanel(t, feed, nil)
	w.Resize(fyne.NewSize(400, 260))
	p.refresh()
	sz := p.view.Size()
	l := fitVideo(1280, 720, float64(sz.Width), float64(sz.Height))
	require.GreaterOrEqual(t, l.w, 300.0, "the picture's width")
	require.GreaterOrEqual(t, l.h, 170.0, "its height")
	require.GreaterOrEqual(t, p.health.Size().Width, p.health.MinSize().Width)
	size := theme.TextSize()
	if p.health.SizeName != "" {
		size = theme.Size(p.health.SizeName)
	}
	text := fyne.MeasureText(p.health.Text, size, fyne.TextStyle{})
	require.GreaterOrEqual(t, p.health.Size().Width, text.Width+2*theme.InnerPadding(), "the status line has room for %q", p.health.Text)
}
