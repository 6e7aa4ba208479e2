package mavlink

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/vigil-gcs/vigil/gcs"
)

// MAV_CMD numbers of the operations below.
const (
	cmdArmDisarm          = 400
	cmdDoSetMode          = 176
	cmdNavTakeoff         = 22
	cmdNavLand            = 21
	cmdNavRTL             = 20
	cmdDoReposition       = 192
	cmdDoChangeSpeed      = 178
	cmdDoSetROILocation   = 195
	cmdDoSetROINone       = 197
	cmdGimbalPitchYaw     = 1000
	cmdRequestMessage     = 512
	cmdSetMessageInterval = 511
	cmdMissionStart       = 300

	forceMagic            = 21196 // ARM_DISARM param 2: skip checks
	repositionChangeMode  = 1     // DO_REPOSITION flag: switch to GUIDED
	modeFlagCustomEnabled = 1
	gimbalYawLockFlag     = 16 // GIMBAL_MANAGER_FLAGS_YAW_LOCK: yaw relative to north
)

// Command sends one command to a vehicle and waits for its answer. The reply is returned even
// with an error: the error is nil only when the vehicle accepted.
func (c *Client) Command(ctx context.Context, sysID uint8, cmd Command) (gcs.CommandReply, error) {
	to, err := c.target(sysID)
	if err != nil {
		return gcs.CommandReply{Command: cmd.ID, Result: gcs.CommandNoAnswer}, err
	}
	ex := newCommandExchange(cmd, c.self(), to)
	err = c.runExchange(ctx, sysID, ex)
	if err != nil && ex.reply.Result == gcs.CommandAccepted {
		ex.reply.Result = gcs.CommandNoAnswer // cancelled before the answer
	}
	return ex.reply, err
}

// Arm arms the motors. force skips the vehicle's prearm checks (ArduPilot's 21196).
func (c *Client) Arm(ctx context.Context, sysID uint8, force bool) (gcs.CommandReply, error) {
	cmd := Command{ID: cmdArmDisarm, Params: [7]float64{1}, Action: "arm"}
	if force {
		cmd.Params[1], cmd.Action = forceMagic, "force arm"
	}
	return c.Command(ctx, sysID, cmd)
}

// Disarm stops the motors; force disarms even in flight (the vehicle falls).
func (c *Client) Disarm(ctx context.Context, sysID uint8, force bool) (gcs.CommandReply, error) {
	cmd := Command{ID: cmdArmDisarm, Action: "disarm"}
	if force {
		cmd.Params[1], cmd.Action = forceMagic, "force disarm"
	}
	return c.Command(ctx, sysID, cmd)
}

// SetMode switches to a flight mode by the name the vehicle's autopilot uses.
func (c *Client) SetMode(ctx context.Context, sysID uint8, name string) (gcs.CommandReply, error) {
	v, ok := c.Fleet.Vehicle(sysID)
	if !ok {
		return gcs.CommandReply{Result: gcs.CommandNoAnswer}, &UnknownVehicleError{SysID: sysID}
	}
	custom, err := ModeNumber(v.Autopilot, v.Type, name)
	if err != nil {
		return gcs.CommandReply{Command: cmdDoSetMode, Result: gcs.CommandNoAnswer}, fmt.Errorf("vehicle %d: %w", sysID, err)
	}
	return c.Command(ctx, sysID, Command{
		ID: cmdDoSetMode, Params: [7]float64{modeFlagCustomEnabled, float64(custom)},
		Action: "mode " + ModeName(v.Autopilot, v.Type, custom),
	})
}

// Takeoff climbs to altM above home (the vehicle must be armed, in GUIDED for ArduCopter).
func (c *Client) Takeoff(ctx context.Context, sysID uint8, altM float64) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{ID: cmdNavTakeoff, Params: [7]float64{6: altM}, Action: fmt.Sprintf("takeoff to %g m", altM)})
}

// Land lands where the vehicle is.
func (c *Client) Land(ctx context.Context, sysID uint8) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{ID: cmdNavLand, Action: "land"})
}

// RTL returns the vehicle to launch.
func (c *Client) RTL(ctx context.Context, sysID uint8) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{ID: cmdNavRTL, Action: "return to launch"})
}

// Goto flies to a point (altitude above home), switching to GUIDED as QGroundControl's
// "Go to location" does.
func (c *Client) Goto(ctx context.Context, sysID uint8, p gcs.Position) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{
		ID: cmdDoReposition, Int: true, Frame: gcs.FrameGlobalRelativeAlt,
		Params: [7]float64{-1, repositionChangeMode, 0, nanParam, p.Point.Lat(), p.Point.Lon(), p.AltRelM},
		Action: fmt.Sprintf("go to %.6f, %.6f at %g m", p.Point.Lat(), p.Point.Lon(), p.AltRelM),
	})
}

// nanParam is MAVLink's "no change" for float parameters (here: keep the current yaw).
var nanParam = math.NaN()

// ChangeSpeed sets the ground speed for GUIDED and AUTO flight.
func (c *Client) ChangeSpeed(ctx context.Context, sysID uint8, mps float64) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{ID: cmdDoChangeSpeed, Params: [7]float64{1, mps, -1}, Action: fmt.Sprintf("speed %g m/s", mps)})
}

// SetROI points the camera at a location (altitude above home) and keeps it there.
func (c *Client) SetROI(ctx context.Context, sysID uint8, p gcs.Position) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{
		ID: cmdDoSetROILocation, Int: true, Frame: gcs.FrameGlobalRelativeAlt,
		Params: [7]float64{4: p.Point.Lat(), 5: p.Point.Lon(), 6: p.AltRelM},
		Action: fmt.Sprintf("look at %.6f, %.6f", p.Point.Lat(), p.Point.Lon()),
	})
}

// ClearROI releases the camera from its point of interest.
func (c *Client) ClearROI(ctx context.Context, sysID uint8) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{ID: cmdDoSetROINone, Action: "clear look-at"})
}

// PointGimbal sets the gimbal's pitch and yaw in degrees; earthYaw makes yaw relative to north
// instead of the vehicle's nose.
func (c *Client) PointGimbal(ctx context.Context, sysID uint8, pitchDeg, yawDeg float64, earthYaw bool) (gcs.CommandReply, error) {
	flags := 0.0
	if earthYaw {
		flags = gimbalYawLockFlag
	}
	return c.Command(ctx, sysID, Command{
		ID: cmdGimbalPitchYaw, Params: [7]float64{pitchDeg, yawDeg, nanParam, nanParam, flags},
		Action: fmt.Sprintf("gimbal pitch %g° yaw %g°", pitchDeg, yawDeg),
	})
}

// StartMission switches to AUTO and starts the uploaded mission from its first item.
func (c *Client) StartMission(ctx context.Context, sysID uint8) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{ID: cmdMissionStart, Action: "start mission"})
}

// RequestMessage asks the vehicle to send one message now (MAV_CMD_REQUEST_MESSAGE).
func (c *Client) RequestMessage(ctx context.Context, sysID uint8, msgID uint32) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{ID: cmdRequestMessage, Params: [7]float64{float64(msgID)}, Idempotent: true,
		Action: fmt.Sprintf("request message %d", msgID)})
}

// SetMessageInterval asks for a message at a rate; hz 0 restores the default, negative stops it.
func (c *Client) SetMessageInterval(ctx context.Context, sysID uint8, msgID uint32, hz float64) (gcs.CommandReply, error) {
	interval := -1.0
	switch {
	case hz > 0:
		interval = 1e6 / hz
	case hz == 0:
		interval = 0
	}
	return c.Command(ctx, sysID, Command{ID: cmdSetMessageInterval, Params: [7]float64{float64(msgID), interval}, Idempotent: true,
		Action: fmt.Sprintf("message %d at %g Hz", msgID, hz)})
}

// IsNoAnswer reports whether err means the vehicle stayed silent (as opposed to refusing).
func IsNoAnswer(err error) bool {
	var t *AckTimeoutError
	var n *NoAnswerError
	return errors.As(err, &t) || errors.As(err, &n)
}
