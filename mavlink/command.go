package mavlink

import (
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"

	"github.com/vigil-gcs/vigil/gcs"
)

// Command timing, as QGroundControl does it (REFERENCE.md).
const (
	commandAckTimeout = 3 * time.Second
	commandTries      = 3 // for idempotent requests only
	// inProgressLimit bounds how long MAV_RESULT_IN_PROGRESS may keep a command open.
	inProgressLimit = 60 * time.Second
	// reasonGrace is how long to wait after a refusal for the STATUSTEXT that explains it,
	// when it did not come before the ack.
	reasonGrace = 300 * time.Millisecond
)

// Command is one MAV_CMD with its parameters. Int commands travel as COMMAND_INT, whose
// x/y (params 5 and 6) carry latitude/longitude in degrees × 1e7 without float32 rounding.
type Command struct {
	ID     uint16
	Params [7]float64
	// Int sends COMMAND_INT in Frame instead of COMMAND_LONG.
	Int   bool
	Frame uint8
	// Idempotent requests (asking for a message, a stream rate) are retried on silence;
	// actuating commands (arm, takeoff, mode, winch) never are: a lost ack must not arm twice.
	Idempotent bool
	// Action names it for the operator ("arm", "mode GUIDED"); defaults to the MAV_CMD name.
	Action string
	// Component addresses another component of the vehicle (a winch, 169) instead of its
	// autopilot; only that component's answer counts then.
	Component uint8
}

func (c Command) action() string {
	if c.Action != "" {
		return c.Action
	}
	return CommandName(c.ID)
}

// commandExchange sends one command and waits for its COMMAND_ACK.
type commandExchange struct {
	cmd      Command
	self, to target

	sent     time.Time
	due      time.Time
	tries    int
	opened   time.Time
	reply    gcs.CommandReply
	acked    bool
	done     bool
	err      error
	lastText string // the latest warning the vehicle said while we waited
}

func newCommandExchange(cmd Command, self, to target) *commandExchange {
	if cmd.Component != 0 {
		to.comp = cmd.Component
	}
	return &commandExchange{cmd: cmd, self: self, to: to, reply: gcs.CommandReply{Command: cmd.ID, Result: gcs.CommandNoAnswer}}
}

func (e *commandExchange) message(confirmation uint8) message.Message {
	p := e.cmd.Params
	if e.cmd.Int {
		return &common.MessageCommandInt{
			TargetSystem: e.to.sys, TargetComponent: e.to.comp,
			Frame: common.MAV_FRAME(e.cmd.Frame), Command: common.MAV_CMD(e.cmd.ID),
			Param1: float32(p[0]), Param2: float32(p[1]), Param3: float32(p[2]), Param4: float32(p[3]),
			X: degE7(p[4]), Y: degE7(p[5]), Z: float32(p[6]),
		}
	}
	return &common.MessageCommandLong{
		TargetSystem: e.to.sys, TargetComponent: e.to.comp,
		Command: common.MAV_CMD(e.cmd.ID), Confirmation: confirmation,
		Param1: float32(p[0]), Param2: float32(p[1]), Param3: float32(p[2]), Param4: float32(p[3]),
		Param5: float32(p[4]), Param6: float32(p[5]), Param7: float32(p[6]),
	}
}

func degE7(deg float64) int32 {
	return int32(math.Round(deg * 1e7))
}

// fromPeer lets only the addressed component's acks and reasons through when the command
// goes to a component other than the autopilot: the autopilot's own warnings do not
// explain a winch's refusal.
func (e *commandExchange) fromPeer(sys, comp uint8) bool {
	return sys == e.to.sys && (e.cmd.Component == 0 || comp == e.cmd.Component)
}

func (e *commandExchange) start(now time.Time) []message.Message {
	e.opened, e.sent, e.tries = now, now, 1
	e.due = now.Add(commandAckTimeout)
	return []message.Message{e.message(0)}
}

func (e *commandExchange) handle(now time.Time, msg message.Message) []message.Message {
	switch m := msg.(type) {
	case *common.MessageStatustext:
		if m.Severity <= common.MAV_SEVERITY_WARNING {
			e.lastText = m.Text
			if e.acked {
				e.reply.Reason = m.Text
				e.done = true
			}
		}
	case *common.MessageCommandAck:
		if uint16(m.Command) != e.cmd.ID || e.acked {
			return nil
		}
		// Old ArduPilot leaves the ack's target zero; a set target must be us.
		if (m.TargetSystem != 0 && m.TargetSystem != e.self.sys) || (m.TargetComponent != 0 && m.TargetComponent != e.self.comp) {
			return nil
		}
		result := gcs.CommandResult(m.Result)
		if result == gcs.CommandInProgress {
			e.reply.Result = result
			e.due = now.Add(commandAckTimeout) // still working: keep waiting, within a limit
			if now.Sub(e.opened) > inProgressLimit {
				e.due = now
			}
			return nil
		}
		e.reply.Result = result
		e.acked = true
		if result == gcs.CommandAccepted {
			e.done = true
			return nil
		}
		if e.lastText != "" {
			e.reply.Reason = e.lastText
			e.done = true
			return nil
		}
		e.due = now.Add(reasonGrace)
	}
	return nil
}

func (e *commandExchange) deadline() time.Time { return e.due }

func (e *commandExchange) tick(now time.Time) []message.Message {
	if e.acked { // refused, and no explanation came
		e.done = true
		return nil
	}
	if e.cmd.Idempotent && e.tries < commandTries && e.reply.Result != gcs.CommandInProgress {
		e.tries++
		e.sent, e.due = now, now.Add(commandAckTimeout)
		return []message.Message{e.message(uint8(e.tries - 1))}
	}
	e.done = true
	e.reply.Result = gcs.CommandNoAnswer
	e.err = &AckTimeoutError{SysID: e.to.sys, Action: e.cmd.action(), Tries: e.tries, After: now.Sub(e.opened)}
	return nil
}

func (e *commandExchange) finished() (bool, error) {
	if !e.done {
		return false, nil
	}
	if e.err != nil {
		return true, e.err
	}
	if e.reply.Result != gcs.CommandAccepted {
		return true, &CommandError{SysID: e.to.sys, Action: e.cmd.action(), Reply: e.reply}
	}
	return true, nil
}
