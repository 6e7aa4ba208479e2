package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
)

// aerostatActions are the `vigil cmd` actions for tethered aerostats.
var aerostatActions = map[string]bool{"winch": true, "stare": true, "scan": true, "patrol": true}

// aerostatFlags are the flags of the aerostat actions.
type aerostatFlags struct {
	tetherM, rateMaxMps float64
	depressionDeg       float64
	periodS             float64
	duration            time.Duration
	dwell               time.Duration
}

func (a *aerostatFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&a.tetherM, "tether-length", gcs.DefaultTetherLengthM, "winch: the usable tether on the drum, in metres (longer lengths are refused)")
	fs.Float64Var(&a.rateMaxMps, "winch-rate-max", gcs.DefaultWinchRateMaxMps, "winch: the winch's fastest line speed, m/s (faster rates are refused)")
	fs.Float64Var(&a.depressionDeg, "depression", 20, "scan: degrees below the horizon")
	fs.Float64Var(&a.periodS, "period", 20, "scan: seconds for one pass from edge to edge")
	fs.DurationVar(&a.duration, "duration", 0, "stare, scan, patrol: how long to keep pointing (default: until interrupted)")
	fs.DurationVar(&a.dwell, "dwell", 30*time.Second, "patrol: how long to watch each point")
}

// runAerostatCmd runs `vigil cmd ... winch|stare|scan ...`.
func runAerostatCmd(ctx context.Context, lf *linkFlags, af *aerostatFlags, pos []string, wait bool, timeout time.Duration) error {
	var run func(ctx context.Context, c *mavlink.Client, sysID uint8) error
	var err error
	switch pos[0] {
	case "winch":
		run, err = winchAction(af, pos[1:], wait, timeout)
	case "stare":
		run, err = stareAction(af, pos[1:])
	case "scan":
		run, err = scanAction(af, pos[1:])
	case "patrol":
		run, err = patrolAction(af, pos[1:])
	}
	if err != nil {
		return err
	}
	c, sysID, err := lf.openClient(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return run(ctx, c, sysID)
}

func winchAction(af *aerostatFlags, args []string, wait bool, timeout time.Duration) (func(context.Context, *mavlink.Client, uint8) error, error) {
	usage := usageErrorf("winch needs one of: length M, altitude M, rate MPS, hold, lock, retract [MPS], relax")
	if len(args) == 0 {
		return nil, usage
	}
	nums, err := numbers(args[1:])
	if err != nil {
		return nil, usageErrorf("winch %s: %v", args[0], err)
	}
	var cmd gcs.WinchCommand
	want := 0
	switch args[0] {
	case "length", "altitude":
		cmd, want = gcs.WinchCommand{Kind: gcs.WinchToLength}, 1
	case "rate":
		cmd, want = gcs.WinchCommand{Kind: gcs.WinchAtRate}, 1
	case "hold":
		cmd = gcs.WinchCommand{Kind: gcs.WinchHold}
	case "lock":
		cmd = gcs.WinchCommand{Kind: gcs.WinchLock}
	case "relax":
		cmd = gcs.WinchCommand{Kind: gcs.WinchRelax}
	case "retract":
		cmd = gcs.WinchCommand{Kind: gcs.WinchRetract}
		if len(nums) == 1 {
			cmd.RateMps, want = nums[0], 1
		}
	default:
		return nil, usage
	}
	if len(nums) != want {
		return nil, usageErrorf("winch %s needs %d number(s), got %q", args[0], want, args[1:])
	}
	if want == 1 && cmd.Kind == gcs.WinchToLength {
		cmd.LengthM = nums[0]
	} else if want == 1 {
		cmd.RateMps = nums[0]
	}
	lim := gcs.TetherLimits{TetherLengthM: af.tetherM, RateMaxMps: af.rateMaxMps}
	return func(ctx context.Context, c *mavlink.Client, sysID uint8) error {
		if cmd.Kind == gcs.WinchToLength {
			if err := waitWinch(ctx, c, sysID); err != nil {
				return err
			}
		}
		if args[0] == "altitude" {
			v, _ := c.Fleet.Vehicle(sysID)
			line, err := gcs.LineForHeight(v, nums[0])
			if err != nil {
				return fmt.Errorf("vehicle %d: %w", sysID, err)
			}
			cmd.LengthM = math.Round(line*10) / 10
			fmt.Printf("vehicle %d: %g m up at its present lean takes %.1f m of line\n", sysID, nums[0], cmd.LengthM)
		}
		reply, err := c.Winch(ctx, sysID, cmd, lim)
		if err != nil {
			return err
		}
		fmt.Printf("vehicle %d: %s %s\n", sysID, cmd, reply.Result)
		if !wait || (cmd.Kind != gcs.WinchToLength && cmd.Kind != gcs.WinchRetract) {
			return nil
		}
		wctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		target := cmd.LengthM // 0 for a retract
		return waitUntil(wctx, c, sysID, fmt.Sprintf("line at %g m", target), func(v gcs.Vehicle) (bool, string) {
			w := v.Winch
			if w == nil {
				return false, ""
			}
			if !w.Status.Has(gcs.WinchHealthy) {
				return false, "winch reports a fault (" + w.Status.String() + ")"
			}
			if cmd.Kind == gcs.WinchRetract {
				return w.Status.Has(gcs.WinchFullyRetracted), ""
			}
			return math.Abs(w.LineLengthM-target) < 0.5 && !w.Status.Has(gcs.WinchMoving), ""
		})
	}, nil
}

// waitWinch waits briefly for the winch's first report, which a length command needs.
func waitWinch(ctx context.Context, c *mavlink.Client, sysID uint8) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		if v, _ := c.Fleet.Vehicle(sysID); v.Winch != nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("vehicle %d: no WINCH_STATUS in 5 s: is it a tethered aerostat with a winch (component %d)?", sysID, mavlink.WinchComponentID)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func stareAction(af *aerostatFlags, args []string) (func(context.Context, *mavlink.Client, uint8) error, error) {
	nums, err := numbers(args)
	if err != nil || len(nums) != 3 {
		return nil, usageErrorf("stare needs LAT LON ALT (altitude above home), got %q", args)
	}
	if nums[0] < -90 || nums[0] > 90 || nums[1] < -180 || nums[1] > 180 {
		return nil, usageErrorf("stare: %g, %g is not a latitude and longitude", nums[0], nums[1])
	}
	return func(ctx context.Context, c *mavlink.Client, sysID uint8) error {
		pose, homeMSL, err := waitPose(ctx, c, sysID)
		if err != nil {
			return err
		}
		stare := gcs.Stare{
			Target: gcs.Position{Point: orb.Point{nums[1], nums[0]}, AltMSLM: homeMSL + nums[2], AltRelM: nums[2]},
			Lead:   stareLead,
		}
		if _, err := stare.Aim(time.Now(), pose); err != nil {
			return fmt.Errorf("vehicle %d: stare at %.6f, %.6f refused: %w", sysID, nums[0], nums[1], err)
		}
		fmt.Printf("vehicle %d: staring at %.6f, %.6f (%g m above home), recomputed every second%s\n",
			sysID, nums[0], nums[1], nums[2], untilText(af.duration))
		return runGimbal(ctx, c, sysID, stare, time.Second, af.duration)
	}, nil
}

func patrolAction(af *aerostatFlags, args []string) (func(context.Context, *mavlink.Client, uint8) error, error) {
	nums, err := numbers(args)
	if err != nil || len(nums) == 0 || len(nums)%3 != 0 {
		return nil, usageErrorf("patrol needs LAT LON ALT for each point (altitude above home), got %q", args)
	}
	return func(ctx context.Context, c *mavlink.Client, sysID uint8) error {
		pose, homeMSL, err := waitPose(ctx, c, sysID)
		if err != nil {
			return err
		}
		patrol := gcs.StarePatrol{Dwell: af.dwell, Start: time.Now(), Lead: stareLead}
		for i := 0; i < len(nums); i += 3 {
			patrol.Points = append(patrol.Points, gcs.Position{Point: orb.Point{nums[i+1], nums[i]}, AltMSLM: homeMSL + nums[i+2], AltRelM: nums[i+2]})
		}
		if err := patrol.Check(pose); err != nil {
			return fmt.Errorf("vehicle %d: %w", sysID, err)
		}
		fmt.Printf("vehicle %d: patrolling %d points, %s each%s\n", sysID, len(patrol.Points), patrol.Dwell, untilText(af.duration))
		return runGimbal(ctx, c, sysID, patrol, time.Second, af.duration)
	}, nil
}

// stareLead aims a stare half a second ahead: half the update period, as the balloon drifts
// while the command holds.
const stareLead = 500 * time.Millisecond

func scanAction(af *aerostatFlags, args []string) (func(context.Context, *mavlink.Client, uint8) error, error) {
	nums, err := numbers(args)
	if err != nil || len(nums) != 2 {
		return nil, usageErrorf("scan needs FROM_DEG TO_DEG, got %q", args)
	}
	scan := gcs.SectorScan{FromDeg: nums[0], ToDeg: nums[1], DepressionDeg: af.depressionDeg,
		Period: time.Duration(af.periodS * float64(time.Second))}
	if err := scan.Validate(); err != nil {
		return nil, usageErrorf("%v", err)
	}
	return func(ctx context.Context, c *mavlink.Client, sysID uint8) error {
		pose, _, err := waitPose(ctx, c, sysID)
		if err != nil {
			return err
		}
		scan.Start, scan.Step = time.Now(), scanUpdate(scan)
		if _, err := scan.Aim(scan.Start, pose); err != nil {
			return fmt.Errorf("vehicle %d: scan refused: %w", sysID, err)
		}
		fmt.Printf("vehicle %d: scanning %g° to %g° at %g° down, %s a pass%s\n",
			sysID, scan.FromDeg, scan.ToDeg, scan.DepressionDeg, scan.Period, untilText(af.duration))
		return runGimbal(ctx, c, sysID, scan, scan.Step, af.duration)
	}, nil
}

// scanUpdate sends a scan's angles often enough that each step is at most 5°, and at
// most 5 times a second.
func scanUpdate(s gcs.SectorScan) time.Duration {
	steps := math.Ceil(s.WidthDeg() / 5)
	return max(time.Duration(float64(s.Period)/steps), 200*time.Millisecond)
}

func untilText(d time.Duration) string {
	if d > 0 {
		return fmt.Sprintf(" for %s", d)
	}
	return " (Ctrl-C stops)"
}

// waitPose waits for the vehicle's first pose, and returns it with home's altitude MSL.
func waitPose(ctx context.Context, c *mavlink.Client, sysID uint8) (gcs.Pose, float64, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		if p, ok := c.Fleet.Poses(sysID).Latest(); ok {
			home := p.Position.AltMSLM - p.Position.AltRelM
			if v, _ := c.Fleet.Vehicle(sysID); v.Home != nil {
				home = v.Home.AltMSLM
			}
			return p, home, nil
		}
		if time.Now().After(deadline) {
			return gcs.Pose{}, 0, fmt.Errorf("vehicle %d: no position and attitude in 5 s", sysID)
		}
		select {
		case <-ctx.Done():
			return gcs.Pose{}, 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// runGimbal points the gimbal until interrupted, the duration is up or the vehicle stops
// answering; it says when the point goes out of view and when it comes back.
func runGimbal(ctx context.Context, c *mavlink.Client, sysID uint8, aimer gcs.Aimer, period, d time.Duration) error {
	if d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	var lastErr string
	r := &gcs.GimbalRunner{
		SysID: sysID, Pointer: c, Poses: c.Fleet.Poses(sysID), Aimer: aimer, Period: period,
		OnAim: func(_ gcs.GimbalAim, err error) {
			msg := ""
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				msg = err.Error()
			}
			if msg != lastErr {
				if msg == "" {
					fmt.Printf("vehicle %d: pointing again\n", sysID)
				} else {
					fmt.Printf("vehicle %d: %s\n", sysID, msg)
				}
				lastErr = msg
			}
		},
	}
	return r.Run(ctx)
}
