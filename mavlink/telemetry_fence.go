package mavlink

import (
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"

	"github.com/vigil-gcs/vigil/gcs"
)

// applyFenceStatus decodes FENCE_STATUS: whether the vehicle is outside its geofence.
func (c *Client) applyFenceStatus(sys uint8, m *common.MessageFenceStatus, now time.Time) {
	f := gcs.FenceStatus{Time: now, Breached: m.BreachStatus != 0, Breaches: int(m.BreachCount),
		LastBreach: gcs.FenceBreachName(int(m.BreachType))}
	c.Fleet.Update(sys, func(v *gcs.Vehicle) { v.Fence = &f })
}
