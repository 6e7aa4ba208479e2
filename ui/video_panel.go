package ui

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// videoRefreshPeriod is how often the panel redraws: 10 Hz is smooth enough to watch and
// to aim by, and leaves the window's goroutine free (a redraw converts only the pixels shown).
const videoRefreshPeriod = 100 * time.Millisecond

// videoMessageFor is how long the answer to an action stays in the panel's message line.
const videoMessageFor = 10 * time.Second

// Gimbal pitch limits the panel asks for (what gcs.Intent accepts): a stabilised gimbal
// looks from straight down to a little above the horizon.
const (
	gimbalMinPitchDeg = -90
	gimbalMaxPitchDeg = 30
)

// VideoPanel shows one vehicle's video: the live picture with its tracked objects boxed and
// numbered, the stream's health and latency, a snapshot button and a record toggle, and a
// vehicle chooser when several vehicles have video. A click in the picture points the
// vehicle's gimbal at what is there, through the station; the vehicle's answer is shown.
type VideoPanel struct {
	st   *gcs.Station
	feed VideoFeed

	view     *videoView
	chooser  *widget.Select
	health   *widget.Label
	message  *widget.Label
	snapshot *widget.Button
	record   *widget.Button
	content  fyne.CanvasObject

	// async runs an action (a command, a snapshot) away from the window's goroutine;
	// tests run it in place.
	async   func(func())
	timeNow func() time.Time

	mu        sync.Mutex
	sysID     uint8 // the vehicle shown; 0 before the first stream
	choices   int   // how many times the operator chose a vehicle: readings from before are stale
	streams   []uint8
	recording RecordingState
	shownSeq  uint64 // the picture drawn, 0 for none, and whose
	shownID   uint8
	shownOver videoOverlay
	msg       string
	msgAlarm  bool
	msgAt     time.Time

	ctx     context.Context
	cancel  context.CancelFunc
	actions sync.WaitGroup
	loop    refresher
}

// NewVideoPanel builds the panel; Start begins showing feed, Close stops it. st carries the
// gimbal commands and knows the vehicles' attitudes and cameras.
func NewVideoPanel(st *gcs.Station, feed VideoFeed) *VideoPanel {
	p := &VideoPanel{
		st: st, feed: feed,
		view:    newVideoView(),
		health:  widget.NewLabel(""),
		message: widget.NewLabel(""),
		timeNow: time.Now,
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.async = func(f func()) {
		if p.ctx.Err() != nil {
			return // closed
		}
		p.actions.Add(1)
		go func() {
			defer p.actions.Done()
			f()
		}()
	}
	for _, l := range []*widget.Label{p.health, p.message} {
		l.Truncation = fyne.TextTruncateEllipsis
		l.SizeName = theme.SizeNameCaptionText // a status line: compact, the picture gets the room
	}
	p.view.onTap = p.aimAt
	p.chooser = widget.NewSelect(nil, p.choose)
	p.chooser.PlaceHolder = "no video"
	p.chooser.Hide()
	p.snapshot = widget.NewButtonWithIcon("", theme.MediaPhotoIcon(), p.takeSnapshot)
	p.record = widget.NewButtonWithIcon("", theme.MediaRecordIcon(), p.toggleRecording)
	// The status line and the buttons share the top row and the answers have the bottom
	// one to themselves, so that a 400 px panel still reads whole sentences.
	top := container.NewBorder(nil, nil, p.chooser, container.NewHBox(p.snapshot, p.record), p.health)
	p.content = container.NewBorder(top, p.message, nil, nil, p.view)
	p.show(videoState{})
	return p
}

// Object is the panel's widget tree, to place in a window.
func (p *VideoPanel) Object() fyne.CanvasObject { return p.content }

// Start redraws the panel from the feed at 10 Hz until Close.
func (p *VideoPanel) Start() {
	p.loop.start(videoRefreshPeriod, func() {
		s := p.poll()
		fyne.Do(func() { p.show(s) })
	})
}

// Close stops the redrawing, abandons the commands waiting for an answer and waits for
// the panel's goroutines.
func (p *VideoPanel) Close() {
	p.loop.close()
	p.cancel()
	p.actions.Wait()
}

// refresh reads the feed and redraws now. Call it on Fyne's goroutine.
func (p *VideoPanel) refresh() { p.show(p.poll()) }

// videoState is one reading of the feed for the vehicle shown.
type videoState struct {
	choice    int // the operator's choices counted when it was read
	streams   []uint8
	sysID     uint8
	frame     VideoFrame
	hasFrame  bool
	health    VideoHealth
	hasHealth bool
	rec       RecordingState
}

// poll reads the feed (off Fyne's goroutine: the feed takes locks the video pipelines hold).
func (p *VideoPanel) poll() videoState {
	s := videoState{streams: p.feed.Streams()}
	p.mu.Lock()
	s.sysID, s.choice = p.sysID, p.choices
	p.mu.Unlock()
	if !slices.Contains(s.streams, s.sysID) {
		s.sysID = 0
		if len(s.streams) > 0 {
			s.sysID = s.streams[0]
		}
	}
	if s.sysID != 0 {
		s.frame, s.hasFrame = p.feed.Latest(s.sysID)
		s.health, s.hasHealth = p.feed.Health(s.sysID)
		s.rec = p.feed.Recording(s.sysID)
	}
	return s
}

// show draws one reading. Call it on Fyne's goroutine.
func (p *VideoPanel) show(s videoState) {
	p.mu.Lock()
	if s.choice != p.choices {
		// The operator chose another vehicle after this reading was taken: it is stale.
		p.mu.Unlock()
		return
	}
	changedStreams := !slices.Equal(p.streams, s.streams)
	p.streams, p.sysID, p.recording = s.streams, s.sysID, s.rec
	p.mu.Unlock()

	if changedStreams {
		opts := make([]string, len(s.streams))
		for i, id := range s.streams {
			opts[i] = vehicleName(id)
		}
		p.chooser.SetOptions(opts)
		if len(opts) > 1 {
			p.chooser.Show()
		} else {
			p.chooser.Hide()
		}
	}
	if s.sysID != 0 && p.chooser.Selected != vehicleName(s.sysID) {
		p.chooser.SetSelected(vehicleName(s.sysID))
	}

	text, alarm := "no video: give the vehicle a video URL in the settings, or start with --video URL", false
	if s.hasHealth {
		text, alarm = videoHealthLine(s.health)
		if len(s.streams) == 1 {
			text = fmt.Sprintf("vehicle %d: %s", s.sysID, text)
		}
	}
	setLabel(p.health, text, alarm)

	over := videoOverlay{Recording: s.rec.On, Empty: "no video"}
	if s.hasHealth {
		over.Empty = "waiting for the first picture: " + s.health.State
		if !s.health.Playing() && s.health.State != "connecting" {
			over.Banner = "STREAM " + strings.ToUpper(s.health.State)
		}
	}
	var f *VideoFrame
	if s.hasFrame {
		f = &s.frame
	}
	seq := uint64(0) // no picture
	if f != nil {
		seq = f.Seq
	}
	p.mu.Lock()
	redraw := seq != p.shownSeq || s.sysID != p.shownID || over != p.shownOver
	p.shownSeq, p.shownID, p.shownOver = seq, s.sysID, over
	p.mu.Unlock()
	if redraw {
		p.view.show(f, over)
	}

	if s.sysID == 0 {
		p.snapshot.Disable()
		p.record.Disable()
	} else {
		p.record.Enable()
		if s.hasFrame {
			p.snapshot.Enable()
		} else {
			p.snapshot.Disable()
		}
	}
	p.showRecording(s.rec.On)
	p.showMessage()
}

// videoHealthLine says a stream's health: "playing 29.8 fps, latency p95 62 ms", or its
// state and why, which is an alarm.
func videoHealthLine(h VideoHealth) (text string, alarm bool) {
	if h.Playing() {
		text = fmt.Sprintf("playing %.1f fps", h.FPS)
		if h.LatencyP95 > 0 {
			return text + fmt.Sprintf(", latency p95 %.0f ms", float64(h.LatencyP95.Microseconds())/1000), false
		}
		return text + ", latency not measured (no sender reports)", false
	}
	text = h.State
	if h.Reason != "" {
		text += ": " + h.Reason
	}
	return text, h.State != "connecting" || h.Reason != ""
}

// setLabel sets a status line, red when it is an alarm.
func setLabel(l *widget.Label, text string, alarm bool) {
	imp := widget.MediumImportance
	if alarm {
		imp = widget.DangerImportance
	}
	if l.Text == text && l.Importance == imp {
		return
	}
	l.Importance = imp
	l.SetText(text)
}

// videoWordsFrom is the panel width from which the buttons carry words beside their icons.
const videoWordsFrom = 600

// showRecording makes the record button a red stop button while recording; the buttons
// are named when the panel is wide enough.
func (p *VideoPanel) showRecording(on bool) {
	words := p.content.Size().Width >= videoWordsFrom
	if p.chooser.Visible() {
		words = p.content.Size().Width >= videoWordsFrom+120
	}
	snap, text, icon, imp := "", "", theme.MediaRecordIcon(), widget.MediumImportance
	if on {
		icon, imp = theme.MediaStopIcon(), widget.DangerImportance
	}
	if words {
		snap, text = "Snapshot", "Record"
		if on {
			text = "Stop recording"
		}
	}
	if p.snapshot.Text != snap {
		p.snapshot.SetText(snap)
	}
	if p.record.Text == text && p.record.Icon == icon && p.record.Importance == imp {
		return
	}
	p.record.Text, p.record.Icon, p.record.Importance = text, icon, imp
	p.record.Refresh()
}

// recordingShown reports whether the panel shows the video being recorded.
func (p *VideoPanel) recordingShown() bool { return p.record.Importance == widget.DangerImportance }

// showMessage shows the answer to the last action while it is fresh; then the recording's
// segment, or how to point the gimbal.
func (p *VideoPanel) showMessage() {
	p.mu.Lock()
	msg, alarm, at, rec, id := p.msg, p.msgAlarm, p.msgAt, p.recording, p.sysID
	p.mu.Unlock()
	switch {
	case msg != "" && p.timeNow().Sub(at) < videoMessageFor:
	case rec.Err != "":
		msg, alarm = "recording: "+rec.Err, true
	case rec.On && rec.Segment != "":
		msg, alarm = "recording to "+rec.Segment, false
	case rec.On:
		msg, alarm = "recording: waiting for a keyframe", false
	case id != 0:
		msg, alarm = "click the picture to point the camera there", false
	default:
		msg, alarm = "", false
	}
	setLabel(p.message, msg, alarm)
}

// say puts an action's outcome in the message line. Call it on Fyne's goroutine.
func (p *VideoPanel) say(text string, alarm bool) {
	p.mu.Lock()
	p.msg, p.msgAlarm, p.msgAt = text, alarm, p.timeNow()
	p.mu.Unlock()
	p.showMessage()
}

// shown is the vehicle on screen, 0 when none.
func (p *VideoPanel) shown() uint8 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sysID
}

// choose is the chooser's callback: show another vehicle.
func (p *VideoPanel) choose(name string) {
	var id uint8
	if _, err := fmt.Sscanf(name, "Vehicle %d", &id); err != nil {
		return
	}
	p.mu.Lock()
	changed := p.sysID != id
	p.sysID = id
	if changed {
		p.choices++
	}
	p.mu.Unlock()
	if changed {
		p.say("", false)
		p.async(func() {
			s := p.poll()
			fyne.Do(func() { p.show(s) })
		})
	}
}

func (p *VideoPanel) takeSnapshot() {
	id := p.shown()
	if id == 0 {
		return
	}
	p.async(func() {
		path, err := p.feed.Snapshot(id)
		fyne.Do(func() {
			if err != nil {
				p.say(fmt.Sprintf("vehicle %d: %v", id, err), true)
				return
			}
			p.say(fmt.Sprintf("snapshot %s saved in %s", filepath.Base(path), filepath.Dir(path)), false)
		})
	})
}

func (p *VideoPanel) toggleRecording() {
	p.mu.Lock()
	id, on := p.sysID, !p.recording.On
	p.mu.Unlock()
	if id == 0 {
		return
	}
	p.async(func() {
		err := p.feed.SetRecording(id, on)
		rec := p.feed.Recording(id)
		fyne.Do(func() {
			p.mu.Lock()
			if p.sysID == id {
				p.recording = rec
			}
			p.mu.Unlock()
			p.showRecording(rec.On)
			switch {
			case err != nil:
				p.say(fmt.Sprintf("vehicle %d: %v", id, err), true)
			case on:
				p.say(fmt.Sprintf("recording vehicle %d's video", id), false)
			default:
				p.say(fmt.Sprintf("recording of vehicle %d stopped", id), false)
			}
		})
	})
}

// aimAt points the gimbal of the vehicle shown at the frame pixel (u, v): the direction
// of that pixel from the vehicle's attitude, its gimbal's and its camera model now.
func (p *VideoPanel) aimAt(u, v float64, frameW, frameH int) {
	id := p.shown()
	if id == 0 {
		return
	}
	in, note, err := p.gimbalIntent(id, u, v, frameW, frameH)
	if err != nil {
		p.say(err.Error(), true)
		return
	}
	what := fmt.Sprintf("gimbal to pitch %.0f°, yaw %.0f°%s", in.PitchDeg, in.YawDeg, note)
	p.say(what+": sent, waiting for the vehicle", false)
	p.async(func() {
		reply, err := p.st.Do(p.ctx, in)
		fyne.Do(func() {
			if err != nil {
				p.say(fmt.Sprintf("%s: %s", what, gcs.AnswerText(reply, err)), true)
				return
			}
			p.say(fmt.Sprintf("%s: %s", what, gcs.AnswerText(reply, nil)), false)
		})
	})
}

// gimbalIntent is the command that brings pixel (u, v) to the centre of the picture; note
// says when the gimbal cannot go all the way.
func (p *VideoPanel) gimbalIntent(id uint8, u, v float64, frameW, frameH int) (gcs.Intent, string, error) {
	veh, ok := p.st.Fleet.Vehicle(id)
	if !ok || !veh.Connected {
		return gcs.Intent{}, "", fmt.Errorf("vehicle %d is not connected: its gimbal cannot be pointed", id)
	}
	if veh.Gimbal == nil {
		return gcs.Intent{}, "", fmt.Errorf("vehicle %d has not reported its gimbal's attitude: it cannot be pointed from the picture", id)
	}
	cam := gcs.FrameCamera(veh.Camera, p.st.DefaultCamera, frameW, frameH)
	pitch, yaw, err := gcs.PixelAim(veh.Attitude, *veh.Gimbal, cam, u, v)
	if err != nil {
		return gcs.Intent{}, "", fmt.Errorf("vehicle %d: %w", id, err)
	}
	note := ""
	if pitch > gimbalMaxPitchDeg {
		pitch, note = gimbalMaxPitchDeg, fmt.Sprintf(" (it looks no higher than %d°)", gimbalMaxPitchDeg)
	}
	pitch = math.Max(pitch, gimbalMinPitchDeg)
	return gcs.Intent{SysID: id, Kind: gcs.IntentPointGimbal, PitchDeg: pitch, YawDeg: yaw}, note, nil
}
