package gcs

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrNoLink: the station was built without a vehicle link (a replay, a test of the record).
var ErrNoLink = errors.New("no vehicle link: start Vigil with --connect")

// maxCommandLog bounds the station's in-memory command log (the audit record keeps all).
const maxCommandLog = 500

// Do sends one operator intent to its vehicle, once, and returns the vehicle's answer. The
// command and the answer go to the audit record before and after (a command is in the
// record even when the station dies waiting) and to the command log the UI shows. A
// refusal is an error whose text is the vehicle's own ("denied: PreArm: GPS not healthy").
func (s *Station) Do(ctx context.Context, in Intent) (CommandReply, error) {
	if err := in.check(); err != nil {
		return CommandReply{Result: CommandNoAnswer}, err
	}
	if s.Link == nil {
		return CommandReply{Result: CommandNoAnswer}, ErrNoLink
	}
	v, ok := s.Fleet.Vehicle(in.SysID)
	if !ok {
		return CommandReply{Result: CommandNoAnswer}, fmt.Errorf("%w: vehicle %d is not connected", ErrBadIntent, in.SysID)
	}
	if in.Kind == IntentSetHome && v.Home == nil && s.Ground == nil {
		return CommandReply{Result: CommandNoAnswer}, fmt.Errorf("%w: vehicle %d has no home yet and the station has no terrain, so the new home's altitude is unknown", ErrBadIntent, in.SysID)
	}
	// One command at a time per vehicle: MAVLink matches an answer to its command by the
	// command's number only, so two of the same kind in flight could swap answers.
	unlock := s.lockVehicle(&s.commanding, in.SysID)
	defer unlock()
	entry := s.logCommand(in.SysID, in.String())
	reply, err := s.send(ctx, in, v)
	if err == nil && reply.Result != CommandAccepted {
		err = fmt.Errorf("vehicle %d: %s", in.SysID, AnswerText(reply, nil))
	}
	s.logAnswer(entry, reply, err)
	return reply, err
}

// AnswerText says what became of a command as the operator reads it: "accepted",
// "denied: PreArm: GPS not healthy", or the link's sentence for silence.
func AnswerText(r CommandReply, err error) string {
	if r.Result != CommandAccepted && r.Result != CommandNoAnswer {
		if r.Reason != "" {
			return r.Result.String() + ": " + r.Reason
		}
		return r.Result.String()
	}
	if err != nil {
		return err.Error()
	}
	return r.Result.String()
}

func (s *Station) send(ctx context.Context, in Intent, v Vehicle) (CommandReply, error) {
	l := s.Link
	switch in.Kind {
	case IntentArm:
		return l.Arm(ctx, in.SysID, in.Force)
	case IntentDisarm:
		return l.Disarm(ctx, in.SysID, in.Force)
	case IntentTakeoff:
		return l.Takeoff(ctx, in.SysID, in.AltM)
	case IntentLand:
		return l.Land(ctx, in.SysID)
	case IntentRTL:
		return l.RTL(ctx, in.SysID)
	case IntentMode:
		return l.SetMode(ctx, in.SysID, in.Mode)
	case IntentGoto:
		return l.Goto(ctx, in.SysID, s.intentPosition(in, v))
	case IntentOrbit:
		return l.Orbit(ctx, in.SysID, s.intentPosition(in, v), in.RadiusM)
	case IntentSetHome:
		p := s.groundPosition(in, v)
		return l.SetHome(ctx, in.SysID, p)
	case IntentStartMission:
		return l.StartMission(ctx, in.SysID)
	case IntentLookAt:
		return l.SetROI(ctx, in.SysID, s.groundPosition(in, v))
	case IntentPointGimbal:
		return l.PointGimbal(ctx, in.SysID, in.PitchDeg, in.YawDeg, false)
	case IntentWinch:
		return l.Winch(ctx, in.SysID, in.Winch, s.TetherLimits)
	}
	return CommandReply{Result: CommandNoAnswer}, fmt.Errorf("%w: unknown command %d", ErrBadIntent, int(in.Kind))
}

// intentPosition is where to fly: the intent's altitude above home, or the vehicle's own
// when the intent gives none.
func (s *Station) intentPosition(in Intent, v Vehicle) Position {
	p := Position{Point: in.Point, AltRelM: in.AltM}
	if in.AltM == 0 {
		p.AltRelM = v.Position.AltRelM
	}
	if v.Home != nil {
		p.AltMSLM = v.Home.AltMSLM + p.AltRelM
	}
	return p
}

// groundPosition is the ground at the intent's point: from the terrain when the station has
// it, else at home altitude (plus the intent's altitude, if any).
func (s *Station) groundPosition(in Intent, v Vehicle) Position {
	p := Position{Point: in.Point, AltRelM: in.AltM}
	if v.Home != nil {
		p.AltMSLM = v.Home.AltMSLM + in.AltM
		if s.Ground != nil && in.AltM == 0 {
			if h, ok := s.Ground.HeightAt(in.Point); ok {
				p.AltMSLM, p.AltRelM = h, h-v.Home.AltMSLM
			}
		}
	}
	return p
}

// CommandLog returns the operator's commands of this session with their answers, oldest
// first.
func (s *Station) CommandLog() []CommandLogEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CommandLogEntry, len(s.commands))
	for i, e := range s.commands {
		out[i] = *e
	}
	return out
}

type commandLogged struct {
	entry   *CommandLogEntry
	auditID int64
}

func (s *Station) logCommand(sysID uint8, text string) commandLogged {
	at := s.now()
	e := &CommandLogEntry{Time: at, SysID: sysID, Intent: text}
	var id int64
	if s.Audit != nil {
		var err error
		if id, err = s.Audit.LogCommand(at, sysID, text); err != nil {
			s.noteError(err)
		}
	}
	s.mu.Lock()
	s.commands = append(s.commands, e)
	if len(s.commands) > maxCommandLog {
		s.commands = s.commands[len(s.commands)-maxCommandLog:]
	}
	s.mu.Unlock()
	return commandLogged{entry: e, auditID: id}
}

func (s *Station) logAnswer(c commandLogged, r CommandReply, err error) {
	at := s.now()
	if s.Audit != nil && c.auditID != 0 {
		if aerr := s.Audit.LogAnswer(c.auditID, at, r); aerr != nil {
			s.noteError(aerr)
		}
	}
	s.mu.Lock()
	c.entry.Done, c.entry.OK, c.entry.Answer = true, err == nil, AnswerText(r, err)
	s.mu.Unlock()
}

func (s *Station) noteError(err error) {
	s.mu.Lock()
	s.stats.LastError = err.Error()
	s.mu.Unlock()
}

// UploadPlan sends a plan to a vehicle: its mission, and its geofence and rally points
// when it has any. progress, if not nil, is called with the items sent of all three lists,
// from the link's goroutine. The plan is validated first only as far as expanding it.
func (s *Station) UploadPlan(ctx context.Context, sysID uint8, p *Plan, progress func(done, total int)) error {
	if s.Link == nil {
		return ErrNoLink
	}
	unlock := s.lockVehicle(&s.transferring, sysID) // one mission transfer at a time per vehicle
	defer unlock()
	mission, err := p.MissionItems(ExpandOptions{Ground: s.Ground})
	if err != nil {
		return err
	}
	// All three lists go up, empty ones too: an empty list clears what the vehicle held, so
	// a fence or rally points removed from the plan stop being enforced.
	lists := []struct {
		t     MissionType
		items []MissionItem
	}{{MissionTypeMission, mission}, {MissionTypeFence, p.Fence.MissionItems()}, {MissionTypeRally, RallyItems(p.Rally)}}
	total := 0
	for _, l := range lists {
		total += len(l.items)
	}
	entry := s.logCommand(sysID, fmt.Sprintf("Upload a plan of %d mission items to vehicle %d", len(mission), sysID))
	sent := 0
	for _, l := range lists {
		err = s.Link.UploadMission(ctx, sysID, l.t, l.items, func(done, _ int) {
			if progress != nil {
				progress(sent+done, total)
			}
		})
		if err != nil && len(l.items) == 0 && errors.Is(err, ErrListUnsupported) {
			err = nil // nothing to clear on a vehicle without such a list
		}
		if err != nil {
			err = fmt.Errorf("uploading the %s: %w", l.t, err)
			break
		}
		sent += len(l.items)
	}
	if err == nil {
		s.mu.Lock()
		s.setPlan(sysID, p)
		s.mu.Unlock()
	}
	r := CommandReply{Result: CommandAccepted}
	if err != nil {
		r.Result = CommandFailed
	}
	s.logAnswer(entry, r, err)
	return err
}

// DownloadPlan reads a vehicle's mission, geofence and rally points into a plan. progress
// is called per list with the items read so far.
func (s *Station) DownloadPlan(ctx context.Context, sysID uint8, progress func(list MissionType, done, total int)) (*Plan, error) {
	if s.Link == nil {
		return nil, ErrNoLink
	}
	unlock := s.lockVehicle(&s.transferring, sysID)
	defer unlock()
	read := func(t MissionType) ([]MissionItem, error) {
		return s.Link.DownloadMission(ctx, sysID, t, func(done, total int) {
			if progress != nil {
				progress(t, done, total)
			}
		})
	}
	mission, err := read(MissionTypeMission)
	if err != nil {
		return nil, fmt.Errorf("reading vehicle %d's mission: %w", sysID, err)
	}
	p := PlanFromMission(mission)
	// Fence and rally are optional: an autopilot without them answers "unsupported". Any
	// other failure is said: a fence that could not be read is not "no fence".
	fence, err := read(MissionTypeFence)
	if err != nil && !errors.Is(err, ErrListUnsupported) {
		return nil, fmt.Errorf("reading vehicle %d's fence: %w", sysID, err)
	}
	if p.Fence, err = FenceFromItems(fence); err != nil {
		return nil, fmt.Errorf("vehicle %d's fence: %w", sysID, err)
	}
	rally, err := read(MissionTypeRally)
	if err != nil && !errors.Is(err, ErrListUnsupported) {
		return nil, fmt.Errorf("reading vehicle %d's rally points: %w", sysID, err)
	}
	if p.Rally, err = RallyFromItems(rally); err != nil {
		return nil, fmt.Errorf("vehicle %d's rally points: %w", sysID, err)
	}
	s.mu.Lock()
	s.setPlan(sysID, p)
	s.mu.Unlock()
	return p, nil
}

// Plan returns the plan a vehicle holds as far as the station knows (the last one uploaded
// to it or read from it), nil when unknown. Treat it as read-only.
func (s *Station) Plan(sysID uint8) *Plan {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.plans[sysID]
}

func (s *Station) setPlan(sysID uint8, p *Plan) {
	if s.plans == nil {
		s.plans = map[uint8]*Plan{}
	}
	s.plans[sysID] = p
}

// Params reads every parameter of a vehicle; progress as they arrive.
func (s *Station) Params(ctx context.Context, sysID uint8, progress func(done, total int)) ([]Param, error) {
	if s.Link == nil {
		return nil, ErrNoLink
	}
	return s.Link.PullParams(ctx, sysID, progress)
}

// SetParam writes one parameter and returns it as the vehicle confirmed it (the vehicle may
// round or refuse the value). The change goes to the audit record.
func (s *Station) SetParam(ctx context.Context, sysID uint8, name string, value float64) (Param, error) {
	if s.Link == nil {
		return Param{}, ErrNoLink
	}
	entry := s.logCommand(sysID, fmt.Sprintf("Set vehicle %d's %s to %g", sysID, name, value))
	p, err := s.Link.SetParam(ctx, sysID, name, value)
	r := CommandReply{Result: CommandAccepted}
	if err != nil {
		r.Result = CommandFailed
	}
	s.logAnswer(entry, r, err)
	return p, err
}

// vehicleLocks serialises one kind of exchange per vehicle.
type vehicleLocks struct {
	mu    sync.Mutex
	locks map[uint8]*sync.Mutex
}

// lockVehicle takes vehicle sysID's lock of one kind and returns its release.
func (s *Station) lockVehicle(l *vehicleLocks, sysID uint8) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[uint8]*sync.Mutex{}
	}
	m := l.locks[sysID]
	if m == nil {
		m = &sync.Mutex{}
		l.locks[sysID] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}
