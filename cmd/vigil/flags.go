package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-gcs/vigil/mavlink"
)

// parseInterspersed parses flags wherever they stand among the positional arguments
// ("tlog replay FILE --mavlink URL"), returning the positionals in order.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if len(args) > 0 && isNumber(args[0]) { // "gimbal -30 0": a negative number is not a flag
			pos = append(pos, args[0])
			args = args[1:]
			continue
		}
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, usageErrorf("%s flags:\n%s", fs.Name(), flagHelp(fs))
			}
			return nil, usageErrorf("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func flagHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	return b.String()
}

// connections collects repeated --connect / --mavlink flags.
type connections []mavlink.Connection

func (c *connections) String() string { return fmt.Sprint(*c) }

func (c *connections) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		conn, err := mavlink.ParseConnection(part)
		if err != nil {
			return err
		}
		*c = append(*c, conn)
	}
	return nil
}

// linkFlags are the flags every command that talks to a vehicle shares.
type linkFlags struct {
	conns connections
	sysID uint
	wait  time.Duration
}

func (l *linkFlags) register(fs *flag.FlagSet) {
	fs.Var(&l.conns, "connect", "link to the vehicle(s), e.g. tcp://127.0.0.1:5760 (repeatable)")
	fs.UintVar(&l.sysID, "sysid", 0, "vehicle system id (default: the only vehicle heard)")
	fs.DurationVar(&l.wait, "wait-link", 10*time.Second, "how long to wait for the vehicle to be heard")
}
