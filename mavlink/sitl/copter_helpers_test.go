package sitl

import (
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

const testStep = 50 * time.Millisecond

var testHome = gcs.Position{Point: orb.Point{8.5456, 47.3977}, AltMSLM: 488}

// newFixedCopter returns a copter that already has its GPS fix.
func newFixedCopter(t *testing.T) *Copter {
	t.Helper()
	return NewCopter(CopterConfig{Home: testHome, GPSDelay: -1})
}

// runFor steps the copter for d of simulated time.
func runFor(c *Copter, d time.Duration) {
	for range int(d / testStep) {
		c.Step(testStep)
	}
}

// runUntil steps until cond holds and returns the simulated time it took; it fails the test
// after limit.
func runUntil(t *testing.T, c *Copter, limit time.Duration, cond func(VehicleState) bool) time.Duration {
	t.Helper()
	for el := time.Duration(0); el <= limit; el += testStep {
		if cond(c.State()) {
			return el
		}
		c.Step(testStep)
	}
	require.FailNow(t, "condition not met", "after %v of simulated time; state %+v", limit, c.State())
	return 0
}

// texts drains the copter's STATUSTEXTs as strings.
func texts(c *Copter) []string {
	var out []string
	for _, s := range c.TakeStatusTexts() {
		out = append(out, s.Text)
	}
	return out
}

// takeOff arms in GUIDED and climbs to altM.
func takeOff(t *testing.T, c *Copter, altM float64) {
	t.Helper()
	require.Equal(t, resultAccepted, c.SetMode(modeGuided))
	require.Equal(t, resultAccepted, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	require.Equal(t, resultAccepted, c.Command(gcs.CmdNavTakeoff, [7]float64{6: altM}, 0))
	runUntil(t, c, 30*time.Second, func(s VehicleState) bool { return math.Abs(s.Position.AltRelM-altM) < 0.3 })
}

// offset returns the point north/east metres from home.
func offset(northM, eastM float64) orb.Point {
	return newLocalFrame(testHome.Point).toPoint(northM, eastM)
}

// gotoPoint sends DO_REPOSITION to a point north/east of home at altRelM.
func gotoPoint(c *Copter, northM, eastM, altRelM float64) uint8 {
	p := offset(northM, eastM)
	return c.Command(cmdDoReposition, [7]float64{-1, 1, 0, math.NaN(), p.Lat(), p.Lon(), altRelM}, gcs.FrameGlobalRelativeAlt)
}

// distTo is the copter's ground distance from testHome's point.
func distTo(s VehicleState, p orb.Point) float64 { return distanceM(s.Position.Point, p) }
