package sitl

import (
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"

	"github.com/vigil-gcs/vigil/gcs"
)

// This file turns a VehicleState into the telemetry messages ArduPilot sends, in its units.

// Flags ArduPilot sets in HEARTBEAT base_mode.
const (
	baseModeCustom    = 1   // MAV_MODE_FLAG_CUSTOM_MODE_ENABLED
	baseModeGuided    = 8   // MAV_MODE_FLAG_GUIDED_ENABLED
	baseModeStabilize = 16  // MAV_MODE_FLAG_STABILIZE_ENABLED
	baseModeManual    = 64  // MAV_MODE_FLAG_MANUAL_INPUT_ENABLED
	baseModeArmed     = 128 // MAV_MODE_FLAG_SAFETY_ARMED
)

// multirotorGuidedModes are the ArduCopter modes for which it sets MAV_MODE_FLAG_GUIDED_ENABLED:
// AUTO, GUIDED, LOITER, RTL, CIRCLE, POSHOLD, BRAKE, SMART_RTL, FOLLOW, AUTO_RTL.
var multirotorGuidedModes = map[uint32]bool{3: true, 4: true, 5: true, 6: true, 7: true, 16: true, 17: true, 21: true, 23: true, 27: true}

func isMultirotor(t gcs.VehicleType) bool {
	return t == gcs.VehicleQuadrotor || t == gcs.VehicleHexarotor || t == gcs.VehicleOctorotor
}

func (v *vehicleServer) heartbeatMsg() *common.MessageHeartbeat {
	st := v.state
	base := uint8(baseModeCustom | baseModeStabilize | baseModeManual)
	if isMultirotor(st.Type) && multirotorGuidedModes[st.CustomMode] {
		base |= baseModeGuided
	}
	if st.Armed {
		base |= baseModeArmed
	}
	return &common.MessageHeartbeat{
		Type:           common.MAV_TYPE(st.Type),
		Autopilot:      common.MAV_AUTOPILOT(gcs.AutopilotArduPilot),
		BaseMode:       common.MAV_MODE_FLAG(base),
		CustomMode:     st.CustomMode,
		SystemStatus:   common.MAV_STATE(st.SystemStatus),
		MavlinkVersion: 3,
	}
}

func statusTextMsg(st gcs.StatusText) *common.MessageStatustext {
	text := st.Text
	if len(text) > 50 {
		text = text[:50]
	}
	return &common.MessageStatustext{Severity: common.MAV_SEVERITY(st.Severity), Text: text}
}

// telemetry builds a streamable message and the component that sends it; nil when the
// vehicle has nothing to say (no home yet, no camera).
func (v *vehicleServer) telemetry(now time.Time, id uint32) (uint8, message.Message) {
	st := v.state
	bootMs := uint32(st.BootTime / time.Millisecond)
	switch id {
	case msgHeartbeat:
		return mavCompAutopilot, v.heartbeatMsg()
	case msgSysStatus:
		return mavCompAutopilot, v.sysStatusMsg()
	case msgSystemTime:
		return mavCompAutopilot, &common.MessageSystemTime{
			TimeUnixUsec: uint64(now.UnixMicro()), TimeBootMs: bootMs,
		}
	case msgGPSRawInt:
		return mavCompAutopilot, v.gpsRawMsg()
	case msgAttitude:
		return mavCompAutopilot, &common.MessageAttitude{
			TimeBootMs: bootMs,
			Roll:       float32(st.Attitude.RollRad),
			Pitch:      float32(st.Attitude.PitchRad),
			Yaw:        float32(angleWrapPi(st.Attitude.YawRad)),
			Rollspeed:  float32(v.rates[0]),
			Pitchspeed: float32(v.rates[1]),
			Yawspeed:   float32(v.rates[2]),
		}
	case msgLocalPositionNED:
		home, ok := v.home()
		if !ok {
			return 0, nil
		}
		n, e := northEastM(home.Point[1], home.Point[0], st.Position.Point[1], st.Position.Point[0])
		return mavCompAutopilot, &common.MessageLocalPositionNed{
			TimeBootMs: bootMs, X: float32(n), Y: float32(e), Z: float32(-st.Position.AltRelM),
			Vx: float32(st.Velocity.NorthMps), Vy: float32(st.Velocity.EastMps), Vz: float32(st.Velocity.DownMps),
		}
	case msgGlobalPositionInt:
		return mavCompAutopilot, &common.MessageGlobalPositionInt{
			TimeBootMs:  bootMs,
			Lat:         degE7(st.Position.Point[1]),
			Lon:         degE7(st.Position.Point[0]),
			Alt:         int32(math.Round(st.Position.AltMSLM * 1000)),
			RelativeAlt: int32(math.Round(st.Position.AltRelM * 1000)),
			Vx:          int16(math.Round(st.Velocity.NorthMps * 100)),
			Vy:          int16(math.Round(st.Velocity.EastMps * 100)),
			Vz:          int16(math.Round(st.Velocity.DownMps * 100)),
			Hdg:         uint16(headingDeg(st.Attitude.YawRad) * 100),
		}
	case msgMissionCurrent:
		return mavCompAutopilot, v.missionCurrentMsg()
	case msgVFRHUD:
		return mavCompAutopilot, &common.MessageVfrHud{
			Airspeed:    float32(st.AirspeedMps),
			Groundspeed: float32(math.Hypot(st.Velocity.NorthMps, st.Velocity.EastMps)),
			Heading:     int16(headingDeg(st.Attitude.YawRad)),
			Throttle:    uint16(max(st.ThrottlePct, 0)),
			Alt:         float32(st.Position.AltMSLM),
			Climb:       float32(-st.Velocity.DownMps),
		}
	case msgBatteryStatus:
		return mavCompAutopilot, v.batteryStatusMsg()
	case msgEKFStatusReport:
		return mavCompAutopilot, ekfStatusMsg(st.EKFHealthy)
	case msgVibration:
		return mavCompAutopilot, &common.MessageVibration{
			TimeUsec: uint64(st.BootTime / time.Microsecond), VibrationX: 2, VibrationY: 2, VibrationZ: 3,
		}
	case msgHomePosition:
		if _, ok := v.home(); !ok {
			return 0, nil
		}
		return mavCompAutopilot, v.homePositionMsg(now)
	case msgGimbalDeviceAttitude:
		return mavCompGimbal, v.gimbalAttitudeMsg()
	case msgWind:
		return mavCompAutopilot, windMsg(st)
	case msgWinchStatus:
		if st.Winch == nil {
			return 0, nil
		}
		return mavCompWinch, winchStatusMsg(st)
	case msgFenceStatus:
		if st.Fence == nil {
			return 0, nil
		}
		return mavCompAutopilot, &common.MessageFenceStatus{
			BreachStatus: boolByte(st.Fence.Breached), BreachCount: uint16(min(st.Fence.Breaches, 65535)),
			BreachType: common.FENCE_BREACH(st.Fence.LastBreach), BreachTime: uint32(st.Fence.LastTime / time.Millisecond),
		}
	case msgGeneratorStatus:
		if st.TetherPower == nil {
			return 0, nil
		}
		// The tether's power supply is reported by the winch that carries it, when there is one.
		comp := uint8(mavCompAutopilot)
		if st.Winch != nil {
			comp = mavCompWinch
		}
		return comp, generatorStatusMsg(st.TetherPower)
	}
	return 0, nil
}

// MAV_SYS_STATUS_SENSOR bits the simulated autopilot reports.
const (
	sysSensorGyro     = 0x01
	sysSensorAccel    = 0x02
	sysSensorMag      = 0x04
	sysSensorBaro     = 0x08
	sysSensorGPS      = 0x20
	sysSensorMotors   = 0x8000
	sysSensorAHRS     = 0x200000
	sysSensorBattery  = 0x2000000
	sysSensorPrearm   = 0x10000000
	sysSensorsPresent = sysSensorGyro | sysSensorAccel | sysSensorMag | sysSensorBaro | sysSensorGPS | sysSensorMotors |
		sysSensorAHRS | sysSensorBattery | sysSensorPrearm
)

func (v *vehicleServer) sysStatusMsg() *common.MessageSysStatus {
	st := v.state
	health := uint32(sysSensorsPresent)
	if st.GPS.FixType < 3 {
		health &^= sysSensorGPS
	}
	if !st.EKFHealthy {
		health &^= sysSensorAHRS
	}
	if !st.PrearmOK {
		health &^= sysSensorPrearm
	}
	return &common.MessageSysStatus{
		OnboardControlSensorsPresent: common.MAV_SYS_STATUS_SENSOR(sysSensorsPresent),
		OnboardControlSensorsEnabled: common.MAV_SYS_STATUS_SENSOR(sysSensorsPresent),
		OnboardControlSensorsHealth:  common.MAV_SYS_STATUS_SENSOR(health),
		Load:                         150,
		VoltageBattery:               uint16(math.Round(st.Battery.VoltageV * 1000)),
		CurrentBattery:               int16(math.Round(st.Battery.CurrentA * 100)),
		BatteryRemaining:             int8(st.Battery.RemainingPct),
	}
}

func (v *vehicleServer) gpsRawMsg() *common.MessageGpsRawInt {
	st := v.state
	hdop := uint16(math.MaxUint16)
	if st.GPS.HDOP > 0 {
		hdop = uint16(math.Round(st.GPS.HDOP * 100))
	}
	return &common.MessageGpsRawInt{
		TimeUsec:          uint64(st.BootTime / time.Microsecond),
		FixType:           common.GPS_FIX_TYPE(st.GPS.FixType),
		Lat:               degE7(st.Position.Point[1]),
		Lon:               degE7(st.Position.Point[0]),
		Alt:               int32(math.Round(st.Position.AltMSLM * 1000)),
		Eph:               hdop,
		Epv:               math.MaxUint16,
		Vel:               uint16(math.Round(math.Hypot(st.Velocity.NorthMps, st.Velocity.EastMps) * 100)),
		Cog:               uint16(headingDeg(math.Atan2(st.Velocity.EastMps, st.Velocity.NorthMps)) * 100),
		SatellitesVisible: uint8(st.GPS.Satellites),
	}
}

func (v *vehicleServer) batteryStatusMsg() *common.MessageBatteryStatus {
	b := v.state.Battery
	m := &common.MessageBatteryStatus{
		BatteryFunction:  common.MAV_BATTERY_FUNCTION_ALL,
		Type:             common.MAV_BATTERY_TYPE_LIPO,
		Temperature:      math.MaxInt16, // unknown
		CurrentBattery:   int16(math.Round(b.CurrentA * 100)),
		CurrentConsumed:  -1,
		EnergyConsumed:   -1,
		BatteryRemaining: int8(b.RemainingPct),
	}
	for i := range m.Voltages {
		m.Voltages[i] = math.MaxUint16 // no per-cell voltages
	}
	m.Voltages[0] = uint16(min(math.Round(b.VoltageV*1000), math.MaxUint16-1))
	return m
}

// ekfStatusMsg reports a healthy EKF (attitude, velocity and position solutions, low
// variances) or one a GCS shows red (variances above 0.8, position flags cleared).
func ekfStatusMsg(healthy bool) *ardupilotmega.MessageEkfStatusReport {
	if !healthy {
		return &ardupilotmega.MessageEkfStatusReport{
			Flags:            ardupilotmega.EKF_ATTITUDE,
			VelocityVariance: 1, PosHorizVariance: 1, PosVertVariance: 1, CompassVariance: 1,
		}
	}
	return &ardupilotmega.MessageEkfStatusReport{
		Flags: ardupilotmega.EKF_ATTITUDE | ardupilotmega.EKF_VELOCITY_HORIZ | ardupilotmega.EKF_VELOCITY_VERT |
			ardupilotmega.EKF_POS_HORIZ_REL | ardupilotmega.EKF_POS_HORIZ_ABS | ardupilotmega.EKF_POS_VERT_ABS |
			ardupilotmega.EKF_PRED_POS_HORIZ_REL | ardupilotmega.EKF_PRED_POS_HORIZ_ABS,
		VelocityVariance: 0.05, PosHorizVariance: 0.05, PosVertVariance: 0.05, CompassVariance: 0.05,
	}
}

// missionCurrentMsg reports the current item; total excludes home, as ArduPilot counts it.
func (v *vehicleServer) missionCurrentMsg() *common.MessageMissionCurrent {
	st := v.state
	total := max(st.MissionCount-1, 0)
	state := common.MISSION_STATE_NOT_STARTED
	switch {
	case total == 0:
		state = common.MISSION_STATE_NO_MISSION
	case st.MissionCurrent >= st.MissionCount:
		state = common.MISSION_STATE_COMPLETE
	case st.Armed && !st.Landed && st.MissionCurrent > 0:
		state = common.MISSION_STATE_ACTIVE
	}
	return &common.MessageMissionCurrent{
		Seq: uint16(max(st.MissionCurrent, 0)), Total: uint16(total), MissionState: state,
	}
}

func (v *vehicleServer) homePositionMsg(now time.Time) *common.MessageHomePosition {
	h := v.state.Home
	return &common.MessageHomePosition{
		Latitude:  degE7(h.Point[1]),
		Longitude: degE7(h.Point[0]),
		Altitude:  int32(math.Round(h.AltMSLM * 1000)),
		Q:         [4]float32{1, 0, 0, 0},
		TimeUsec:  uint64(v.state.BootTime / time.Microsecond),
	}
}

func (v *vehicleServer) gimbalAttitudeMsg() *common.MessageGimbalDeviceAttitudeStatus {
	g := v.state.Gimbal
	// The flag values are the dialect's (YAW_IN_VEHICLE_FRAME 32, YAW_IN_EARTH_FRAME 64).
	flags := common.GIMBAL_DEVICE_FLAGS_ROLL_LOCK | common.GIMBAL_DEVICE_FLAGS_PITCH_LOCK
	deltaYaw := g.YawRad
	if g.EarthFrame {
		flags |= common.GIMBAL_DEVICE_FLAGS_YAW_LOCK | common.GIMBAL_DEVICE_FLAGS_YAW_IN_EARTH_FRAME
		deltaYaw = angleWrapPi(g.YawRad - v.state.Attitude.YawRad)
	} else {
		flags |= common.GIMBAL_DEVICE_FLAGS_YAW_IN_VEHICLE_FRAME
	}
	return &common.MessageGimbalDeviceAttitudeStatus{
		TimeBootMs:       uint32(v.state.BootTime / time.Millisecond),
		Flags:            flags,
		Q:                eulerToQuat(g.RollRad, g.PitchRad, g.YawRad),
		AngularVelocityX: float32(math.NaN()),
		AngularVelocityY: float32(math.NaN()),
		AngularVelocityZ: float32(math.NaN()),
		DeltaYaw:         float32(deltaYaw),
		DeltaYawVelocity: float32(math.NaN()),
	}
}

// eulerToQuat converts ZYX Euler angles to a quaternion w, x, y, z.
func eulerToQuat(roll, pitch, yaw float64) [4]float32 {
	cr, sr := math.Cos(roll/2), math.Sin(roll/2)
	cp, sp := math.Cos(pitch/2), math.Sin(pitch/2)
	cy, sy := math.Cos(yaw/2), math.Sin(yaw/2)
	return [4]float32{
		float32(cr*cp*cy + sr*sp*sy),
		float32(sr*cp*cy - cr*sp*sy),
		float32(cr*sp*cy + sr*cp*sy),
		float32(cr*cp*sy - sr*sp*cy),
	}
}

func degE7(deg float64) int32 { return int32(math.Round(deg * 1e7)) }

// headingDeg maps a yaw to 0..359.99 degrees.
func headingDeg(yawRad float64) float64 {
	d := math.Mod(yawRad*180/math.Pi, 360)
	if d < 0 {
		d += 360
	}
	return d
}

func angleWrapPi(a float64) float64 {
	a = math.Mod(a+math.Pi, 2*math.Pi)
	if a < 0 {
		a += 2 * math.Pi
	}
	return a - math.Pi
}

// northEastM is the flat-earth offset from one point to another, accurate to centimetres over
// the few kilometres a simulated flight covers.
func northEastM(lat0, lon0, lat, lon float64) (north, east float64) {
	const earthRadiusM = 6378137.0
	rad := math.Pi / 180
	north = (lat - lat0) * rad * earthRadiusM
	east = (lon - lon0) * rad * earthRadiusM * math.Cos(lat0*rad)
	return north, east
}
