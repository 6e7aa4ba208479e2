package gcs

import (
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// VehicleLimits are what a vehicle can fly, for checking a plan before upload.
type VehicleLimits struct {
	Plane bool // fixed wing: turns need room
	// SpeedMS is the speed the plan is flown at; 0 uses the plan's.
	SpeedMS float64
	// Endurance is how long the vehicle flies on a battery, the reserve already taken off.
	Endurance time.Duration
	// MaxAltM is the highest an item may be above home (FENCE_ALT_MAX, the law).
	MaxAltM float64
	// MaxItems is how many mission items the autopilot stores.
	MaxItems int
	// MinTurnRadiusM is the tightest circle a plane flies (0 for a multirotor).
	MinTurnRadiusM float64
}

// DefaultVehicleLimits returns limits for a typical ArduPilot multirotor or plane: 20 or 60
// minutes, 120 m above home (the usual legal ceiling), 700 items (a Pixhawk 1's storage),
// planes turning no tighter than 30 m (QGroundControl's turnaround for fixed wing).
func DefaultVehicleLimits(plane bool) VehicleLimits {
	if plane {
		return VehicleLimits{Plane: true, Endurance: 60 * time.Minute, MaxAltM: 120, MaxItems: 700, MinTurnRadiusM: 30}
	}
	return VehicleLimits{Endurance: 20 * time.Minute, MaxAltM: 120, MaxItems: 700}
}

// ValidateOptions say what to check a plan against.
type ValidateOptions struct {
	Limits VehicleLimits
	// Ground is the terrain; without one the ground is taken as level at home's altitude.
	Ground Ground
	// TerrainMarginM is the least height above the ground anywhere on the path. It defaults
	// to 10 m.
	TerrainMarginM float64
}

// Problem is something wrong with a plan, as one sentence naming the item.
type Problem struct {
	Seq  int // mission item (0 home); -1 for the plan as a whole
	Text string
	// Warning marks what the operator should know but may mean (a patrol that loops for
	// ever, terrain not checked everywhere).
	Warning bool
}

func (p Problem) String() string { return p.Text }

// maxLegProblems bounds the problems reported per kind, so a survey across a no-fly zone
// says so a few times rather than hundreds.
const maxProblemsPerKind = 5

// Validate checks a plan before upload: every item inside the geofence's inclusion zones and
// outside its exclusion zones, no leg crossing an exclusion zone or leaving an inclusion
// zone, the whole path at least the margin above the terrain, distance and flight time
// within the vehicle's endurance, its altitude ceiling, item storage and turning circle.
// Each problem is a sentence naming the mission item. The error is for a plan that cannot
// be expanded at all.
func Validate(p *Plan, opt ValidateOptions) ([]Problem, error) {
	if opt.TerrainMarginM <= 0 {
		opt.TerrainMarginM = 10
	}
	lim := opt.Limits
	items, owners, err := p.missionItemsOwned(ExpandOptions{Ground: opt.Ground})
	if err != nil {
		return nil, err
	}
	v := &validator{p: p, items: items, owners: owners, counts: map[string]int{}}
	name := v.name

	// Vehicle limits.
	if lim.MaxItems > 0 && len(items) > lim.MaxItems {
		v.add(-1, "count", fmt.Sprintf("the mission has %d items, more than the %d the vehicle stores", len(items), lim.MaxItems))
	}
	ground := opt.Ground
	flat := ground == nil
	if flat {
		ground = FlatGround{AltMSLM: p.HomeAltMSLM}
	}
	amsl := func(it MissionItem, pt orb.Point) (float64, bool) {
		switch it.Frame {
		case FrameGlobal, 5:
			return it.Z, true
		case FrameGlobalRelativeAlt, 6:
			return p.HomeAltMSLM + it.Z, true
		case FrameGlobalTerrainAlt, 11:
			h, ok := ground.HeightAt(pt)
			return h + it.Z, ok
		}
		return 0, false
	}
	// Home and rally points must be where the fence lets the vehicle be: ArduPilot will not
	// arm outside it, and a rally point outside it is a return into a breach.
	places := []struct {
		name string
		pt   orb.Point
	}{{"home", p.Home}}
	for i, r := range p.Rally {
		places = append(places, struct {
			name string
			pt   orb.Point
		}{fmt.Sprintf("rally point %d", i+1), r.Point})
	}
	for _, pl := range places {
		for zi, z := range p.Fence.Polygons {
			if inside := ringContainsGeo(z.Vertices, pl.pt); inside != z.Inclusion {
				v.add(-1, "fence-place", fmt.Sprintf("%s is %s fence %d", pl.name, map[bool]string{true: "outside inclusion", false: "inside exclusion"}[z.Inclusion], zi+1))
			}
		}
		for ci, c := range p.Fence.Circles {
			if inside := DistanceM(c.Center, pl.pt) <= c.RadiusM; inside != c.Inclusion {
				v.add(-1, "fence-place", fmt.Sprintf("%s is %s circle %d", pl.name, map[bool]string{true: "outside inclusion", false: "inside exclusion"}[c.Inclusion], ci+1))
			}
		}
	}

	ended := -1
	for seq := 1; seq < len(items); seq++ {
		it := items[seq]
		if ended >= 0 {
			v.add(seq, "after-end", fmt.Sprintf("%s comes after %s, which ends the mission: it will not be flown", name(seq), name(ended)))
			break
		}
		if it.Command == CmdNavReturnToLaunch || it.Command == CmdNavLand {
			ended = seq
		}
		if it.Command == CmdDoJump && (it.Param1 < 1 || int(it.Param1) >= len(items)) {
			v.add(seq, "jump", fmt.Sprintf("%s jumps to item %g, but the mission has items 1 to %d", name(seq), it.Param1, len(items)-1))
		}
		pt, ok := missionItemPoint(it)
		if !ok {
			continue
		}
		for zi, z := range p.Fence.Polygons {
			inside := ringContainsGeo(z.Vertices, pt)
			if z.Inclusion && !inside {
				v.add(seq, "fence", fmt.Sprintf("%s is outside inclusion fence %d", name(seq), zi+1))
			} else if !z.Inclusion && inside {
				v.add(seq, "fence", fmt.Sprintf("%s is inside exclusion fence %d", name(seq), zi+1))
			}
		}
		for ci, c := range p.Fence.Circles {
			inside := DistanceM(c.Center, pt) <= c.RadiusM
			if c.Inclusion && !inside {
				v.add(seq, "fence", fmt.Sprintf("%s is outside inclusion circle %d (%.0f m from its centre, radius %.0f m)", name(seq), ci+1, DistanceM(c.Center, pt), c.RadiusM))
			} else if !c.Inclusion && inside {
				v.add(seq, "fence", fmt.Sprintf("%s is inside exclusion circle %d", name(seq), ci+1))
			}
		}
		if alt, ok := amsl(it, pt); ok && lim.MaxAltM > 0 && alt-p.HomeAltMSLM > lim.MaxAltM+1e-6 {
			v.add(seq, "ceiling", fmt.Sprintf("%s is %.0f m above home, above the %.0f m ceiling", name(seq), alt-p.HomeAltMSLM, lim.MaxAltM))
		}
		if lim.Plane && it.Command == CmdNavLoiterTurns && math.Abs(it.Param3) < lim.MinTurnRadiusM {
			v.add(seq, "turn", fmt.Sprintf("%s circles %.0f m round, tighter than the %.0f m a plane can turn", name(seq), math.Abs(it.Param3), lim.MinTurnRadiusM))
		}
	}

	// Legs, in flight order.
	speed := lim.SpeedMS
	if speed <= 0 {
		speed = p.SpeedMS(lim.Plane)
	}
	var secs, dist float64
	noTerrain := false
	forever := walkMission(items, speed, func(l flownLeg) {
		dist += l.lengthM
		secs += l.lengthM / l.speedMS
		if l.lengthM < 0.01 {
			return
		}
		to := items[l.to]
		for zi, z := range p.Fence.Polygons {
			if segmentCrossesRingGeo(z.Vertices, l.fromPt, l.toPt) {
				if z.Inclusion {
					v.add(l.to, "leg-fence", fmt.Sprintf("the leg from %s to %s leaves inclusion fence %d", name(l.from), name(l.to), zi+1))
				} else {
					v.add(l.to, "leg-fence", fmt.Sprintf("the leg from %s to %s crosses exclusion fence %d", name(l.from), name(l.to), zi+1))
				}
			}
		}
		for ci, c := range p.Fence.Circles {
			f := localFrame{c.Center}
			d := planar.DistanceFromSegment(f.toXY(l.fromPt), f.toXY(l.toPt), orb.Point{})
			if !c.Inclusion && d < c.RadiusM && DistanceM(c.Center, l.fromPt) > c.RadiusM && DistanceM(c.Center, l.toPt) > c.RadiusM {
				v.add(l.to, "leg-fence", fmt.Sprintf("the leg from %s to %s passes %.0f m from the centre of exclusion circle %d (radius %.0f m)", name(l.from), name(l.to), d, ci+1, c.RadiusM))
			}
		}
		// Terrain clearance along the leg; legs down to a landing and up from the
		// ground are the vehicle's business.
		if l.from == 0 || to.Command == CmdNavLand || to.Command == CmdNavReturnToLaunch || !to.IsGlobal() {
			return
		}
		from := items[l.from]
		a0, ok0 := amsl(from, l.fromPt)
		a1, ok1 := amsl(to, l.toPt)
		if !ok0 || !ok1 {
			return
		}
		n := max(int(l.lengthM/terrainSampleM), 1)
		f := localFrame{l.fromPt}
		b := f.toXY(l.toPt)
		for k := 0; k <= n; k++ {
			t := float64(k) / float64(n)
			q := f.toGeo(orb.Point{b[0] * t, b[1] * t})
			h, ok := ground.HeightAt(q)
			if !ok {
				noTerrain = true
				continue
			}
			alt := a0 + (a1-a0)*t
			if to.Frame == FrameGlobalTerrainAlt && from.Frame == FrameGlobalTerrainAlt {
				alt = h + from.Z + (to.Z-from.Z)*t // the vehicle follows the terrain itself
			}
			if alt-h < opt.TerrainMarginM {
				where := fmt.Sprintf("at %.6f, %.6f", q.Lat(), q.Lon())
				if k == n {
					where = "at " + name(l.to)
				}
				v.add(l.to, "terrain", fmt.Sprintf("the leg from %s to %s is %.0f m above the ground %s, less than the %.0f m margin%s",
					name(l.from), name(l.to), alt-h, where, opt.TerrainMarginM, flatNote(flat)))
				return
			}
		}
	}, func(_ int, d time.Duration, orbitM float64) {
		secs += d.Seconds()
		if orbitM > 0 {
			dist += d.Seconds() * speed
		}
	})
	if noTerrain {
		v.add(-1, "no-terrain", "the terrain model has no heights for part of the path: clearance there is not checked")
	}
	dur := time.Duration(secs * float64(time.Second)).Round(time.Second)
	if forever {
		v.add(-1, "forever", fmt.Sprintf("a DO_JUMP repeats for ever: the vehicle flies until its battery fails safe (one loop is %.1f km, %s)", dist/1000, dur))
	} else if lim.Endurance > 0 && dur > lim.Endurance {
		v.add(-1, "endurance", fmt.Sprintf("the mission is %.1f km, about %s at %g m/s, longer than the vehicle's %s endurance", dist/1000, dur, speed, lim.Endurance))
	}
	if lim.Plane {
		for i, it := range p.Items {
			if s, ok := it.(*Survey); ok && !s.FlyAlternate && s.Calc.SpacingM < 2*lim.MinTurnRadiusM && s.Calc.SpacingM > 0 {
				v.add(-1, "turn", fmt.Sprintf("plan item %d (survey): lanes %.0f m apart need turns tighter than a plane's %.0f m radius; fly alternate lanes", i+1, s.Calc.SpacingM, lim.MinTurnRadiusM))
			}
		}
	}
	return v.problems, nil
}

// warningKinds are the problems that are warnings.
var warningKinds = map[string]bool{"forever": true, "no-terrain": true}

type validator struct {
	p        *Plan
	items    []MissionItem
	owners   []int
	problems []Problem
	counts   map[string]int
}

func (v *validator) add(seq int, kind, text string) {
	v.counts[kind]++
	switch n := v.counts[kind]; {
	case n < maxProblemsPerKind:
		v.problems = append(v.problems, Problem{Seq: seq, Text: text, Warning: warningKinds[kind]})
	case n == maxProblemsPerKind:
		v.problems = append(v.problems, Problem{Seq: -1, Text: text + " (and more like it, not listed)", Warning: warningKinds[kind]})
	}
}

// name names a mission item for the operator: "item 14 (waypoint of plan item 2, survey)".
func (v *validator) name(seq int) string {
	if seq == 0 {
		return "home"
	}
	it := v.items[seq]
	what := commandName(it.Command)
	if o := v.owners[seq]; o > 0 {
		if c, ok := v.p.Items[o-1].(complexItem); ok {
			return fmt.Sprintf("item %d (%s of plan item %d, %s)", seq, what, o, c.kind())
		}
	}
	return fmt.Sprintf("item %d (%s)", seq, what)
}

func commandName(cmd uint16) string {
	switch cmd {
	case CmdNavWaypoint:
		return "waypoint"
	case CmdNavLoiterUnlim, CmdNavLoiterTurns, CmdNavLoiterTime:
		return "loiter"
	case CmdNavReturnToLaunch:
		return "RTL"
	case CmdNavLand:
		return "land"
	case CmdNavTakeoff:
		return "takeoff"
	case CmdDoJump:
		return "DO_JUMP"
	case CmdDoSetROILocation, CmdDoSetROI:
		return "ROI"
	}
	return fmt.Sprintf("command %d", cmd)
}

func flatNote(flat bool) string {
	if flat {
		return " (no terrain model: level ground at home's altitude assumed)"
	}
	return ""
}

func ringContainsGeo(r []orb.Point, p orb.Point) bool {
	r = openRing(r)
	if len(r) < 3 {
		return false
	}
	f := localFrame{r[0]}
	return ringContainsXY(f.ringXY(r), f.toXY(p))
}

func segmentCrossesRingGeo(r []orb.Point, a, b orb.Point) bool {
	r = openRing(r)
	if len(r) < 3 {
		return false
	}
	f := localFrame{r[0]}
	xy := f.ringXY(r)
	pa, pb := f.toXY(a), f.toXY(b)
	for i := range xy {
		if segmentsCross(pa, pb, xy[i], xy[(i+1)%len(xy)]) {
			return true
		}
	}
	return false
}
