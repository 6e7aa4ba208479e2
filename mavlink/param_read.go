package mavlink

import (
	"fmt"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/vigil-gcs/vigil/gcs"
)

// Single-parameter timing: QGroundControl's 1 s wait, 3 tries in all (reading and setting
// the same value twice is harmless, so both are repeated).
const (
	paramTimeout = time.Second
	paramTries   = 3
)

// paramRead reads one parameter by name with PARAM_REQUEST_READ. A name the vehicle does not
// have gets no answer at all (ArduPilot stays silent), so that ends as NoAnswerError.
type paramRead struct {
	peers
	outcome
	name string

	timeout time.Duration
	tries   int

	began time.Time
	due   time.Time
	sends int
	value gcs.Param
}

func newParamRead(vehicle, self target, name string) *paramRead {
	return &paramRead{peers: peers{vehicle: vehicle, self: self}, name: name,
		timeout: paramTimeout, tries: paramTries}
}

// result is the parameter as the vehicle reported it, once finished without error.
func (r *paramRead) result() gcs.Param { return r.value }

func (r *paramRead) deadline() time.Time { return r.due }

func (r *paramRead) start(now time.Time) []message.Message {
	r.began = now
	return r.send(now)
}

func (r *paramRead) send(now time.Time) []message.Message {
	r.sends++
	r.due = now.Add(r.timeout)
	return []message.Message{&common.MessageParamRequestRead{
		TargetSystem: r.vehicle.sys, TargetComponent: r.vehicle.comp, ParamId: r.name, ParamIndex: -1,
	}}
}

func (r *paramRead) handle(_ time.Time, msg message.Message) []message.Message {
	// Any PARAM_VALUE of that name is the vehicle's current value, whatever prompted it.
	if m, ok := msg.(*common.MessageParamValue); ok && !r.done && m.ParamId == r.name {
		r.value = gcs.Param{Name: m.ParamId, Value: float64(m.ParamValue), Type: gcs.ParamType(m.ParamType)}
		r.finish(nil)
	}
	return nil
}

func (r *paramRead) tick(now time.Time) []message.Message {
	if r.done || now.Before(r.due) {
		return nil
	}
	if r.sends < r.tries {
		return r.send(now)
	}
	r.finish(&NoAnswerError{SysID: r.vehicle.sys, What: "PARAM_REQUEST_READ " + r.name, Tries: r.sends,
		After: now.Sub(r.began), Hint: "check the parameter name; vehicles do not answer for names they lack"})
	return nil
}

// checkParamName rejects names the 16-byte param_id field cannot carry: gomavlib would cut a
// longer one silently and the vehicle would answer for another parameter, or not at all.
func checkParamName(name string) error {
	if name == "" || len(name) > 16 {
		return fmt.Errorf("parameter name %q must be 1 to 16 characters", name)
	}
	for _, c := range []byte(name) {
		if c <= ' ' || c > '~' {
			return fmt.Errorf("parameter name %q may hold only printable ASCII without spaces", name)
		}
	}
	return nil
}
