package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// readPlanFile reads a plan in the format its extension names.
func readPlanFile(name string) (*gcs.Plan, error) {
	format, err := gcs.PlanFormatOf(name)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := gcs.ReadPlan(f, format, gcs.DefaultShapeDefaults)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// writePlanFile writes through a temporary file so a failure never leaves half a plan, and
// says on stderr what the format could not hold.
func writePlanFile(name string, format gcs.PlanFormat, p *gcs.Plan, opt gcs.ExpandOptions) error {
	tmp := name + ".tmp"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	notes, err := gcs.WritePlan(out, format, p, opt)
	if err == nil {
		err = out.Close()
	} else {
		out.Close()
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, n := range notes {
		fmt.Fprintf(os.Stderr, "%s: %s\n", name, n)
	}
	return os.Rename(tmp, name)
}

func runPlanConvert(args []string) error {
	fs := flag.NewFlagSet("plan convert", flag.ContinueOnError)
	dem := fs.String("dem", "", "directory of SRTM tiles, for plans that follow the terrain")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageErrorf("plan convert needs IN and OUT files")
	}
	ground, err := demGround(*dem)
	if err != nil {
		return err
	}
	p, err := readPlanFile(pos[0])
	if err != nil {
		return err
	}
	format, err := gcs.PlanFormatOf(pos[1])
	if err != nil {
		return usageErrorf("%v", err)
	}
	if err := writePlanFile(pos[1], format, p, gcs.ExpandOptions{Ground: ground}); err != nil {
		return err
	}
	fmt.Printf("%s → %s\n", pos[0], pos[1])
	return nil
}

func runPlanValidate(args []string) error {
	fs := flag.NewFlagSet("plan validate", flag.ContinueOnError)
	dem := fs.String("dem", "", "directory of SRTM tiles (default: level ground at home)")
	vehicle := fs.String("vehicle", "copter", "copter or plane")
	speed := fs.Float64("speed", 0, "speed in m/s (default: the plan's)")
	endurance := fs.Duration("endurance", 0, "flight time on a battery, reserve taken off (default 20m copter, 60m plane)")
	margin := fs.Float64("margin", 10, "least height above the terrain in metres")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("plan validate needs one FILE")
	}
	if *vehicle != "copter" && *vehicle != "plane" {
		return usageErrorf("--vehicle %q: want copter or plane", *vehicle)
	}
	ground, err := demGround(*dem)
	if err != nil {
		return err
	}
	p, err := readPlanFile(pos[0])
	if err != nil {
		return err
	}
	lim := gcs.DefaultVehicleLimits(*vehicle == "plane")
	lim.SpeedMS = *speed
	if *endurance > 0 {
		lim.Endurance = *endurance
	}
	problems, err := gcs.Validate(p, gcs.ValidateOptions{Limits: lim, Ground: ground, TerrainMarginM: *margin})
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	errs := 0
	for _, pr := range problems {
		kind := "warning"
		if !pr.Warning {
			kind = "problem"
			errs++
		}
		fmt.Printf("%s: %s: %s\n", pos[0], kind, pr.Text)
	}
	if errs > 0 {
		return fmt.Errorf("%s: %d problem(s)", pos[0], errs)
	}
	fmt.Printf("%s: no problems found\n", pos[0])
	return nil
}

type planInfoJSON struct {
	Items      int      `json:"items"`
	DistanceM  float64  `json:"distance_m"`
	DurationS  float64  `json:"duration_s"`
	Forever    bool     `json:"repeats_forever"`
	AreaM2     float64  `json:"area_m2"`
	Photos     int      `json:"photos"`
	MaxAltM    float64  `json:"max_alt_m"`
	FarthestM  float64  `json:"farthest_m"`
	FencePolys int      `json:"fence_polygons"`
	FenceCircs int      `json:"fence_circles"`
	Rally      int      `json:"rally_points"`
	Complex    []string `json:"complex_items"`
}

func runPlanInfo(args []string) error {
	fs := flag.NewFlagSet("plan info", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object")
	speed := fs.Float64("speed", 0, "speed in m/s (default: the plan's)")
	dem := fs.String("dem", "", "directory of SRTM tiles, for plans that follow the terrain")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("plan info needs one FILE")
	}
	p, err := readPlanFile(pos[0])
	if err != nil {
		return err
	}
	ground, err := demGround(*dem)
	if err != nil {
		return err
	}
	st, err := p.Stats(gcs.ExpandOptions{Ground: ground}, *speed)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	info := planInfoJSON{Items: st.Items, DistanceM: math.Round(st.DistanceM*10) / 10, DurationS: math.Round(st.Duration.Seconds()),
		Forever: st.Forever, AreaM2: math.Round(st.AreaM2), Photos: st.Photos, MaxAltM: st.MaxAltM, FarthestM: math.Round(st.FarthestM),
		FencePolys: len(p.Fence.Polygons), FenceCircs: len(p.Fence.Circles), Rally: len(p.Rally), Complex: []string{}}
	for _, it := range p.Items {
		if _, ok := it.(gcs.SimpleItem); !ok {
			info.Complex = append(info.Complex, describeItem(it))
		}
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(info)
	}
	fmt.Printf("%s: %d items, %.2f km, about %s", pos[0], st.Items, st.DistanceM/1000, st.Duration.Round(time.Second))
	if st.Forever {
		fmt.Print(" a loop (repeats for ever)")
	}
	fmt.Printf(", highest %.0f m above home, farthest %.0f m from home\n", st.MaxAltM, st.FarthestM)
	if st.AreaM2 > 0 {
		fmt.Printf("  area covered %.2f ha, about %d photos\n", st.AreaM2/1e4, st.Photos)
	}
	for _, c := range info.Complex {
		fmt.Printf("  %s\n", c)
	}
	fmt.Printf("  fence: %d polygon(s), %d circle(s); %d rally point(s)\n", info.FencePolys, info.FenceCircs, info.Rally)
	return nil
}
