package main

import (
	"context"
)

func runBench(ctx context.Context, args []string) error {
	return usageErrorf("vigil bench: use make bench (go test -bench) for now")
}
