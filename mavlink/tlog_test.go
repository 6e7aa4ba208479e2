package mavlink

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/stretchr/testify/require"
)

// tlogOf writes messages as a vehicle (system 1) would have sent them, 100 ms apart.
func tlogOf(t testing.TB, msgs ...message.Message) []byte {
	name := filepath.Join(t.TempDir(), "x.tlog")
	w, err := CreateTlog(name)
	require.NoError(t, err)
	rw, err := dialectRW()
	require.NoError(t, err)
	for i, m := range msgs {
		mp := rw.GetMessage(m.GetID())
		fr := &frame.V2Frame{SequenceNumber: uint8(i), SystemID: 1, ComponentID: 1, Message: mp.Write(m, true)}
		fr.Checksum = fr.GenerateChecksum(mp.CRCExtra())
		w.Write(t0.Add(time.Duration(i)*100*time.Millisecond), fr)
	}
	require.NoError(t, w.Close())
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return data
}

var tlogMessages = []message.Message{
	&common.MessageHeartbeat{Type: 2, Autopilot: 3, CustomMode: 4, SystemStatus: 4, MavlinkVersion: 3},
	&common.MessageGlobalPositionInt{TimeBootMs: 1000, Lat: -353632610, Lon: 1491652300, Alt: 604000, RelativeAlt: 20000},
	&common.MessageAttitude{TimeBootMs: 1010, Roll: 0.1, Pitch: -0.05, Yaw: 1.5},
	&common.MessageStatustext{Severity: common.MAV_SEVERITY_WARNING, Text: "PreArm: Need 3D Fix"},
}

func TestTlogRoundTrip(t *testing.T) {
	data := tlogOf(t, tlogMessages...)
	var got []message.Message
	var times []time.Time
	n, err := ReadTlog(bytes.NewReader(data), func(at time.Time, f frame.Frame) error {
		got, times = append(got, f.GetMessage()), append(times, at)
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, len(tlogMessages), n)
	require.Equal(t, tlogMessages, got)
	require.Equal(t, t0.Add(300*time.Millisecond), times[3])

	// A log cut off mid-frame (a crash while recording) keeps every whole frame.
	n, err = ReadTlog(bytes.NewReader(data[:len(data)-5]), func(time.Time, frame.Frame) error { return nil })
	require.NoError(t, err)
	require.Equal(t, len(tlogMessages)-1, n)
}

func FuzzReadTlog(f *testing.F) {
	f.Add(tlogOf(f, tlogMessages...))
	f.Add(tlogOf(f, tlogMessages[1]))
	f.Add([]byte{})
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x01\xfd\x09"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadTlog(bytes.NewReader(data), func(time.Time, frame.Frame) error { return nil }) //nolint:errcheck // only: no panic, no hang
	})
}

// Recording must not disturb a frame the telemetry decoder still reads.
func TestTlogWriteLeavesFrameIntact(t *testing.T) {
	w, err := CreateTlog(filepath.Join(t.TempDir(), "x.tlog"))
	require.NoError(t, err)
	defer w.Close()
	fr := &frame.V2Frame{SystemID: 1, ComponentID: 1, Message: tlogMessages[0]}
	w.Write(t0, fr)
	require.Equal(t, tlogMessages[0], fr.Message)
}
