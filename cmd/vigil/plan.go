package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/assets"
	"github.com/vigil-gcs/vigil/gcs"
)

const planUsage = `vigil plan — plan missions and convert plan files

  vigil plan survey   --polygon AREA.(geojson|kml) (--camera NAME | --hfov DEG --image WxH | --spacing M --trigger-dist M)
                      (--alt M | --gsd CM) [--overlap 70,70] [--angle auto|DEG] [--crosshatch] [--turnaround M]
                      [--entry 0-3] [--trigger distance|waypoint|none] --out FILE
  vigil plan corridor --line LINE.(geojson|kml) --width M --alt M [camera flags as survey; default 25 m lanes] --out FILE
  vigil plan orbit    --center LAT,LON --radius M --alt M [--turns N] [--waypoints N] [--ccw] --out FILE
  vigil plan patrol   --polygon AREA --inset M --alt M [--loops N (0: for ever)] --out FILE
  vigil plan convert  IN OUT            any supported format to any other, by extension
  vigil plan validate FILE [--dem DIR] [--vehicle copter|plane] [--speed M/S] [--endurance 20m] [--margin M]
  vigil plan info     FILE [--json]     items, distance, time, area covered
  vigil plan cameras                    the camera catalogue

Generated plans take off to the altitude first and return to launch at the end. Every
command that writes takes --home LAT,LON[,ALT_MSL] (default: the first point of the area),
--alt-mode relative|amsl|terrain|terrain-frame, --dem DIR and --speed M/S. Formats: .plan (QGroundControl),
.waypoints (Mission Planner), .kml, .geojson.
`

func runPlan(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Print(planUsage)
		return nil
	}
	verb, rest := args[0], args[1:]
	switch verb {
	case "survey", "corridor", "orbit", "patrol":
		return runPlanGenerate(verb, rest)
	case "convert":
		return runPlanConvert(rest)
	case "validate":
		return runPlanValidate(rest)
	case "info":
		return runPlanInfo(rest)
	case "cameras":
		cams, err := cameraCatalogue()
		if err != nil {
			return err
		}
		for _, c := range cams {
			fmt.Printf("%-42s sensor %g×%g mm, %d×%d px, %g mm lens\n", c.Name, c.SensorWidthMM, c.SensorHeightMM, c.ImageWidthPx, c.ImageHeightPx, c.FocalLengthMM)
		}
		return nil
	}
	return usageErrorf("unknown plan action %q\n\n%s", verb, planUsage)
}

func cameraCatalogue() ([]gcs.CameraSpec, error) {
	return gcs.ParseCameraCatalogue(assets.CamerasJSON)
}

// demGround opens a terrain model from a directory of SRTM tiles.
//
// The SRTM (.hgt) reader that implements gcs.Ground is being written on another branch;
// this is the one place to wire it in.
func demGround(dir string) (gcs.Ground, error) {
	if dir == "" {
		return nil, nil
	}
	dem := &gcs.SRTM{Dir: dir}
	if err := dem.Initialize(); err != nil {
		return nil, fmt.Errorf("--dem: %w", err)
	}
	return dem, nil
}

// planFlags are the flags of the generator commands.
type planFlags struct {
	out, home, altMode         string
	altM, speedMS              float64
	camera, image, overlap     string
	hfovDeg, gsdCM             float64
	spacingM, triggerM, turnM  float64
	angle, trigger             string
	entry                      int
	crosshatch                 bool
	polygon, line, center      string
	widthM, radiusM, turns     float64
	waypoints, loops           int
	ccw                        bool
	insetM                     float64
	altSet, gsdSet, spacingSet bool
}

func runPlanGenerate(kind string, args []string) error {
	fs := flag.NewFlagSet("plan "+kind, flag.ContinueOnError)
	var f planFlags
	fs.StringVar(&f.out, "out", "", "file to write (.plan, .waypoints, .kml, .geojson)")
	fs.StringVar(&f.home, "home", "", "planned home LAT,LON[,ALT_MSL] (default: the first point)")
	fs.StringVar(&f.altMode, "alt-mode", "relative", "altitude above: relative (home), amsl, terrain (needs --dem), terrain-frame (the vehicle follows it)")
	fs.Float64Var(&f.altM, "alt", 0, "altitude in metres")
	fs.Float64Var(&f.speedMS, "speed", 0, "planning speed in m/s (default 5)")
	dem := fs.String("dem", "", "directory of SRTM tiles, for --alt-mode terrain")
	switch kind {
	case "survey", "corridor":
		fs.StringVar(&f.camera, "camera", "", "camera name from the catalogue (vigil plan cameras)")
		fs.Float64Var(&f.hfovDeg, "hfov", 0, "camera horizontal field of view in degrees (with --image)")
		fs.StringVar(&f.image, "image", "", "image size WxH in pixels (with --hfov)")
		fs.Float64Var(&f.gsdCM, "gsd", 0, "wanted ground sample distance in cm/px (instead of --alt)")
		fs.StringVar(&f.overlap, "overlap", "70,70", "front,side overlap in percent")
		fs.Float64Var(&f.spacingM, "spacing", 0, "lane spacing in metres, without a camera")
		fs.Float64Var(&f.triggerM, "trigger-dist", 0, "photo distance in metres, without a camera")
		fs.Float64Var(&f.turnM, "turnaround", 10, "straight run beyond each lane end in metres")
		fs.StringVar(&f.trigger, "trigger", "distance", "camera trigger: distance (DO_SET_CAM_TRIGG_DIST), waypoint (stop and shoot), none")
		fs.IntVar(&f.entry, "entry", 0, "entry corner 0-3 (QGroundControl's)")
		if kind == "survey" {
			fs.StringVar(&f.polygon, "polygon", "", "survey area: a polygon in a .geojson or .kml file")
			fs.StringVar(&f.angle, "angle", "auto", "lane direction in degrees from north, or auto (shortest flight)")
			fs.BoolVar(&f.crosshatch, "crosshatch", false, "fly the area again at +90°")
		} else {
			fs.StringVar(&f.line, "line", "", "corridor centre line in a .geojson or .kml file")
			fs.Float64Var(&f.widthM, "width", 0, "corridor width in metres")
		}
	case "orbit":
		fs.StringVar(&f.center, "center", "", "centre LAT,LON")
		fs.Float64Var(&f.radiusM, "radius", 0, "radius in metres")
		fs.Float64Var(&f.turns, "turns", 1, "turns")
		fs.IntVar(&f.waypoints, "waypoints", 0, "fly a circle of N waypoints a turn with the camera on the centre (default: LOITER_TURNS)")
		fs.BoolVar(&f.ccw, "ccw", false, "counter-clockwise")
	case "patrol":
		fs.StringVar(&f.polygon, "polygon", "", "area: a polygon in a .geojson or .kml file")
		fs.Float64Var(&f.insetM, "inset", 0, "fly this far inside the edge, in metres")
		fs.IntVar(&f.loops, "loops", 1, "times round; 0 for ever")
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("plan %s: unexpected %q", kind, pos[0])
	}
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "alt":
			f.altSet = true
		case "gsd":
			f.gsdSet = true
		case "spacing":
			f.spacingSet = true
		}
	})
	if f.out == "" {
		return usageErrorf("plan %s: say where to write it: --out FILE", kind)
	}
	outFormat, err := gcs.PlanFormatOf(f.out)
	if err != nil {
		return usageErrorf("%v", err)
	}
	mode, err := gcs.ParseAltMode(f.altMode)
	if err != nil {
		return usageErrorf("--alt-mode: %v", err)
	}
	ground, err := demGround(*dem)
	if err != nil {
		return err
	}
	opt := gcs.ExpandOptions{Ground: ground}
	item, start, err := f.build(kind, mode)
	if err != nil {
		return err
	}
	p := &gcs.Plan{Home: start, HoverSpeedMS: f.speedMS}
	if f.home != "" {
		if p.Home, p.HomeAltMSLM, err = parseLatLonAlt(f.home); err != nil {
			return usageErrorf("--home: %v", err)
		}
	}
	takeoffAlt := f.altM
	if s, ok := item.(*gcs.Survey); ok {
		takeoffAlt = s.Calc.AltM
	}
	p.Items = []gcs.PlanItem{
		gcs.SimpleItem{Item: gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavTakeoff, Autocontinue: true, Z: takeoffAlt}},
		item,
		gcs.SimpleItem{Item: gcs.MissionItem{Frame: gcs.FrameMission, Command: gcs.CmdNavReturnToLaunch, Autocontinue: true}},
	}
	if mode == gcs.AltAboveTerrain || mode == gcs.AltAMSL {
		// A takeoff climbs above home whatever the plan's frame is.
		p.Items[0] = gcs.SimpleItem{Item: gcs.MissionItem{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavTakeoff, Autocontinue: true, Z: 10}}
	}
	if err := writePlanFile(f.out, outFormat, p, opt); err != nil {
		return err
	}
	st, err := p.Stats(opt, 0)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %s, %d items, %.2f km, about %s at %g m/s\n", f.out, describeItem(item), st.Items, st.DistanceM/1000,
		st.Duration.Round(time.Second), p.SpeedMS(false))
	return nil
}

func describeItem(it gcs.PlanItem) string {
	switch c := it.(type) {
	case *gcs.Survey:
		lanes, _ := c.Lanes()
		return fmt.Sprintf("survey of %.2f ha at %.1f m, %d lanes %.1f m apart at %.1f°, photos every %.1f m (%.2f cm/px)",
			gcs.AreaM2(c.Polygon)/1e4, c.Calc.AltM, len(lanes), c.Calc.SpacingM, c.AngleDeg, c.Calc.TriggerDistM, c.Calc.GSDcm)
	case *gcs.Corridor:
		return fmt.Sprintf("corridor %g m wide at %g m, %d lanes", c.WidthM, c.Calc.AltM, c.TransectCount())
	case *gcs.Orbit:
		return fmt.Sprintf("orbit of %g m radius at %g m", c.RadiusM, c.AltM)
	case *gcs.Patrol:
		loops := "for ever"
		if c.Loops > 0 {
			loops = fmt.Sprintf("%d time(s)", c.Loops)
		}
		return fmt.Sprintf("patrol %g m inside the edge at %g m, %s", c.InsetM, c.AltM, loops)
	}
	return "plan"
}

// build makes the complex item a generator command describes, and the point to plan from.
func (f *planFlags) build(kind string, mode gcs.AltMode) (gcs.PlanItem, orb.Point, error) {
	switch kind {
	case "survey", "corridor":
		ts, err := f.transectStyle(mode, kind == "corridor")
		if err != nil {
			return nil, orb.Point{}, err
		}
		if kind == "survey" {
			poly, err := readShape(f.polygon, "--polygon", "polygon")
			if err != nil {
				return nil, orb.Point{}, err
			}
			s := &gcs.Survey{Polygon: poly, TransectStyle: ts, Crosshatch: f.crosshatch, Entry: gcs.EntryCorner(f.entry)}
			if f.angle == "auto" {
				s.AutoAngle = true
			} else if s.AngleDeg, err = strconv.ParseFloat(f.angle, 64); err != nil || math.IsNaN(s.AngleDeg) {
				return nil, orb.Point{}, usageErrorf("--angle %q: want auto or degrees from north", f.angle)
			}
			if _, err := s.Lanes(); err != nil {
				return nil, orb.Point{}, err
			}
			return s, poly[0], nil
		}
		line, err := readShape(f.line, "--line", "line")
		if err != nil {
			return nil, orb.Point{}, err
		}
		c := &gcs.Corridor{Line: line, WidthM: f.widthM, Entry: f.entry, TransectStyle: ts}
		if _, err := c.Path(); err != nil {
			return nil, orb.Point{}, err
		}
		return c, line[0], nil
	case "orbit":
		if f.center == "" || !f.altSet {
			return nil, orb.Point{}, usageErrorf("plan orbit needs --center LAT,LON, --radius M and --alt M")
		}
		c, _, err := parseLatLonAlt(f.center)
		if err != nil {
			return nil, orb.Point{}, usageErrorf("--center: %v", err)
		}
		o := &gcs.Orbit{Center: c, RadiusM: f.radiusM, AltM: f.altM, AltMode: mode, Turns: f.turns, Clockwise: !f.ccw, Waypoints: f.waypoints}
		if _, err := o.Path(); err != nil {
			return nil, orb.Point{}, err
		}
		return o, gcs.OffsetNE(c, -f.radiusM, 0), nil
	case "patrol":
		if !f.altSet {
			return nil, orb.Point{}, usageErrorf("plan patrol needs --alt M")
		}
		poly, err := readShape(f.polygon, "--polygon", "polygon")
		if err != nil {
			return nil, orb.Point{}, err
		}
		p := &gcs.Patrol{Polygon: poly, InsetM: f.insetM, AltM: f.altM, AltMode: mode, Loops: f.loops}
		if _, err := p.Route(); err != nil {
			return nil, orb.Point{}, err
		}
		return p, poly[0], nil
	}
	return nil, orb.Point{}, usageErrorf("unknown plan %q", kind)
}

// transectStyle is the camera and lane settings of a survey or corridor. A corridor given
// no camera gets QGroundControl's manual defaults (25 m lanes, a photo every 25 m).
func (f *planFlags) transectStyle(mode gcs.AltMode, manualDefault bool) (gcs.TransectStyle, error) {
	ts := gcs.TransectStyle{AltMode: mode, TurnaroundM: f.turnM, TriggerInTurnaround: true}
	switch f.trigger {
	case "distance":
	case "waypoint":
		ts.Trigger = gcs.TriggerWaypoint
		ts.TriggerInTurnaround = false
	case "none":
		ts.Trigger = gcs.TriggerNone
	default:
		return ts, usageErrorf("--trigger %q: want distance, waypoint or none", f.trigger)
	}
	front, side, err := parsePair(f.overlap)
	if err != nil {
		return ts, usageErrorf("--overlap: %v", err)
	}
	c := gcs.CameraCalc{FrontOverlapPct: front, SideOverlapPct: side, AltM: f.altM, GSDcm: f.gsdCM, AltFromGSD: f.gsdSet}
	switch {
	case f.camera != "":
		cams, err := cameraCatalogue()
		if err != nil {
			return ts, err
		}
		cam, ok := gcs.FindCamera(cams, f.camera)
		if !ok {
			return ts, usageErrorf("--camera %q is not in the catalogue; vigil plan cameras lists them, or give --hfov and --image", f.camera)
		}
		c.Camera = &cam
	case f.hfovDeg > 0 || f.image != "":
		w, h, ok := strings.Cut(f.image, "x")
		wi, err1 := strconv.Atoi(w)
		hi, err2 := strconv.Atoi(h)
		if !ok || err1 != nil || err2 != nil {
			return ts, usageErrorf("--image %q: want WIDTHxHEIGHT in pixels, e.g. 4000x3000", f.image)
		}
		cam, err := gcs.CameraFromHFOV(gcs.QGCCustomCameraName, f.hfovDeg, wi, hi)
		if err != nil {
			return ts, usageErrorf("--hfov/--image: %v", err)
		}
		c.Camera = &cam
	case f.spacingSet || manualDefault:
		c.SpacingM, c.TriggerDistM = f.spacingM, f.triggerM
		if !f.spacingSet {
			c.SpacingM, c.TriggerDistM = gcs.DefaultShapeDefaults.SpacingM, gcs.DefaultShapeDefaults.TriggerDistM
		}
		if f.gsdSet {
			return ts, usageErrorf("--gsd needs a camera (--camera, or --hfov and --image)")
		}
	default:
		return ts, usageErrorf("say which camera: --camera NAME, --hfov DEG --image WxH, or --spacing M [--trigger-dist M]")
	}
	if f.altSet == f.gsdSet && c.Camera != nil {
		return ts, usageErrorf("give one of --alt M or --gsd CM")
	}
	if c.Camera == nil && !f.altSet {
		return ts, usageErrorf("give --alt M")
	}
	if err := c.Recalc(); err != nil {
		return ts, usageErrorf("%v", err)
	}
	f.altM = c.AltM
	ts.Calc = c
	return ts, nil
}

// readShape reads the first polygon or line of a map file.
func readShape(name, flagName, want string) ([]orb.Point, error) {
	if name == "" {
		return nil, usageErrorf("%s FILE is needed (.geojson or .kml)", flagName)
	}
	format, err := gcs.PlanFormatOf(name)
	if err != nil || (format != gcs.FormatKML && format != gcs.FormatGeoJSON) {
		return nil, usageErrorf("%s %s: want a .geojson or .kml file", flagName, name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	read := gcs.ReadKML
	if format == gcs.FormatGeoJSON {
		read = gcs.ReadGeoJSON
	}
	shapes, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, s := range shapes {
		if s.Geometry() == want {
			if want == "polygon" {
				if err := gcs.CheckPolygon(s.Points); err != nil {
					return nil, fmt.Errorf("%s: %s: %w", name, s.Where, err)
				}
			}
			return s.Points, nil
		}
	}
	return nil, fmt.Errorf("%s: no %s in the file", name, want)
}

func parseLatLonAlt(s string) (orb.Point, float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return orb.Point{}, 0, fmt.Errorf("%q: want LAT,LON or LAT,LON,ALT", s)
	}
	n, err := numbers(parts)
	if err != nil || math.Abs(n[0]) > 90 || math.Abs(n[1]) > 180 {
		return orb.Point{}, 0, fmt.Errorf("%q: want LAT,LON[,ALT] in degrees and metres", s)
	}
	alt := 0.0
	if len(n) == 3 {
		alt = n[2]
	}
	return orb.Point{n[1], n[0]}, alt, nil
}
