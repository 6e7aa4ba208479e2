package mavlink

import (
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"
)

// A vehicle heard on two links is one vehicle whose messages count once; when its primary
// link falls silent the other link takes over.
func TestPrimaryLink(t *testing.T) {
	c, l1 := offlineClient()
	l2 := &link{client: c, conn: Connection{Scheme: SchemeTCP, Address: "radio:5760"}, seqs: make(map[[2]uint8]uint8)}
	now := t0
	c.timeNow = func() time.Time { return now }
	hb := telemetrySeed[0]
	text := &common.MessageStatustext{Severity: common.MAV_SEVERITY_WARNING, Text: "Fence Breach"}

	both := encodeFrames(t, hb, text)
	feed(c, l1, both)
	feed(c, l2, both) // the same frames, through the second radio
	v, _ := c.Fleet.Vehicle(1)
	require.Len(t, v.StatusTexts, 1, "one message, however many links carried it")
	require.Equal(t, uint64(2), v.Stats.Packets)
	require.ElementsMatch(t, []string{l1.conn.String(), l2.conn.String()}, v.Links)
	r, _ := c.routes[1]
	require.Same(t, l1, r.link, "the first link stays primary while it hears the vehicle")

	now = now.Add(2 * time.Second) // the first link went quiet
	feed(c, l2, encodeFrames(t, hb, &common.MessageStatustext{Severity: common.MAV_SEVERITY_INFO, Text: "via radio"}))
	r, _ = c.routes[1]
	require.Same(t, l2, r.link, "the link that still hears the vehicle takes over")
	v, _ = c.Fleet.Vehicle(1)
	require.Equal(t, "via radio", v.StatusTexts[len(v.StatusTexts)-1].Text)
}
