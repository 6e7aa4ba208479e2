package mavlink

import (
	"fmt"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// AckTimeoutError is silence: the vehicle never acknowledged the command. It is never
// success, and for actuating commands the vehicle may or may not have acted.
type AckTimeoutError struct {
	SysID  uint8
	Action string
	Tries  int
	After  time.Duration
}

func (e *AckTimeoutError) Error() string {
	tries := ""
	if e.Tries > 1 {
		tries = fmt.Sprintf(" (%d tries)", e.Tries)
	}
	return fmt.Sprintf("no answer from vehicle %d to %s in %s%s", e.SysID, e.Action, e.After.Round(100*time.Millisecond), tries)
}

// CommandError is the vehicle answering anything but "accepted".
type CommandError struct {
	SysID  uint8
	Action string
	Reply  gcs.CommandReply
}

func (e *CommandError) Error() string {
	s := fmt.Sprintf("vehicle %d %s %s", e.SysID, verbFor(e.Reply.Result), e.Action)
	if e.Reply.Reason != "" {
		s += ": " + e.Reply.Reason
	}
	return s
}

func verbFor(r gcs.CommandResult) string {
	switch r {
	case gcs.CommandDenied:
		return "denied"
	case gcs.CommandTemporarilyRejected:
		return "temporarily rejected"
	case gcs.CommandUnsupported:
		return "does not support"
	case gcs.CommandFailed:
		return "refused"
	case gcs.CommandCancelled:
		return "cancelled"
	}
	return "answered " + r.String() + " to"
}

var commandNames = map[uint16]string{
	16: "WAYPOINT", 20: "RETURN_TO_LAUNCH", 21: "LAND", 22: "TAKEOFF", 176: "DO_SET_MODE",
	178: "DO_CHANGE_SPEED", 179: "DO_SET_HOME", 192: "DO_REPOSITION", 195: "DO_SET_ROI_LOCATION",
	197: "DO_SET_ROI_NONE", 205: "DO_MOUNT_CONTROL", 224: "DO_SET_MISSION_CURRENT", 300: "MISSION_START",
	400: "ARM_DISARM", 511: "SET_MESSAGE_INTERVAL", 512: "REQUEST_MESSAGE", 1000: "DO_GIMBAL_MANAGER_PITCHYAW",
	2502: "VIDEO_START_STREAMING", 42600: "DO_WINCH",
}

// CommandName names a MAV_CMD for messages to the operator.
func CommandName(id uint16) string {
	if n, ok := commandNames[id]; ok {
		return n
	}
	return fmt.Sprintf("command %d", id)
}
