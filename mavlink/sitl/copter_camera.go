package sitl

import "math"

// cameraTrigger takes a photo every DO_SET_CAM_TRIGG_DIST metres of ground travel, as
// ArduPilot's AP_Camera does for surveys.
type cameraTrigger struct {
	distM      float64
	travelledM float64
	lastN      float64
	lastE      float64
	count      int
}

// setTriggerDistance starts (or with 0 stops) distance triggering; now takes a photo at once.
func (c *Copter) setTriggerDistance(distM float64, now bool) {
	t := &c.trigger
	t.distM = math.Max(distM, 0)
	t.travelledM = 0
	t.lastN, t.lastE = c.kin.northM, c.kin.eastM
	if now {
		t.count++
	}
}

func (c *Copter) stepTrigger() {
	t := &c.trigger
	d := math.Hypot(c.kin.northM-t.lastN, c.kin.eastM-t.lastE)
	t.lastN, t.lastE = c.kin.northM, c.kin.eastM
	if t.distM <= 0 || !c.armed || c.landed {
		return
	}
	t.travelledM += d
	for t.travelledM >= t.distM {
		t.travelledM -= t.distM
		t.count++
	}
}

// CameraTriggers is how many photos distance triggering has taken since boot, for the Sim's
// CAMERA_FEEDBACK and for tests.
func (c *Copter) CameraTriggers() int { return c.trigger.count }
