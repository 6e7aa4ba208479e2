package mavlink

import (
	"bufio"
	"bytes"
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// offlineClient is a Client fed frames by hand: no sockets, no goroutines asking for streams.
func offlineClient() (*Client, *link) {
	c := &Client{SystemID: 255, ComponentID: 190, Fleet: &gcs.Fleet{}, LostTimeout: 3500 * time.Millisecond, TelemetryHz: -1, timeNow: time.Now}
	c.routes = make(map[uint8]route)
	c.subs = make(map[uint8]map[*subscription]struct{})
	c.clocks = make(map[uint8]*bootClock)
	c.watchdogs = make(map[uint8]*vehicleWatch)
	return c, &link{client: c, conn: Connection{Scheme: SchemeUDP, Address: ":14550"}, seqs: make(map[[2]uint8]uint8)}
}

// encodeFrames writes messages as MAVLink 2 frames from system 1, component 1.
func encodeFrames(t testing.TB, msgs ...message.Message) []byte {
	return encodeFramesFrom(t, 1, msgs...)
}

// encodeFramesFrom writes messages as MAVLink 2 frames from system 1, component comp.
func encodeFramesFrom(t testing.TB, comp uint8, msgs ...message.Message) []byte {
	var buf bytes.Buffer
	rw, err := dialectRW()
	require.NoError(t, err)
	w := &frame.Writer{ByteWriter: &buf, DialectRW: rw}
	require.NoError(t, w.Initialize())
	for i, m := range msgs {
		mp := rw.GetMessage(m.GetID())
		fr := &frame.V2Frame{SequenceNumber: uint8(i), SystemID: 1, ComponentID: comp, Message: mp.Write(m, true)}
		fr.Checksum = fr.GenerateChecksum(mp.CRCExtra())
		require.NoError(t, w.Write(fr))
	}
	return buf.Bytes()
}

// feed parses bytes as a link would and hands every frame to the client.
func feed(c *Client, l *link, data []byte) {
	rw, _ := dialectRW()
	r := &frame.Reader{BufByteReader: bufioReader(data), DialectRW: rw}
	if r.Initialize() != nil {
		return
	}
	for {
		fr, err := r.Read()
		if err != nil {
			if _, ok := err.(frame.ReadError); ok {
				continue
			}
			return
		}
		l.count(fr.GetSystemID(), fr.GetComponentID(), fr.GetSequenceNumber())
		c.onFrame(l, &gomavlib.EventFrame{Frame: fr})
	}
}

var telemetrySeed = []message.Message{
	&common.MessageHeartbeat{Type: 2, Autopilot: 3, BaseMode: 128 | 1, CustomMode: 4, SystemStatus: 4},
	&common.MessageGlobalPositionInt{TimeBootMs: 5000, Lat: -353632610, Lon: 1491652300, Alt: 604000, RelativeAlt: 20000, Vx: 100, Hdg: 9000},
	&common.MessageAttitude{TimeBootMs: 5010, Roll: 0.1, Pitch: -0.05, Yaw: 1.5},
	&common.MessageSysStatus{VoltageBattery: 15800, CurrentBattery: 1800, BatteryRemaining: 87},
	&common.MessageGpsRawInt{FixType: 3, SatellitesVisible: 12, Eph: 80},
	&common.MessageStatustext{Severity: common.MAV_SEVERITY_WARNING, Text: "PreArm: Need 3D Fix"},
	&common.MessageGimbalDeviceAttitudeStatus{Q: [4]float32{0.92, 0, -0.38, 0}, Flags: 64},
}

func TestTelemetryIntoVehicleState(t *testing.T) {
	c, l := offlineClient()
	feed(c, l, encodeFrames(t, telemetrySeed...))
	v, ok := c.Fleet.Vehicle(1)
	require.True(t, ok)
	require.Equal(t, "GUIDED", v.Mode)
	require.True(t, v.Armed)
	require.InDelta(t, -35.363261, v.Position.Point.Lat(), 1e-7)
	require.InDelta(t, 20, v.Position.AltRelM, 1e-9)
	require.InDelta(t, 15.8, v.Battery.VoltageV, 1e-9)
	require.Equal(t, 87, v.Battery.RemainingPct)
	require.Equal(t, 12, v.GPS.Satellites)
	require.Equal(t, "PreArm: Need 3D Fix", v.StatusTexts[0].Text)
	require.True(t, v.Gimbal.EarthFrame)
	require.InDelta(t, -45, v.Gimbal.PitchRad*180/3.141592653589793, 1)
	require.Equal(t, 2, c.Fleet.Poses(1).Len(), "one position and one attitude sample")
}

// Before a GPS fix ArduPilot reports position 0, 0: the station keeps it unplaced.
func TestNoPositionBeforeFix(t *testing.T) {
	c, l := offlineClient()
	feed(c, l, encodeFrames(t, telemetrySeed[0], &common.MessageGlobalPositionInt{TimeBootMs: 100, Alt: 1000}))
	v, _ := c.Fleet.Vehicle(1)
	require.False(t, v.PositionValid)
	require.Zero(t, c.Fleet.Poses(1).Len())
}

// FuzzTelemetry: no byte sequence on a link crashes the station or corrupts its bookkeeping.
func FuzzTelemetry(f *testing.F) {
	f.Add(encodeFrames(f, telemetrySeed...))
	f.Add(encodeFrames(f, telemetrySeed[0], &common.MessageStatustext{Id: 7, ChunkSeq: 1, Text: "x"}))
	f.Add([]byte{0xfd, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00})
	f.Add(append(encodeFrames(f, telemetrySeed[0]), encodeFramesFrom(f, WinchComponentID, tetherSeed...)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, l := offlineClient()
		feed(c, l, data)
		for _, v := range c.Fleet.Vehicles() {
			require.NotEqual(t, c.SystemID, v.SysID, "our own id is never a vehicle")
		}
	})
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }
