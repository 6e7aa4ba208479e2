package mavlink

import (
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/vigil-gcs/vigil/gcs"
)

// missionClear empties a mission, fence or rally list with MISSION_CLEAR_ALL and waits for
// its MISSION_ACK. Clearing twice clears once, so it is simply repeated until answered.
type missionClear struct {
	peers
	outcome
	mtype gcs.MissionType

	timeout time.Duration
	retries int

	began time.Time
	due   time.Time
	sends int
}

func newMissionClear(vehicle, self target, t gcs.MissionType) *missionClear {
	return &missionClear{peers: peers{vehicle: vehicle, self: self}, mtype: t,
		timeout: missionAckTimeout, retries: missionRetries}
}

func (c *missionClear) deadline() time.Time { return c.due }

func (c *missionClear) start(now time.Time) []message.Message {
	c.began = now
	return c.send(now)
}

func (c *missionClear) send(now time.Time) []message.Message {
	c.sends++
	c.due = now.Add(c.timeout)
	return []message.Message{&common.MessageMissionClearAll{
		TargetSystem: c.vehicle.sys, TargetComponent: c.vehicle.comp,
		MissionType: common.MAV_MISSION_TYPE(c.mtype),
	}}
}

func (c *missionClear) handle(_ time.Time, msg message.Message) []message.Message {
	m, ok := msg.(*common.MessageMissionAck)
	if c.done || !ok || !c.forUs(m.TargetSystem, m.TargetComponent) || gcs.MissionType(m.MissionType) != c.mtype {
		return nil
	}
	if m.Type == common.MAV_MISSION_ACCEPTED {
		c.finish(nil)
	} else {
		c.finish(&MissionRejectedError{SysID: c.vehicle.sys, Type: c.mtype, Op: "clear", Result: uint8(m.Type)})
	}
	return nil
}

func (c *missionClear) tick(now time.Time) []message.Message {
	if c.done || now.Before(c.due) {
		return nil
	}
	if c.sends <= c.retries {
		return c.send(now)
	}
	c.finish(&NoAnswerError{SysID: c.vehicle.sys, What: "MISSION_CLEAR_ALL (" + c.mtype.String() + ")",
		Tries: c.sends, After: now.Sub(c.began)})
	return nil
}
