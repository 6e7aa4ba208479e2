package mavlink

import (
	"context"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"

	"github.com/vigil-gcs/vigil/gcs"
)

// ArduPilot stream groups (MAV_DATA_STREAM) and the messages asked for once.
const (
	streamExtendedStatus = 2
	streamPosition       = 6
	streamExtra1         = 10
	streamExtra2         = 11
	streamExtra3         = 12

	msgHomePosition           = 242
	msgAutopilotVersion       = 148
	msgCameraInformation      = 259
	msgVideoStreamInformation = 269
)

// introduce asks a newly found (or found again) vehicle for its telemetry, as a GCS must:
// ArduPilot sends nothing but heartbeats until asked.
func (c *Client) introduce(sysID uint8) {
	if c.TelemetryHz < 0 {
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	to, err := c.target(sysID)
	if err != nil {
		return
	}
	fast := uint16(max(1, c.TelemetryHz))
	for _, s := range []struct {
		id common.MAV_DATA_STREAM
		hz uint16
	}{
		{streamPosition, fast}, {streamExtra1, fast}, {streamExtra2, 4},
		{streamExtendedStatus, 2}, {streamExtra3, 2},
	} {
		// Sent twice: REQUEST_DATA_STREAM has no answer, so a lost one would go unnoticed.
		for range 2 {
			c.send(sysID, &common.MessageRequestDataStream{ //nolint:errcheck // best effort, repeated
				TargetSystem: to.sys, TargetComponent: to.comp, ReqStreamId: s.id, ReqMessageRate: s.hz, StartStop: 1,
			})
			time.Sleep(sendPace)
		}
	}
	// PX4 and newer ArduPilot also take explicit intervals; a vehicle that says
	// "unsupported" simply keeps the streams above.
	if v, ok := c.Fleet.Vehicle(sysID); ok && v.Autopilot != gcs.AutopilotArduPilot {
		c.SetMessageInterval(ctx, sysID, 33, c.TelemetryHz) //nolint:errcheck // GLOBAL_POSITION_INT
		c.SetMessageInterval(ctx, sysID, 30, c.TelemetryHz) //nolint:errcheck // ATTITUDE
	}
	for _, id := range []uint32{msgHomePosition, msgAutopilotVersion, msgCameraInformation, msgVideoStreamInformation} {
		if ctx.Err() != nil {
			return
		}
		c.RequestMessage(ctx, sysID, id) //nolint:errcheck // a vehicle without a camera refuses; that is fine
	}
}
