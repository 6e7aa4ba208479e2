package vision

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"

	"github.com/vigil-gcs/vigil/vision/avcodec"
)

// segmentTimeLayout is the UTC start time in segment names: cam1_20261123T150405Z.ts.
const segmentTimeLayout = "20060102T150405Z"

// partSuffix marks a segment still being written.
const partSuffix = ".part"

// tsPacketSize is MPEG-TS's fixed packet size: a file cut short by a crash is trimmed to a
// multiple of it.
const tsPacketSize = 188

// segmentFile is the open segment: an MPEG-TS muxer writing NAME.ts.part.
type segmentFile struct {
	path   string // the closed name; the file is path+partSuffix while open
	f      *os.File
	buf    *bufio.Writer
	mux    *mpegts.Writer
	track  *mpegts.Track
	codec  avcodec.Codec
	dts    dtsExtractor
	params paramSets // those of its first keyframe

	start            time.Time // capture time of the first picture
	firstPTS, maxPTS int64
	pictures         int
	lastFlush        time.Time
}

// dtsExtractor works out decoding times, which differ from presentation times when the
// stream has B-frames (mediacommon's h264 and h265 DTSExtractor).
type dtsExtractor interface {
	Extract(au [][]byte, pts int64) (int64, error)
}

func newDTSExtractor(codec avcodec.Codec) dtsExtractor {
	if codec == avcodec.CodecH265 {
		d := &h265.DTSExtractor{}
		d.Initialize()
		return d
	}
	d := &h264.DTSExtractor{}
	d.Initialize()
	return d
}

// createSegment opens a new segment named by the stream and start; a name already taken
// (two segments starting in the same second) gets "-2", "-3"...
func createSegment(dir, name string, codec avcodec.Codec, start time.Time, now time.Time) (*segmentFile, error) {
	stem := name + "_" + start.UTC().Format(segmentTimeLayout)
	var f *os.File
	var path string
	for i := 1; f == nil; i++ {
		path = filepath.Join(dir, stem+".ts")
		if i > 1 {
			path = filepath.Join(dir, stem+"-"+strconv.Itoa(i)+".ts")
		}
		if _, err := os.Lstat(path); err == nil {
			continue
		}
		var err error
		f, err = os.OpenFile(path+partSuffix, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("creating segment: %w", err)
		}
	}
	s := &segmentFile{
		path: path, f: f, buf: bufio.NewWriterSize(f, 64<<10), codec: codec,
		dts: newDTSExtractor(codec), start: start, lastFlush: now,
	}
	if codec == avcodec.CodecH265 {
		s.track = &mpegts.Track{Codec: &mpegts.CodecH265{}}
	} else {
		s.track = &mpegts.Track{Codec: &mpegts.CodecH264{}}
	}
	s.mux = &mpegts.Writer{W: s.buf, Tracks: []*mpegts.Track{s.track}}
	if err := s.mux.Initialize(); err != nil {
		f.Close()
		os.Remove(path + partSuffix)
		return nil, fmt.Errorf("creating segment %s: %w", filepath.Base(path), err)
	}
	return s, nil
}

// write muxes one access unit.
func (s *segmentFile) write(pts, dts int64, au [][]byte) error {
	var err error
	if s.codec == avcodec.CodecH265 {
		err = s.mux.WriteH265(s.track, pts, dts, au)
	} else {
		err = s.mux.WriteH264(s.track, pts, dts, au)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(s.path)+partSuffix, err)
	}
	if s.pictures == 0 || pts > s.maxPTS {
		s.maxPTS = pts
	}
	s.pictures++
	return nil
}

// flush hands what is buffered to the operating system, so it survives the process.
func (s *segmentFile) flush(now time.Time) error {
	s.lastFlush = now
	if s.buf.Buffered() == 0 {
		return nil
	}
	if err := s.buf.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(s.path)+partSuffix, err)
	}
	return nil
}

// close flushes the segment to the disk and gives it its final name. endPTS is where its
// pictures end (the next segment's first picture), or 0 when unknown: then the last
// picture is taken to last interval.
func (s *segmentFile) close(endPTS, interval int64, syncFile func(*os.File) error) (Segment, error) {
	err := s.buf.Flush()
	if err == nil {
		err = syncFile(s.f) // a closed segment survives a power cut too
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Segment{}, fmt.Errorf("closing %s: %w", filepath.Base(s.path)+partSuffix, err)
	}
	if err := os.Rename(s.path+partSuffix, s.path); err != nil {
		return Segment{}, fmt.Errorf("closing segment: %w", err)
	}
	if endPTS == 0 {
		endPTS = s.maxPTS + interval
	}
	seg := Segment{Path: s.path, Start: s.start, Duration: ticksToDuration(endPTS - s.firstPTS), Pictures: s.pictures}
	if fi, err := os.Stat(s.path); err == nil {
		seg.Size = fi.Size()
	}
	return seg, nil
}

// discard deletes a segment that got no picture.
func (s *segmentFile) discard() {
	s.f.Close()
	os.Remove(s.path + partSuffix)
}

// parseSegmentName reads the start time from the name of one of stream's segment files
// (without .part); ok is false for any other file.
func parseSegmentName(stream, file string) (start time.Time, ok bool) {
	rest, ok := strings.CutPrefix(file, stream+"_")
	if !ok {
		return time.Time{}, false
	}
	if rest, ok = strings.CutSuffix(rest, ".ts"); !ok {
		return time.Time{}, false
	}
	stamp, n, numbered := strings.Cut(rest, "-")
	if numbered {
		if i, err := strconv.Atoi(n); err != nil || i < 2 || strconv.Itoa(i) != n {
			return time.Time{}, false
		}
	}
	t, err := time.Parse(segmentTimeLayout, stamp)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// ticksPerSecond is MPEG-TS's 90 kHz clock.
const ticksPerSecond = 90000

func durationToTicks(d time.Duration) int64 { return int64(d) * 9 / 100000 }

func ticksToDuration(t int64) time.Duration { return time.Duration(t) * 100000 / 9 }
