package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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
		return usageErrorf("mission %s needs one FILE (.waypoints)", verb)
	}

	var items []gcs.MissionItem
	if verb == "upload" {
		if items, err = readMissionFile(pos[1]); err != nil {
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
	progress := progressPrinter(verb)

	switch verb {
	case "upload":
		if err := c.UploadMission(ctx, sysID, mt, items, progress); err != nil {
			return err
		}
		fmt.Printf("vehicle %d: %s of %d items uploaded and accepted\n", sysID, mt, len(items))
	case "download":
		items, err := c.DownloadMission(ctx, sysID, mt, progress)
		if err != nil {
			return err
		}
		if err := writeMissionFile(pos[1], items); err != nil {
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

// readMissionFile reads a mission in the format its extension names.
func readMissionFile(name string) ([]gcs.MissionItem, error) {
	if ext := strings.ToLower(filepath.Ext(name)); ext != ".waypoints" && ext != ".txt" {
		return nil, usageErrorf("%s: mission files are .waypoints (QGC WPL 110) for now", name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	items, err := gcs.ReadWaypoints(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return items, nil
}

// writeMissionFile writes through a temporary file so a failure never leaves half a mission.
func writeMissionFile(name string, items []gcs.MissionItem) error {
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
