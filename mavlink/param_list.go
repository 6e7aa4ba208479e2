package mavlink

import (
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/vigil-gcs/vigil/gcs"
)

// Parameter list timing.
const (
	// paramListTimeout and paramListRetries are QGroundControl's wait for the first
	// PARAM_VALUE after PARAM_REQUEST_LIST.
	paramListTimeout = 5 * time.Second
	paramListRetries = 4
	// paramStreamGap is how long the stream may pause before the missing indices are
	// read one by one. Autopilots stream back to back, so half a second is an ended
	// (or stalled) stream; an early guess costs only a few duplicate reads.
	paramStreamGap = 500 * time.Millisecond
	// paramReadWindow is how many PARAM_REQUEST_READs may be outstanding: QGroundControl's
	// batch of 10, which also keeps every answer to a call within gomavlib's write queue.
	paramReadWindow = 10
	// paramIndexTries is how often one index is read before falling back to a new
	// PARAM_REQUEST_LIST (which starts each index's count afresh).
	paramIndexTries = 5
	// A read's timeout follows the measured round trip (4 × the smoothed time, as TCP
	// does), kept between these bounds. QGroundControl waits a fixed 3 s per batch, tuned
	// for slow radios; the simulator and SITL answer within milliseconds, where a fixed 3 s
	// would make a 1,000-parameter pull on a 20 %-loss link take minutes, and a fixed
	// short one would give up on a slow radio whose answers are merely late.
	paramReadTimeoutMin  = 200 * time.Millisecond
	paramReadTimeoutMax  = 2 * time.Second
	paramReadInitialSRTT = 125 * time.Millisecond
)

// paramList reads every parameter of a vehicle. PARAM_REQUEST_LIST makes the vehicle stream
// them all, each PARAM_VALUE carrying its index and the total; once the stream pauses, the
// indices that never arrived are read with PARAM_REQUEST_READ, a few at a time, and if some
// still do not come the whole list is requested again. It ends with every index known or
// with an error: a list with holes is never returned.
type paramList struct {
	peers
	outcome
	progress func(done, total int)

	listTimeout time.Duration
	listRetries int
	streamGap   time.Duration
	window      int
	indexTries  int
	readMin     time.Duration
	readMax     time.Duration

	began     time.Time
	listSends int
	listAt    time.Time // last PARAM_REQUEST_LIST
	lastRx    time.Time // last PARAM_VALUE carrying an index
	count     int       // -1 until the first PARAM_VALUE
	params    []gcs.Param
	have      []bool
	got       int
	byName    map[string]int
	filling   bool
	queue     []int             // missing indices not yet read in this round
	tries     []int             // reads sent per index in this round
	pending   map[int]time.Time // outstanding reads by index, with the time sent
	srtt      time.Duration
}

func newParamList(vehicle, self target, progress func(done, total int)) *paramList {
	return &paramList{
		peers: peers{vehicle: vehicle, self: self}, progress: progress,
		listTimeout: paramListTimeout, listRetries: paramListRetries, streamGap: paramStreamGap,
		window: paramReadWindow, indexTries: paramIndexTries,
		readMin: paramReadTimeoutMin, readMax: paramReadTimeoutMax, srtt: paramReadInitialSRTT,
		count: -1, byName: map[string]int{}, pending: map[int]time.Time{},
	}
}

// result is every parameter in index order, once finished without error.
func (p *paramList) result() []gcs.Param {
	if !p.done || p.err != nil {
		return nil
	}
	return p.params
}

func (p *paramList) start(now time.Time) []message.Message {
	p.began = now
	return p.requestList(now)
}

func (p *paramList) requestList(now time.Time) []message.Message {
	p.listSends++
	p.listAt, p.lastRx, p.filling = now, now, false
	return []message.Message{&common.MessageParamRequestList{
		TargetSystem: p.vehicle.sys, TargetComponent: p.vehicle.comp,
	}}
}

func (p *paramList) readTimeout() time.Duration {
	return min(max(4*p.srtt, p.readMin), p.readMax)
}

func (p *paramList) deadline() time.Time {
	switch {
	case p.count < 0:
		return p.listAt.Add(p.listTimeout)
	case !p.filling:
		return p.lastRx.Add(p.streamGap)
	}
	var first time.Time
	for _, sent := range p.pending {
		if at := sent.Add(p.readTimeout()); first.IsZero() || at.Before(first) {
			first = at
		}
	}
	if first.IsZero() {
		return p.lastRx // nothing outstanding: tick at once to move on
	}
	return first
}

func (p *paramList) handle(now time.Time, msg message.Message) []message.Message {
	m, ok := msg.(*common.MessageParamValue)
	if !ok || p.done {
		return nil
	}
	if m.ParamIndex == 65535 {
		// The answer to a PARAM_SET, ours or another GCS's: fresher than what the stream
		// said, but it tells no index, so it can only update a parameter already known.
		if i, ok := p.byName[m.ParamId]; ok {
			p.params[i].Value, p.params[i].Type = float64(m.ParamValue), gcs.ParamType(m.ParamType)
		}
		return nil
	}
	if p.count < 0 {
		p.count = int(m.ParamCount)
		p.params = make([]gcs.Param, p.count)
		p.have = make([]bool, p.count)
		p.tries = make([]int, p.count)
	}
	idx := int(m.ParamIndex)
	if int(m.ParamCount) != p.count || idx >= p.count {
		return nil // inconsistent with the list being read: stale or from elsewhere
	}
	p.lastRx = now
	if sent, ok := p.pending[idx]; ok {
		if p.tries[idx] == 1 { // Karn: a retried read's answer could belong to any try
			p.srtt += (now.Sub(sent) - p.srtt) / 8
		}
		delete(p.pending, idx)
	}
	if !p.have[idx] {
		p.have[idx] = true
		p.got++
		p.params[idx] = gcs.Param{Name: m.ParamId, Value: float64(m.ParamValue), Type: gcs.ParamType(m.ParamType)}
		p.byName[m.ParamId] = idx
		if p.progress != nil {
			p.progress(p.got, p.count)
		}
	}
	if p.got == p.count {
		p.finish(nil)
		return nil
	}
	if p.filling {
		return p.refill(now, nil)
	}
	return nil
}

func (p *paramList) tick(now time.Time) []message.Message {
	if p.done || now.Before(p.deadline()) {
		return nil
	}
	if p.count < 0 {
		if p.listSends <= p.listRetries {
			return p.requestList(now)
		}
		p.finish(&NoAnswerError{SysID: p.vehicle.sys, What: "PARAM_REQUEST_LIST", Tries: p.listSends,
			After: now.Sub(p.began), Hint: "is the link up?"})
		return nil
	}
	if p.count == 0 {
		p.finish(nil) // a vehicle with no parameters at all: nothing is missing
		return nil
	}
	if !p.filling {
		p.startRound()
	}
	var out []message.Message
	timeout := p.readTimeout()
	for idx, sent := range p.pending {
		if now.Sub(sent) < timeout {
			continue
		}
		if p.tries[idx] < p.indexTries {
			out = append(out, p.read(now, idx))
		} else {
			delete(p.pending, idx) // this round gave up on it
		}
	}
	out = p.refill(now, out)
	if len(p.pending) == 0 {
		// Every missing index has used its reads: ask for the whole list again, the one
		// request every autopilot answers, or give up.
		if p.listSends <= p.listRetries {
			return p.requestList(now)
		}
		p.finish(&PartialTransferError{SysID: p.vehicle.sys, What: "the parameter list", Got: p.got, Total: p.count})
		return nil
	}
	return out
}

// startRound queues every missing index for reading, each with a fresh count of tries.
func (p *paramList) startRound() {
	p.filling = true
	p.queue = p.queue[:0]
	for i, ok := range p.have {
		if !ok {
			p.queue = append(p.queue, i)
			p.tries[i] = 0
		}
	}
	clear(p.pending)
}

// refill tops the outstanding reads up to the window from the queue.
func (p *paramList) refill(now time.Time, out []message.Message) []message.Message {
	for len(p.pending) < p.window && len(p.queue) > 0 {
		idx := p.queue[0]
		p.queue = p.queue[1:]
		// PARAM_REQUEST_READ's index is an int16: higher ones only come with the list.
		if !p.have[idx] && idx <= math.MaxInt16 {
			out = append(out, p.read(now, idx))
		}
	}
	return out
}

func (p *paramList) read(now time.Time, idx int) message.Message {
	p.tries[idx]++
	p.pending[idx] = now
	return &common.MessageParamRequestRead{
		TargetSystem: p.vehicle.sys, TargetComponent: p.vehicle.comp, ParamIndex: int16(idx),
	}
}
