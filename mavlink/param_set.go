package mavlink

import (
	"fmt"
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/vigil-gcs/vigil/gcs"
)

// paramSet writes one parameter with PARAM_SET. Success is the vehicle's PARAM_VALUE echo
// holding the value asked for (compared as float32, the wire's type); an echo with another
// value means the vehicle kept its own (out of range, rounded, read-only).
//
// ArduPilot echoes a set with param_index 65535, while the stream and reads carry the real
// index. So a differing 65535 echo is a refusal at once, but a differing indexed value may
// be an answer from before the set, still on its way: it is remembered and only reported if
// no matching echo comes before the tries run out.
type paramSet struct {
	peers
	outcome
	name  string
	value float64
	ptype gcs.ParamType

	timeout time.Duration
	tries   int

	began time.Time
	due   time.Time
	sends int
	kept  *gcs.Param // a differing value seen, if any
	final gcs.Param
}

func newParamSet(vehicle, self target, name string, value float64, t gcs.ParamType) *paramSet {
	return &paramSet{peers: peers{vehicle: vehicle, self: self}, name: name, value: value, ptype: t,
		timeout: paramTimeout, tries: paramTries}
}

// result is the parameter as the vehicle now holds it, once finished without error.
func (s *paramSet) result() gcs.Param { return s.final }

func (s *paramSet) deadline() time.Time { return s.due }

func (s *paramSet) start(now time.Time) []message.Message {
	s.began = now
	return s.send(now)
}

func (s *paramSet) send(now time.Time) []message.Message {
	s.sends++
	s.due = now.Add(s.timeout)
	return []message.Message{&common.MessageParamSet{
		TargetSystem: s.vehicle.sys, TargetComponent: s.vehicle.comp,
		ParamId: s.name, ParamValue: float32(s.value), ParamType: common.MAV_PARAM_TYPE(s.ptype),
	}}
}

func (s *paramSet) handle(_ time.Time, msg message.Message) []message.Message {
	m, ok := msg.(*common.MessageParamValue)
	if !ok || s.done || m.ParamId != s.name {
		return nil
	}
	got := gcs.Param{Name: m.ParamId, Value: float64(m.ParamValue), Type: gcs.ParamType(m.ParamType)}
	switch {
	case m.ParamValue == float32(s.value):
		s.final = got
		s.finish(nil)
	case m.ParamIndex == 65535:
		s.finish(&ParamRejectedError{SysID: s.vehicle.sys, Name: s.name, Wanted: s.value, Kept: got.Value})
	default:
		s.kept = &got
	}
	return nil
}

func (s *paramSet) tick(now time.Time) []message.Message {
	if s.done || now.Before(s.due) {
		return nil
	}
	if s.sends < s.tries {
		return s.send(now)
	}
	if s.kept != nil {
		s.finish(&ParamRejectedError{SysID: s.vehicle.sys, Name: s.name, Wanted: s.value, Kept: s.kept.Value})
		return nil
	}
	s.finish(&NoAnswerError{SysID: s.vehicle.sys, What: fmt.Sprintf("PARAM_SET %s = %g", s.name, s.value),
		Tries: s.sends, After: now.Sub(s.began)})
	return nil
}

// checkParamValue rejects values the vehicle would silently change: the wire carries a
// float32, and integer parameters hold whole numbers within their type's range.
func checkParamValue(name string, v float64, t gcs.ParamType) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s: %g is not a number a parameter can hold", name, v)
	}
	lo, hi, integer := paramRange(t)
	if integer && v != math.Trunc(v) {
		return fmt.Errorf("%s holds whole numbers only, not %g", name, v)
	}
	if v < lo || v > hi {
		return fmt.Errorf("%s must be between %g and %g, not %g", name, lo, hi, v)
	}
	return nil
}

func paramRange(t gcs.ParamType) (lo, hi float64, integer bool) {
	switch t {
	case gcs.ParamUint8:
		return 0, math.MaxUint8, true
	case gcs.ParamInt8:
		return math.MinInt8, math.MaxInt8, true
	case gcs.ParamUint16:
		return 0, math.MaxUint16, true
	case gcs.ParamInt16:
		return math.MinInt16, math.MaxInt16, true
	case gcs.ParamUint32:
		return 0, math.MaxUint32, true
	case gcs.ParamInt32:
		return math.MinInt32, math.MaxInt32, true
	}
	return -math.MaxFloat32, math.MaxFloat32, false
}
