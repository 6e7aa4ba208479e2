package synthcam

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// PoseSource tells the camera where it is at an instant: the vehicle's pose and the gimbal's
// attitude. ok is false while the vehicle's pose is not known yet.
type PoseSource func(t time.Time) (p gcs.Pose, g gcs.GimbalAttitude, ok bool)

// Camera renders a World from a PoseSource at a fixed frame rate, encodes each frame to H.264
// and hands the access units on, stamped with the instant the frame shows (its capture
// time). Frames are rendered at the pose of their capture instant, so the truth of every
// frame is exact.
type Camera struct {
	World *World
	// Lens is the camera's resolution and field of view. Required.
	Lens gcs.Camera
	// FPS is the frame rate. It defaults to 30.
	FPS int
	// BitrateKbps is the H.264 target. It defaults to the encoder's.
	BitrateKbps int
	Pose        PoseSource
	// Timecode stamps each frame's capture time into its top-left pixels (see
	// StampTimecode), for end-to-end tests.
	Timecode bool
	// Truth, when set, receives one JSON line per target per frame: the capture time and the
	// target's true position.
	Truth io.Writer
	// Output receives each encoded access unit. Required.
	Output func(au [][]byte, capturedAt time.Time) error
	// Latency delays each frame's output by this long after its capture, as a camera's
	// encoder and radio link do (the sender reports still carry the capture time). It
	// defaults to none beyond the render and encode time.
	Latency time.Duration

	delayed chan delayedUnit

	enc      avcodec.Encoder
	img      *image.YCbCr
	keyframe atomic.Bool
	frames   atomic.Uint64
	busy     atomic.Int64 // nanoseconds spent rendering and encoding

	timeNow   func() time.Time
	terminate chan struct{}
	done      chan struct{}
	delayDone chan struct{}
	closeOnce sync.Once
}

// Initialize opens the encoder and starts the frame loop.
func (c *Camera) Initialize() error {
	if c.World == nil || c.Pose == nil || c.Output == nil {
		return errors.New("synthcam: World, Pose and Output are required")
	}
	if _, _, _, _, err := c.Lens.Intrinsics(); err != nil {
		return fmt.Errorf("synthcam: %w", err)
	}
	if c.FPS <= 0 {
		c.FPS = 30
	}
	if c.timeNow == nil {
		c.timeNow = time.Now
	}
	c.enc = avcodec.Encoder{Width: c.Lens.WidthPx, Height: c.Lens.HeightPx, FPS: c.FPS, BitrateKbps: c.BitrateKbps}
	if err := c.enc.Initialize(); err != nil {
		return fmt.Errorf("synthcam: %w", err)
	}
	c.img = image.NewYCbCr(image.Rect(0, 0, c.Lens.WidthPx, c.Lens.HeightPx), image.YCbCrSubsampleRatio420)
	c.terminate = make(chan struct{})
	c.done = make(chan struct{})
	if c.Latency > 0 {
		c.delayed = make(chan delayedUnit, 256)
		c.delayDone = make(chan struct{})
		go c.delayLine()
	}
	go c.run()
	return nil
}

type delayedUnit struct {
	au [][]byte
	at time.Time
}

// delayLine hands frames to Output Latency after their capture, in order.
func (c *Camera) delayLine() {
	defer close(c.delayDone)
	for {
		select {
		case <-c.terminate:
			return
		case u := <-c.delayed:
			select {
			case <-c.terminate:
				return
			case <-time.After(time.Until(u.at.Add(c.Latency))):
			}
			_ = c.Output(u.au, u.at)
		}
	}
}

// Close stops the frame loop and frees the encoder.
func (c *Camera) Close() {
	c.closeOnce.Do(func() {
		close(c.terminate)
		<-c.done
		if c.delayDone != nil {
			<-c.delayDone
		}
		c.enc.Close()
	})
}

// ForceKeyframe makes the next frame a keyframe (a new reader joined).
func (c *Camera) ForceKeyframe() { c.keyframe.Store(true) }

// Stats returns how many frames were produced and the mean time one took to render and
// encode (CPU time on one core, as the loop is single-threaded).
func (c *Camera) Stats() (frames uint64, perFrame time.Duration) {
	n := c.frames.Load()
	if n == 0 {
		return 0, 0
	}
	return n, time.Duration(c.busy.Load() / int64(n))
}

func (c *Camera) run() {
	defer close(c.done)
	period := time.Second / time.Duration(c.FPS)
	tick := time.NewTicker(period)
	defer tick.Stop()
	for n := int64(0); ; {
		select {
		case <-c.terminate:
			return
		case <-tick.C:
		}
		// An error here is a frame lost to a reader that went away; the camera goes on.
		_ = c.frame(n)
		n++
	}
}

// frame renders, encodes and outputs the frame for now.
func (c *Camera) frame(n int64) error {
	at := c.timeNow()
	pose, gimbal, ok := c.Pose(at)
	if !ok {
		return nil
	}
	start := time.Now()
	if err := c.World.Render(c.img, c.Lens, pose, gimbal, at); err != nil {
		return err
	}
	if c.Timecode {
		StampTimecode(c.img, at)
	}
	au, err := c.enc.Encode(c.img, n, c.keyframe.Swap(false))
	c.busy.Add(int64(time.Since(start)))
	c.frames.Add(1)
	if err != nil || au == nil {
		return err
	}
	if c.Truth != nil {
		c.writeTruth(at)
	}
	if c.delayed != nil {
		select {
		case c.delayed <- delayedUnit{au: au, at: at}:
		default: // more than 256 frames late: the link drops them
		}
		return nil
	}
	return c.Output(au, at)
}

// TruthLine is one line of the ground-truth file (`vigil sim --truth`): where a target truly
// was at a frame's capture time.
type TruthLine struct {
	Time  time.Time `json:"time"`
	ID    int       `json:"id"`
	Class string    `json:"class"`
	Lat   float64   `json:"lat"`
	Lon   float64   `json:"lon"`
}

func (c *Camera) writeTruth(at time.Time) {
	enc := json.NewEncoder(c.Truth)
	for _, tg := range c.World.Targets {
		p := c.World.TruthAt(tg, at)
		_ = enc.Encode(TruthLine{Time: at.UTC(), ID: tg.ID, Class: tg.Class, Lat: p.Point[1], Lon: p.Point[0]})
	}
}
