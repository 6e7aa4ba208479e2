package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigil-gcs/vigil/gcs"
)

func runParams(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("params", flag.ContinueOnError)
	var lf linkFlags
	lf.register(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "pull" && pos[0] != "push" && pos[0] != "diff") {
		return usageErrorf("params needs pull FILE, push FILE or diff FILE (.param or .params)")
	}
	verb, name := pos[0], pos[1]
	var fromFile []gcs.Param
	if verb != "pull" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		fromFile, err = gcs.ReadParamFile(name, f)
		f.Close()
		if err != nil {
			return err
		}
	} else if err := checkParamFileName(name); err != nil {
		return err
	}

	c, sysID, err := lf.openClient(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	vehicle, err := c.PullParams(ctx, sysID, progressPrinter("parameters"))
	if err != nil {
		return err
	}

	switch verb {
	case "pull":
		tmp := name + ".tmp"
		f, err := os.Create(tmp)
		if err != nil {
			return err
		}
		v, _ := c.Fleet.Vehicle(sysID)
		err = gcs.WriteParamFile(name, f, vehicle, sysID, v.CompID)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
			return err
		}
		if err := os.Rename(tmp, name); err != nil {
			return err
		}
		fmt.Printf("vehicle %d: %d parameters saved to %s\n", sysID, len(vehicle), name)
	case "diff", "push":
		changes := gcs.DiffParams(vehicle, fromFile)
		sort.Slice(changes, func(i, j int) bool { return changes[i].Name < changes[j].Name })
		var writable []gcs.ParamChange
		for _, ch := range changes {
			if ch.Kind == gcs.ParamChanged {
				writable = append(writable, ch)
			}
			if ch.Kind != gcs.ParamOnlyOnVehicle {
				fmt.Println(ch)
			}
		}
		if verb == "diff" {
			fmt.Printf("%d parameter(s) differ from %s\n", len(writable), name)
			return nil
		}
		failed := 0
		for _, ch := range writable {
			got, err := c.SetParam(ctx, sysID, ch.Name, ch.New)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				failed++
				continue
			}
			fmt.Printf("set %s = %g\n", got.Name, got.Value)
		}
		if failed > 0 {
			return fmt.Errorf("%d of %d parameters were not confirmed by vehicle %d", failed, len(writable), sysID)
		}
		fmt.Printf("vehicle %d: %d parameters written and confirmed\n", sysID, len(writable))
	}
	return nil
}

// checkParamFileName rejects an unknown extension before a long pull.
func checkParamFileName(name string) error {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".param", ".params":
		return nil
	}
	return usageErrorf("%s: parameter files are .param (Mission Planner) or .params (QGroundControl)", name)
}
