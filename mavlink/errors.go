package mavlink

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// NoAnswerError is silence: the vehicle never answered a mission or parameter request,
// however often it was repeated. It is never success; after an upload it means the vehicle
// may hold the old list, the new one, or (if the transfer broke off) a truncated one.
type NoAnswerError struct {
	SysID uint8
	What  string        // the request that went unanswered, e.g. "MISSION_COUNT"
	Tries int           // how many times it was sent
	After time.Duration // from the first try to giving up
	Hint  string        // optional: what to check, e.g. "does the parameter exist?"
}

func (e *NoAnswerError) Error() string {
	s := fmt.Sprintf("no answer from vehicle %d to %s after %d tries (%s)",
		e.SysID, e.What, e.Tries, e.After.Round(100*time.Millisecond))
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// MissionRejectedError is the vehicle ending a mission, fence or rally transfer with a
// MISSION_ACK other than ACCEPTED.
type MissionRejectedError struct {
	SysID  uint8
	Type   gcs.MissionType
	Op     string // "upload", "download" or "clear"
	Result uint8  // MAV_MISSION_RESULT
}

func (e *MissionRejectedError) Error() string {
	return fmt.Sprintf("vehicle %d refused the %s %s: %s (%s)",
		e.SysID, e.Type, e.Op, MissionResultName(e.Result), missionResultHelp(e.Result))
}

// Is makes errors.Is(err, gcs.ErrListUnsupported) true when the vehicle has no such list
// (MAV_MISSION_UNSUPPORTED: an autopilot without fences or rally points).
func (e *MissionRejectedError) Is(target error) bool {
	return target == gcs.ErrListUnsupported && e.Result == missionUnsupported
}

// missionUnsupported is MAV_MISSION_UNSUPPORTED.
const missionUnsupported = 3

// ErrPartialTransfer is matched (errors.Is) by every PartialTransferError.
var ErrPartialTransfer = errors.New("incomplete transfer")

// PartialTransferError is a list that could not be read whole. Nothing of it is returned:
// a parameter list with holes would look complete to whoever saves or edits it.
type PartialTransferError struct {
	SysID uint8
	What  string // "parameter list"
	Got   int
	Total int
}

func (e *PartialTransferError) Error() string {
	return fmt.Sprintf("%s of vehicle %d is incomplete: %d of %d received, %d still missing after all retries; nothing was kept",
		e.What, e.SysID, e.Got, e.Total, e.Total-e.Got)
}

// Is makes errors.Is(err, ErrPartialTransfer) true.
func (e *PartialTransferError) Is(target error) bool { return target == ErrPartialTransfer }

// ParamRejectedError is the vehicle answering a PARAM_SET with a value other than the one
// asked for: the value was out of range, rounded for an integer parameter, or read-only.
type ParamRejectedError struct {
	SysID  uint8
	Name   string
	Wanted float64
	Kept   float64
}

func (e *ParamRejectedError) Error() string {
	return fmt.Sprintf("vehicle %d kept %s = %g instead of %g (out of range or read-only?)",
		e.SysID, e.Name, e.Kept, e.Wanted)
}

var missionResults = [...]struct{ name, help string }{
	0:  {"ACCEPTED", "accepted"},
	1:  {"ERROR", "the vehicle reported an unspecified error"},
	2:  {"UNSUPPORTED_FRAME", "an item uses a coordinate frame the vehicle does not support"},
	3:  {"UNSUPPORTED", "the vehicle does not support this command or list type"},
	4:  {"NO_SPACE", "the vehicle has no room for that many items"},
	5:  {"INVALID", "an item has an invalid parameter"},
	6:  {"INVALID_PARAM1", "an item's param 1 is out of range"},
	7:  {"INVALID_PARAM2", "an item's param 2 is out of range"},
	8:  {"INVALID_PARAM3", "an item's param 3 is out of range"},
	9:  {"INVALID_PARAM4", "an item's param 4 is out of range"},
	10: {"INVALID_PARAM5_X", "an item's x or latitude is out of range"},
	11: {"INVALID_PARAM6_Y", "an item's y or longitude is out of range"},
	12: {"INVALID_PARAM7", "an item's z or altitude is out of range"},
	13: {"INVALID_SEQUENCE", "items arrived out of order"},
	14: {"DENIED", "the vehicle is busy with another transfer, perhaps from another GCS"},
	15: {"OPERATION_CANCELLED", "the vehicle gave up waiting for the next message"},
}

// MissionResultName names a MAV_MISSION_RESULT without its MAV_MISSION_ prefix.
func MissionResultName(r uint8) string {
	if int(r) < len(missionResults) {
		return missionResults[r].name
	}
	return fmt.Sprintf("result %d", r)
}

func missionResultHelp(r uint8) string {
	if int(r) < len(missionResults) {
		return missionResults[r].help
	}
	return "a result this version of Vigil does not know"
}
