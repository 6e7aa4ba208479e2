package sitl

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestCopterBatteryDrains(t *testing.T) {
	c := newFixedCopter(t)
	idle := c.State().Battery
	takeOff(t, c, 20)
	runFor(c, time.Minute)
	b := c.State().Battery
	require.InDelta(t, 18.5, b.CurrentA, 1.5, "hover current")
	require.Less(t, b.VoltageV, idle.VoltageV)
	require.InDelta(t, 93, b.RemainingPct, 1, "takeoff and a minute of hover use about 7 % of 5200 mAh")
}

func TestCopterLowBatteryFailsafe(t *testing.T) {
	cases := []struct {
		name   string
		action float64
		want   uint32
	}{
		{"RTL", 2, modeRTL},
		{"LAND", 1, modeLand},
		{"none", 0, modeGuided},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFixedCopter(t)
			c.SetParam("BATT_FS_LOW_ACT", tc.action)
			takeOff(t, c, 20)
			c.TakeStatusTexts()
			c.DrainBattery(88)
			require.InDelta(t, 11, c.State().Battery.RemainingPct, 1)
			runFor(c, 9*time.Second)
			require.Equal(t, modeGuided, c.State().CustomMode, "BATT_LOW_TIMER is 10 s")
			runFor(c, 1500*time.Millisecond)
			s := c.State()
			require.Equal(t, tc.want, s.CustomMode)
			require.Equal(t, uint8(5), s.SystemStatus, "critical while the failsafe holds")
			st := c.TakeStatusTexts()
			require.Len(t, st, 1)
			require.Equal(t, gcs.SeverityCritical, st[0].Severity)
			require.True(t, strings.HasPrefix(st[0].Text, "Battery 1 is low "), st[0].Text)
			runFor(c, 10*time.Second)
			require.Empty(t, texts(c), "once per failsafe")
		})
	}
}

func TestCopterCriticalBatteryRefusesArming(t *testing.T) {
	c := newFixedCopter(t)
	c.DrainBattery(100)
	runFor(c, 11*time.Second)
	c.TakeStatusTexts()
	require.False(t, c.State().PrearmOK)
	require.Equal(t, resultFailed, c.Command(cmdComponentArmDisarm, [7]float64{1}, 0))
	require.Equal(t, []string{"PreArm: Battery 1 below minimum arming voltage"}, texts(c))
}
