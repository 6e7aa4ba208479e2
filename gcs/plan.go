package gcs

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Plan is what an operator plans for one vehicle: the mission (simple items and complex
// items that keep their parameters), the geofence, rally points and the planned home. It is
// what .plan files hold; MissionItems, Fence.MissionItems and RallyItems turn it into the
// three lists the vehicle stores.
type Plan struct {
	// Home is the planned home position (item 0 of the mission), {lon, lat}; HomeAltMSLM
	// its altitude above mean sea level. The vehicle replaces it with its real home.
	Home        orb.Point
	HomeAltMSLM float64

	// Items is the mission after home, in flight order.
	Items []PlanItem

	Fence Fence
	Rally []RallyPoint

	// CruiseSpeedMS and HoverSpeedMS are the planning speeds of fixed-wing and multirotor
	// vehicles (QGroundControl's defaults are 15 and 5 m/s). 0 means the default.
	CruiseSpeedMS, HoverSpeedMS float64

	// VehicleType (MAV_TYPE) and FirmwareType (MAV_AUTOPILOT) say what the plan was made for;
	// 0 means unknown (generic multirotor, ArduPilot).
	VehicleType, FirmwareType int
}

// PlanItem is one entry of a plan's mission: a SimpleItem or a complex item (*Survey,
// *Corridor, *Orbit, *Patrol) that expands into simple items on upload.
type PlanItem interface {
	isPlanItem()
}

// SimpleItem is one mission item as it is sent.
type SimpleItem struct {
	Item MissionItem
}

func (SimpleItem) isPlanItem() {}

// complexItem is a plan item that keeps its parameters and expands into mission items.
type complexItem interface {
	PlanItem
	expand(x *expander) error
	// kind names the item in messages ("survey").
	kind() string
}

// AltMode says what a complex item's altitude is measured from (QGroundControl's
// AltitudeMode numbering).
type AltMode uint8

// Altitude modes.
const (
	AltRelative     AltMode = 1 // above home: frame 3, GLOBAL_RELATIVE_ALT
	AltAMSL         AltMode = 2 // above mean sea level: frame 0, GLOBAL
	AltAboveTerrain AltMode = 3 // above the ground: turned into AMSL altitudes with a terrain model
	AltTerrainFrame AltMode = 4 // above the ground, by the vehicle: frame 10, GLOBAL_TERRAIN_ALT
)

func (m AltMode) String() string {
	switch m {
	case AltRelative:
		return "relative"
	case AltAMSL:
		return "amsl"
	case AltAboveTerrain:
		return "terrain"
	case AltTerrainFrame:
		return "terrain-frame"
	}
	return fmt.Sprintf("AltMode(%d)", uint8(m))
}

// ParseAltMode reads an altitude mode by its String name.
func ParseAltMode(s string) (AltMode, error) {
	for _, m := range []AltMode{AltRelative, AltAMSL, AltAboveTerrain, AltTerrainFrame} {
		if s == m.String() {
			return m, nil
		}
	}
	return 0, fmt.Errorf("altitude mode %q: want relative, amsl, terrain or terrain-frame", s)
}

// ErrNeedTerrain is returned when a plan follows the terrain but no terrain model was given.
var ErrNeedTerrain = errors.New("terrain following needs a terrain model (--dem)")

// ExpandOptions are what expanding complex items may need.
type ExpandOptions struct {
	// Ground gives terrain heights for items flown above the terrain (AltAboveTerrain).
	Ground Ground
	// TerrainToleranceM is how far the flown altitude above the ground may stray before a
	// waypoint is added along a leg (QGroundControl's TerrainAdjustTolerance). It
	// defaults to 10 m.
	TerrainToleranceM float64
}

// MissionItems expands the plan into the mission list the vehicle stores: home as item 0,
// then every item, complex items expanded. Errors name the plan item (from 1).
func (p *Plan) MissionItems(opt ExpandOptions) ([]MissionItem, error) {
	items, _, err := p.missionItemsOwned(opt)
	return items, err
}

// missionItemsOwned is MissionItems that also says which plan item (from 1; 0 for home)
// each mission item came from.
func (p *Plan) missionItemsOwned(opt ExpandOptions) ([]MissionItem, []int, error) {
	if opt.TerrainToleranceM <= 0 {
		opt.TerrainToleranceM = 10
	}
	x := &expander{opt: opt, home: p.Home, homeAltMSLM: p.HomeAltMSLM}
	x.items = append(x.items, MissionItem{
		Frame: FrameGlobal, Command: CmdNavWaypoint, Autocontinue: true,
		X: p.Home.Lat(), Y: p.Home.Lon(), Z: p.HomeAltMSLM,
	})
	owners := []int{0}
	for i, it := range p.Items {
		switch it := it.(type) {
		case SimpleItem:
			x.items = append(x.items, it.Item)
			x.last, x.hasLast = missionItemPoint(it.Item)
		case complexItem:
			if err := it.expand(x); err != nil {
				return nil, nil, fmt.Errorf("plan item %d (%s): %w", i+1, it.kind(), err)
			}
		default:
			return nil, nil, fmt.Errorf("plan item %d: unknown kind %T", i+1, it)
		}
		for len(owners) < len(x.items) {
			owners = append(owners, i+1)
		}
	}
	return x.items, owners, nil
}

// expandAlone expands one complex item on its own, numbered as if it followed home: what a
// .plan file stores with it.
func (p *Plan) expandAlone(it complexItem, opt ExpandOptions) ([]MissionItem, error) {
	if opt.TerrainToleranceM <= 0 {
		opt.TerrainToleranceM = 10
	}
	x := &expander{opt: opt, home: p.Home, homeAltMSLM: p.HomeAltMSLM, items: []MissionItem{{}}}
	if err := it.expand(x); err != nil {
		return nil, err
	}
	return x.items[1:], nil
}

// itemPoint returns where a positional item is.
func missionItemPoint(it MissionItem) (orb.Point, bool) {
	if !it.IsGlobal() || (it.X == 0 && it.Y == 0) || it.Command >= cmdNavLast {
		return orb.Point{}, false
	}
	return orb.Point{it.Y, it.X}, true
}

// cmdNavLast is MAV_CMD_NAV_LAST: commands below it are navigation commands.
const cmdNavLast = 95

// expander appends the items of complex items, following the terrain when asked.
type expander struct {
	opt         ExpandOptions
	home        orb.Point
	homeAltMSLM float64
	items       []MissionItem
	last        orb.Point // where the previous waypoint was, for terrain along legs
	hasLast     bool
}

// seq is the sequence number the next item will get.
func (x *expander) seq() int { return len(x.items) }

// waypoint appends a navigation command at p, altM above what mode says, inserting
// waypoints along the leg from the previous one when following the terrain.
func (x *expander) waypoint(cmd uint16, p orb.Point, altM float64, mode AltMode, params [4]float64) error {
	it := MissionItem{Command: cmd, Autocontinue: true, X: p.Lat(), Y: p.Lon(),
		Param1: params[0], Param2: params[1], Param3: params[2], Param4: params[3]}
	switch mode {
	case AltRelative, 0:
		it.Frame, it.Z = FrameGlobalRelativeAlt, altM
	case AltAMSL:
		it.Frame, it.Z = FrameGlobal, altM
	case AltTerrainFrame:
		it.Frame, it.Z = FrameGlobalTerrainAlt, altM
	case AltAboveTerrain:
		if x.opt.Ground == nil {
			return ErrNeedTerrain
		}
		h, ok := x.opt.Ground.HeightAt(p)
		if !ok {
			return fmt.Errorf("no terrain height at %.7f, %.7f (item %d)", p.Lat(), p.Lon(), x.seq())
		}
		if x.hasLast {
			if err := x.terrainLeg(x.last, p, altM); err != nil {
				return err
			}
		}
		it.Frame, it.Z = FrameGlobal, h+altM
	default:
		return fmt.Errorf("unknown altitude mode %d", mode)
	}
	x.items = append(x.items, it)
	x.last, x.hasLast = p, true
	return nil
}

// terrainSampleM is how often the terrain is sampled along a leg; SRTM posts are 30 m apart.
const terrainSampleM = 10

// terrainLeg inserts waypoints between a and b (exclusive) so that flying straight between
// consecutive ones keeps within the tolerance of altM above the ground: the sample farthest
// from the straight line is added, and each half checked again (Douglas–Peucker).
func (x *expander) terrainLeg(a, b orb.Point, altM float64) error {
	f := localFrame{a}
	bxy := f.toXY(b)
	lengthM := math.Hypot(bxy[0], bxy[1])
	n := int(lengthM / terrainSampleM)
	if n < 2 {
		return nil
	}
	alts := make([]float64, n+1)
	pts := make([]orb.Point, n+1)
	for i := range n + 1 {
		t := float64(i) / float64(n)
		pts[i] = f.toGeo(orb.Point{bxy[0] * t, bxy[1] * t})
		h, ok := x.opt.Ground.HeightAt(pts[i])
		if !ok {
			return fmt.Errorf("no terrain height at %.7f, %.7f on the leg to item %d", pts[i].Lat(), pts[i].Lon(), x.seq())
		}
		alts[i] = h + altM
	}
	var keep []int
	var split func(i, j int)
	split = func(i, j int) {
		worst, at := 0.0, -1
		for k := i + 1; k < j; k++ {
			line := alts[i] + (alts[j]-alts[i])*float64(k-i)/float64(j-i)
			if d := math.Abs(alts[k] - line); d > worst {
				worst, at = d, k
			}
		}
		if at >= 0 && worst > x.opt.TerrainToleranceM {
			split(i, at)
			keep = append(keep, at)
			split(at, j)
		}
	}
	split(0, n)
	for _, k := range keep {
		x.items = append(x.items, MissionItem{Frame: FrameGlobal, Command: CmdNavWaypoint, Autocontinue: true,
			X: pts[k].Lat(), Y: pts[k].Lon(), Z: alts[k]})
	}
	return nil
}

// do appends a command that is not a position.
func (x *expander) do(cmd uint16, p1, p2, p3, p4 float64) {
	x.items = append(x.items, MissionItem{Frame: FrameMission, Command: cmd, Autocontinue: true,
		Param1: p1, Param2: p2, Param3: p3, Param4: p4})
}

// PlanFromMission makes a plan of simple items from a mission list whose item 0 is home.
func PlanFromMission(items []MissionItem) *Plan {
	p := &Plan{}
	if len(items) == 0 {
		return p
	}
	p.Home, p.HomeAltMSLM = orb.Point{items[0].Y, items[0].X}, items[0].Z
	for _, it := range items[1:] {
		p.Items = append(p.Items, SimpleItem{Item: it})
	}
	return p
}
