package sitl

import (
	"slices"
	"time"
)

// MAVLink message ids the simulator can send, periodically or on request.
const (
	msgHeartbeat            uint32 = 0
	msgSysStatus            uint32 = 1
	msgFenceStatus          uint32 = 162
	msgSystemTime           uint32 = 2
	msgGPSRawInt            uint32 = 24
	msgAttitude             uint32 = 30
	msgLocalPositionNED     uint32 = 32
	msgGlobalPositionInt    uint32 = 33
	msgMissionCurrent       uint32 = 42
	msgVFRHUD               uint32 = 74
	msgBatteryStatus        uint32 = 147
	msgAutopilotVersion     uint32 = 148
	msgEKFStatusReport      uint32 = 193
	msgVibration            uint32 = 241
	msgHomePosition         uint32 = 242
	msgCameraInformation    uint32 = 259
	msgVideoStreamInfo      uint32 = 269
	msgGimbalDeviceInfo     uint32 = 283
	msgGimbalDeviceAttitude uint32 = 285
	msgWind                 uint32 = 168
	msgGeneratorStatus      uint32 = 373
	msgWinchStatus          uint32 = 9005
)

// Data streams (MAV_DATA_STREAM) as REQUEST_DATA_STREAM names them.
const (
	streamAll            uint8 = 0
	streamRawSensors     uint8 = 1
	streamExtendedStatus uint8 = 2
	streamRCChannels     uint8 = 3
	streamPosition       uint8 = 6
	streamExtra1         uint8 = 10
	streamExtra2         uint8 = 11
	streamExtra3         uint8 = 12
)

// streamMessages maps each stream to the messages ArduPilot sends in it (those the simulator
// can fill; RAW_SENSORS and RC_CHANNELS carry nothing a simulated GCS link needs).
var streamMessages = map[uint8][]uint32{
	streamRawSensors:     nil,
	streamExtendedStatus: {msgSysStatus, msgMissionCurrent, msgGPSRawInt, msgFenceStatus},
	streamRCChannels:     nil,
	streamPosition:       {msgGlobalPositionInt, msgLocalPositionNED},
	streamExtra1:         {msgAttitude, msgGimbalDeviceAttitude},
	streamExtra2:         {msgVFRHUD},
	streamExtra3: {msgBatteryStatus, msgEKFStatusReport, msgSystemTime, msgVibration, msgWind,
		msgGeneratorStatus, msgWinchStatus},
}

// streamable lists the messages SET_MESSAGE_INTERVAL may schedule, in sending order.
var streamable = []uint32{
	msgHeartbeat, msgSysStatus, msgSystemTime, msgGPSRawInt, msgAttitude, msgLocalPositionNED,
	msgGlobalPositionInt, msgMissionCurrent, msgVFRHUD, msgBatteryStatus, msgEKFStatusReport,
	msgVibration, msgHomePosition, msgGimbalDeviceAttitude, msgWind, msgGeneratorStatus, msgWinchStatus,
	msgFenceStatus,
}

// streamSchedule decides when each telemetry message is next due. Like ArduPilot, nothing
// streams until a GCS asks (REQUEST_DATA_STREAM or SET_MESSAGE_INTERVAL). Intervals are real
// time: a speeded-up simulation still streams at the rate the GCS asked for.
type streamSchedule struct {
	group    map[uint32]time.Duration // interval from REQUEST_DATA_STREAM, 0 = off
	override map[uint32]time.Duration // from SET_MESSAGE_INTERVAL; negative = disabled
	next     map[uint32]time.Time
}

func newStreamSchedule() streamSchedule {
	return streamSchedule{
		group:    make(map[uint32]time.Duration),
		override: make(map[uint32]time.Duration),
		next:     make(map[uint32]time.Time),
	}
}

// requestDataStream applies REQUEST_DATA_STREAM: a rate in Hz for a stream (0 = all of them).
func (s *streamSchedule) requestDataStream(now time.Time, stream uint8, rateHz uint16, start bool) {
	var interval time.Duration
	if start && rateHz > 0 {
		interval = time.Second / time.Duration(rateHz)
	}
	for id, msgs := range streamMessages {
		if stream != streamAll && stream != id {
			continue
		}
		for _, m := range msgs {
			s.group[m] = interval
			s.restart(now, m)
		}
	}
}

// setInterval applies MAV_CMD_SET_MESSAGE_INTERVAL: interval in µs, -1 disables, 0 returns to
// the stream's rate. It reports false for a message the simulator cannot send.
func (s *streamSchedule) setInterval(now time.Time, id uint32, intervalUs float64) bool {
	if !slices.Contains(streamable, id) {
		return false
	}
	switch {
	case intervalUs < 0:
		s.override[id] = -1
	case intervalUs == 0:
		delete(s.override, id)
	default:
		s.override[id] = time.Duration(intervalUs) * time.Microsecond
	}
	s.restart(now, id)
	return true
}

// interval is a message's current period; 0 when it is not streamed.
func (s *streamSchedule) interval(id uint32) time.Duration {
	if o, ok := s.override[id]; ok {
		return max(o, 0)
	}
	return s.group[id]
}

// restart sends a message at once after its rate changed, as ArduPilot does.
func (s *streamSchedule) restart(now time.Time, id uint32) {
	s.next[id] = now
}

// due calls send for every message whose time has come, in a fixed order.
func (s *streamSchedule) due(now time.Time, send func(id uint32)) {
	for _, id := range streamable {
		iv := s.interval(id)
		if iv <= 0 || now.Before(s.next[id]) {
			continue
		}
		send(id)
		next := s.next[id].Add(iv)
		if next.Before(now) { // fell behind: do not burst to catch up
			next = now.Add(iv)
		}
		s.next[id] = next
	}
}
