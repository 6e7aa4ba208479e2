package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
)

func runCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("cmd", flag.ContinueOnError)
	var lf linkFlags
	lf.register(fs)
	wait := fs.Bool("wait", false, "for takeoff, goto, land and rtl: wait until the vehicle gets there")
	timeout := fs.Duration("timeout", 5*time.Minute, "longest --wait")
	force := fs.Bool("force", false, "arm/disarm: skip the vehicle's checks (disarm in flight drops it)")
	dbPath := fs.String("db", "", "log the command and the vehicle's answer in this mission record (the audit log)")
	var af aerostatFlags
	af.register(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErrorf("say what to do: arm, disarm, mode NAME, takeoff ALT, land, rtl, goto LAT LON ALT, roi LAT LON ALT, gimbal PITCH YAW, " +
			"winch length M|altitude M|rate MPS|hold|lock|retract, stare LAT LON ALT, scan FROM_DEG TO_DEG, patrol LAT LON ALT...")
	}
	if aerostatActions[pos[0]] {
		return runAerostatCmd(ctx, &lf, &af, pos, *wait, *timeout)
	}
	nums, err := numbers(pos[1:])
	action := pos[0]
	needs := map[string]int{"arm": 0, "disarm": 0, "land": 0, "rtl": 0, "roi-clear": 0, "start": 0, "takeoff": 1, "speed": 1, "goto": 3, "roi": 3, "gimbal": 2}
	if action == "mode" {
		if len(pos) != 2 {
			return usageErrorf("mode needs one name, e.g. vigil cmd mode GUIDED")
		}
	} else if n, ok := needs[action]; !ok {
		return usageErrorf("unknown action %q", action)
	} else if err != nil || len(nums) != n {
		return usageErrorf("%s needs %d number(s), got %q", action, n, pos[1:])
	}

	c, sysID, err := lf.openClient(ctx)
	if err != nil {
		return err
	}
	defer c.Close()

	audit, err := openAudit(*dbPath, sysID, strings.Join(pos, " "))
	if err != nil {
		return err
	}
	var reply gcs.CommandReply
	defer func() { audit.answer(reply) }()
	switch action {
	case "arm":
		reply, err = c.Arm(ctx, sysID, *force)
	case "disarm":
		reply, err = c.Disarm(ctx, sysID, *force)
	case "mode":
		reply, err = c.SetMode(ctx, sysID, pos[1])
	case "takeoff":
		reply, err = c.Takeoff(ctx, sysID, nums[0])
	case "land":
		reply, err = c.Land(ctx, sysID)
	case "rtl":
		reply, err = c.RTL(ctx, sysID)
	case "start":
		reply, err = c.StartMission(ctx, sysID)
	case "speed":
		reply, err = c.ChangeSpeed(ctx, sysID, nums[0])
	case "goto":
		reply, err = c.Goto(ctx, sysID, point(nums))
	case "roi":
		reply, err = c.SetROI(ctx, sysID, point(nums))
	case "roi-clear":
		reply, err = c.ClearROI(ctx, sysID)
	case "gimbal":
		reply, err = c.PointGimbal(ctx, sysID, nums[0], nums[1], false)
	}
	if err != nil {
		return err
	}
	fmt.Printf("vehicle %d: %s %s\n", sysID, action, reply.Result)
	if !*wait {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	switch action {
	case "takeoff":
		return waitUntil(wctx, c, sysID, fmt.Sprintf("reached %g m", nums[0]), func(v gcs.Vehicle) (bool, string) {
			if v.Mode != "GUIDED" && v.Mode != "AUTO" {
				return false, "left GUIDED for " + v.Mode
			}
			return v.Position.AltRelM >= nums[0]*0.95-0.5, ""
		})
	case "goto":
		target := point(nums)
		return waitUntil(wctx, c, sysID, "arrived", func(v gcs.Vehicle) (bool, string) {
			if v.Mode != "GUIDED" {
				return false, "left GUIDED for " + v.Mode
			}
			return gcs.DistanceM(v.Position.Point, target.Point) < 2 && math.Abs(v.Position.AltRelM-target.AltRelM) < 1.5, ""
		})
	case "land", "rtl":
		return waitUntil(wctx, c, sysID, "landed and disarmed", func(v gcs.Vehicle) (bool, string) {
			return !v.Armed, ""
		})
	}
	return nil
}

// waitUntil watches the vehicle until done says so, it says why not, or the link is lost.
func waitUntil(ctx context.Context, c *mavlink.Client, sysID uint8, what string, done func(gcs.Vehicle) (bool, string)) error {
	start := time.Now()
	for {
		v, _ := c.Fleet.Vehicle(sysID)
		if !v.Connected {
			return fmt.Errorf("vehicle %d: link lost while waiting", sysID)
		}
		ok, why := done(v)
		if ok {
			fmt.Printf("vehicle %d: %s after %.1f s\n", sysID, what, time.Since(start).Seconds())
			return nil
		}
		if why != "" {
			return fmt.Errorf("vehicle %d %s%s", sysID, why, lastWarning(v, start))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("vehicle %d: not %s after %.0f s%s", sysID, what, time.Since(start).Seconds(), lastWarning(v, start))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// lastWarning adds what the vehicle said since a moment, if it warned about something.
func lastWarning(v gcs.Vehicle, since time.Time) string {
	for i := len(v.StatusTexts) - 1; i >= 0; i-- {
		st := v.StatusTexts[i]
		if st.Time.Before(since) {
			break
		}
		if st.Severity <= gcs.SeverityWarning {
			return " (vehicle said: " + st.Text + ")"
		}
	}
	return ""
}

func numbers(s []string) ([]float64, error) {
	out := make([]float64, len(s))
	for i, x := range s {
		v, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", x)
		}
		out[i] = v
	}
	return out, nil
}

func point(n []float64) gcs.Position {
	return gcs.Position{Point: orb.Point{n[1], n[0]}, AltRelM: n[2]}
}
