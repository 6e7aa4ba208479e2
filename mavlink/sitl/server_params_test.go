package sitl

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

func isParamValue(fr *gomavlib.EventFrame) bool {
	_, ok := fr.Message().(*common.MessageParamValue)
	return ok && fr.SystemID() == 1
}

// pullParams requests the whole list and gathers PARAM_VALUEs until quiet for 200 ms.
func pullParams(t *testing.T, p *testPeer) []*common.MessageParamValue {
	t.Helper()
	p.send(&common.MessageParamRequestList{TargetSystem: 1, TargetComponent: 1})
	var out []*common.MessageParamValue
	for {
		got := p.collect(200*time.Millisecond, isParamValue)
		if len(got) == 0 {
			return out
		}
		for _, fr := range got {
			out = append(out, fr.Message().(*common.MessageParamValue))
		}
	}
}

func TestParamListComplete(t *testing.T) {
	t.Parallel()
	const n = 1000
	fv := newFakeVehicle(n)
	s, addr := startSim(t, nil, SimVehicle{SysID: 1, Model: fv})
	p := newTestPeer(t, gomavlib.EndpointTCPClient{Address: addr}, nil)
	waitMsg[*common.MessageHeartbeat](p, 1, 2*time.Second, nil)
	fv.with(func(f *fakeVehicle) {
		f.params[7].Name = "SIXTEEN_CHARS_XY" // exactly 16: no NUL on the wire
		f.params[8].Value = -123456
	})
	// Telemetry flows meanwhile: the list must share the link, not lose to it.
	p.send(&common.MessageRequestDataStream{TargetSystem: 1, ReqStreamId: 0, ReqMessageRate: 50, StartStop: 1})

	start := time.Now()
	p.send(&common.MessageParamRequestList{TargetSystem: 1, TargetComponent: 1})
	var got []*common.MessageParamValue
	p.waitFor(3*time.Second, "the whole parameter list", func(fr *gomavlib.EventFrame) bool {
		if isParamValue(fr) {
			got = append(got, fr.Message().(*common.MessageParamValue))
		}
		return len(got) == n
	})
	elapsed := time.Since(start)
	t.Logf("%d parameters in %v (%.0f/s)", n, elapsed, float64(n)/elapsed.Seconds())
	require.Less(t, elapsed, time.Second)

	want := fv.Params()
	for i, m := range got {
		require.Equal(t, uint16(i), m.ParamIndex, "in index order")
		require.Equal(t, uint16(n), m.ParamCount)
		require.Equal(t, want[i].Name, m.ParamId)
		require.Equal(t, float32(want[i].Value), m.ParamValue, "PARAM_FLOAT: the value itself, not its bytes")
		require.Equal(t, common.MAV_PARAM_TYPE(want[i].Type), m.ParamType)
	}
	require.Zero(t, atomic.LoadUint64(&s.out.dropped), "the pacer dropped nothing")
	require.Equal(t, "SIXTEEN_CHARS_XY", got[7].ParamId)
	require.Equal(t, float32(-123456), got[8].ParamValue)
}

func TestParamReadAndSet(t *testing.T) {
	t.Parallel()
	fv, p := startFakeSim(t, 20, nil)

	p.send(&common.MessageParamRequestRead{TargetSystem: 1, TargetComponent: 1, ParamId: "FAKE_PARAM_0003", ParamIndex: -1})
	m := waitMsg[*common.MessageParamValue](p, 1, time.Second, nil)
	require.Equal(t, "FAKE_PARAM_0003", m.ParamId)
	require.Equal(t, uint16(3), m.ParamIndex)
	require.Equal(t, float32(1.5), m.ParamValue)

	p.send(&common.MessageParamRequestRead{TargetSystem: 1, TargetComponent: 1, ParamIndex: 5})
	m = waitMsg[*common.MessageParamValue](p, 1, time.Second, nil)
	require.Equal(t, "FAKE_PARAM_0005", m.ParamId)

	p.send(&common.MessageParamSet{TargetSystem: 1, TargetComponent: 1, ParamId: "FAKE_PARAM_0004",
		ParamValue: 42, ParamType: common.MAV_PARAM_TYPE(gcs.ParamInt8)})
	m = waitMsg[*common.MessageParamValue](p, 1, time.Second, nil)
	require.Equal(t, "FAKE_PARAM_0004", m.ParamId)
	require.Equal(t, float32(42), m.ParamValue)
	require.Equal(t, uint16(20), m.ParamCount)
	require.Equal(t, uint16(paramIndexUnknown), m.ParamIndex, "ArduPilot echoes a set with index -1")
	require.Equal(t, 42.0, fv.Params()[4].Value)

	// Unknown names get no answer.
	p.send(&common.MessageParamSet{TargetSystem: 1, TargetComponent: 1, ParamId: "NO_SUCH_PARAM", ParamValue: 1})
	p.send(&common.MessageParamRequestRead{TargetSystem: 1, TargetComponent: 1, ParamId: "NO_SUCH_PARAM", ParamIndex: -1})
	require.Empty(t, p.collect(300*time.Millisecond, isParamValue))
}

func TestParamListUnderLoss(t *testing.T) {
	t.Parallel()
	const n = 2000
	_, p := startFakeSim(t, n, func(s *Sim) { s.Impairment = Impairment{Loss: 0.2, Seed: 7} })

	// The request itself may be lost: ask again until the list starts.
	seen := map[uint16]bool{}
	var total int
	for try := 0; len(seen) == 0; try++ {
		require.Less(t, try, 10, "the list never started")
		for _, m := range pullParams(t, p) {
			seen[m.ParamIndex] = true
			total++
		}
	}
	frac := float64(len(seen)) / n
	t.Logf("Loss 0.2: received %d of %d parameters (%.3f), %d frames", len(seen), n, frac, total)
	require.InDelta(t, 0.8, frac, 0.1)
}

func TestImpairedLinkEndToEnd(t *testing.T) {
	t.Parallel()
	for _, ca := range []struct {
		name string
		im   Impairment
	}{
		{"duplicate", Impairment{Duplicate: 0.3, Seed: 1}},
		{"reorder", Impairment{Reorder: 0.3, Seed: 2}},
		{"latency", Impairment{Latency: 100 * time.Millisecond, Seed: 3}},
	} {
		t.Run(ca.name, func(t *testing.T) {
			t.Parallel()
			_, p := startFakeSim(t, 200, func(s *Sim) { s.Impairment = ca.im })
			var got []*common.MessageParamValue
			for try := 0; len(got) == 0; try++ {
				require.Less(t, try, 10)
				got = pullParams(t, p)
			}
			var dups, backwards int
			seen := map[uint16]bool{}
			for i, m := range got {
				if seen[m.ParamIndex] {
					dups++
				}
				seen[m.ParamIndex] = true
				if i > 0 && m.ParamIndex < got[i-1].ParamIndex {
					backwards++
				}
			}
			t.Logf("%s: %d frames, %d distinct, %d duplicates, %d out of order", ca.name, len(got), len(seen), dups, backwards)
			require.Len(t, seen, 200, fmt.Sprintf("%s loses nothing", ca.name))
			switch ca.name {
			case "duplicate":
				require.Positive(t, dups)
			case "reorder":
				require.Positive(t, backwards)
			}
		})
	}
}
