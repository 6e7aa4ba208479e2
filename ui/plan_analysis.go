package ui

import (
	"slices"
	"sync"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// planAnalysis is what the plan view shows about a plan besides its shapes: the flown path,
// the problems of each item, the statistics and each survey's camera figures. It is worked
// out away from Fyne's goroutine (a survey with the auto angle can take a while) on a copy
// of the plan.
type planAnalysis struct {
	rev, structRev int

	// path is the positions flown, home first; problemPts the positions of mission items
	// with a problem.
	path       []orb.Point
	problemPts []orb.Point
	// itemErr says why a plan item cannot be planned at all ("" when it can);
	// itemProblems are Validate's problems of each plan item; planProblems those of the
	// plan as a whole (home, rally points, endurance…).
	itemErr      []string
	itemProblems [][]gcs.Problem
	planProblems []gcs.Problem
	stats        gcs.PlanStats
	statsErr     string
	// figures are the camera figures of each survey or corridor, by plan item.
	figures map[int]transectFigures
}

// transectFigures are a survey's or corridor's numbers, as the operator reads them.
type transectFigures struct {
	Calc     gcs.CameraCalc // after Recalc: altitude, GSD, spacing, trigger distance
	Lanes    int
	Photos   int
	AngleDeg float64 // the lanes' direction (the auto angle once found)
	AreaM2   float64
	Err      string // why the camera settings do not work, if they do not
}

// analysePlan works out a plan's analysis. p is the analyser's own copy: surveys with the
// auto angle get their angle settled on it.
func analysePlan(p *gcs.Plan, opt gcs.ValidateOptions) *planAnalysis {
	a := &planAnalysis{
		itemErr:      make([]string, len(p.Items)),
		itemProblems: make([][]gcs.Problem, len(p.Items)),
		figures:      map[int]transectFigures{},
	}
	exp := gcs.ExpandOptions{Ground: opt.Ground}
	// Items that cannot be planned are shown with their reason, and the rest analysed
	// without them.
	good := *p
	good.Items = nil
	var index []int // good item → plan item
	if _, _, err := p.MissionItemsOwned(exp); err != nil {
		for i, it := range p.Items {
			if e := itemError(p, it, exp); e != "" {
				a.itemErr[i] = e
				continue
			}
			good.Items = append(good.Items, it)
			index = append(index, i)
		}
	} else {
		good.Items = p.Items
		for i := range p.Items {
			index = append(index, i)
		}
	}
	items, owners, err := good.MissionItemsOwned(exp)
	if err != nil { // items fine alone but not together (terrain along a leg)
		a.statsErr = err.Error()
		return a
	}
	// The auto angle is settled now: plan the rest at it rather than search again.
	for _, it := range good.Items {
		if s, ok := it.(*gcs.Survey); ok {
			s.AutoAngle = false
		}
	}
	a.path = append(a.path, p.Home)
	for _, it := range items[1:] {
		if pt, ok := itemPoint(it); ok {
			a.path = append(a.path, pt)
		}
	}
	problems, err := gcs.Validate(&good, opt)
	if err != nil {
		a.statsErr = err.Error()
	}
	for _, pr := range problems {
		if pr.Seq > 0 && pr.Seq < len(owners) && owners[pr.Seq] > 0 {
			i := index[owners[pr.Seq]-1]
			a.itemProblems[i] = append(a.itemProblems[i], pr)
			if pt, ok := itemPoint(items[pr.Seq]); ok {
				a.problemPts = append(a.problemPts, pt)
			}
			continue
		}
		a.planProblems = append(a.planProblems, pr)
	}
	if st, err := good.Stats(exp, 0); err == nil {
		a.stats = st
	} else {
		a.statsErr = err.Error()
	}
	for gi, it := range good.Items {
		i := index[gi]
		switch it := it.(type) {
		case *gcs.Survey:
			f := transectFigures{Calc: it.Calc, Photos: it.CameraShots(), AngleDeg: it.AngleDeg, AreaM2: gcs.AreaM2(it.Polygon)}
			if lanes, err := it.Lanes(); err == nil {
				f.Lanes = len(lanes)
			}
			a.figures[i] = f
		case *gcs.Corridor:
			f := transectFigures{Calc: it.Calc, Lanes: it.TransectCount()}
			if area, err := it.Area(); err == nil {
				f.AreaM2 = gcs.AreaM2(area)
			}
			a.figures[i] = f
		}
	}
	// Items that failed still show their camera figures when the camera works.
	for i, it := range p.Items {
		if a.itemErr[i] == "" {
			continue
		}
		var c gcs.CameraCalc
		switch it := it.(type) {
		case *gcs.Survey:
			c = it.Calc
		case *gcs.Corridor:
			c = it.Calc
		default:
			continue
		}
		f := transectFigures{Calc: c}
		if err := f.Calc.Recalc(); err != nil {
			f.Err = err.Error()
		}
		a.figures[i] = f
	}
	return a
}

// itemError says why one plan item cannot be planned, or "".
func itemError(p *gcs.Plan, it gcs.PlanItem, exp gcs.ExpandOptions) string {
	var err error
	switch it := it.(type) {
	case *gcs.Survey:
		if len(it.Items) == 0 {
			_, err = it.Path()
		}
	case *gcs.Corridor:
		if len(it.Items) == 0 {
			_, err = it.Path()
		}
	case *gcs.Orbit:
		_, err = it.Path()
	case *gcs.Patrol:
		_, err = it.Route()
	}
	if err == nil {
		alone := &gcs.Plan{Home: p.Home, HomeAltMSLM: p.HomeAltMSLM, Items: []gcs.PlanItem{it}}
		_, err = alone.MissionItems(exp)
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// itemPoint is where a navigation item is, if it has a position.
func itemPoint(it gcs.MissionItem) (orb.Point, bool) {
	const cmdNavLast = 95
	if !it.IsGlobal() || (it.X == 0 && it.Y == 0) || it.Command >= cmdNavLast {
		return orb.Point{}, false
	}
	return orb.Point{it.Y, it.X}, true
}

// clonePlan copies a plan deeply enough that editing one does not change the other.
func clonePlan(p *gcs.Plan) *gcs.Plan {
	c := *p
	c.Items = make([]gcs.PlanItem, len(p.Items))
	for i, it := range p.Items {
		switch it := it.(type) {
		case *gcs.Survey:
			s := *it
			s.Polygon, s.Items = slices.Clone(it.Polygon), slices.Clone(it.Items)
			c.Items[i] = &s
		case *gcs.Corridor:
			s := *it
			s.Line, s.Items = slices.Clone(it.Line), slices.Clone(it.Items)
			c.Items[i] = &s
		case *gcs.Patrol:
			s := *it
			s.Polygon = slices.Clone(it.Polygon)
			c.Items[i] = &s
		case *gcs.Orbit:
			s := *it
			c.Items[i] = &s
		default:
			c.Items[i] = it
		}
	}
	c.Fence.Polygons = make([]gcs.FencePolygon, len(p.Fence.Polygons))
	for i, f := range p.Fence.Polygons {
		f.Vertices = slices.Clone(f.Vertices)
		c.Fence.Polygons[i] = f
	}
	c.Fence.Circles = slices.Clone(p.Fence.Circles)
	c.Rally = slices.Clone(p.Rally)
	return &c
}

// analysisJob is one plan to analyse.
type analysisJob struct {
	plan           *gcs.Plan
	opt            gcs.ValidateOptions
	rev, structRev int
}

// analyser analyses plans on its own goroutine, the latest request first: requests that
// come while it works replace each other, so a drag never queues up work.
type analyser struct {
	deliver func(*planAnalysis)

	mu      sync.Mutex
	job     *analysisJob
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	started bool
	once    sync.Once
}

// newAnalyser returns an analyser that keeps requests until start.
func newAnalyser(deliver func(*planAnalysis)) *analyser {
	return &analyser{deliver: deliver, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// start starts the goroutine (once).
func (a *analyser) start() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.started {
		a.started = true
		go a.run()
	}
}

func (a *analyser) request(j *analysisJob) {
	a.mu.Lock()
	a.job = j
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

func (a *analyser) run() {
	defer close(a.done)
	for {
		select {
		case <-a.stop:
			return
		case <-a.wake:
		}
		a.mu.Lock()
		j := a.job
		a.job = nil
		a.mu.Unlock()
		if j == nil {
			continue
		}
		res := analysePlan(j.plan, j.opt)
		res.rev, res.structRev = j.rev, j.structRev
		select {
		case <-a.stop:
			return
		default:
			a.deliver(res)
		}
	}
}

// Close stops the goroutine, if started, and waits for it.
func (a *analyser) Close() {
	a.mu.Lock()
	started := a.started
	a.started = true // no start after Close
	a.mu.Unlock()
	a.once.Do(func() { close(a.stop) })
	if started {
		<-a.done
	}
}
