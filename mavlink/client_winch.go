package mavlink

import (
	"context"
	"fmt"

	"github.com/vigil-gcs/vigil/gcs"
)

// Winch component and command (REFERENCE.md: a tethered aerostat is an airship plus a winch).
const (
	// WinchComponentID is MAV_COMP_ID_WINCH, the component a winch speaks from.
	WinchComponentID = 169
	cmdDoWinch       = 42600
	winchInstance    = 1
)

// Winch sends one command to a vehicle's winch and waits for the winch's acknowledgement.
// It goes to the component that reports WINCH_STATUS: a winch of its own (component 169),
// or the autopilot when it drives the winch itself, as ArduPilot's AP_Winch does. The command is checked against lim first and refused, with an error
// wrapping gcs.ErrWinchCommandInvalid, before anything is sent when it is out of bounds:
// a length beyond the tether, a rate over the winch's limit, an absolute length before the
// winch has reported how much line is out. Like every actuating command it is sent once and
// never retried.
func (c *Client) Winch(ctx context.Context, sysID uint8, cmd gcs.WinchCommand, lim gcs.TetherLimits) (gcs.CommandReply, error) {
	v, ok := c.Fleet.Vehicle(sysID)
	if !ok {
		return gcs.CommandReply{Command: cmdDoWinch, Result: gcs.CommandNoAnswer}, &UnknownVehicleError{SysID: sysID}
	}
	order, err := lim.Plan(cmd, v.Winch)
	if err != nil {
		return gcs.CommandReply{Command: cmdDoWinch, Result: gcs.CommandNoAnswer}, fmt.Errorf("vehicle %d: %w", sysID, err)
	}
	comp := uint8(WinchComponentID)
	if v.Winch != nil && v.Winch.CompID != 0 {
		comp = v.Winch.CompID
	}
	return c.Command(ctx, sysID, Command{
		ID:        cmdDoWinch,
		Params:    [7]float64{winchInstance, float64(order.Action), order.LengthM, order.RateMps},
		Action:    order.Describe,
		Component: comp,
	})
}
