package mavlink

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

// testParams is a parameter table like ArduPilot's, with names up to the full 16 bytes.
func testParams(n int) []gcs.Param {
	types := []gcs.ParamType{gcs.ParamReal32, gcs.ParamInt8, gcs.ParamInt16, gcs.ParamInt32, gcs.ParamReal32}
	ps := make([]gcs.Param, n)
	for i := range ps {
		t := types[i%len(types)]
		v := float64(i%200 - 50)
		if t == gcs.ParamReal32 {
			v = float64(float32(float64(i) * 0.37))
		}
		name := fmt.Sprintf("P%d_X", i)
		if i%10 == 9 {
			name = fmt.Sprintf("LONG_NAME_%06d", i) // exactly 16 characters: no NUL on the wire
		}
		ps[i] = gcs.Param{Name: name, Value: v, Type: t}
	}
	return ps
}

func TestParamList(t *testing.T) {
	cases := []struct {
		name   string
		params int
		setup  func(v *apVehicle)
		err    string
	}{
		{"one", 1, nil, ""},
		{"1000", 1000, nil, ""},
		{"with other components talking", 300, func(v *apVehicle) { v.chatter = true }, ""},
		{"gaps the reads fill", 200, func(v *apVehicle) { v.streamSkips = map[int]bool{0: true, 57: true, 58: true, 199: true} }, ""},
		{"an index the vehicle never sends", 50, func(v *apVehicle) { v.unreadable = map[int]bool{7: true} },
			"the parameter list of vehicle 1 is incomplete: 49 of 50 received, 1 still missing after all retries; nothing was kept"},
		{"silent vehicle", 0, nil, "no answer from vehicle 1 to PARAM_REQUEST_LIST after 5 tries (25s); is the link up?"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := newAPVehicle()
			v.params = testParams(c.params)
			if c.setup != nil {
				c.setup(v)
			}
			var last [2]int
			l := newParamList(testVehicle, testGCS, func(n, total int) { last = [2]int{n, total} })
			err := newSimNet(t, cleanNet, 1, v).run(l, time.Hour)
			if c.err != "" {
				require.EqualError(t, err, c.err)
				require.Equal(t, c.params > 0, errors.Is(err, ErrPartialTransfer))
				require.Nil(t, l.result())
				return
			}
			require.NoError(t, err)
			require.Equal(t, v.params, l.result())
			require.Equal(t, [2]int{c.params, c.params}, last)
		})
	}
}

func TestParamListLossy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		runs   int
		params int
	}{
		{"1000 parameters", 20, 1000},
		{"150 parameters", 200, 150},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := testParams(c.params)
			ok := 0
			var took time.Duration
			for run := range c.runs {
				v := newAPVehicle()
				v.params = testParams(c.params)
				v.chatter = run%2 == 0
				l := newParamList(testVehicle, testGCS, nil)
				net := newSimNet(t, lossyNet, uint64(run), v)
				start := net.now
				err := net.run(l, time.Hour)
				took += net.now.Sub(start)
				if err != nil {
					requireClearError(t, err)
					t.Logf("run %d: %v", run, err)
					continue
				}
				ok++
				require.Equal(t, want, l.result(), "run %d: success with a wrong list", run)
			}
			t.Logf("%d of %d pulls succeeded at 20%% loss, %s each on average", ok, c.runs, took/time.Duration(c.runs))
			require.Equal(t, c.runs, ok)
		})
	}
}

func TestParamListMessages(t *testing.T) {
	now := time.Now()
	l := newParamList(testVehicle, testGCS, nil)
	require.Equal(t, &common.MessageParamRequestList{TargetSystem: 1, TargetComponent: 1}, l.start(now)[0])
	value := func(name string, v float32, index, count uint16) *common.MessageParamValue {
		return &common.MessageParamValue{ParamId: name, ParamValue: v, ParamType: common.MAV_PARAM_TYPE_REAL32, ParamCount: count, ParamIndex: index}
	}
	l.handle(now, value("SET_ECHO", 5, 65535, 3)) // a set's echo says nothing of the list
	require.Equal(t, -1, l.count)
	l.handle(now, value("A", 1, 0, 3))
	l.handle(now, value("A", 1, 0, 3)) // duplicate
	l.handle(now, value("Q", 9, 1, 4)) // another count: not this list
	l.handle(now, value("Z", 9, 3, 3)) // beyond the count
	require.Equal(t, 1, l.got)
	l.handle(now, value("A", 2, 65535, 3)) // a set's echo updates a known name
	l.handle(now, value("C", 3, 2, 3))

	// The stream pauses with index 1 missing: it is read by index.
	now = now.Add(l.streamGap)
	require.Equal(t, now, l.deadline())
	out := l.tick(now)
	require.Equal(t, []any{&common.MessageParamRequestRead{TargetSystem: 1, TargetComponent: 1, ParamIndex: 1}}, toAny(out))
	now = now.Add(10 * time.Millisecond)
	l.handle(now, value("B", 2.5, 1, 3))
	done, err := l.finished()
	require.True(t, done)
	require.NoError(t, err)
	require.Equal(t, []gcs.Param{{Name: "A", Value: 2, Type: gcs.ParamReal32}, {Name: "B", Value: 2.5, Type: gcs.ParamReal32}, {Name: "C", Value: 3, Type: gcs.ParamReal32}}, l.result())
}

func TestParamListReadWindow(t *testing.T) {
	// However many indices are missing, at most a window's worth of reads is outstanding
	// and no call returns more (simNet checks each call too).
	now := time.Now()
	l := newParamList(testVehicle, testGCS, nil)
	l.start(now)
	l.handle(now, &common.MessageParamValue{ParamId: "LAST", ParamCount: 500, ParamIndex: 499})
	now = now.Add(time.Second)
	out := l.tick(now)
	require.Len(t, out, 10)
	for i, m := range out {
		require.Equal(t, int16(i), m.(*common.MessageParamRequestRead).ParamIndex)
	}
	now = now.Add(5 * time.Millisecond)
	out = l.handle(now, &common.MessageParamValue{ParamId: "P3", ParamCount: 500, ParamIndex: 3})
	require.Equal(t, []any{&common.MessageParamRequestRead{TargetSystem: 1, TargetComponent: 1, ParamIndex: 10}}, toAny(out))
	require.Less(t, l.readTimeout(), 500*time.Millisecond, "the read timeout follows the round trip")
	require.GreaterOrEqual(t, l.readTimeout(), paramReadTimeoutMin)
}

func toAny[T any](s []T) []any {
	r := make([]any, len(s))
	for i, v := range s {
		r[i] = v
	}
	return r
}
