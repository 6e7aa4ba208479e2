package gcs

import (
	"math"
	"time"

	"github.com/paulmach/orb"
)

// PlanStats sums up a plan for the operator (QGroundControl's mission status bar).
type PlanStats struct {
	Items     int           // mission items, home included
	DistanceM float64       // horizontal distance flown from home to the last item, jumps followed
	Duration  time.Duration // at the planning speed, with holds and loiters
	Forever   bool          // a DO_JUMP repeats for ever: distance and time are for one loop
	AreaM2    float64       // area of the surveys and corridors
	Photos    int           // estimated photos of the surveys
	MaxAltM   float64       // highest item above home
	FarthestM float64       // farthest item from home
}

// SpeedMS returns the plan's speed: the hover speed for multirotors, the cruise speed for
// planes, QGroundControl's defaults (5 and 15 m/s) when unset.
func (p *Plan) SpeedMS(plane bool) float64 {
	if plane {
		if p.CruiseSpeedMS > 0 {
			return p.CruiseSpeedMS
		}
		return 15
	}
	if p.HoverSpeedMS > 0 {
		return p.HoverSpeedMS
	}
	return 5
}

// flownLeg is one leg of the path the vehicle flies: from one positional item to the next,
// in flight order (DO_JUMPs followed).
type flownLeg struct {
	from, to         int // sequence numbers; from is 0 (home) for the first leg
	fromPt, toPt     orb.Point
	fromAlt, toAlt   float64 // item altitudes as given (Z), frames in the items
	speedMS, lengthM float64
}

// maxFlownItems bounds the walk through a mission with repeating jumps.
const maxFlownItems = 1_000_000

// walkMission follows a mission as ArduPilot's AP_Mission does: navigation items in order,
// DO_JUMP p1 target p2 times (-1 for ever, which is followed once), DO_CHANGE_SPEED setting
// the speed. It calls leg for each leg between positions and hold for each loiter or
// hold time, and reports whether a jump repeats for ever.
func walkMission(items []MissionItem, speedMS float64, leg func(flownLeg), hold func(seq int, d time.Duration, orbitM float64)) (forever bool) {
	if len(items) == 0 {
		return false
	}
	cur := orb.Point{items[0].Y, items[0].X}
	curSeq, curAlt := 0, 0.0
	jumps := map[int]int{}
	steps := 0
	for seq := 1; seq < len(items) && steps < maxFlownItems; steps++ {
		it := items[seq]
		switch it.Command {
		case CmdDoJump:
			to, repeat := int(it.Param1), int(it.Param2)
			if repeat < 0 {
				forever = true
				if jumps[seq] == 0 {
					jumps[seq]++
					if to >= 1 && to < len(items) {
						seq = to
						continue
					}
				}
			} else if jumps[seq] < repeat && to >= 1 && to < len(items) {
				jumps[seq]++
				seq = to
				continue
			}
			seq++
			continue
		case CmdDoChangeSpeed:
			if it.Param2 > 0 {
				speedMS = it.Param2
			}
		case CmdNavReturnToLaunch:
			home := orb.Point{items[0].Y, items[0].X}
			leg(flownLeg{from: curSeq, to: seq, fromPt: cur, toPt: home, fromAlt: curAlt, toAlt: curAlt, speedMS: speedMS, lengthM: DistanceM(cur, home)})
			return forever
		}
		if pt, ok := missionItemPoint(it); ok {
			leg(flownLeg{from: curSeq, to: seq, fromPt: cur, toPt: pt, fromAlt: curAlt, toAlt: it.Z, speedMS: speedMS, lengthM: DistanceM(cur, pt)})
			cur, curSeq, curAlt = pt, seq, it.Z
			switch it.Command {
			case CmdNavWaypoint, CmdNavLoiterTime:
				if it.Param1 > 0 {
					hold(seq, time.Duration(it.Param1*float64(time.Second)), 0)
				}
			case CmdNavLoiterTurns:
				hold(seq, time.Duration(2*math.Pi*math.Abs(it.Param3)*math.Max(it.Param1, 0)/speedMS*float64(time.Second)), math.Abs(it.Param3))
			}
			if it.Command == CmdNavLand {
				return forever
			}
		} else if it.Command == CmdNavTakeoff {
			curAlt = it.Z
		}
		seq++
	}
	return forever
}

// Stats sums up the plan at the given speed (0: the plan's own).
func (p *Plan) Stats(opt ExpandOptions, speedMS float64) (PlanStats, error) {
	items, err := p.MissionItems(opt)
	if err != nil {
		return PlanStats{}, err
	}
	if speedMS <= 0 {
		speedMS = p.SpeedMS(p.VehicleType == 1)
	}
	st := PlanStats{Items: len(items)}
	var secs float64
	st.Forever = walkMission(items, speedMS, func(l flownLeg) {
		st.DistanceM += l.lengthM
		secs += l.lengthM / l.speedMS
	}, func(_ int, d time.Duration, orbitM float64) {
		secs += d.Seconds()
		if orbitM > 0 { // a loiter flies its circle at the planning speed
			st.DistanceM += d.Seconds() * speedMS
		}
	})
	st.Duration = time.Duration(secs * float64(time.Second))
	for _, it := range items[1:] {
		if pt, ok := missionItemPoint(it); ok {
			st.FarthestM = math.Max(st.FarthestM, DistanceM(p.Home, pt))
			alt := it.Z
			if it.Frame == FrameGlobal {
				alt -= p.HomeAltMSLM
			}
			st.MaxAltM = math.Max(st.MaxAltM, alt)
		}
	}
	for _, it := range p.Items {
		switch c := it.(type) {
		case *Survey:
			st.AreaM2 += AreaM2(c.Polygon)
			st.Photos += c.CameraShots()
		case *Corridor:
			if a, err := c.Area(); err == nil {
				st.AreaM2 += AreaM2(a)
			}
		}
	}
	return st, nil
}
