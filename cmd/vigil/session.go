package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
	"github.com/vigil-gcs/vigil/mavlink"
)

// openClient connects and waits until the wanted vehicle (or, without --sysid, exactly one
// vehicle) has been heard. The caller closes the client.
func (l *linkFlags) openClient(ctx context.Context) (*mavlink.Client, uint8, error) {
	if len(l.conns) == 0 {
		return nil, 0, usageErrorf("say where the vehicle is: --connect tcp://127.0.0.1:5760 (or udp://:14550)")
	}
	c := &mavlink.Client{Connections: l.conns}
	if err := c.Initialize(); err != nil {
		return nil, 0, err
	}
	sysID, err := waitForVehicle(ctx, c.Fleet, uint8(l.sysID), l.wait)
	if err != nil {
		c.Close()
		return nil, 0, err
	}
	return c, sysID, nil
}

func waitForVehicle(ctx context.Context, fleet *gcs.Fleet, want uint8, wait time.Duration) (uint8, error) {
	deadline := time.Now().Add(wait)
	for {
		var heard []uint8
		for _, v := range fleet.Vehicles() {
			if v.Connected {
				heard = append(heard, v.SysID)
			}
		}
		switch {
		case want != 0 && slices.Contains(heard, want):
			return want, nil
		case want == 0 && len(heard) == 1:
			return heard[0], nil
		}
		if time.Now().After(deadline) {
			switch {
			case len(heard) == 0:
				return 0, fmt.Errorf("no vehicle heard in %s: is it on, and is the connection right?", wait)
			case want != 0:
				return 0, fmt.Errorf("vehicle %d not heard in %s (heard: %s)", want, wait, ids(heard))
			default:
				return 0, usageErrorf("%d vehicles heard (%s): choose one with --sysid", len(heard), ids(heard))
			}
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func ids(s []uint8) string {
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}
