package sitl

import (
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"

	"github.com/vigil-gcs/vigil/gcs"
)

// This file builds the messages a tethered vehicle adds: its winch component's heartbeat
// and WINCH_STATUS, the tether power converter's GENERATOR_STATUS, and the wind.

// winchHeartbeatMsg is the winch component's HEARTBEAT: MAV_TYPE_WINCH and no autopilot, so
// a GCS does not take it for a second vehicle.
func winchHeartbeatMsg() *common.MessageHeartbeat {
	return &common.MessageHeartbeat{
		Type:           common.MAV_TYPE_WINCH,
		Autopilot:      common.MAV_AUTOPILOT_INVALID,
		SystemStatus:   common.MAV_STATE_ACTIVE,
		MavlinkVersion: 3,
	}
}

func winchStatusMsg(st VehicleState) *common.MessageWinchStatus {
	w := st.Winch
	temp := int16(math.MaxInt16)
	if !math.IsNaN(w.TemperatureC) {
		temp = int16(clamp(math.Round(w.TemperatureC), math.MinInt16, math.MaxInt16-1))
	}
	return &common.MessageWinchStatus{
		TimeUsec:    uint64(st.BootTime / time.Microsecond),
		LineLength:  float32(w.LineLengthM),
		Speed:       float32(w.SpeedMps),
		Tension:     float32(w.TensionKg),
		Voltage:     float32(w.VoltageV),
		Current:     float32(w.CurrentA),
		Temperature: temp,
		Status:      common.MAV_WINCH_STATUS_FLAG(w.Status),
	}
}

func generatorStatusMsg(p *gcs.TetherPower) *common.MessageGeneratorStatus {
	nan := float32(math.NaN())
	return &common.MessageGeneratorStatus{
		Status:               common.MAV_GENERATOR_STATUS_FLAG(p.Status),
		GeneratorSpeed:       math.MaxUint16,
		BatteryCurrent:       nan,
		LoadCurrent:          float32(p.LoadCurrentA),
		PowerGenerated:       float32(p.PowerW),
		BusVoltage:           float32(p.BusVoltageV),
		RectifierTemperature: math.MaxInt16,
		BatCurrentSetpoint:   nan,
		GeneratorTemperature: math.MaxInt16,
		Runtime:              math.MaxUint32,
		TimeUntilMaintenance: math.MaxInt32,
	}
}

// windMsg is ArduPilot's WIND: the direction the wind comes from, and its speed.
func windMsg(st VehicleState) *ardupilotmega.MessageWind {
	n, e := st.WindNorthMps, st.WindEastMps
	return &ardupilotmega.MessageWind{
		Direction: float32(headingDeg(math.Atan2(-e, -n))),
		Speed:     float32(math.Hypot(n, e)),
	}
}
