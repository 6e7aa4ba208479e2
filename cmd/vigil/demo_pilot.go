package main

import (
	"context"
	"fmt"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// demoReportEvery is how often the demo prints the vehicles.
const demoReportEvery = 10 * time.Second

// fly is the demo's script: the aerostat stares at the targets' ground; copter 1 waits for its
// pre-arm checks (GPS), takes off in GUIDED to the survey altitude and points its camera
// straight down. Each step is sent once; a refusal ends the script with the vehicle's reason.
func (p *demoPilot) fly(ctx context.Context) error {
	c := p.client
	home, _ := parseHome(defaultHome)
	const copter, aerostat = 1, demoCopters + 1

	if err := p.waitFor(ctx, aerostat, "heard", func(v gcs.Vehicle) bool { return v.Connected }); err != nil {
		return err
	}
	if _, err := c.SetROI(ctx, aerostat, gcs.Position{Point: home.Point}); err != nil {
		return fmt.Errorf("aerostat %d: %w", aerostat, err)
	}
	fmt.Printf("vigil demo: aerostat %d watches the ground around home\n", aerostat)

	if err := p.waitFor(ctx, copter, "ready to arm (GPS fix)", func(v gcs.Vehicle) bool { return v.Connected && v.PrearmHealthy }); err != nil {
		return err
	}
	steps := []struct {
		what string
		do   func() (gcs.CommandReply, error)
	}{
		{"GUIDED", func() (gcs.CommandReply, error) { return c.SetMode(ctx, copter, "GUIDED") }},
		{"arm", func() (gcs.CommandReply, error) { return c.Arm(ctx, copter, false) }},
		{"take off", func() (gcs.CommandReply, error) { return c.Takeoff(ctx, copter, demoSurveyAltM) }},
		{"camera down", func() (gcs.CommandReply, error) { return c.PointGimbal(ctx, copter, -90, 0, false) }},
	}
	for _, s := range steps {
		if _, err := s.do(); err != nil {
			return fmt.Errorf("copter %d: %s: %w", copter, s.what, err)
		}
	}
	fmt.Printf("vigil demo: copter %d takes off to %d m and looks down at the targets; copter 2 waits for you\n", copter, demoSurveyAltM)
	return nil
}

// waitFor polls the vehicle until ready says so.
func (p *demoPilot) waitFor(ctx context.Context, sysID uint8, what string, ready func(gcs.Vehicle) bool) error {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		if v, ok := p.client.Fleet.Vehicle(sysID); ok && ready(v) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("vehicle %d: waiting until %s: %w", sysID, what, ctx.Err())
		case <-tick.C:
		}
	}
}

// report prints the vehicle table now and then, until ctx ends.
func (p *demoPilot) report(ctx context.Context) {
	tick := time.NewTicker(demoReportEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			_ = printVehicles(p.client.Fleet.Vehicles(), nil, false)
		}
	}
}
