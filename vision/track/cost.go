package track

import "math"

// gatedCost marks a track–detection pair that the gates forbid. It is finite, because the
// assignment needs finite costs, and far above any allowed pair's cost, so the assignment
// only uses it when there is nothing better; such pairs are then dropped.
const gatedCost = 1e6

// pairCost is what it costs to say that detection box d continues a track whose predicted
// box is p, whose centre has the variances varX and varY: (1 − IoU) + n, where n is the
// distance between the centres normalised by the boxes' size
//
//	n = |c_p − c_d| / √(s² + varX + varY),  s² = mean width × mean height.
//
// IoU alone cannot match small or fast objects whose boxes no longer overlap from one frame
// to the next (a 12 px car at 5 fps); distance alone ignores shape. Widening the size by
// the prediction's uncertainty lets a track that has been coasting, or has just started
// with an unknown velocity, reach further. ok is false when a gate forbids the pair: n above
// maxDist, or the areas differing by more than maxArea either way.
func pairCost(p, d Box, varX, varY, maxDist, maxArea float64) (cost float64, ok bool) {
	pa, da := p.Width()*p.Height(), d.Width()*d.Height()
	if pa > maxArea*da || da > maxArea*pa {
		return gatedCost, false
	}
	mw, mh := (p.Width()+d.Width())/2, (p.Height()+d.Height())/2
	pc, dc := p.Center(), d.Center()
	n := math.Hypot(pc.X-dc.X, pc.Y-dc.Y) / math.Sqrt(mw*mh+varX+varY)
	cost = 1 - p.IoU(d) + n
	if !(n <= maxDist) || !(cost < gatedCost) {
		return gatedCost, false // also NaN, which would stall the assignment
	}
	return cost, true
}

// associate matches this frame's detections to the predicted tracks with the Hungarian
// method on pairCost. It fills t.byTrack (each track's detection or -1) and t.detTrack (each
// detection's track or -1).
func (t *Tracker) associate(dets []Detection) {
	nt, nd := len(t.tracks), len(dets)
	t.detTrack = grow(t.detTrack, nd)
	for i := range t.detTrack {
		t.detTrack[i] = -1
	}
	t.cost = grow(t.cost, nt*nd)
	for ti, tr := range t.tracks {
		if tr.gone {
			for di := range dets {
				t.cost[ti*nd+di] = gatedCost
			}
			continue
		}
		p := tr.kf.box()
		vx, vy := tr.kf.p[0][0], tr.kf.p[1][1]
		for di, d := range dets {
			t.cost[ti*nd+di], _ = pairCost(p, d.Box, vx, vy, t.MaxDistance, t.MaxAreaRatio)
		}
	}
	t.byTrack = t.asg.solve(t.cost, nt, nd, t.byTrack)
	for ti, di := range t.byTrack {
		if di < 0 {
			continue
		}
		if t.cost[ti*nd+di] >= gatedCost {
			t.byTrack[ti] = -1
			continue
		}
		t.detTrack[di] = ti
	}
}
