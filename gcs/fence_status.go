package gcs

import "time"

// FenceStatus is the vehicle's geofence as it reports it (FENCE_STATUS, sent while the fence
// is enabled).
type FenceStatus struct {
	Time     time.Time // GCS time of the report
	Breached bool      // outside the fence now
	// Breaches counts the breaches since boot; LastBreach names the last one's kind
	// ("altitude", "boundary", "minimum altitude", "" none).
	Breaches   int
	LastBreach string
}

// FenceBreachName names a FENCE_BREACH value.
func FenceBreachName(b int) string {
	switch b {
	case 1:
		return "minimum altitude"
	case 2:
		return "maximum altitude"
	case 3:
		return "boundary"
	}
	return ""
}
