package mavlink

import (
	"context"
	"fmt"
	"math"

	"github.com/vigil-gcs/vigil/gcs"
)

// MAV_CMD numbers for orbit and home.
const (
	cmdDoOrbit   = 34
	cmdDoSetHome = 179
)

// orbitYawFaceCentre is ORBIT_YAW_BEHAVIOUR_HOLD_FRONT_TO_CIRCLE_CENTER: the camera on the nose
// keeps looking at what is orbited.
const orbitYawFaceCentre = 0

// Orbit flies circles around centre (altitude above home) at radiusM, clockwise seen from
// above when positive (MAV_CMD_DO_ORBIT, in GUIDED: ArduCopter flies to the circle's edge
// first). Speed and the number of turns are the vehicle's defaults (unlimited).
func (c *Client) Orbit(ctx context.Context, sysID uint8, centre gcs.Position, radiusM float64) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{
		ID: cmdDoOrbit, Int: true, Frame: gcs.FrameGlobalRelativeAlt,
		Params: [7]float64{radiusM, nanParam, orbitYawFaceCentre, 0, centre.Point.Lat(), centre.Point.Lon(), centre.AltRelM},
		Action: fmt.Sprintf("orbit %.6f, %.6f at radius %g m", centre.Point.Lat(), centre.Point.Lon(), math.Abs(radiusM)),
	})
}

// SetHome moves the vehicle's home (where RTL returns) to p, altitude above mean sea level
// (MAV_CMD_DO_SET_HOME with "use the given location").
func (c *Client) SetHome(ctx context.Context, sysID uint8, p gcs.Position) (gcs.CommandReply, error) {
	return c.Command(ctx, sysID, Command{
		ID: cmdDoSetHome, Int: true, Frame: gcs.FrameGlobal,
		Params: [7]float64{0, 0, 0, nanParam, p.Point.Lat(), p.Point.Lon(), p.AltMSLM},
		Action: fmt.Sprintf("set home to %.6f, %.6f", p.Point.Lat(), p.Point.Lon()),
	})
}

// The client is the station's link to its vehicles.
var _ gcs.Link = (*Client)(nil)
