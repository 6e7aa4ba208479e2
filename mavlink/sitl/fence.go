package sitl

import (
	"math"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// Breach kinds, as the FENCE_TYPE bits.
const (
	fenceAltMax  = 1
	fenceCircle  = 2
	fencePolygon = 4
)

// fenceState is the geofence: the zones uploaded as the fence list plus the FENCE_ params.
type fenceState struct {
	zones    []fenceZone
	breached int // FENCE_TYPE bits breached at the last check
	count    int // breaches since boot
	last     int // FENCE_BREACH of the last breach
	lastAt   time.Duration
}

// report is the fence as FENCE_STATUS tells it, nil while the fence is disabled.
func (c *Copter) fenceReport() *FenceReport {
	if !c.fenceEnabled() {
		return nil
	}
	return &FenceReport{Breached: c.fence.breached != 0, Breaches: c.fence.count, LastBreach: c.fence.last, LastTime: c.fence.lastAt}
}

// fenceZone is an inclusion or exclusion polygon or circle in the local frame.
type fenceZone struct {
	inclusion bool
	poly      [][2]float64 // north, east metres; nil for a circle
	center    [2]float64
	radiusM   float64
}

// parseFence turns a fence list into zones. Polygon vertices come in runs of one command
// whose param 1 is the vertex count; a run of the wrong length is refused.
func (c *Copter) parseFence(items []gcs.MissionItem) ([]fenceZone, uint8) {
	var zones []fenceZone
	for i := 0; i < len(items); {
		it := items[i]
		switch it.Command {
		case gcs.CmdNavFencePolygonVertexIncl, gcs.CmdNavFencePolygonVertexExcl:
			n := int(it.Param1)
			if n < 3 || i+n > len(items) {
				return nil, missionError
			}
			z := fenceZone{inclusion: it.Command == gcs.CmdNavFencePolygonVertexIncl}
			for _, v := range items[i : i+n] {
				if v.Command != it.Command || int(v.Param1) != n {
					return nil, missionError
				}
				pn, pe := c.frame.toNE(orbPoint(v.X, v.Y))
				z.poly = append(z.poly, [2]float64{pn, pe})
			}
			zones = append(zones, z)
			i += n
		case gcs.CmdNavFenceCircleIncl, gcs.CmdNavFenceCircleExcl:
			if it.Param1 <= 0 {
				return nil, missionError
			}
			n, e := c.frame.toNE(orbPoint(it.X, it.Y))
			zones = append(zones, fenceZone{
				inclusion: it.Command == gcs.CmdNavFenceCircleIncl,
				center:    [2]float64{n, e},
				radiusM:   it.Param1,
			})
			i++
		case gcs.CmdNavFenceReturnPoint:
			i++
		default:
			return nil, missionUnsupported
		}
	}
	return zones, missionAccepted
}

// contains reports whether the point is inside the zone.
func (z fenceZone) contains(n, e float64) bool {
	if z.poly == nil {
		return math.Hypot(n-z.center[0], e-z.center[1]) <= z.radiusM
	}
	in := false
	for i, j := 0, len(z.poly)-1; i < len(z.poly); j, i = i, i+1 {
		a, b := z.poly[i], z.poly[j]
		if (a[1] > e) != (b[1] > e) && n < (b[0]-a[0])*(e-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

func (c *Copter) fenceEnabled() bool { return c.param("FENCE_ENABLE") != 0 }

// fenceBreaches returns the FENCE_TYPE bits the copter is breaching now: above
// FENCE_ALT_MAX, beyond FENCE_RADIUS of home, outside an inclusion zone or inside an
// exclusion zone.
func (c *Copter) fenceBreaches() int {
	types := int(c.param("FENCE_TYPE"))
	var b int
	if types&fenceAltMax != 0 && c.kin.altMSLM-c.home.AltMSLM > c.param("FENCE_ALT_MAX") {
		b |= fenceAltMax
	}
	if types&fenceCircle != 0 {
		hn, he := c.frame.toNE(c.home.Point)
		if math.Hypot(c.kin.northM-hn, c.kin.eastM-he) > c.param("FENCE_RADIUS") {
			b |= fenceCircle
		}
	}
	if types&fencePolygon != 0 {
		for _, z := range c.fence.zones {
			if z.contains(c.kin.northM, c.kin.eastM) != z.inclusion {
				b |= fencePolygon
				break
			}
		}
	}
	return b
}

// stepFence acts on a new breach while flying: say so and take FENCE_ACTION (0 report only,
// 2 LAND, 4 BRAKE, otherwise RTL). A breach acts once; it must clear before it acts again.
func (c *Copter) stepFence() {
	if !c.fenceEnabled() || !c.armed || c.landed {
		c.fence.breached = 0
		return
	}
	b := c.fenceBreaches()
	fresh := b &^ c.fence.breached
	c.fence.breached = b
	if fresh == 0 {
		return
	}
	c.fence.count++
	c.fence.lastAt = c.now
	c.fence.last = 3 // boundary
	if fresh == fenceAltMax {
		c.fence.last = 2
	}
	c.say(gcs.SeverityCritical, "Fence Breach")
	switch int(c.param("FENCE_ACTION")) {
	case 0:
	case 2:
		c.failsafeMode(modeLand)
	case 4:
		c.failsafeMode(modeBrake)
	default:
		c.failsafeMode(modeRTL)
	}
}

// failsafeMode switches for a failsafe unless the copter is already doing something at least
// as safe (landing beats returning).
func (c *Copter) failsafeMode(m uint32) {
	switch {
	case c.mode == modeLand:
		return
	case m == modeRTL && (c.mode == modeRTL || c.mode == modeSmartRTL):
		return
	case m == c.mode:
		return
	}
	if c.SetMode(m) != resultAccepted && m != modeLand {
		c.SetMode(modeLand)
	}
}
