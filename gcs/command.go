package gcs

import "fmt"

// CommandResult is the vehicle's answer to a command (MAV_RESULT), plus NoAnswer for silence.
type CommandResult int

// Command results. The first values equal MAV_RESULT.
const (
	CommandAccepted            CommandResult = 0
	CommandTemporarilyRejected CommandResult = 1
	CommandDenied              CommandResult = 2
	CommandUnsupported         CommandResult = 3
	CommandFailed              CommandResult = 4
	CommandInProgress          CommandResult = 5
	CommandCancelled           CommandResult = 6
	CommandNoAnswer            CommandResult = -1
)

func (r CommandResult) String() string {
	switch r {
	case CommandAccepted:
		return "accepted"
	case CommandTemporarilyRejected:
		return "temporarily rejected"
	case CommandDenied:
		return "denied"
	case CommandUnsupported:
		return "unsupported"
	case CommandFailed:
		return "failed"
	case CommandInProgress:
		return "in progress"
	case CommandCancelled:
		return "cancelled"
	case CommandNoAnswer:
		return "no answer"
	}
	return fmt.Sprintf("result %d", int(r))
}

// CommandReply is what became of one command: the vehicle's answer and, for a refusal, what
// the vehicle said about it (ArduPilot explains a failed arm in STATUSTEXT, not in the ack).
type CommandReply struct {
	Command uint16
	Result  CommandResult
	Reason  string // STATUSTEXT that explains a refusal, if the vehicle sent one
}
