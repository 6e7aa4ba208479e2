package track

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// script reads a fuzzer's bytes as a sequence of frames; past the end it reads zeros.
type script []byte

func (s *script) byte() byte {
	if len(*s) == 0 {
		return 0
	}
	b := (*s)[0]
	*s = (*s)[1:]
	return b
}

func (s *script) u16() uint16 { return uint16(s.byte())<<8 | uint16(s.byte()) }

func (s *script) u64() uint64 {
	var v uint64
	for range 8 {
		v = v<<8 | uint64(s.byte())
	}
	return v
}

// FuzzUpdate feeds the tracker frames decoded from arbitrary bytes — gaps, camera turns and
// zooms, raw homographies, detections anywhere and of any size, raw float coordinates — and
// checks that it never panics and that every update it gives is sound. Per frame:
//
//	gap (×4 ms), flags, [turn, zoom, dx, dy if flags&1], [9 × float64 if flags&2],
//	count, count × (cx, cy as u16/50, w, h, class, score [, raw float64 if flags&4])
func FuzzUpdate(f *testing.F) {
	f.Add([]byte{})
	// Two objects seen in three frames while the camera turns, then a long gap.
	f.Add([]byte{
		0, 1, 2, 0, 0, 0, 2, 0x30, 0x00, 0x20, 0x00, 40, 40, 0, 200, 0x40, 0x00, 0x20, 0x00, 30, 60, 1, 150,
		8, 1, 2, 0, 0, 0, 2, 0x30, 0x10, 0x20, 0x00, 40, 40, 0, 200, 0x40, 0x00, 0x20, 0x10, 30, 60, 1, 150,
		8, 1, 2, 0, 0, 0, 2, 0x30, 0x20, 0x20, 0x00, 40, 40, 0, 200, 0x40, 0x00, 0x20, 0x20, 30, 60, 1, 150,
		255, 0, 0, 255, 0, 0,
	})
	f.Fuzz(fuzzUpdate)
}

func fuzzUpdate(t *testing.T, data []byte) {
	s := script(data)
	tr := newTracker(t, Tracker{ConfirmHits: 2, MaxUnseen: time.Second, TentativeMaxUnseen: 100 * time.Millisecond})
	at := t0
	removed := map[uint64]bool{}
	for frame := 0; len(s) > 0 && frame < 100; frame++ {
		at = at.Add(time.Duration(s.byte()) * 4 * time.Millisecond)
		flags := s.byte()
		var ego *Homography
		if flags&1 != 0 {
			turn := float64(int8(s.byte())) * math.Pi / 360
			zoom := 1 + float64(int8(s.byte()))/300
			h := similarity(turn, zoom, Vec{640, 360}).then(translation(float64(int8(s.byte())), float64(int8(s.byte()))))
			ego = &h
		}
		if flags&2 != 0 {
			var h Homography
			for i := range h {
				h[i] = math.Float64frombits(s.u64())
			}
			ego = &h
		}
		dets := make([]Detection, s.byte()%8)
		for i := range dets {
			c := Vec{float64(s.u16()) / 50, float64(s.u16()) / 50}
			dets[i] = Detection{
				Box:   boxAt(c, float64(s.byte()), float64(s.byte())),
				Class: [...]string{"person", "car", "motion"}[s.byte()%3],
				Score: float64(s.byte()) / 255,
			}
			if flags&4 != 0 {
				dets[i].Box.Max.X = math.Float64frombits(s.u64())
			}
		}
		us, err := tr.Update(at, ego, dets)
		if err != nil {
			var de *DetectionError
			require.True(t, errors.As(err, &de) || errors.Is(err, ErrBadHomography), "%v", err)
			continue
		}
		var prev uint64
		for _, u := range us {
			require.Greater(t, u.ID, prev, "one update per track, by id")
			prev = u.ID
			require.False(t, removed[u.ID], "track %d came back after its removal", u.ID)
			require.NotEqual(t, StateTentative, u.State)
			require.True(t, u.Box.valid(), "frame %d: box %+v", frame, u.Box)
			require.False(t, math.IsNaN(u.VelocityPxPerS.X) || math.IsInf(u.VelocityPxPerS.X, 0) ||
				math.IsNaN(u.VelocityPxPerS.Y) || math.IsInf(u.VelocityPxPerS.Y, 0), "velocity %v", u.VelocityPxPerS)
			require.Equal(t, at, u.At)
			require.GreaterOrEqual(t, u.Hits, 2)
			require.GreaterOrEqual(t, u.Age, time.Duration(0))
			if u.State == StateRemoved {
				removed[u.ID] = true
				require.Greater(t, u.Unseen, tr.MaxUnseen)
			} else {
				require.LessOrEqual(t, u.Unseen, tr.MaxUnseen)
			}
		}
		require.LessOrEqual(t, tr.Alive(), len(tr.tracks))
	}
}
