package gcs

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

var poseT0 = time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)

func poseTime(s float64) time.Time { return poseT0.Add(time.Duration(s * float64(time.Second))) }

func poseDeg(d float64) float64 { return d * math.Pi / 180 }

// poseSample is one sample a test feeds a PoseHistory: a position (with velocity) or an
// attitude.
type poseSample struct {
	t   time.Time
	pos *Position
	vel Velocity
	att *Attitude
}

func posAt(s float64, lon, lat, altMSL, altRel float64, v Velocity) poseSample {
	return poseSample{t: poseTime(s), pos: &Position{Point: orb.Point{lon, lat}, AltMSLM: altMSL, AltRelM: altRel}, vel: v}
}

func attAt(s float64, rollDeg, pitchDeg, yawDeg float64) poseSample {
	return poseSample{t: poseTime(s), att: &Attitude{RollRad: poseDeg(rollDeg), PitchRad: poseDeg(pitchDeg), YawRad: poseDeg(yawDeg)}}
}

func (s poseSample) addTo(h *PoseHistory) {
	if s.pos != nil {
		h.AddPosition(s.t, *s.pos, s.vel)
	}
	if s.att != nil {
		h.AddAttitude(s.t, *s.att)
	}
}

var casesPoseHistoryAt = []struct {
	name    string
	samples []poseSample
	t       time.Time
	want    Pose   // compared within a small tolerance
	wantErr string // when set, At fails with ErrPoseUnknown and this text
}{
	{
		name: "interpolation midpoint",
		samples: []poseSample{
			posAt(0, 149.0, -35.0, 600, 10, Velocity{NorthMps: 2, EastMps: 0, DownMps: -1}),
			posAt(1, 149.002, -35.001, 610, 20, Velocity{NorthMps: 4, EastMps: 2, DownMps: 1}),
			attAt(0, 0, 10, 20),
			attAt(1, 20, 30, 40),
		},
		t: poseTime(0.5),
		want: Pose{
			Time:     poseTime(0.5),
			Position: Position{Point: orb.Point{149.001, -35.0005}, AltMSLM: 605, AltRelM: 15},
			Attitude: Attitude{RollRad: poseDeg(10), PitchRad: poseDeg(20), YawRad: poseDeg(30)},
			Velocity: Velocity{NorthMps: 3, EastMps: 1, DownMps: 0},
		},
	},
	{
		name: "exactly on a sample",
		samples: []poseSample{
			posAt(0, 149.0, -35.0, 600, 10, Velocity{}),
			posAt(1, 149.002, -35.001, 610, 20, Velocity{}),
			attAt(0, 0, 10, 20),
			attAt(1, 20, 30, 40),
		},
		t: poseTime(0),
		want: Pose{
			Time:     poseTime(0),
			Position: Position{Point: orb.Point{149.0, -35.0}, AltMSLM: 600, AltRelM: 10},
			Attitude: Attitude{RollRad: 0, PitchRad: poseDeg(10), YawRad: poseDeg(20)},
		},
	},
	{
		name: "positions and attitudes at their own times",
		samples: []poseSample{
			posAt(0, 149.0, -35.0, 600, 10, Velocity{}),
			posAt(1, 149.0, -35.0, 700, 110, Velocity{}),
			attAt(0.2, 0, 0, 0),
			attAt(0.3, 0, 0, 10),
		},
		t: poseTime(0.25),
		want: Pose{
			Time:     poseTime(0.25),
			Position: Position{Point: orb.Point{149.0, -35.0}, AltMSLM: 625, AltRelM: 35},
			Attitude: Attitude{YawRad: poseDeg(5)},
		},
	},
	{
		name: "yaw wraps 179° → -179° through 180°",
		samples: []poseSample{
			posAt(0, 149, -35, 600, 10, Velocity{}),
			posAt(1, 149, -35, 600, 10, Velocity{}),
			attAt(0, 0, 0, 179),
			attAt(1, 0, 0, -179),
		},
		t: poseTime(0.25),
		want: Pose{
			Time:     poseTime(0.25),
			Position: Position{Point: orb.Point{149, -35}, AltMSLM: 600, AltRelM: 10},
			Attitude: Attitude{YawRad: poseDeg(179.5)},
		},
	},
	{
		name: "yaw wraps -179° → 179° through 180°",
		samples: []poseSample{
			posAt(0, 149, -35, 600, 10, Velocity{}),
			posAt(1, 149, -35, 600, 10, Velocity{}),
			attAt(0, 0, 0, -179),
			attAt(1, 0, 0, 179),
		},
		t: poseTime(0.75),
		want: Pose{
			Time:     poseTime(0.75),
			Position: Position{Point: orb.Point{149, -35}, AltMSLM: 600, AltRelM: 10},
			Attitude: Attitude{YawRad: poseDeg(179.5)},
		},
	},
	{
		name: "longitude across the antimeridian",
		samples: []poseSample{
			posAt(0, 179.9999, -17, 100, 10, Velocity{}),
			posAt(1, -179.9999, -17, 100, 10, Velocity{}),
			attAt(0, 0, 0, 90),
			attAt(1, 0, 0, 90),
		},
		t: poseTime(0.75),
		want: Pose{
			Time:     poseTime(0.75),
			Position: Position{Point: orb.Point{-179.99995, -17}, AltMSLM: 100, AltRelM: 10},
			Attitude: Attitude{YawRad: poseDeg(90)},
		},
	},
	{
		name: "out-of-order insert",
		samples: []poseSample{
			posAt(2, 149.002, -35, 620, 30, Velocity{}),
			posAt(0, 149.000, -35, 600, 10, Velocity{}),
			attAt(2, 0, 0, 20),
			attAt(0, 0, 0, 0),
			posAt(1, 149.001, -35, 700, 110, Velocity{}), // late: between the two
			attAt(1, 0, 0, 50),
		},
		t: poseTime(0.5),
		want: Pose{
			Time:     poseTime(0.5),
			Position: Position{Point: orb.Point{149.0005, -35}, AltMSLM: 650, AltRelM: 60},
			Attitude: Attitude{YawRad: poseDeg(25)},
		},
	},
	{
		name: "duplicate timestamp replaces",
		samples: []poseSample{
			posAt(0, 149, -35, 600, 10, Velocity{}),
			posAt(1, 149, -35, 999, 999, Velocity{}),
			posAt(1, 149, -35, 610, 20, Velocity{}),
			attAt(0, 0, 0, 0),
			attAt(1, 0, 0, 99),
			attAt(1, 0, 0, 10),
		},
		t: poseTime(0.5),
		want: Pose{
			Time:     poseTime(0.5),
			Position: Position{Point: orb.Point{149, -35}, AltMSLM: 605, AltRelM: 15},
			Attitude: Attitude{YawRad: poseDeg(5)},
		},
	},
	{
		name: "extrapolates 0.5 s with velocity, holds attitude",
		samples: []poseSample{
			posAt(0, 149, -35, 600, 10, Velocity{}),
			posAt(1, 149, -35, 600, 10, Velocity{NorthMps: 10, EastMps: -4, DownMps: -2}),
			attAt(0.9, 0, 0, 0),
			attAt(1, 5, -5, 30),
		},
		t: poseTime(1.5),
		want: Pose{
			Time: poseTime(1.5),
			Position: Position{
				Point:   OffsetNE(orb.Point{149, -35}, 5, -2),
				AltMSLM: 601, AltRelM: 11,
			},
			Attitude: Attitude{RollRad: poseDeg(5), PitchRad: poseDeg(-5), YawRad: poseDeg(30)},
			Velocity: Velocity{NorthMps: 10, EastMps: -4, DownMps: -2},
		},
	},
	{
		name:    "empty",
		t:       poseTime(0),
		wantErr: "pose unknown: no position sample yet",
	},
	{
		name:    "no attitude yet",
		samples: []poseSample{posAt(0, 149, -35, 600, 10, Velocity{})},
		t:       poseTime(0),
		wantErr: "pose unknown: no attitude sample yet",
	},
	{
		name: "before the oldest sample",
		samples: []poseSample{
			posAt(1, 149, -35, 600, 10, Velocity{}),
			attAt(0, 0, 0, 0),
			attAt(1, 0, 0, 0),
		},
		t:       poseTime(0.5),
		wantErr: "pose unknown: 2025-03-14T10:00:00.5Z is 500ms before the oldest position sample",
	},
	{
		name: "too far after the newest sample",
		samples: []poseSample{
			posAt(0, 149, -35, 600, 10, Velocity{}),
			posAt(1, 149, -35, 600, 10, Velocity{}),
			attAt(0, 0, 0, 0),
			attAt(1, 0, 0, 0),
		},
		t:       poseTime(1.501),
		wantErr: "pose unknown: 2025-03-14T10:00:01.501Z is 501ms after the newest position sample, more than the 500ms it may be extrapolated",
	},
	{
		name: "attitude too old although position is fresh",
		samples: []poseSample{
			posAt(0, 149, -35, 600, 10, Velocity{}),
			posAt(3, 149, -35, 600, 10, Velocity{}),
			attAt(0, 0, 0, 0),
			attAt(1, 0, 0, 0),
		},
		t:       poseTime(2),
		wantErr: "pose unknown: 2025-03-14T10:00:02Z is 1s after the newest attitude sample, more than the 500ms it may be extrapolated",
	},
}

func requirePoseNear(t *testing.T, want, got Pose) {
	t.Helper()
	require.True(t, want.Time.Equal(got.Time), "time: want %v, got %v", want.Time, got.Time)
	require.InDelta(t, want.Position.Point[0], got.Position.Point[0], 1e-9, "lon")
	require.InDelta(t, want.Position.Point[1], got.Position.Point[1], 1e-9, "lat")
	require.InDelta(t, want.Position.AltMSLM, got.Position.AltMSLM, 1e-9, "altMSL")
	require.InDelta(t, want.Position.AltRelM, got.Position.AltRelM, 1e-9, "altRel")
	require.InDelta(t, want.Attitude.RollRad, got.Attitude.RollRad, 1e-9, "roll")
	require.InDelta(t, want.Attitude.PitchRad, got.Attitude.PitchRad, 1e-9, "pitch")
	require.InDelta(t, want.Attitude.YawRad, got.Attitude.YawRad, 1e-9, "yaw")
	require.InDelta(t, want.Velocity.NorthMps, got.Velocity.NorthMps, 1e-9, "vn")
	require.InDelta(t, want.Velocity.EastMps, got.Velocity.EastMps, 1e-9, "ve")
	require.InDelta(t, want.Velocity.DownMps, got.Velocity.DownMps, 1e-9, "vd")
}

func TestPoseHistoryAt(t *testing.T) {
	for _, ca := range casesPoseHistoryAt {
		t.Run(ca.name, func(t *testing.T) {
			var h PoseHistory
			for _, s := range ca.samples {
				s.addTo(&h)
			}
			got, err := h.At(ca.t)
			if ca.wantErr != "" {
				require.ErrorIs(t, err, ErrPoseUnknown)
				require.EqualError(t, err, ca.wantErr)
				return
			}
			require.NoError(t, err)
			requirePoseNear(t, ca.want, got)
		})
	}
}

func TestPoseHistoryYawWrapStaysInRange(t *testing.T) {
	var h PoseHistory
	h.AddPosition(poseTime(0), Position{}, Velocity{})
	h.AddPosition(poseTime(1), Position{}, Velocity{})
	h.AddAttitude(poseTime(0), Attitude{YawRad: poseDeg(170)})
	h.AddAttitude(poseTime(1), Attitude{YawRad: poseDeg(-170)})
	for s := 0.0; s <= 1; s += 0.05 {
		p, err := h.At(poseTime(s))
		require.NoError(t, err)
		require.LessOrEqual(t, math.Abs(p.Attitude.YawRad), math.Pi)
		require.GreaterOrEqual(t, math.Abs(p.Attitude.YawRad), poseDeg(170)-1e-9, "at %v s: %v°", s, p.Attitude.YawRad*180/math.Pi)
	}
}

func TestPoseHistoryTrimKeepsSpan(t *testing.T) {
	for _, ca := range []struct {
		name string
		span time.Duration
		want time.Duration // the span kept
	}{
		{"default 120 s", 0, 120 * time.Second},
		{"10 s", 10 * time.Second, 10 * time.Second},
		{"span not a multiple of the sample period", 1234 * time.Millisecond, 1234 * time.Millisecond},
	} {
		t.Run(ca.name, func(t *testing.T) {
			h := PoseHistory{Span: ca.span}
			const period = 20 * time.Millisecond // 50 Hz
			newest := poseT0.Add(200 * time.Second)
			for ts := poseT0; !ts.After(newest); ts = ts.Add(period) {
				h.AddPosition(ts, Position{AltMSLM: ts.Sub(poseT0).Seconds()}, Velocity{})
				h.AddAttitude(ts.Add(5*time.Millisecond), Attitude{})
			}
			// every time back to the span before the newest attitude is still known
			oldest := newest.Add(5 * time.Millisecond).Add(-ca.want)
			p, err := h.At(oldest)
			require.NoError(t, err)
			require.InDelta(t, oldest.Sub(poseT0).Seconds(), p.Position.AltMSLM, 1e-9)
			// and not much more is kept
			samplesPerSeries := int(ca.want/period) + 2
			require.LessOrEqual(t, h.Len(), 2*samplesPerSeries)
			_, err = h.At(oldest.Add(-2 * period))
			require.ErrorIs(t, err, ErrPoseUnknown)
		})
	}
}

func TestPoseHistoryLateSampleOlderThanSpanIsDropped(t *testing.T) {
	h := PoseHistory{Span: time.Second}
	for s := 0.0; s <= 10; s += 0.5 {
		h.AddPosition(poseTime(s), Position{}, Velocity{})
	}
	n := h.Len()
	h.AddPosition(poseTime(2), Position{}, Velocity{})
	require.Equal(t, n, h.Len())
}

func TestPoseHistoryLatest(t *testing.T) {
	var h PoseHistory
	_, ok := h.Latest()
	require.False(t, ok)

	h.AddPosition(poseTime(1), Position{AltMSLM: 1}, Velocity{NorthMps: 1})
	_, ok = h.Latest()
	require.False(t, ok, "no attitude yet")

	h.AddAttitude(poseTime(2), Attitude{YawRad: 2})
	h.AddPosition(poseTime(0), Position{AltMSLM: 0}, Velocity{}) // late, older
	p, ok := h.Latest()
	require.True(t, ok)
	require.Equal(t, Pose{
		Time:     poseTime(2),
		Position: Position{AltMSLM: 1},
		Attitude: Attitude{YawRad: 2},
		Velocity: Velocity{NorthMps: 1},
	}, p)
	require.Equal(t, 3, h.Len())
}

func TestPoseHistoryConcurrent(t *testing.T) {
	var h PoseHistory
	h.AddPosition(poseT0, Position{}, Velocity{})
	h.AddAttitude(poseT0, Attitude{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 2000 {
			ts := poseT0.Add(time.Duration(i) * 20 * time.Millisecond)
			h.AddPosition(ts, Position{AltMSLM: float64(i)}, Velocity{})
			h.AddAttitude(ts, Attitude{})
		}
	})
	for range 4 {
		wg.Go(func() {
			for range 2000 {
				if p, ok := h.Latest(); ok {
					_, _ = h.At(p.Time.Add(-time.Second))
				}
				_ = h.Len()
			}
		})
	}
	wg.Wait()
	p, ok := h.Latest()
	require.True(t, ok)
	require.Equal(t, 1999.0, p.Position.AltMSLM)
}

// fillPoseHistory adds 120 s of 50 Hz positions and attitudes, as a vehicle sends them.
func fillPoseHistory(h *PoseHistory) (oldest, newest time.Time) {
	const n = 120 * 50
	for i := range n {
		ts := poseT0.Add(time.Duration(i) * 20 * time.Millisecond)
		h.AddPosition(ts, Position{Point: OffsetNE(geoTestHome, float64(i), 0), AltMSLM: 600}, Velocity{NorthMps: 50})
		h.AddAttitude(ts.Add(3*time.Millisecond), Attitude{YawRad: math.Remainder(float64(i)*0.01, 2*math.Pi)})
	}
	return poseT0.Add(3 * time.Millisecond), poseT0.Add((n - 1) * 20 * time.Millisecond)
}

func BenchmarkPoseHistoryAt(b *testing.B) {
	var h PoseHistory
	oldest, newest := fillPoseHistory(&h)
	span := newest.Sub(oldest)
	r := rand.New(rand.NewPCG(1, 2))
	times := make([]time.Time, 1024)
	for i := range times {
		times[i] = oldest.Add(time.Duration(r.Int64N(int64(span))))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := h.At(times[i%len(times)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPoseHistoryAdd(b *testing.B) {
	var h PoseHistory
	_, newest := fillPoseHistory(&h) // steady state: every add also trims
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ts := newest.Add(time.Duration(i+1) * 20 * time.Millisecond)
		h.AddPosition(ts, Position{AltMSLM: 600}, Velocity{})
		h.AddAttitude(ts, Attitude{})
	}
}
