package mavlink

import (
	"context"
	"fmt"

	"github.com/vigil-gcs/vigil/gcs"
)

// UploadMission replaces a vehicle's mission, fence or rally list with items (for the
// mission, item 0 is home, as ArduPilot keeps it). It returns nil only once the vehicle has
// acknowledged the whole list; progress, if not nil, is called with the items sent so far
// from the exchange's goroutine and must not block.
func (c *Client) UploadMission(ctx context.Context, sysID uint8, t gcs.MissionType,
	items []gcs.MissionItem, progress func(done, total int)) error {
	if err := checkMissionItems(items); err != nil {
		return err
	}
	to, err := c.target(sysID)
	if err != nil {
		return err
	}
	return c.runExchange(ctx, sysID, newMissionUpload(to, c.self(), t, items, progress))
}

// DownloadMission reads a vehicle's mission, fence or rally list, whole or not at all.
// progress, if not nil, is called as items arrive, from the exchange's goroutine.
func (c *Client) DownloadMission(ctx context.Context, sysID uint8, t gcs.MissionType,
	progress func(done, total int)) ([]gcs.MissionItem, error) {
	to, err := c.target(sysID)
	if err != nil {
		return nil, err
	}
	d := newMissionDownload(to, c.self(), t, progress)
	if err := c.runExchange(ctx, sysID, d); err != nil {
		return nil, err
	}
	return d.result(), nil
}

// ClearMission empties a vehicle's mission, fence or rally list.
func (c *Client) ClearMission(ctx context.Context, sysID uint8, t gcs.MissionType) error {
	to, err := c.target(sysID)
	if err != nil {
		return err
	}
	return c.runExchange(ctx, sysID, newMissionClear(to, c.self(), t))
}

// SetMissionCurrent makes item seq the one the vehicle flies next, and returns once the
// vehicle reports it as current.
func (c *Client) SetMissionCurrent(ctx context.Context, sysID uint8, seq int) error {
	if seq < 0 || seq > 65535 {
		return fmt.Errorf("mission item %d does not exist: items are numbered 0 to 65535", seq)
	}
	to, err := c.target(sysID)
	if err != nil {
		return err
	}
	return c.runExchange(ctx, sysID, newMissionSetCurrent(to, c.self(), uint16(seq)))
}
