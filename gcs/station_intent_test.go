package gcs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// answeringLink answers commands with reply (err for silence) and records what it was sent.
type answeringLink struct {
	reply   CommandReply
	err     error
	sent    []string
	goTo    Position
	uploads map[MissionType][]MissionItem
}

func (l *answeringLink) note(s string) (CommandReply, error) {
	l.sent = append(l.sent, s)
	return l.reply, l.err
}
func (l *answeringLink) Arm(context.Context, uint8, bool) (CommandReply, error) { return l.note("arm") }
func (l *answeringLink) Disarm(context.Context, uint8, bool) (CommandReply, error) {
	return l.note("disarm")
}
func (l *answeringLink) SetMode(_ context.Context, _ uint8, m string) (CommandReply, error) {
	return l.note("mode " + m)
}
func (l *answeringLink) Takeoff(context.Context, uint8, float64) (CommandReply, error) {
	return l.note("takeoff")
}
func (l *answeringLink) Land(context.Context, uint8) (CommandReply, error) { return l.note("land") }
func (l *answeringLink) RTL(context.Context, uint8) (CommandReply, error)  { return l.note("rtl") }
func (l *answeringLink) Goto(_ context.Context, _ uint8, p Position) (CommandReply, error) {
	l.goTo = p
	return l.note("goto")
}
func (l *answeringLink) Orbit(_ context.Context, _ uint8, p Position, _ float64) (CommandReply, error) {
	l.goTo = p
	return l.note("orbit")
}
func (l *answeringLink) SetHome(_ context.Context, _ uint8, p Position) (CommandReply, error) {
	l.goTo = p
	return l.note("home")
}
func (l *answeringLink) StartMission(context.Context, uint8) (CommandReply, error) {
	return l.note("start")
}
func (l *answeringLink) SetROI(_ context.Context, _ uint8, p Position) (CommandReply, error) {
	l.goTo = p
	return l.note("roi")
}
func (l *answeringLink) PointGimbal(context.Context, uint8, float64, float64, bool) (CommandReply, error) {
	return l.note("gimbal")
}
func (l *answeringLink) Winch(context.Context, uint8, WinchCommand, TetherLimits) (CommandReply, error) {
	return l.note("winch")
}
func (l *answeringLink) UploadMission(_ context.Context, _ uint8, t MissionType, items []MissionItem, progress func(int, int)) error {
	for i := range items {
		progress(i+1, len(items))
	}
	if l.uploads == nil {
		l.uploads = map[MissionType][]MissionItem{}
	}
	l.uploads[t] = items
	return l.err
}
func (l *answeringLink) DownloadMission(_ context.Context, _ uint8, t MissionType, progress func(int, int)) ([]MissionItem, error) {
	items := l.uploads[t]
	if progress != nil {
		progress(len(items), len(items))
	}
	return items, l.err
}
func (l *answeringLink) PullParams(context.Context, uint8, func(int, int)) ([]Param, error) {
	return nil, errors.New("no parameters here")
}
func (l *answeringLink) SetParam(_ context.Context, _ uint8, name string, v float64) (Param, error) {
	return Param{Name: name, Value: v}, l.err
}

// auditLog is an in-memory Audit.
type auditLog struct{ commands, answers []string }

func (a *auditLog) LogCommand(_ time.Time, _ uint8, c string) (int64, error) {
	a.commands = append(a.commands, c)
	return int64(len(a.commands)), nil
}
func (a *auditLog) LogAnswer(_ int64, _ time.Time, r CommandReply) error {
	a.answers = append(a.answers, r.Result.String())
	return nil
}

func intentStation(link Link) (*Station, *auditLog) {
	fleet := &Fleet{}
	home := Position{Point: orb.Point{149.16523, -35.363261}, AltMSLM: 584}
	fleet.Update(1, func(v *Vehicle) {
		v.Connected, v.Home = true, &home
		v.Position = Position{Point: home.Point, AltMSLM: 634, AltRelM: 50}
	})
	audit := &auditLog{}
	return &Station{Fleet: fleet, Link: link, Audit: audit}, audit
}

// An intent goes to the vehicle once, into the audit record before and after, and into the
// command log with the vehicle's answer as it came.
func TestStationDoRecordsAndAnswers(t *testing.T) {
	link := &answeringLink{reply: CommandReply{Result: CommandDenied, Reason: "PreArm: GPS not healthy"}}
	st, audit := intentStation(link)
	_, err := st.Do(context.Background(), Intent{SysID: 1, Kind: IntentArm})
	require.EqualError(t, err, "vehicle 1: denied: PreArm: GPS not healthy")
	require.Equal(t, []string{"arm"}, link.sent, "sent once")
	require.Equal(t, []string{"Arm vehicle 1"}, audit.commands)
	require.Equal(t, []string{"denied"}, audit.answers)
	log := st.CommandLog()
	require.Len(t, log, 1)
	require.Equal(t, CommandLogEntry{Time: log[0].Time, SysID: 1, Intent: "Arm vehicle 1", Done: true, Answer: "denied: PreArm: GPS not healthy"}, log[0])

	// Silence is reported as silence.
	link.reply, link.err = CommandReply{Result: CommandNoAnswer}, errors.New("no answer from vehicle 1 to takeoff in 3s")
	_, err = st.Do(context.Background(), Intent{SysID: 1, Kind: IntentTakeoff, AltM: 20})
	require.Error(t, err)
	require.Equal(t, "no answer from vehicle 1 to takeoff in 3s", st.CommandLog()[1].Answer)
	require.False(t, st.CommandLog()[1].OK)
}

func TestStationDoRefusesBeforeSending(t *testing.T) {
	link := &answeringLink{reply: CommandReply{Result: CommandAccepted}}
	st, audit := intentStation(link)
	for _, in := range []Intent{
		{SysID: 1, Kind: IntentTakeoff, AltM: 0},
		{SysID: 1, Kind: IntentTakeoff, AltM: 5000},
		{SysID: 1, Kind: IntentMode},
		{SysID: 1, Kind: IntentGoto},
		{SysID: 1, Kind: IntentOrbit, Point: orb.Point{149, -35}, RadiusM: 0.2},
		{SysID: 1, Kind: IntentPointGimbal, PitchDeg: -120},
		{SysID: 9, Kind: IntentArm},
	} {
		_, err := st.Do(context.Background(), in)
		require.ErrorIs(t, err, ErrBadIntent, "%+v", in)
	}
	require.Empty(t, link.sent)
	require.Empty(t, audit.commands)
	_, err := (&Station{Fleet: st.Fleet}).Do(context.Background(), Intent{SysID: 1, Kind: IntentArm})
	require.ErrorIs(t, err, ErrNoLink)
}

// Fly here keeps the vehicle's altitude when none is given; look here points at the ground.
func TestStationIntentPositions(t *testing.T) {
	link := &answeringLink{reply: CommandReply{Result: CommandAccepted}}
	st, _ := intentStation(link)
	p := OffsetNE(orb.Point{149.16523, -35.363261}, 100, 0)
	_, err := st.Do(context.Background(), Intent{SysID: 1, Kind: IntentGoto, Point: p})
	require.NoError(t, err)
	require.Equal(t, Position{Point: p, AltRelM: 50, AltMSLM: 634}, link.goTo)
	_, err = st.Do(context.Background(), Intent{SysID: 1, Kind: IntentGoto, Point: p, AltM: 30})
	require.NoError(t, err)
	require.Equal(t, 30.0, link.goTo.AltRelM)
	_, err = st.Do(context.Background(), Intent{SysID: 1, Kind: IntentLookAt, Point: p})
	require.NoError(t, err)
	require.Equal(t, Position{Point: p, AltMSLM: 584}, link.goTo, "the ground at home altitude")
	require.Equal(t, "Orbit vehicle 1 around -35.362363, 149.165230, radius 40 m counter-clockwise, at its current altitude",
		Intent{SysID: 1, Kind: IntentOrbit, Point: p, RadiusM: -40}.String())
}

// A plan goes up as mission, fence and rally lists with one progress count over all, and
// the station then knows it as the vehicle's plan; it comes back down the same.
func TestStationUploadAndDownloadPlan(t *testing.T) {
	link := &answeringLink{reply: CommandReply{Result: CommandAccepted}}
	st, audit := intentStation(link)
	home := orb.Point{149.16523, -35.363261}
	p := &Plan{Home: home, HomeAltMSLM: 584,
		Items: []PlanItem{
			SimpleItem{Item: MissionItem{Command: CmdNavTakeoff, Frame: FrameGlobalRelativeAlt, Z: 30}},
			SimpleItem{Item: MissionItem{Command: CmdNavWaypoint, Frame: FrameGlobalRelativeAlt, X: -35.3625, Y: 149.1655, Z: 30}},
		},
		Fence: Fence{Circles: []FenceCircle{{Inclusion: true, Center: home, RadiusM: 300}}},
		Rally: []RallyPoint{{Point: OffsetNE(home, 50, 50), AltM: 20}},
	}
	var last [2]int
	require.NoError(t, st.UploadPlan(context.Background(), 1, p, func(done, total int) { last = [2]int{done, total} }))
	require.Equal(t, [2]int{5, 5}, last, "3 mission items, a fence circle and a rally point")
	require.Len(t, link.uploads[MissionTypeMission], 3)
	require.Same(t, p, st.Plan(1))
	require.Equal(t, []string{"Upload a plan of 3 mission items to vehicle 1"}, audit.commands)

	got, err := st.DownloadPlan(context.Background(), 1, nil)
	require.NoError(t, err)
	require.Len(t, got.Fence.Circles, 1)
	require.Len(t, got.Rally, 1)
	require.Same(t, got, st.Plan(1))

	link.err = errors.New("vehicle 1 refused the mission: no space")
	err = st.UploadPlan(context.Background(), 1, p, nil)
	require.ErrorContains(t, err, "uploading the mission: vehicle 1 refused the mission: no space")
	require.False(t, st.CommandLog()[len(st.CommandLog())-1].OK)
}
