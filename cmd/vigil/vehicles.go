package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"text/tabwriter"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
)

// vehicleJSON is the stable shape `vigil vehicles --json` prints, one object per line.
type vehicleJSON struct {
	SysID        uint8    `json:"sysid"`
	CompID       uint8    `json:"compid"`
	Type         uint8    `json:"type"`
	Autopilot    uint8    `json:"autopilot"`
	Connected    bool     `json:"connected"`
	Mode         string   `json:"mode"`
	Armed        bool     `json:"armed"`
	SystemStatus string   `json:"system_status"`
	Lat          float64  `json:"lat"`
	Lon          float64  `json:"lon"`
	AltMSLM      float64  `json:"alt_msl_m"`
	AltRelM      float64  `json:"alt_rel_m"`
	RollDeg      float64  `json:"roll_deg"`
	PitchDeg     float64  `json:"pitch_deg"`
	YawDeg       float64  `json:"yaw_deg"`
	SpeedMps     float64  `json:"groundspeed_mps"`
	HeadingDeg   float64  `json:"heading_deg"`
	BatteryV     float64  `json:"battery_v"`
	BatteryPct   int      `json:"battery_pct"`
	GPSFix       int      `json:"gps_fix"`
	Satellites   int      `json:"satellites"`
	EKFHealthy   bool     `json:"ekf_healthy"`
	Prearm       bool     `json:"prearm_ok"`
	HomeLat      *float64 `json:"home_lat,omitempty"`
	HomeLon      *float64 `json:"home_lon,omitempty"`
	MissionSeq   int      `json:"mission_current"`
	Links        []string `json:"links"`
	Packets      uint64   `json:"packets"`
	LossPct      float64  `json:"loss_pct"`
	LastMessage  string   `json:"last_message,omitempty"`
	VideoURI     string   `json:"video_uri,omitempty"`
	// Tethered vehicles (aerostats): the winch's report.
	LineLengthM *float64 `json:"line_length_m,omitempty"`
	TensionKg   *float64 `json:"tension_kg,omitempty"`
	WinchStatus string   `json:"winch_status,omitempty"`
	TetherPower *bool    `json:"tether_power,omitempty"`
}

func toJSON(v gcs.Vehicle) vehicleJSON {
	deg := func(r float64) float64 { return math.Round(r*180/math.Pi*10) / 10 }
	out := vehicleJSON{
		SysID: v.SysID, CompID: v.CompID, Type: uint8(v.Type), Autopilot: uint8(v.Autopilot),
		Connected: v.Connected, Mode: v.Mode, Armed: v.Armed, SystemStatus: v.SystemStatus,
		Lat: v.Position.Point.Lat(), Lon: v.Position.Point.Lon(), AltMSLM: v.Position.AltMSLM, AltRelM: v.Position.AltRelM,
		RollDeg: deg(v.Attitude.RollRad), PitchDeg: deg(v.Attitude.PitchRad), YawDeg: deg(v.Attitude.YawRad),
		SpeedMps: v.GroundSpeedMps, HeadingDeg: v.HeadingDeg, BatteryV: v.Battery.VoltageV, BatteryPct: v.Battery.RemainingPct,
		GPSFix: v.GPS.FixType, Satellites: v.GPS.Satellites, EKFHealthy: v.EKFHealthy, Prearm: v.PrearmHealthy,
		MissionSeq: v.MissionCurrent, Links: v.Links, Packets: v.Stats.Packets, LossPct: math.Round(v.Stats.LossPct()*10) / 10,
	}
	if v.Home != nil {
		lat, lon := v.Home.Point.Lat(), v.Home.Point.Lon()
		out.HomeLat, out.HomeLon = &lat, &lon
	}
	if n := len(v.StatusTexts); n > 0 {
		out.LastMessage = v.StatusTexts[n-1].Text
	}
	if v.Camera != nil {
		out.VideoURI = v.Camera.VideoURI
	}
	if w := v.Winch; w != nil {
		line, tension := math.Round(w.LineLengthM*10)/10, math.Round(w.TensionKg*10)/10
		out.LineLengthM, out.TensionKg, out.WinchStatus = &line, &tension, w.Status.String()
	}
	if p := v.TetherPower; p != nil {
		on := p.Supplying()
		out.TetherPower = &on
	}
	return out
}

func runVehicles(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("vehicles", flag.ContinueOnError)
	var conns connections
	fs.Var(&conns, "connect", "link(s) to listen on, e.g. udp://:14550 (repeatable)")
	wait := fs.Duration("wait", 5*time.Second, "how long to listen before printing")
	asJSON := fs.Bool("json", false, "print one JSON object per vehicle")
	watch := fs.Bool("watch", false, "keep printing every second until interrupted")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if len(conns) == 0 {
		return usageErrorf("say where to listen: --connect udp://:14550 or tcp://127.0.0.1:5760")
	}
	c := &mavlink.Client{Connections: conns}
	if err := c.Initialize(); err != nil {
		return err
	}
	defer c.Close()

	if !*watch {
		// Stop early once every vehicle heard has its position, but listen at least 1.5 s
		// so a second vehicle is not missed.
		deadline, earliest := time.Now().Add(*wait), time.Now().Add(1500*time.Millisecond)
		for time.Now().Before(deadline) && !(time.Now().After(earliest) && allPositioned(c.Fleet)) {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(100 * time.Millisecond):
			}
		}
		vs := c.Fleet.Vehicles()
		if len(vs) == 0 {
			return fmt.Errorf("no vehicle heard in %s on %v", *wait, conns)
		}
		return printVehicles(vs, c.Links(), *asJSON)
	}
	for {
		if !*asJSON {
			fmt.Print("\033[H\033[2J") // a live table, redrawn in place
		}
		if err := printVehicles(c.Fleet.Vehicles(), c.Links(), *asJSON); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

func allPositioned(f *gcs.Fleet) bool {
	vs := f.Vehicles()
	for _, v := range vs {
		if !v.PositionValid {
			return false
		}
	}
	return len(vs) > 0
}

func printVehicles(vs []gcs.Vehicle, links []mavlink.LinkStatus, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		for _, v := range vs {
			if err := enc.Encode(toJSON(v)); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SYS\tLINK\tMODE\tARMED\tALT m\tSPEED m/s\tBATT\tGPS\tPOSITION\tTETHER\tLAST MESSAGE")
	for _, v := range vs {
		state := "ok"
		if !v.Connected {
			state = "LOST"
		}
		armed := "-"
		if v.Armed {
			armed = "ARMED"
		}
		last := ""
		if n := len(v.StatusTexts); n > 0 {
			last = v.StatusTexts[n-1].Text
		}
		fmt.Fprintf(tw, "%d\t%s %.0f%%\t%s\t%s\t%.1f\t%.1f\t%.1fV %d%%\tfix %d, %d sats\t%.6f, %.6f\t%s\t%s\n",
			v.SysID, state, v.Stats.LossPct(), v.Mode, armed, v.Position.AltRelM, v.GroundSpeedMps,
			v.Battery.VoltageV, v.Battery.RemainingPct, v.GPS.FixType, v.GPS.Satellites,
			v.Position.Point.Lat(), v.Position.Point.Lon(), tetherText(v), last)
	}
	fmt.Fprintln(tw)
	for _, v := range vs {
		for _, a := range (gcs.AerostatLimits{}).Check(v, time.Now()) {
			fmt.Fprintf(tw, "ALERT vehicle %d\t%s\n", v.SysID, a)
		}
	}
	for _, l := range links {
		fmt.Fprintf(tw, "link %s\t%d packets\t%.1f%% lost\t%.0f B/s\t%d bad frames\n",
			l.Name, l.Stats.Packets, l.Stats.LossPct(), l.Stats.BytesPerSec, l.Stats.ParseErrors)
	}
	return tw.Flush()
}

// tetherText is the winch's line and tension for the table ("line 150.0 m, 55 kg"), "-" for
// vehicles without a winch.
func tetherText(v gcs.Vehicle) string {
	w := v.Winch
	if w == nil {
		return "-"
	}
	s := fmt.Sprintf("line %.1f m, %.0f kg", w.LineLengthM, w.TensionKg)
	if !w.Status.Has(gcs.WinchHealthy) {
		s += ", WINCH FAULT"
	}
	if p := v.TetherPower; p != nil && !p.Supplying() {
		s += ", NO TETHER POWER"
	}
	return s
}
