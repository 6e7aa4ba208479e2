package sitl

import (
	"fmt"
	"math"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// Battery failsafe levels.
const (
	battOK = iota
	battLow
	battCritical
)

// Internal resistance of the simulated 4S pack: an 18 A hover sags the voltage by about
// 0.2 V, enough that a GCS sees the voltage move with throttle.
const battResistanceOhm = 0.012

// battCurve is resting voltage against remaining charge for a 4S LiPo.
var battCurve = [][2]float64{{0, 14.0}, {0.05, 14.4}, {0.2, 14.8}, {0.9, 16.2}, {1, 16.8}}

// battery is the main battery and its failsafe.
type battery struct {
	consumedMAh float64
	currentA    float64
	voltageV    float64
	level       int           // failsafe level reached (it never goes back down)
	lowFor      time.Duration // how long the low condition has held
	critFor     time.Duration
}

// remaining is the fraction of BATT_CAPACITY left.
func (c *Copter) remaining() float64 {
	capMAh := c.param("BATT_CAPACITY")
	if capMAh <= 0 {
		return 1
	}
	return clamp(1-c.battery.consumedMAh/capMAh, 0, 1)
}

// DrainBattery uses pct percent of the capacity at once: a test hook to reach the failsafe
// without flying for twenty minutes.
func (c *Copter) DrainBattery(pct float64) {
	c.battery.consumedMAh += c.param("BATT_CAPACITY") * pct / 100
	c.battery.voltageV = c.batteryVoltage()
}

func (c *Copter) batteryVoltage() float64 {
	f := c.remaining()
	v := battCurve[len(battCurve)-1][1]
	for i := 1; i < len(battCurve); i++ {
		a, b := battCurve[i-1], battCurve[i]
		if f <= b[0] {
			v = a[1] + (b[1]-a[1])*(f-a[0])/(b[0]-a[0])
			break
		}
	}
	return v - battResistanceOhm*c.battery.currentA
}

// stepBattery draws current for the step (avionics, idle motors, or thrust to the power 1.5
// plus climb) and runs the low and critical failsafes after BATT_LOW_TIMER.
func (c *Copter) stepBattery(d time.Duration) {
	b := &c.battery
	switch {
	case !c.armed:
		b.currentA = 0.5
	case c.landed:
		b.currentA = 2.5
	default:
		b.currentA = 0.5 + 18*math.Pow(c.thrustRatio(), 1.5) + 3*math.Max(c.kin.velUp, 0)
	}
	b.consumedMAh += b.currentA * d.Hours() * 1000
	b.voltageV = c.batteryVoltage()
	if c.param("BATT_MONITOR") == 0 {
		return
	}
	capMAh := c.param("BATT_CAPACITY")
	usedMAh := b.consumedMAh
	timer := time.Duration(c.param("BATT_LOW_TIMER") * float64(time.Second))
	low := b.voltageV < c.param("BATT_LOW_VOLT") ||
		(c.param("BATT_LOW_MAH") > 0 && capMAh-usedMAh < c.param("BATT_LOW_MAH"))
	crit := b.voltageV < c.param("BATT_CRT_VOLT") ||
		(c.param("BATT_CRT_MAH") > 0 && capMAh-usedMAh < c.param("BATT_CRT_MAH"))
	b.lowFor = holdFor(b.lowFor, low, d)
	b.critFor = holdFor(b.critFor, crit, d)
	switch {
	case b.level < battCritical && crit && b.critFor >= timer:
		b.level = battCritical
		c.batteryFailsafe("critical", c.param("BATT_FS_CRT_ACT"))
	case b.level < battLow && low && b.lowFor >= timer:
		b.level = battLow
		c.batteryFailsafe("low", c.param("BATT_FS_LOW_ACT"))
	}
}

func holdFor(acc time.Duration, cond bool, d time.Duration) time.Duration {
	if cond {
		return acc + d
	}
	return 0
}

// batteryFailsafe says so in ArduPilot's words and, when flying, takes the action: 1 LAND,
// 2/3/6 RTL, 4 RTL or LAND, 5 terminate (disarm).
func (c *Copter) batteryFailsafe(kind string, action float64) {
	c.say(gcs.SeverityCritical, fmt.Sprintf("Battery 1 is %s %.2fV used %.0f mAh",
		kind, c.battery.voltageV, c.battery.consumedMAh))
	if !c.armed || c.landed {
		return
	}
	switch int(action) {
	case 1:
		c.failsafeMode(modeLand)
	case 2, 3, 4, 6:
		c.failsafeMode(modeRTL)
	case 5:
		c.disarm()
	}
}

// batteryState is what BATTERY_STATUS / SYS_STATUS report.
func (c *Copter) batteryState() gcs.Battery {
	if c.param("BATT_MONITOR") == 0 {
		return gcs.Battery{RemainingPct: -1}
	}
	b := c.battery
	if b.voltageV == 0 {
		b.voltageV = c.batteryVoltage()
	}
	return gcs.Battery{
		VoltageV:     b.voltageV,
		CurrentA:     b.currentA,
		RemainingPct: int(math.Round(100 * c.remaining())),
	}
}
