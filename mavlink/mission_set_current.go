package mavlink

import (
	"fmt"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
)

// missionSetCurrentTries is QGroundControl's command budget: setting the same item twice
// is harmless, so the request is repeated.
const missionSetCurrentTries = 3

// missionSetCurrent makes a mission item the one the vehicle flies next. MISSION_SET_CURRENT
// has no ACK: the proof is the vehicle's MISSION_CURRENT (streamed about once a second, and
// sent at once on a change) naming that item. An invalid item is refused only with a
// STATUSTEXT, so it ends as silence.
type missionSetCurrent struct {
	peers
	outcome
	seq uint16

	timeout time.Duration
	tries   int

	began time.Time
	due   time.Time
	sends int
}

func newMissionSetCurrent(vehicle, self target, seq uint16) *missionSetCurrent {
	return &missionSetCurrent{peers: peers{vehicle: vehicle, self: self}, seq: seq,
		timeout: missionAckTimeout, tries: missionSetCurrentTries}
}

func (s *missionSetCurrent) deadline() time.Time { return s.due }

func (s *missionSetCurrent) start(now time.Time) []message.Message {
	s.began = now
	return s.send(now)
}

func (s *missionSetCurrent) send(now time.Time) []message.Message {
	s.sends++
	s.due = now.Add(s.timeout)
	return []message.Message{&common.MessageMissionSetCurrent{
		TargetSystem: s.vehicle.sys, TargetComponent: s.vehicle.comp, Seq: s.seq,
	}}
}

func (s *missionSetCurrent) handle(_ time.Time, msg message.Message) []message.Message {
	// MISSION_CURRENT has no target fields: the driver's fromPeer check is what keeps
	// another component's report out.
	if m, ok := msg.(*common.MessageMissionCurrent); ok && s.sends > 0 && m.Seq == s.seq {
		s.finish(nil)
	}
	return nil
}

func (s *missionSetCurrent) tick(now time.Time) []message.Message {
	if s.done || now.Before(s.due) {
		return nil
	}
	if s.sends < s.tries {
		return s.send(now)
	}
	s.finish(&NoAnswerError{SysID: s.vehicle.sys, What: fmt.Sprintf("MISSION_SET_CURRENT %d", s.seq),
		Tries: s.sends, After: now.Sub(s.began), Hint: "does the mission have that item?"})
	return nil
}
