package mavlink

import (
	"fmt"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/vigil-gcs/vigil/gcs"
)

// Mission transfer timing. The vehicle drives an upload (it requests each item) and the GCS
// drives a download; either way one lost message stalls the transfer until a timer fires.
const (
	// missionAckTimeout is QGroundControl's wait for MISSION_COUNT, the first request and
	// the final MISSION_ACK.
	missionAckTimeout = 1500 * time.Millisecond
	// missionRetries is how often a COUNT, REQUEST_LIST or CLEAR_ALL is repeated.
	missionRetries = 5
	// missionItemTimeout is QGroundControl's 0.25 s, kept (not 0.5 s) for downloads too:
	// answers come back within milliseconds from the simulator or SITL and within tens of
	// milliseconds over a telemetry radio, so a quarter second of silence is a lost
	// message, and a needless repeat costs only a duplicate that is ignored.
	missionItemTimeout = 250 * time.Millisecond
	// missionItemRetries is how many silent item timeouts in a row end a transfer. It is
	// 10, not QGroundControl's 5: on a link losing 20 % each way a round trip fails 36 % of
	// the time, so 6 tries leave 0.2 % of items stuck (a 500-item transfer would fail
	// most of the time) while 11 leave 1.3·10⁻⁵ (under 1 % of 500-item transfers), at
	// the cost of waiting 2.75 s, not 1.5 s, before reporting a dead link.
	missionItemRetries = 10
)

// uploadPhase is where an upload stands.
type uploadPhase int

const (
	uploadCount uploadPhase = iota // COUNT sent, waiting for the first request
	uploadItems                    // answering requests
	uploadFinal                    // every item was requested and sent, waiting for MISSION_ACK
)

// missionUpload writes a mission, fence or rally list to a vehicle: MISSION_COUNT, then the
// vehicle requests each item by sequence number and ends with MISSION_ACK.
//
// Retries follow what ArduPilot does on its side. A lost COUNT is sent again. A lost item
// or request is recovered by re-sending the newest requested item after missionItemTimeout
// (ArduPilot also re-requests every second); a duplicate item only earns an INVALID_SEQUENCE
// ack, which ArduPilot sends while it keeps waiting for the right item, so that ack is a sign
// of life, not a failure. ArduPilot never repeats its final ACK, and answers ERROR to an item
// that reaches it after it finished, so a lost final ACK or an ERROR is settled by starting
// the upload over with a new COUNT (uploading is idempotent) within the COUNT budget: on a
// 20 %-loss link that turns a one-in-five false failure into a few seconds' delay.
// Success is only an ACCEPTED that arrives once every item of the current attempt has been
// requested: an earlier one is stale.
type missionUpload struct {
	peers
	outcome
	mtype    gcs.MissionType
	items    []gcs.MissionItem
	legacy   bool // answer every request with MISSION_ITEM, for autopilots without MISSION_ITEM_INT
	progress func(done, total int)

	ackTimeout  time.Duration
	itemTimeout time.Duration
	retries     int // COUNT sends beyond the first, restarts included
	itemRetries int
	// finalRestarts counts restarts after the whole list went through but its
	// acknowledgement did not come back (at most retries of them).
	finalRestarts int

	phase      uploadPhase
	began      time.Time
	due        time.Time
	countSends int
	requested  []bool // items requested at least once in this attempt
	nRequested int
	current    int // the sequence number of the newest request
	silent     int // item re-sends since the vehicle last said anything
	lastReject uint8
	rejected   bool // the vehicle answered ERROR, which a restart may cure
}

func newMissionUpload(vehicle, self target, t gcs.MissionType, items []gcs.MissionItem,
	progress func(done, total int)) *missionUpload {
	return &missionUpload{
		peers: peers{vehicle: vehicle, self: self}, mtype: t, items: items, progress: progress,
		ackTimeout: missionAckTimeout, itemTimeout: missionItemTimeout,
		retries: missionRetries, itemRetries: missionItemRetries,
	}
}

func (u *missionUpload) deadline() time.Time { return u.due }

func (u *missionUpload) start(now time.Time) []message.Message {
	u.began = now
	return u.sendCount(now)
}

// sendCount starts (or restarts) the transfer.
func (u *missionUpload) sendCount(now time.Time) []message.Message {
	u.countSends++
	u.phase = uploadCount
	u.requested = make([]bool, len(u.items))
	u.nRequested, u.current, u.silent = 0, -1, 0
	u.due = now.Add(u.ackTimeout)
	return []message.Message{&common.MessageMissionCount{
		TargetSystem: u.vehicle.sys, TargetComponent: u.vehicle.comp,
		Count: uint16(len(u.items)), MissionType: common.MAV_MISSION_TYPE(u.mtype),
	}}
}

func (u *missionUpload) handle(now time.Time, msg message.Message) []message.Message {
	if u.done {
		return nil
	}
	switch m := msg.(type) {
	case *common.MessageMissionRequestInt:
		if u.forUs(m.TargetSystem, m.TargetComponent) && gcs.MissionType(m.MissionType) == u.mtype {
			return u.onRequest(now, int(m.Seq), !u.legacy)
		}
	case *common.MessageMissionRequest:
		if u.forUs(m.TargetSystem, m.TargetComponent) && gcs.MissionType(m.MissionType) == u.mtype {
			return u.onRequest(now, int(m.Seq), false)
		}
	case *common.MessageMissionAck:
		if u.forUs(m.TargetSystem, m.TargetComponent) && gcs.MissionType(m.MissionType) == u.mtype {
			return u.onAck(now, uint8(m.Type))
		}
	}
	return nil
}

func (u *missionUpload) onRequest(now time.Time, seq int, useInt bool) []message.Message {
	if seq >= len(u.items) {
		return nil // not an item of ours: a stale request from an earlier, longer upload
	}
	if u.phase == uploadCount {
		u.phase = uploadItems
	}
	u.silent = 0
	if !u.requested[seq] {
		u.requested[seq] = true
		u.nRequested++
		if u.progress != nil {
			u.progress(u.nRequested-1, len(u.items)) // done = items the vehicle has confirmed by asking on
		}
	}
	// The newest request sets what a timeout re-sends, even when it is lower than an earlier
	// one: the vehicle starts over when a duplicated COUNT reaches it, and a stale request
	// costs at most one needless item.
	u.current = seq
	if u.nRequested == len(u.items) {
		u.phase = uploadFinal
		u.due = now.Add(u.ackTimeout)
	} else {
		u.due = now.Add(u.itemTimeout)
	}
	return []message.Message{u.item(seq, useInt)}
}

func (u *missionUpload) item(seq int, useInt bool) message.Message {
	if useInt {
		return missionItemInt(u.items[seq], uint16(seq), u.vehicle, u.mtype)
	}
	return missionItemFloat(u.items[seq], uint16(seq), u.vehicle, u.mtype)
}

func (u *missionUpload) onAck(now time.Time, result uint8) []message.Message {
	finished := u.phase == uploadFinal || (len(u.items) == 0 && u.phase == uploadCount)
	switch result {
	case uint8(common.MAV_MISSION_ACCEPTED):
		// Only an ACK after the last item counts: an earlier one is stale.
		if finished {
			if u.progress != nil {
				u.progress(len(u.items), len(u.items))
			}
			u.finish(nil)
		}
	case uint8(common.MAV_MISSION_INVALID_SEQUENCE):
		// The vehicle got an item it already had and keeps waiting: it is alive.
		u.silent = 0
	case uint8(common.MAV_MISSION_ERROR):
		// ArduPilot answers ERROR to an item that arrives when it is not receiving: after
		// it finished (its ACCEPTED lost, or a duplicate of the last item overtaking it),
		// or after it gave up. Either way a fresh upload settles it; a vehicle that keeps
		// failing is reported once the COUNT budget is spent.
		u.rejected, u.lastReject = true, result
		if finished {
			return nil // its ACCEPTED may still be on the way; the timeout restarts
		}
		if u.countSends <= u.retries {
			return u.sendCount(now)
		}
		u.finish(&MissionRejectedError{SysID: u.vehicle.sys, Type: u.mtype, Op: "upload", Result: result})
	default:
		u.finish(&MissionRejectedError{SysID: u.vehicle.sys, Type: u.mtype, Op: "upload", Result: result})
	}
	return nil
}

func (u *missionUpload) tick(now time.Time) []message.Message {
	if u.done || now.Before(u.due) {
		return nil
	}
	switch u.phase {
	case uploadItems:
		if u.silent < u.itemRetries {
			u.silent++
			u.due = now.Add(u.itemTimeout)
			return []message.Message{u.item(u.current, !u.legacy)}
		}
		// The vehicle may have abandoned the transfer (ArduPilot and the simulator drop an
		// upload that stalls): uploading is idempotent, so start over while COUNTs remain.
		if u.countSends <= u.retries {
			return u.sendCount(now)
		}
		u.finish(&NoAnswerError{SysID: u.vehicle.sys, Tries: u.silent + 1, After: now.Sub(u.began),
			What: fmt.Sprintf("%s item %d of %d", u.mtype, u.current, len(u.items)),
			Hint: "the vehicle stopped requesting items; its list may now be truncated"})
		return nil
	default: // uploadCount, uploadFinal
		if u.phase == uploadFinal && u.finalRestarts < u.retries {
			// Every item went through, so the link works: a lost acknowledgement restarts
			// the upload with a fresh budget for its COUNTs (on a lossy link the earlier
			// hiccups would otherwise have spent it).
			u.finalRestarts++
			u.countSends = 0
			return u.sendCount(now)
		}
		if u.phase != uploadFinal && u.countSends <= u.retries {
			return u.sendCount(now)
		}
		if u.rejected {
			u.finish(&MissionRejectedError{SysID: u.vehicle.sys, Type: u.mtype, Op: "upload", Result: u.lastReject})
			return nil
		}
		what, hint := "MISSION_COUNT", "is the link up?"
		if u.phase == uploadFinal {
			what, hint = "the last "+u.mtype.String()+" item", "the vehicle never confirmed the upload; download the list to check it"
		}
		u.finish(&NoAnswerError{SysID: u.vehicle.sys, What: what, Tries: u.countSends, After: now.Sub(u.began), Hint: hint})
		return nil
	}
}
