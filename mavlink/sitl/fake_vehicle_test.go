package sitl

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// fakeVehicle is a scripted Vehicle for the server tests: it records what the Sim asks and
// answers predictably, so the tests do not depend on the copter model. The mutex lets a test
// inspect it while the Sim's owner goroutine uses it.
type fakeVehicle struct {
	mu       sync.Mutex
	state    VehicleState
	missions [3][]gcs.MissionItem
	params   []gcs.Param
	texts    []gcs.StatusText
	commands []fakeCommand
	steps    int
}

type fakeCommand struct {
	cmd   uint16
	p     [7]float64
	frame uint8
}

var _ Vehicle = (*fakeVehicle)(nil)

// fakeHome is where every fake vehicle stands.
var fakeHome = gcs.Position{Point: orb.Point{8.5455939, 47.3977419}, AltMSLM: 488}

// newFakeVehicle returns a disarmed quadrotor in STABILIZE at home with nParams parameters.
func newFakeVehicle(nParams int) *fakeVehicle {
	f := &fakeVehicle{
		state: VehicleState{
			Type:         gcs.VehicleQuadrotor,
			CustomMode:   0,
			SystemStatus: 3,
			Landed:       true,
			Position:     fakeHome,
			Home:         fakeHome,
			Battery:      gcs.Battery{VoltageV: 12.6, CurrentA: 0.5, RemainingPct: 100},
			GPS:          gcs.GPS{FixType: 3, Satellites: 12, HDOP: 0.8},
			EKFHealthy:   true,
			PrearmOK:     true,
			Gimbal:       gcs.GimbalAttitude{PitchRad: -0.5, YawRad: 0.25, EarthFrame: true},
		},
	}
	f.missions[gcs.MissionTypeMission] = []gcs.MissionItem{f.homeItem()}
	types := []gcs.ParamType{gcs.ParamReal32, gcs.ParamInt8, gcs.ParamInt16, gcs.ParamInt32, gcs.ParamUint8}
	for i := range nParams {
		f.params = append(f.params, gcs.Param{
			Name:  fmt.Sprintf("FAKE_PARAM_%04d", i),
			Value: float64(i) * 0.5,
			Type:  types[i%len(types)],
		})
	}
	return f
}

func (f *fakeVehicle) homeItem() gcs.MissionItem {
	return gcs.MissionItem{
		Frame: gcs.FrameGlobal, Command: gcs.CmdNavWaypoint, Autocontinue: true,
		X: fakeHome.Point[1], Y: fakeHome.Point[0], Z: fakeHome.AltMSLM,
	}
}

func (f *fakeVehicle) Step(dt time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.steps++
	f.state.BootTime += dt
}

func (f *fakeVehicle) State() VehicleState {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.state
	st.MissionCount = len(f.missions[gcs.MissionTypeMission])
	return st
}

// Command arms (400) when prearm checks pass and explains a refusal in a STATUSTEXT, as
// ArduPilot does; it accepts every other command and records all of them.
func (f *fakeVehicle) Command(cmd uint16, p [7]float64, frame uint8) uint8 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, fakeCommand{cmd: cmd, p: p, frame: frame})
	if cmd == 400 {
		if p[0] == 1 && !f.state.PrearmOK {
			f.texts = append(f.texts, gcs.StatusText{Severity: gcs.SeverityCritical, Text: "PreArm: GPS not healthy"})
			return 4
		}
		f.state.Armed = p[0] == 1
	}
	return 0
}

func (f *fakeVehicle) SetMode(customMode uint32) uint8 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if customMode > 27 {
		return 4
	}
	f.state.CustomMode = customMode
	return 0
}

func (f *fakeVehicle) Mission(t gcs.MissionType) []gcs.MissionItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.missions[t])
}

func (f *fakeVehicle) SetMission(t gcs.MissionType, items []gcs.MissionItem) uint8 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.missions[t] = slices.Clone(items)
	if t == gcs.MissionTypeMission && len(items) == 0 {
		f.missions[t] = []gcs.MissionItem{f.homeItem()}
	}
	return 0
}

func (f *fakeVehicle) SetMissionCurrent(seq int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if seq < 0 || seq >= len(f.missions[gcs.MissionTypeMission]) {
		return false
	}
	f.state.MissionCurrent = seq
	return true
}

func (f *fakeVehicle) Params() []gcs.Param {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.params)
}

func (f *fakeVehicle) SetParam(name string, value float64) (gcs.Param, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, p := range f.params {
		if p.Name == name {
			f.params[i].Value = value
			return f.params[i], true
		}
	}
	return gcs.Param{}, false
}

func (f *fakeVehicle) TakeStatusTexts() []gcs.StatusText {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := f.texts
	f.texts = nil
	return t
}

// with runs fn under the lock, for tests that change or read the fake's state.
func (f *fakeVehicle) with(fn func(f *fakeVehicle)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}
