package gcs

import (
	"strings"
	"time"
)

// WinchStatus is WINCH_STATUS's status bitmap (MAV_WINCH_STATUS_FLAG).
type WinchStatus uint32

// Winch status bits Vigil reads, as MAVLink numbers them.
const (
	WinchHealthy        WinchStatus = 1
	WinchFullyRetracted WinchStatus = 2
	WinchMoving         WinchStatus = 4
	WinchClutchEngaged  WinchStatus = 8
	WinchLocked         WinchStatus = 16
	WinchRetracting     WinchStatus = 256
)

var winchStatusNames = []struct {
	bit  WinchStatus
	name string
}{
	{WinchHealthy, "healthy"}, {WinchFullyRetracted, "fully retracted"}, {WinchMoving, "moving"},
	{WinchClutchEngaged, "clutch engaged"}, {WinchLocked, "locked"}, {WinchRetracting, "retracting"},
}

// Has reports whether every bit of b is set.
func (s WinchStatus) Has(b WinchStatus) bool { return s&b == b }

// String lists the set bits in words ("healthy, moving"); "unhealthy" leads when the healthy
// bit is clear, because that is what an operator must see first.
func (s WinchStatus) String() string {
	var parts []string
	if !s.Has(WinchHealthy) {
		parts = append(parts, "unhealthy")
	}
	for _, n := range winchStatusNames {
		if s.Has(n.bit) {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, ", ")
}

// Winch is a tether winch as its WINCH_STATUS reports it. Fields the winch does not report
// are NaN (TemperatureC too, when it sends INT16_MAX).
type Winch struct {
	Time         time.Time // GCS time of the report
	CompID       uint8     // the component that reports it (169 for a MAVLink winch)
	LineLengthM  float64   // line paid out
	SpeedMps     float64   // positive paying out, negative reeling in
	TensionKg    float64
	VoltageV     float64
	CurrentA     float64
	TemperatureC float64
	Status       WinchStatus
}

// GeneratorStatus is GENERATOR_STATUS's status bitmap (MAV_GENERATOR_STATUS_FLAG).
type GeneratorStatus uint64

// Generator status bits Vigil reads.
const (
	GeneratorOff              GeneratorStatus = 1
	GeneratorReady            GeneratorStatus = 2
	GeneratorGenerating       GeneratorStatus = 4
	GeneratorOvertempFault    GeneratorStatus = 128
	GeneratorElectronicsFault GeneratorStatus = 1024
	GeneratorPowerSourceFault GeneratorStatus = 2048
	GeneratorPowerRailFault   GeneratorStatus = 16384
	GeneratorOvercurrentFault GeneratorStatus = 32768
)

// generatorFaults are the bits that mean no power is coming.
const generatorFaults = GeneratorOff | GeneratorOvertempFault | GeneratorElectronicsFault |
	GeneratorPowerSourceFault | GeneratorPowerRailFault | GeneratorOvercurrentFault

// TetherPower is the power a tethered vehicle receives through its tether, as its
// GENERATOR_STATUS reports it.
type TetherPower struct {
	Time         time.Time
	Status       GeneratorStatus
	BusVoltageV  float64
	LoadCurrentA float64
	PowerW       float64
}

// Supplying reports whether power is coming up the tether: the converter generates and
// reports no fault.
func (p TetherPower) Supplying() bool {
	return p.Status&GeneratorGenerating != 0 && p.Status&generatorFaults == 0
}

// Wind is the vehicle's wind estimate (ArduPilot's WIND message).
type Wind struct {
	Time     time.Time
	SpeedMps float64
	FromDeg  float64 // the direction it blows from, clockwise from north
}
