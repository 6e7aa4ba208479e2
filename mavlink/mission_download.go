package mavlink

import (
	"fmt"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/vigil-gcs/vigil/gcs"
)

// missionDownload reads a mission, fence or rally list from a vehicle: MISSION_REQUEST_LIST,
// the vehicle answers MISSION_COUNT, then the GCS requests each item in turn and closes with
// MISSION_ACK. Here the GCS drives every step, so every loss is recovered by its timers.
// Items are requested one at a time: a burst would overrun gomavlib's write queue and the
// vehicle's, and in-order requests make any item with an unexpected seq plainly stale.
type missionDownload struct {
	peers
	outcome
	mtype    gcs.MissionType
	legacy   bool // request with MISSION_REQUEST, for autopilots without MISSION_ITEM_INT
	progress func(done, total int)

	ackTimeout  time.Duration
	itemTimeout time.Duration
	retries     int
	itemRetries int

	began     time.Time
	due       time.Time
	listSends int
	counted   bool
	items     []gcs.MissionItem // grows to the count announced
	count     int
	tries     int // requests sent for the next item
}

func newMissionDownload(vehicle, self target, t gcs.MissionType, progress func(done, total int)) *missionDownload {
	return &missionDownload{
		peers: peers{vehicle: vehicle, self: self}, mtype: t, progress: progress,
		ackTimeout: missionAckTimeout, itemTimeout: missionItemTimeout,
		retries: missionRetries, itemRetries: missionItemRetries,
	}
}

// result is the downloaded list, once finished without error.
func (d *missionDownload) result() []gcs.MissionItem { return d.items }

func (d *missionDownload) deadline() time.Time { return d.due }

func (d *missionDownload) start(now time.Time) []message.Message {
	d.began = now
	return d.requestList(now)
}

func (d *missionDownload) requestList(now time.Time) []message.Message {
	d.listSends++
	d.due = now.Add(d.ackTimeout)
	return []message.Message{&common.MessageMissionRequestList{
		TargetSystem: d.vehicle.sys, TargetComponent: d.vehicle.comp,
		MissionType: common.MAV_MISSION_TYPE(d.mtype),
	}}
}

func (d *missionDownload) handle(now time.Time, msg message.Message) []message.Message {
	if d.done {
		return nil
	}
	switch m := msg.(type) {
	case *common.MessageMissionCount:
		if d.forUs(m.TargetSystem, m.TargetComponent) && gcs.MissionType(m.MissionType) == d.mtype && !d.counted {
			// Later COUNTs answer the repeated REQUEST_LISTs: the first one stands.
			d.counted, d.count = true, int(m.Count)
			d.items = make([]gcs.MissionItem, 0, d.count)
			if d.progress != nil {
				d.progress(0, d.count)
			}
			return d.next(now)
		}
	case *common.MessageMissionItemInt:
		if d.forUs(m.TargetSystem, m.TargetComponent) {
			return d.onItem(now, msg)
		}
	case *common.MessageMissionItem:
		if d.forUs(m.TargetSystem, m.TargetComponent) {
			return d.onItem(now, msg)
		}
	case *common.MessageMissionAck:
		// The vehicle sends no ACK in a download unless it gives up (DENIED while another
		// GCS uploads, OPERATION_CANCELLED, UNSUPPORTED list type).
		if d.forUs(m.TargetSystem, m.TargetComponent) && gcs.MissionType(m.MissionType) == d.mtype &&
			m.Type != common.MAV_MISSION_ACCEPTED {
			d.finish(&MissionRejectedError{SysID: d.vehicle.sys, Type: d.mtype, Op: "download", Result: uint8(m.Type)})
		}
	}
	return nil
}

func (d *missionDownload) onItem(now time.Time, msg message.Message) []message.Message {
	seq, t, it, _ := missionItemOf(msg)
	if !d.counted || t != d.mtype || int(seq) != len(d.items) || len(d.items) == d.count {
		return nil // stale, duplicated, or another list's
	}
	d.items = append(d.items, it)
	if d.progress != nil {
		d.progress(len(d.items), d.count)
	}
	return d.next(now)
}

// next requests the next item, or closes the transfer once all are in.
func (d *missionDownload) next(now time.Time) []message.Message {
	if len(d.items) == d.count {
		d.finish(nil)
		// Sent once: ArduPilot keeps no state in a download, so a lost ACK costs nothing.
		return []message.Message{&common.MessageMissionAck{
			TargetSystem: d.vehicle.sys, TargetComponent: d.vehicle.comp,
			Type: common.MAV_MISSION_ACCEPTED, MissionType: common.MAV_MISSION_TYPE(d.mtype),
		}}
	}
	d.tries = 0
	return d.requestItem(now)
}

func (d *missionDownload) requestItem(now time.Time) []message.Message {
	d.tries++
	d.due = now.Add(d.itemTimeout)
	seq := uint16(len(d.items))
	if d.legacy {
		return []message.Message{&common.MessageMissionRequest{
			TargetSystem: d.vehicle.sys, TargetComponent: d.vehicle.comp,
			Seq: seq, MissionType: common.MAV_MISSION_TYPE(d.mtype),
		}}
	}
	return []message.Message{&common.MessageMissionRequestInt{
		TargetSystem: d.vehicle.sys, TargetComponent: d.vehicle.comp,
		Seq: seq, MissionType: common.MAV_MISSION_TYPE(d.mtype),
	}}
}

func (d *missionDownload) tick(now time.Time) []message.Message {
	if d.done || now.Before(d.due) {
		return nil
	}
	if !d.counted {
		if d.listSends <= d.retries {
			return d.requestList(now)
		}
		d.finish(&NoAnswerError{SysID: d.vehicle.sys, What: "MISSION_REQUEST_LIST (" + d.mtype.String() + ")",
			Tries: d.listSends, After: now.Sub(d.began), Hint: "is the link up?"})
		return nil
	}
	if d.tries <= d.itemRetries {
		return d.requestItem(now)
	}
	d.finish(&NoAnswerError{SysID: d.vehicle.sys, Tries: d.tries, After: now.Sub(d.began),
		What: fmt.Sprintf("the request for %s item %d of %d", d.mtype, len(d.items), d.count)})
	return nil
}
