package vision

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// segmentOnDisk is one of the stream's segment files.
type segmentOnDisk struct {
	path    string
	start   time.Time
	size    int64
	modTime time.Time
}

// listSegments returns the stream's closed segments (part false) or the ones left open
// (part true) in Dir, oldest first.
func (r *Recorder) listSegments(part bool) ([]segmentOnDisk, error) {
	entries, err := os.ReadDir(r.Dir)
	if err != nil {
		return nil, err
	}
	var segs []segmentOnDisk
	for _, e := range entries {
		name := e.Name()
		if part {
			var ok bool
			if name, ok = strings.CutSuffix(name, partSuffix); !ok {
				continue
			}
		}
		start, ok := parseSegmentName(r.Name, name)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // deleted meanwhile
		}
		segs = append(segs, segmentOnDisk{path: filepath.Join(r.Dir, e.Name()), start: start, size: fi.Size(), modTime: fi.ModTime()})
	}
	sort.Slice(segs, func(i, j int) bool {
		if !segs[i].start.Equal(segs[j].start) {
			return segs[i].start.Before(segs[j].start)
		}
		return segs[i].path < segs[j].path
	})
	return segs, nil
}

// applyRetention deletes the oldest closed segments while they are over RetainBytes, and
// those last written more than RetainAge ago.
func (r *Recorder) applyRetention() {
	if r.RetainBytes <= 0 && r.RetainAge <= 0 {
		return
	}
	segs, err := r.listSegments(false)
	if err != nil {
		r.report(fmt.Errorf("retention: %w", err))
		return
	}
	var total int64
	for _, s := range segs {
		total += s.size
	}
	now := r.timeNow()
	for _, s := range segs {
		tooBig := r.RetainBytes > 0 && total > r.RetainBytes
		tooOld := r.RetainAge > 0 && now.Sub(s.modTime) > r.RetainAge
		if !tooBig && !tooOld {
			continue
		}
		if err := os.Remove(s.path); err != nil {
			r.report(fmt.Errorf("retention: %w", err))
			continue
		}
		total -= s.size
		r.countStats(func(st *RecorderStats) { st.Removed++ })
		if r.OnRemove != nil {
			r.OnRemove(s.path)
		}
	}
}

// recoverParts closes the segments an earlier run left open when it crashed: each is cut
// to whole MPEG-TS packets (the last one may be half written) and renamed to .ts. It plays
// up to its last flush.
func (r *Recorder) recoverParts() {
	parts, err := r.listSegments(true)
	if err != nil {
		r.report(fmt.Errorf("recovering segments: %w", err))
		return
	}
	for _, p := range parts {
		closed := strings.TrimSuffix(p.path, partSuffix)
		whole := p.size - p.size%tsPacketSize
		if whole == 0 {
			os.Remove(p.path)
			continue
		}
		if _, err := os.Lstat(closed); err == nil {
			r.report(fmt.Errorf("recovering %s: %s exists already", filepath.Base(p.path), filepath.Base(closed)))
			continue
		}
		if err := os.Truncate(p.path, whole); err != nil {
			r.report(fmt.Errorf("recovering segment: %w", err))
			continue
		}
		if err := os.Rename(p.path, closed); err != nil {
			r.report(fmt.Errorf("recovering segment: %w", err))
			continue
		}
		if r.OnSegment != nil {
			r.OnSegment(Segment{Path: closed, Start: p.start, Size: whole, Recovered: true})
		}
	}
}
