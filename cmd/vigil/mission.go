package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/vigil-gcs/vigil/gcs"
)

func runMission(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("mission", flag.ContinueOnError)
	var lf linkFlags
	lf.register(fs)
	typeName := fs.String("type", "mission", "which list: mission, fence or rally")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErrorf("mission needs upload FILE, download FILE or clear")
	}
	mt, err := missionType(*typeName)
	if err != nil {
		return err
	}
	verb := pos[0]
	if (verb == "upload" || verb == "download") && len(pos) != 2 {
		return usageErrorf("mission %s needs one FILE (.waypoints; upload also takes .plan, .kml, .geojson)", verb)
	}
	typeSet := false
	fs.Visit(func(f *flag.Flag) { typeSet = typeSet || f.Name == "type" })

	// lists are what an upload sends: one list, or with a plan file and no --type, the
	// mission and whatever fence and rally points the plan has, as QGroundControl does.
	var lists []missionList
	if verb == "upload" {
		if lists, err = readUploadLists(pos[1], mt, typeSet); err != nil {
			return err
		}
	} else if verb != "download" && verb != "clear" {
		return usageErrorf("unknown mission action %q (upload, download, clear)", verb)
	}

	c, sysID, err := lf.openClient(ctx)
	if err != nil {
		return err
	}
	defer c.Close()

	switch verb {
	case "upload":
		for _, l := range lists {
			if err := c.UploadMission(ctx, sysID, l.typ, l.items, progressPrinter(l.typ.String())); err != nil {
				return err
			}
			fmt.Printf("vehicle %d: %s of %d items uploaded and accepted\n", sysID, l.typ, len(l.items))
		}
	case "download":
		items, err := c.DownloadMission(ctx, sysID, mt, progressPrinter(verb))
		if err != nil {
			return err
		}
		if err := writeMissionFile(pos[1], mt, items); err != nil {
			return err
		}
		fmt.Printf("vehicle %d: %s of %d items saved to %s\n", sysID, mt, len(items), pos[1])
	case "clear":
		if err := c.ClearMission(ctx, sysID, mt); err != nil {
			return err
		}
		fmt.Printf("vehicle %d: %s cleared\n", sysID, mt)
	}
	return nil
}

func missionType(s string) (gcs.MissionType, error) {
	for _, t := range []gcs.MissionType{gcs.MissionTypeMission, gcs.MissionTypeFence, gcs.MissionTypeRally} {
		if strings.EqualFold(s, t.String()) {
			return t, nil
		}
	}
	return 0, usageErrorf("--type %q: want mission, fence or rally", s)
}

// missionList is one of the three lists the mission protocol carries.
type missionList struct {
	typ   gcs.MissionType
	items []gcs.MissionItem
}

// readUploadLists reads a file in the format its extension names and returns the lists to
// upload: the one --type names, or, for a plan file without --type, the mission followed
// by the fence and rally points it has.
func readUploadLists(name string, mt gcs.MissionType, typeSet bool) ([]missionList, error) {
	format, err := gcs.PlanFormatOf(name)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	if format == gcs.FormatWaypoints {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		items, err := gcs.ReadWaypoints(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return []missionList{{mt, items}}, nil
	}
	p, err := readPlanFile(name)
	if err != nil {
		return nil, err
	}
	mission, err := p.MissionItems(gcs.ExpandOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	all := []missionList{
		{gcs.MissionTypeMission, gcs.ClearUnsetParams(mission)},
		{gcs.MissionTypeFence, p.Fence.MissionItems()},
		{gcs.MissionTypeRally, gcs.RallyItems(p.Rally)},
	}
	if typeSet {
		return []missionList{all[mt]}, nil
	}
	lists := all[:1]
	for _, l := range all[1:] {
		if len(l.items) > 0 {
			lists = append(lists, l)
		}
	}
	return lists, nil
}

// writeMissionFile writes a downloaded list in the format the file's extension names:
// .waypoints as it came, or a plan (.plan, .kml, .geojson) holding it. It writes through a
// temporary file so a failure never leaves half a mission.
func writeMissionFile(name string, mt gcs.MissionType, items []gcs.MissionItem) error {
	format, err := gcs.PlanFormatOf(name)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if format != gcs.FormatWaypoints {
		p := &gcs.Plan{}
		switch mt {
		case gcs.MissionTypeMission:
			p = gcs.PlanFromMission(items)
		case gcs.MissionTypeFence:
			if p.Fence, err = gcs.FenceFromItems(items); err != nil {
				return err
			}
		case gcs.MissionTypeRally:
			if p.Rally, err = gcs.RallyFromItems(items); err != nil {
				return err
			}
		}
		return writePlanFile(name, format, p, gcs.ExpandOptions{})
	}
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := gcs.WriteWaypoints(f, items); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, name)
}

// progressPrinter reports transfer progress on stderr, about every tenth.
func progressPrinter(what string) func(done, total int) {
	last := -1
	return func(done, total int) {
		if total == 0 {
			return
		}
		step := done * 10 / total
		if step != last {
			last = step
			fmt.Fprintf(os.Stderr, "\r%s: %d/%d", what, done, total)
			if done == total {
				fmt.Fprintln(os.Stderr)
			}
		}
	}
}
