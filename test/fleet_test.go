package test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/mavlink"
)

// flyIndependently commands vehicle 2 up while vehicle 1 stays on the ground in another mode.
func flyIndependently(t *testing.T, c *mavlink.Client) {
	ctx := ctxT(t, time.Minute)
	_, err := c.SetMode(ctx, 1, "LOITER")
	require.NoError(t, err)
	_, err = c.SetMode(ctx, 2, "GUIDED")
	require.NoError(t, err)
	_, err = c.Arm(ctx, 2, false)
	require.NoError(t, err)
	_, err = c.Takeoff(ctx, 2, 10)
	require.NoError(t, err)
	eventually(t, 30*time.Second, "vehicle 2 climbs while vehicle 1 stays", func() (bool, string) {
		v1, _ := c.Fleet.Vehicle(1)
		v2, _ := c.Fleet.Vehicle(2)
		return v2.Position.AltRelM > 9 && v1.Position.AltRelM < 0.5 && !v1.Armed && v1.Mode == "LOITER",
			describe(v1) + " | " + describe(v2)
	})
}

func TestTwoVehiclesOneLink(t *testing.T) {
	port := freePort(t)
	startSim(t, simOptions{copters: 2, speedup: 4}, fmt.Sprintf("tcpin://127.0.0.1:%d", port))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)
	waitVehicle(t, c, 2)
	flyIndependently(t, c)
}

func TestTwoVehiclesTwoLinks(t *testing.T) {
	p1, p2 := freePort(t), freePort(t)
	startSim(t, simOptions{speedup: 4}, fmt.Sprintf("tcpin://127.0.0.1:%d", p1))
	startSim(t, simOptions{speedup: 4, firstID: 2}, fmt.Sprintf("udpout://127.0.0.1:%d", p2))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", p1), fmt.Sprintf("udp://127.0.0.1:%d", p2))
	waitVehicle(t, c, 1)
	waitVehicle(t, c, 2)
	flyIndependently(t, c)
}

// One vehicle heard on two links is one vehicle, listed with both links.
func TestOneVehicleTwoLinks(t *testing.T) {
	p1, p2 := freePort(t), freePort(t)
	startSim(t, simOptions{gpsDelay: time.Minute}, fmt.Sprintf("tcpin://127.0.0.1:%d", p1), fmt.Sprintf("tcpin://127.0.0.1:%d", p2))
	c := startClient(t, fmt.Sprintf("tcp://127.0.0.1:%d", p1), fmt.Sprintf("tcp://127.0.0.1:%d", p2))
	waitVehicle(t, c, 1)
	eventually(t, 5*time.Second, "heard on both links", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return len(v.Links) == 2, fmt.Sprint(v.Links)
	})
	require.Len(t, c.Fleet.Vehicles(), 1)

	// The refusal's reason arrives on both links and is shown once.
	_, err := c.Arm(ctxT(t, 10*time.Second), 1, false)
	require.Error(t, err)
	time.Sleep(300 * time.Millisecond)
	v, _ := c.Fleet.Vehicle(1)
	n := 0
	for _, st := range v.StatusTexts {
		if st.Text == "PreArm: Need 3D Fix" {
			n++
		}
	}
	require.Equal(t, 1, n, "%+v", v.StatusTexts)
}

// A vehicle whose heartbeats stop is lost after 3.5-5 s, and found again when they return.
func TestLostAndFoundAgain(t *testing.T) {
	port := freePort(t)
	link := fmt.Sprintf("udpout://127.0.0.1:%d", port)
	sim := startSim(t, simOptions{}, link)
	c := startClient(t, fmt.Sprintf("udp://127.0.0.1:%d", port))
	waitVehicle(t, c, 1)

	sim.Close()
	var lostAfter time.Duration
	eventually(t, 8*time.Second, "vehicle lost", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		lostAfter = time.Since(v.LastHeartbeat)
		return !v.Connected, fmt.Sprint(lostAfter)
	})
	require.GreaterOrEqual(t, lostAfter, 3500*time.Millisecond)
	require.LessOrEqual(t, lostAfter, 5*time.Second)

	startSim(t, simOptions{}, link)
	eventually(t, 5*time.Second, "vehicle found again", func() (bool, string) {
		v, _ := c.Fleet.Vehicle(1)
		return v.Connected, ""
	})
	v, _ := c.Fleet.Vehicle(1)
	require.Contains(t, v.StatusTexts[len(v.StatusTexts)-1].Text+v.StatusTexts[0].Text, "link lost")
}
