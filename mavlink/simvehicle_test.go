package mavlink

import (
	"math"
	"slices"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/vigil-gcs/vigil/gcs"
)

// sourced is a message with the component that sent it.
type sourced struct {
	from target
	msg  message.Message
}

// apVehicle answers the mission and parameter protocols the way ArduPilot's
// MissionItemProtocol and GCS_Param do, including their quirks: items are written as they
// arrive (a broken upload leaves a truncated mix), a missing item is re-requested every
// second and an upload abandoned after 8 s, a duplicate item earns INVALID_SEQUENCE and an
// item after the end ERROR, the final ACK is never repeated, a PARAM_SET is echoed with
// index 65535 and an unknown parameter name gets no answer.
type apVehicle struct {
	missions   [3][]common.MessageMissionItemInt
	maxItems   int // 0: unlimited
	rejectAt   int // -1: none; else the item refused with rejectWith
	rejectWith common.MAV_MISSION_RESULT
	legacy     bool // request items with MISSION_REQUEST, as old firmware does
	current    uint16
	// abandonAt: on first receiving this item the vehicle silently drops the upload and
	// ignores items until a new COUNT, as a vehicle that timed the transfer out does (-1: never).
	abandonAt int
	deaf      bool
	// loseFinalAcks: the acceptance of this many completed uploads never reaches the GCS;
	// loseCounts: this many MISSION_COUNTs never reach the vehicle.
	loseFinalAcks, loseCounts int

	up struct {
		active            bool
		mtype             common.MAV_MISSION_TYPE
		count, next       int
		lastReq, lastRecv time.Time
	}

	params      []gcs.Param
	limits      map[string][2]float64 // a PARAM_SET outside is clamped
	unreadable  map[int]bool          // indices never streamed nor answered
	streamSkips map[int]bool          // indices left out of the stream, answered when read
	stream      struct {
		active bool
		next   int
		at     time.Time
	}
	chatter   bool // other components and other GCSs' traffic mixed in
	chatterAt time.Time
	chatterN  int
}

func newAPVehicle() *apVehicle {
	return &apVehicle{rejectAt: -1, abandonAt: -1}
}

func (v *apVehicle) reply() (uint8, uint8) { return testGCS.sys, testGCS.comp }

func (v *apVehicle) out(msgs ...message.Message) []sourced {
	r := make([]sourced, len(msgs))
	for i, m := range msgs {
		r[i] = sourced{from: testVehicle, msg: m}
	}
	return r
}

func (v *apVehicle) ack(t common.MAV_MISSION_TYPE, res common.MAV_MISSION_RESULT) *common.MessageMissionAck {
	ts, tc := v.reply()
	return &common.MessageMissionAck{TargetSystem: ts, TargetComponent: tc, Type: res, MissionType: t}
}

func (v *apVehicle) request(now time.Time) message.Message {
	v.up.lastReq = now
	ts, tc := v.reply()
	if v.legacy {
		return &common.MessageMissionRequest{TargetSystem: ts, TargetComponent: tc, Seq: uint16(v.up.next), MissionType: v.up.mtype}
	}
	return &common.MessageMissionRequestInt{TargetSystem: ts, TargetComponent: tc, Seq: uint16(v.up.next), MissionType: v.up.mtype}
}

func (v *apVehicle) paramValue(i int, index uint16) *common.MessageParamValue {
	p := v.params[i]
	return &common.MessageParamValue{ParamId: p.Name, ParamValue: float32(p.Value),
		ParamType: common.MAV_PARAM_TYPE(p.Type), ParamCount: uint16(len(v.params)), ParamIndex: index}
}

func (v *apVehicle) deadline() time.Time {
	var d time.Time
	earliest := func(t time.Time) {
		if !t.IsZero() && (d.IsZero() || t.Before(d)) {
			d = t
		}
	}
	if v.up.active {
		earliest(v.up.lastReq.Add(time.Second))
		earliest(v.up.lastRecv.Add(8 * time.Second))
	}
	if v.stream.active {
		earliest(v.stream.at)
	}
	if v.chatter {
		earliest(v.chatterAt)
	}
	return d
}

func (v *apVehicle) tick(now time.Time) []sourced {
	var out []sourced
	if v.up.active && now.Sub(v.up.lastRecv) >= 8*time.Second {
		v.up.active = false
		out = append(out, v.out(v.ack(v.up.mtype, common.MAV_MISSION_OPERATION_CANCELLED))...)
	} else if v.up.active && now.Sub(v.up.lastReq) >= time.Second {
		out = append(out, v.out(v.request(now))...)
	}
	if v.stream.active && !now.Before(v.stream.at) {
		for v.stream.next < len(v.params) && (v.unreadable[v.stream.next] || v.streamSkips[v.stream.next]) {
			v.stream.next++
		}
		if v.stream.next < len(v.params) {
			out = append(out, v.out(v.paramValue(v.stream.next, uint16(v.stream.next)))...)
			v.stream.next++
		}
		v.stream.at = now.Add(time.Millisecond)
		v.stream.active = v.stream.next < len(v.params)
	}
	if v.chatter && !now.Before(v.chatterAt) {
		v.chatterAt = now.Add(20 * time.Millisecond)
		out = append(out, v.noise())
	}
	return out
}

// noise is traffic an exchange must ignore: other components, other GCSs, other lists.
func (v *apVehicle) noise() sourced {
	v.chatterN++
	camera := target{sys: 1, comp: 100}
	switch v.chatterN % 6 {
	case 0: // a camera's own parameter list, answering someone
		return sourced{from: camera, msg: &common.MessageParamValue{ParamId: "CAM_MODE", ParamValue: 7,
			ParamType: common.MAV_PARAM_TYPE_INT8, ParamCount: 3, ParamIndex: uint16(v.chatterN % 3)}}
	case 1:
		return sourced{from: testVehicle, msg: &common.MessageHeartbeat{Type: common.MAV_TYPE_QUADROTOR}}
	case 2: // talking with another GCS
		return sourced{from: testVehicle, msg: &common.MessageMissionAck{TargetSystem: 254, TargetComponent: 190,
			Type: common.MAV_MISSION_ACCEPTED}}
	case 3:
		return sourced{from: testVehicle, msg: &common.MessageMissionRequestInt{TargetSystem: 254, TargetComponent: 190, Seq: 0}}
	case 4: // the camera's MISSION_CURRENT
		return sourced{from: camera, msg: &common.MessageMissionCurrent{Seq: uint16(v.chatterN)}}
	}
	return sourced{from: testVehicle, msg: &common.MessageMissionItemInt{TargetSystem: 254, TargetComponent: 190, Seq: 0, X: 1}}
}

func (v *apVehicle) receive(now time.Time, msg message.Message) []sourced {
	if v.chatter && v.chatterAt.IsZero() {
		v.chatterAt = now
	}
	ts, tc := v.reply()
	switch m := msg.(type) {
	case *common.MessageMissionCount:
		if v.loseCounts > 0 {
			v.loseCounts--
			return nil
		}
		v.up.active, v.deaf = false, false // ArduPilot lets the same GCS restart its upload
		if v.maxItems > 0 && int(m.Count) > v.maxItems {
			return v.out(v.ack(m.MissionType, common.MAV_MISSION_NO_SPACE))
		}
		l := &v.missions[m.MissionType]
		*l = (*l)[:min(len(*l), int(m.Count))]
		if m.Count == 0 {
			return v.out(v.ack(m.MissionType, common.MAV_MISSION_ACCEPTED))
		}
		v.up.active, v.up.mtype, v.up.count, v.up.next, v.up.lastRecv = true, m.MissionType, int(m.Count), 0, now
		return v.out(v.request(now))
	case *common.MessageMissionItemInt:
		return v.onItem(now, *m)
	case *common.MessageMissionItem:
		it := missionItemInt(fromMissionItemFloat(m), m.Seq, testVehicle, gcs.MissionType(m.MissionType))
		return v.onItem(now, *it)
	case *common.MessageMissionRequestList:
		if v.up.active {
			return v.out(v.ack(m.MissionType, common.MAV_MISSION_DENIED))
		}
		return v.out(&common.MessageMissionCount{TargetSystem: ts, TargetComponent: tc,
			Count: uint16(len(v.missions[m.MissionType])), MissionType: m.MissionType})
	case *common.MessageMissionRequestInt:
		l := v.missions[m.MissionType]
		if int(m.Seq) >= len(l) {
			return v.out(v.ack(m.MissionType, common.MAV_MISSION_INVALID_SEQUENCE))
		}
		it := l[m.Seq]
		it.TargetSystem, it.TargetComponent = ts, tc
		return v.out(&it)
	case *common.MessageMissionRequest:
		l := v.missions[m.MissionType]
		if int(m.Seq) >= len(l) {
			return v.out(v.ack(m.MissionType, common.MAV_MISSION_INVALID_SEQUENCE))
		}
		it := missionItemFloat(fromMissionItemInt(&l[m.Seq]), m.Seq, testGCS, gcs.MissionType(m.MissionType))
		return v.out(it)
	case *common.MessageMissionClearAll:
		v.up.active = false
		v.missions[m.MissionType] = nil
		return v.out(v.ack(m.MissionType, common.MAV_MISSION_ACCEPTED))
	case *common.MessageMissionSetCurrent:
		if int(m.Seq) < len(v.missions[0]) {
			v.current = m.Seq
			return v.out(&common.MessageMissionCurrent{Seq: m.Seq})
		}
	case *common.MessageParamRequestList:
		v.stream.active, v.stream.next, v.stream.at = len(v.params) > 0, 0, now.Add(time.Millisecond)
	case *common.MessageParamRequestRead:
		i := int(m.ParamIndex)
		if i < 0 {
			i = slices.IndexFunc(v.params, func(p gcs.Param) bool { return p.Name == m.ParamId })
		}
		if i >= 0 && i < len(v.params) && !v.unreadable[i] {
			return v.out(v.paramValue(i, uint16(i)))
		}
	case *common.MessageParamSet:
		i := slices.IndexFunc(v.params, func(p gcs.Param) bool { return p.Name == m.ParamId })
		if i < 0 {
			return nil
		}
		val := float64(m.ParamValue)
		if lim, ok := v.limits[m.ParamId]; ok {
			val = math.Min(math.Max(val, lim[0]), lim[1])
		}
		if v.params[i].Type != gcs.ParamReal32 {
			val = math.Trunc(val)
		}
		v.params[i].Value = val
		return v.out(v.paramValue(i, 65535))
	}
	return nil
}

func (v *apVehicle) onItem(now time.Time, it common.MessageMissionItemInt) []sourced {
	if v.deaf {
		return nil
	}
	if int(it.Seq) == v.abandonAt {
		v.abandonAt, v.up.active, v.deaf = -1, false, true
		return nil
	}
	if !v.up.active || it.MissionType != v.up.mtype {
		return v.out(v.ack(it.MissionType, common.MAV_MISSION_ERROR))
	}
	if int(it.Seq) != v.up.next {
		return v.out(v.ack(it.MissionType, common.MAV_MISSION_INVALID_SEQUENCE))
	}
	if int(it.Seq) == v.rejectAt {
		v.up.active = false
		return v.out(v.ack(it.MissionType, v.rejectWith))
	}
	l := &v.missions[it.MissionType]
	it.TargetSystem, it.TargetComponent = 0, 0
	if int(it.Seq) < len(*l) {
		(*l)[it.Seq] = it
	} else {
		*l = append(*l, it)
	}
	v.up.lastRecv = now
	v.up.next++
	if v.up.next == v.up.count {
		v.up.active = false
		if v.loseFinalAcks > 0 {
			v.loseFinalAcks--
			return nil
		}
		return v.out(v.ack(it.MissionType, common.MAV_MISSION_ACCEPTED))
	}
	return v.out(v.request(now))
}

// list is a stored list as the GCS sees it.
func (v *apVehicle) list(t gcs.MissionType) []gcs.MissionItem {
	r := []gcs.MissionItem{}
	for i := range v.missions[t] {
		r = append(r, fromMissionItemInt(&v.missions[t][i]))
	}
	return r
}

// setList stores a list as if uploaded earlier.
func (v *apVehicle) setList(t gcs.MissionType, items []gcs.MissionItem) {
	v.missions[t] = nil
	for i, it := range items {
		m := missionItemInt(it, uint16(i), target{}, t)
		v.missions[t] = append(v.missions[t], *m)
	}
}
