package sitl

import (
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"

	"github.com/vigil-gcs/vigil/gcs"
)

// paramSender streams a parameter list to the GCS. The list is sent in index order but only
// as fast as the output pacer has room (see Sim.tick), because a burst would overflow
// gomavlib's write queue and silently lose parameters.
type paramSender struct {
	list []gcs.Param
	next int
}

// start begins (or, for a repeated PARAM_REQUEST_LIST, restarts) sending the whole list.
func (p *paramSender) start(list []gcs.Param) {
	p.list, p.next = list, 0
}

// sendNextParam queues the next parameter of a list in progress; false when there is none.
func (v *vehicleServer) sendNextParam(now time.Time) bool {
	p := &v.params
	if p.next >= len(p.list) {
		p.list = nil
		return false
	}
	v.send(now, mavCompAutopilot, paramValueMsg(p.list[p.next], p.next, len(p.list)))
	p.next++
	return true
}

// paramValue encodes a parameter as ArduPilot does (PARAM_FLOAT): the number cast to float32,
// whatever its type, not its bytes.
func paramValueMsg(p gcs.Param, index, count int) *common.MessageParamValue {
	return &common.MessageParamValue{
		ParamId:    p.Name,
		ParamValue: float32(p.Value),
		ParamType:  common.MAV_PARAM_TYPE(p.Type),
		ParamCount: uint16(count),
		ParamIndex: uint16(index),
	}
}

// handleParamRead answers PARAM_REQUEST_READ by index, or by name when the index is -1.
// An unknown parameter gets no answer, as from ArduPilot.
func (v *vehicleServer) handleParamRead(now time.Time, m *common.MessageParamRequestRead) {
	list := v.model.Params()
	i := int(m.ParamIndex)
	if i < 0 {
		i = findParamIndex(list, m.ParamId)
	}
	if i < 0 || i >= len(list) {
		return
	}
	v.send(now, mavCompAutopilot, paramValueMsg(list[i], i, len(list)))
}

// handleParamSet stores a value and echoes the stored parameter (the GCS's only proof the
// set worked). Like ArduPilot, the echo carries index 65535 (-1): a GCS matches it by name.
// An unknown name gets no answer.
func (v *vehicleServer) handleParamSet(now time.Time, m *common.MessageParamSet) {
	p, ok := v.model.SetParam(m.ParamId, float64(m.ParamValue))
	if !ok {
		return
	}
	v.send(now, mavCompAutopilot, paramValueMsg(p, paramIndexUnknown, len(v.model.Params())))
}

// paramIndexUnknown is the param_index ArduPilot puts in the PARAM_VALUE echoing a PARAM_SET.
const paramIndexUnknown = 65535

func findParamIndex(list []gcs.Param, name string) int {
	for i, p := range list {
		if p.Name == name {
			return i
		}
	}
	return -1
}
