package sitl

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// AerostatConfig configures a simulated tethered aerostat. Zero values take the defaults,
// a small camp-watch aerostat: 600 N (61 kg) of free lift, a 300 m power tether of
// 0.5 N/m (51 g/m) on a winch of 2 m/s, and a drag area CdA of 4 m².
type AerostatConfig struct {
	// Home is where the winch stands, on the ground. Required.
	Home gcs.Position
	// WindMps and WindFromDeg set a steady wind; gusts of ±30 % come from Seed.
	WindMps, WindFromDeg float64
	// Seed makes gusts repeatable.
	Seed int64
	// Camera describes the gimbal camera; nil means none (the gimbal is there anyway).
	Camera *gcs.CameraInfo

	// TetherLengthM is the line on the drum. It defaults to 300 m.
	TetherLengthM float64
	// WinchRateMaxMps is the fastest line speed. It defaults to 2 m/s.
	WinchRateMaxMps float64
	// FreeLiftN is the lift left after the envelope and payload. It defaults to 600 N.
	FreeLiftN float64
	// TetherNPerM is the tether's weight per metre. It defaults to 0.5 N/m.
	TetherNPerM float64
	// DragAreaM2 is the drag coefficient times the reference area. It defaults to 4 m².
	DragAreaM2 float64
	// LiftLossPerDay is the fraction of lift the helium loses per day through the envelope.
	// It defaults to 0.5 %; negative means none.
	LiftLossPerDay float64
	// LineM is the line out at boot; 0 boots on the mooring, fully retracted.
	LineM float64
}

// Aerostat model constants.
const (
	aerostatLagS                    = 4.0 // the balloon swings to a new equilibrium with this time constant
	aerostatTrimPitch               = 3.0 // degrees nose up: the envelope's trim on its bridle
	aerostatModeLoiter              = 3   // ArduPilot Blimp's LOITER: all a tethered aerostat does
	aerostatBackupMin               = 30  // the payload battery lasts 30 minutes without tether power
	aerostatPayloadW                = 290 // camera, radio and autopilot through the tether
	aerostatConverterV              = 48  // the tether power converter's output
	aerostatBattFullV               = 25.2
	aerostatBattEmptyV              = 21.0
	resultTemporarilyRejected uint8 = 1 // MAV_RESULT_TEMPORARILY_REJECTED
	mavTypeAirship                  = gcs.VehicleAirship
	defaultLiftLossFrac             = 0.005
)

// Aerostat is a simulated tethered aerostat: a helium balloon on a tether from a ground
// winch at home, with a gimbal camera and a tether power supply. It implements Vehicle;
// the Inject methods are the only ones safe to call while a Sim runs it.
type Aerostat struct {
	conf  AerostatConfig
	frame localFrame
	home  gcs.Position

	now    time.Duration
	wind   wind
	winch  winch
	gimbal gimbal
	params paramTable

	liftN      float64
	angleRad   float64 // lean of the line, lagging the equilibrium
	azimuthRad float64 // direction the balloon lies from the winch (downwind)
	groundM    float64
	northM     float64
	eastM      float64
	heightM    float64
	velN       float64
	velE       float64
	velUp      float64
	yawRad     float64
	tensionN   float64

	battFrac float64 // payload battery
	faults   aerostatFaults
	active   faultState
	statusTexts
}

var _ Vehicle = (*Aerostat)(nil)

// NewAerostat returns an aerostat on its mooring at conf.Home (or at conf.LineM of line).
func NewAerostat(conf AerostatConfig) *Aerostat {
	def := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&conf.TetherLengthM, gcs.DefaultTetherLengthM)
	def(&conf.WinchRateMaxMps, gcs.DefaultWinchRateMaxMps)
	def(&conf.FreeLiftN, 600)
	def(&conf.TetherNPerM, 0.5)
	def(&conf.DragAreaM2, 4)
	if conf.LiftLossPerDay == 0 {
		conf.LiftLossPerDay = defaultLiftLossFrac
	}
	a := &Aerostat{
		conf:     conf,
		frame:    newLocalFrame(conf.Home.Point),
		home:     gcs.Position{Point: conf.Home.Point, AltMSLM: conf.Home.AltMSLM},
		wind:     newWind(conf.WindMps, conf.WindFromDeg, conf.Seed),
		winch:    newWinch(conf.TetherLengthM, conf.WinchRateMaxMps, conf.LineM),
		gimbal:   newGimbal(),
		params:   newAerostatParams(conf),
		liftN:    conf.FreeLiftN,
		battFrac: 1,
	}
	// Start at equilibrium in the steady wind, so a booted aerostat does not swing.
	eq := a.equilibrium(math.Hypot(a.wind.northMps, a.wind.eastMps))
	a.angleRad = eq.AngleRad
	a.azimuthRad = math.Atan2(a.wind.eastMps, a.wind.northMps)
	a.yawRad = wrapPi(a.azimuthRad + math.Pi)
	a.place(eq, 0)
	a.tensionN = eq.TensionN
	return a
}

// equilibrium is the blow-down solution for the line out now and a wind speed.
func (a *Aerostat) equilibrium(windMps float64) blowDown {
	return equilibrium(a.winch.lineM, a.liftN, a.conf.TetherNPerM, dragN(a.conf.DragAreaM2, windMps))
}

// Step advances the simulation by dt of simulated time.
func (a *Aerostat) Step(dt time.Duration) {
	a.active = a.faults.take(a.active)
	if a.active.gustUntil < 0 { // a gust injected since the last step starts now
		a.active.gustUntil = a.now + a.active.gustFor
	}
	a.winch.stalled = a.active.stall
	for dt > 0 {
		sub := min(dt, maxSubstep)
		a.step(sub)
		dt -= sub
	}
}

func (a *Aerostat) step(d time.Duration) {
	dt := d.Seconds()
	a.now += d
	a.wind.step(dt)
	windN, windE := a.windNE()
	windMps := math.Hypot(windN, windE)

	// Helium seeps out of the envelope; a leak fault adds to it.
	lossPerS := math.Max(a.conf.LiftLossPerDay, 0)/86400 + a.active.leakPerS
	a.liftN *= math.Exp(-lossPerS * dt)

	eq := a.equilibrium(windMps)
	a.tensionN = eq.TensionN + a.active.snagKg*gravityMps2
	for _, s := range a.winch.step(dt, a.tensionN, eq.AirborneM > 0 || a.liftN > 0) {
		a.say(gcs.SeverityCritical, s)
	}
	eq = a.equilibrium(windMps) // the line moved

	// The balloon swings to the new lean and turns downwind with a lag; its distance from
	// the winch follows the line at once (the tether is taut).
	k := math.Min(dt/aerostatLagS, 1)
	a.angleRad += (eq.AngleRad - a.angleRad) * k
	if windMps > 0.1 {
		a.azimuthRad = approachAngle(a.azimuthRad, math.Atan2(windE, windN), math.Abs(wrapPi(math.Atan2(windE, windN)-a.azimuthRad))*k)
	}
	a.place(eq, dt)
	a.yawRad = wrapPi(a.azimuthRad + math.Pi) // nose into the wind

	a.gimbal.step(dt, a.northM, a.eastM, a.home.AltMSLM+a.heightM, a.yawRad)
	a.stepBattery(dt)
}

// place puts the balloon on its line: the airborne part at the lagged lean, the ground
// part along the azimuth. dt > 0 also updates the velocity.
func (a *Aerostat) place(eq blowDown, dt float64) {
	air := eq.AirborneM
	horiz := eq.GroundM + air*math.Sin(a.angleRad)
	n := horiz * math.Cos(a.azimuthRad)
	e := horiz * math.Sin(a.azimuthRad)
	h := air * math.Cos(a.angleRad)
	if dt > 0 {
		a.velN, a.velE, a.velUp = (n-a.northM)/dt, (e-a.eastM)/dt, (h-a.heightM)/dt
	}
	a.northM, a.eastM, a.heightM, a.groundM = n, e, h, eq.GroundM
}

// windNE is the wind at the balloon, with any injected gust along the steady wind.
func (a *Aerostat) windNE() (north, east float64) {
	n, e := a.wind.northMps, a.wind.eastMps
	if g := a.active.gustMps; g != 0 && a.now < a.active.gustUntil {
		dir := math.Atan2(a.wind.steadyE, a.wind.steadyN)
		if a.wind.steadyN == 0 && a.wind.steadyE == 0 {
			dir = 0 // no steady wind: the gust comes from the south
		}
		n += g * math.Cos(dir)
		e += g * math.Sin(dir)
	}
	return n, e
}

// stepBattery drains the payload battery while the tether brings no power, and charges it
// when power is back.
func (a *Aerostat) stepBattery(dt float64) {
	rate := dt / (aerostatBackupMin * 60)
	if a.active.powerLost {
		a.battFrac = math.Max(a.battFrac-rate, 0)
	} else {
		a.battFrac = math.Min(a.battFrac+rate/4, 1)
	}
}

// position is where the balloon is.
func (a *Aerostat) position() gcs.Position {
	return gcs.Position{
		Point:   a.frame.toPoint(a.northM, a.eastM),
		AltMSLM: a.home.AltMSLM + a.heightM,
		AltRelM: a.heightM,
	}
}

// State is a snapshot of everything the telemetry streams report.
func (a *Aerostat) State() VehicleState {
	windN, windE := a.windNE()
	aloft := a.winch.lineM > winchRetractedM
	status := uint8(3) // standby on the mooring
	if aloft {
		status = 4
	}
	w := a.winch.status(a.tensionN)
	if a.active.powerLost || !w.Status.Has(gcs.WinchHealthy) {
		status = 5 // critical
	}
	return VehicleState{
		BootTime:     a.now,
		Type:         mavTypeAirship,
		CustomMode:   aerostatModeLoiter,
		SystemStatus: status,
		Landed:       !aloft,
		Position:     a.position(),
		Attitude:     gcs.Attitude{PitchRad: deg2rad(aerostatTrimPitch), YawRad: a.yawRad},
		Velocity:     gcs.Velocity{NorthMps: a.velN, EastMps: a.velE, DownMps: -a.velUp},
		AirspeedMps:  math.Hypot(windN-a.velN, windE-a.velE),
		Home:         a.home,
		Battery:      a.battery(),
		GPS:          gcs.GPS{FixType: 3, Satellites: 14, HDOP: 0.7},
		EKFHealthy:   true,
		PrearmOK:     true,
		MissionCount: 1,
		Gimbal:       a.gimbal.attitude(a.yawRad),
		ROI:          a.gimbal.roiPosition(a.home.AltMSLM),
		Camera:       a.conf.Camera,
		WindNorthMps: windN,
		WindEastMps:  windE,
		Winch:        &w,
		TetherPower:  a.tetherPower(),
	}
}

// battery is the payload battery: on tether power it floats full and the current comes
// through the converter; without it the payload draws from it.
func (a *Aerostat) battery() gcs.Battery {
	b := gcs.Battery{
		VoltageV:     aerostatBattEmptyV + (aerostatBattFullV-aerostatBattEmptyV)*a.battFrac,
		RemainingPct: int(math.Round(100 * a.battFrac)),
	}
	if a.active.powerLost {
		b.CurrentA = aerostatPayloadW / b.VoltageV
	}
	return b
}

// tetherPower is the tether power converter's GENERATOR_STATUS.
func (a *Aerostat) tetherPower() *gcs.TetherPower {
	if a.active.powerLost {
		return &gcs.TetherPower{Status: gcs.GeneratorOff | gcs.GeneratorPowerSourceFault}
	}
	return &gcs.TetherPower{
		Status:       gcs.GeneratorGenerating,
		BusVoltageV:  aerostatConverterV,
		LoadCurrentA: aerostatPayloadW / aerostatConverterV,
		PowerW:       aerostatPayloadW,
	}
}

// Command executes a COMMAND_LONG or COMMAND_INT and returns a MAV_RESULT: the winch and
// the gimbal; a tethered aerostat has nothing to arm and nowhere to fly. DO_WINCH is taken
// whether it was addressed to the winch component or the autopilot, as ArduPilot's
// autopilot drives its winch itself.
func (a *Aerostat) Command(cmd uint16, p [7]float64, frame uint8) uint8 {
	switch cmd {
	case cmdDoWinch:
		r, why := a.winch.command(p)
		if why != "" {
			a.say(gcs.SeverityWarning, why)
		}
		return r
	case cmdComponentArmDisarm, gcs.CmdNavTakeoff, gcs.CmdNavLand, gcs.CmdNavReturnToLaunch, cmdDoReposition, cmdDoOrbit:
		a.say(gcs.SeverityWarning, "Aerostat: tethered, use the winch")
		return resultUnsupported
	}
	alt := func(alt float64) float64 {
		if frame == gcs.FrameGlobal || frame == 5 {
			return alt
		}
		return a.home.AltMSLM + alt
	}
	if a.gimbal.command(cmd, p, a.frame, alt) {
		return resultAccepted
	}
	return resultUnsupported
}

// SetMode accepts LOITER, the only thing a tethered aerostat does.
func (a *Aerostat) SetMode(customMode uint32) uint8 {
	if customMode == aerostatModeLoiter {
		return resultAccepted
	}
	a.say(gcs.SeverityWarning, "Mode change failed: a tethered aerostat only holds LOITER")
	return resultDenied
}

// Mission is just home: a tethered aerostat flies no missions.
func (a *Aerostat) Mission(t gcs.MissionType) []gcs.MissionItem {
	if t != gcs.MissionTypeMission {
		return nil
	}
	return []gcs.MissionItem{{Frame: gcs.FrameGlobal, Command: gcs.CmdNavWaypoint, Autocontinue: true,
		X: a.home.Point.Lat(), Y: a.home.Point.Lon(), Z: a.home.AltMSLM}}
}

// SetMission refuses every upload.
func (a *Aerostat) SetMission(gcs.MissionType, []gcs.MissionItem) uint8 { return missionUnsupported }

// SetMissionCurrent has nothing to set.
func (a *Aerostat) SetMissionCurrent(int) bool { return false }

// Params lists the aerostat's parameters, sorted by name.
func (a *Aerostat) Params() []gcs.Param { return slices.Clone(a.params.list) }

// SetParam stores a value; false for an unknown name. The winch's limits follow theirs.
func (a *Aerostat) SetParam(name string, value float64) (gcs.Param, bool) {
	p, ok := a.params.set(name, value)
	switch {
	case !ok || p.Value <= 0:
	case name == "WINCH_RATE_MAX":
		a.winch.maxRateMps = p.Value
	case name == "WINCH_LEN_MAX":
		a.winch.maxLineM = p.Value
	}
	return p, ok
}

// newAerostatParams are the few parameters an aerostat's autopilot and winch expose.
func newAerostatParams(conf AerostatConfig) paramTable {
	return newParamTableFrom([]gcs.Param{
		{Name: "SYSID_THISMAV", Value: 1, Type: gcs.ParamInt16},
		{Name: "SYSID_MYGCS", Value: 255, Type: gcs.ParamInt16},
		{Name: "WINCH_TYPE", Value: 1, Type: gcs.ParamInt8},
		{Name: "WINCH_RATE_MAX", Value: conf.WinchRateMaxMps, Type: gcs.ParamReal32},
		{Name: "WINCH_LEN_MAX", Value: conf.TetherLengthM, Type: gcs.ParamReal32},
	}, 0)
}

// aerostatFaults is the hand-off of injected faults from test goroutines to the owner
// goroutine that steps the model.
type aerostatFaults struct {
	mu      sync.Mutex
	pending []func(*faultState)
}

// faultState is the faults in force, owned by the stepping goroutine.
type faultState struct {
	gustMps   float64
	gustUntil time.Duration
	gustFor   time.Duration
	snagKg    float64
	stall     bool
	powerLost bool
	leakPerS  float64
}

func (f *aerostatFaults) add(fn func(*faultState)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = append(f.pending, fn)
}

// take applies the faults injected since the last step.
func (f *aerostatFaults) take(s faultState) faultState {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fn := range f.pending {
		fn(&s)
	}
	f.pending = nil
	return s
}

// InjectGust adds speedMps to the wind, along the steady wind, for d of simulated time from
// the next step. It is safe to call while a Sim runs the aerostat.
func (a *Aerostat) InjectGust(speedMps float64, d time.Duration) {
	a.faults.add(func(s *faultState) { s.gustMps, s.gustFor, s.gustUntil = speedMps, d, -1 })
}

// InjectSnag adds kg of load to the line (caught on something, or iced): tension over the
// limit. 0 clears it. It is safe to call while a Sim runs the aerostat.
func (a *Aerostat) InjectSnag(kg float64) {
	a.faults.add(func(s *faultState) { s.snagKg = math.Max(kg, 0) })
}

// InjectWinchStall jams (or frees) the winch motor. It is safe to call while a Sim runs the
// aerostat.
func (a *Aerostat) InjectWinchStall(stalled bool) {
	a.faults.add(func(s *faultState) { s.stall = stalled })
}

// InjectTetherPowerLoss cuts (or restores) the power coming up the tether. It is safe to
// call while a Sim runs the aerostat.
func (a *Aerostat) InjectTetherPowerLoss(lost bool) {
	a.faults.add(func(s *faultState) { s.powerLost = lost })
}

// InjectLeak makes the envelope lose fractionPerMinute of its lift every minute, on top of
// the slow seepage. It is safe to call while a Sim runs the aerostat.
func (a *Aerostat) InjectLeak(fractionPerMinute float64) {
	a.faults.add(func(s *faultState) { s.leakPerS = -math.Log(1-clamp(fractionPerMinute, 0, 0.99)) / 60 })
}
