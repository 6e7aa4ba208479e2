package gcs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// writeHGT writes an n × n tile named name into dir, with the sample at (row, col) (row 0
// the north edge) given by h.
func writeHGT(t testing.TB, dir, name string, n int, h func(row, col int) int16) string {
	t.Helper()
	data := make([]byte, 2*n*n)
	for r := range n {
		for c := range n {
			binary.BigEndian.PutUint16(data[2*(r*n+c):], uint16(h(r, c)))
		}
	}
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

func newSRTM(t testing.TB, dir string) *SRTM {
	t.Helper()
	s := &SRTM{Dir: dir}
	require.NoError(t, s.Initialize())
	return s
}

func TestParseHGTName(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lat, lon int
		ok       bool
	}{
		{"S36E149.hgt", -36, 149, true},
		{"n45w123.HGT", 45, -123, true},
		{"N00E000.hgt", 0, 0, true},
		{"S90W180.hgt", -90, -180, true},
		{"S00E010.hgt", 0, 0, false}, // that cell is N00
		{"N10W000.hgt", 0, 0, false}, // that cell is E000
		{"N90E000.hgt", 0, 0, false},
		{"N10E180.hgt", 0, 0, false},
		{"N1E10.hgt", 0, 0, false},
		{"X36E149.hgt", 0, 0, false},
		{"S36X149.hgt", 0, 0, false},
		{"S3aE149.hgt", 0, 0, false},
		{"S+1E149.hgt", 0, 0, false},
		{"terrain.hgt", 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, err := parseHGTName(tc.name)
			if !tc.ok {
				require.ErrorIs(t, err, ErrBadTile)
				return
			}
			require.NoError(t, err)
			require.Equal(t, srtmKey{tc.lat, tc.lon}, key)
		})
	}
}

func TestSRTMHeightAt(t *testing.T) {
	dir := t.TempDir()
	// S36E149 at 3": height = 10·row + col, a plane; a void at row 10, col 10.
	writeHGT(t, dir, "S36E149.hgt", 1201, func(r, c int) int16 {
		if r == 10 && c == 10 {
			return hgtVoid
		}
		return int16(10*r + c)
	})
	// N00E000 at 1": 7 everywhere, and voids in the north-west corner.
	writeHGT(t, dir, "N00E000.hgt", 3601, func(r, c int) int16 {
		if r < 2 && c < 2 {
			return hgtVoid
		}
		return 7
	})
	s := newSRTM(t, dir)
	require.Equal(t, 2, s.Tiles())

	const step = 1.0 / 1200 // degrees between SRTM3 samples
	for _, tc := range []struct {
		name string
		pt   orb.Point
		h    float64
		ok   bool
	}{
		{"north-west corner sample", orb.Point{149, -35}, 0, true},
		{"south-east corner sample", orb.Point{150, -36}, 10*1200 + 1200, true},
		{"a sample inside", orb.Point{149 + 20*step, -35 - 3*step}, 30 + 20, true},
		{"halfway between samples", orb.Point{149 + 20.5*step, -35 - 3.25*step}, 32.5 + 20.5, true},
		// Around the void at (10, 10) the plane is interpolated from the other three.
		{"next to a void", orb.Point{149 + 10.5*step, -35 - 10.5*step}, (10*10 + 11 + 10*11 + 10 + 10*11 + 11) / 3.0, true},
		{"the void itself: its neighbours' weight is 0", orb.Point{149 + 10*step, -35 - 10*step}, 0, false},
		{"SRTM1 tile", orb.Point{0.5, 0.5}, 7, true},
		{"SRTM1 all four voids", orb.Point{0.5 / 3600, 1 - 0.5/3600}, 0, false},
		{"no tile there", orb.Point{10, 10}, 0, false},
		{"not a place", orb.Point{math.NaN(), 0}, 0, false},
		{"past the pole", orb.Point{0, 91}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, ok := s.HeightAt(tc.pt)
			require.Equal(t, tc.ok, ok)
			if tc.ok {
				require.InDelta(t, tc.h, h, 1e-6)
			}
		})
	}
	require.NoError(t, s.Err())
}

func TestSRTMKeepsMaxTiles(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"S36E149.hgt", "S36E150.hgt", "S35E149.hgt"} {
		writeHGT(t, dir, name, 1201, func(int, int) int16 { return int16(100 * (i + 1)) })
	}
	s := &SRTM{Dir: dir, MaxTiles: 2}
	require.NoError(t, s.Initialize())
	for range 3 { // each look-up after the first two evicts a tile and reads it again later
		for i, pt := range []orb.Point{{149.5, -35.5}, {150.5, -35.5}, {149.5, -34.5}} {
			h, ok := s.HeightAt(pt)
			require.True(t, ok)
			require.InDelta(t, float64(100*(i+1)), h, 1e-9)
		}
	}
	require.Len(t, s.tiles, 2)
}

// Geotagging from several streams at once looks heights up concurrently, switching
// between tiles.
func TestSRTMConcurrent(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"S36E149.hgt", "S36E150.hgt"} {
		writeHGT(t, dir, name, 1201, func(int, int) int16 { return int16(100 * (i + 1)) })
	}
	s := newSRTM(t, dir)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				k := (g + i) % 2
				h, ok := s.HeightAt(orb.Point{149.5 + float64(k), -35.5})
				if !ok || h != float64(100*(k+1)) {
					errs <- fmt.Errorf("tile %d: %v %v", k, h, ok)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestSRTMBadTiles(t *testing.T) {
	good := func(int, int) int16 { return 0 }
	for _, tc := range []struct {
		name  string
		write func(dir string)
		msg   string
	}{
		{"truncated", func(dir string) {
			path := writeHGT(t, dir, "S36E149.hgt", 1201, good)
			require.NoError(t, os.Truncate(path, 1201*1201*2-100))
		}, "S36E149.hgt: not an SRTM tile: 2884702 bytes, but an SRTM1 tile has 25934402 and an SRTM3 tile 2884802 (truncated download?)"},
		{"wrong size", func(dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "N10E010.hgt"), []byte("<html>404</html>"), 0o644))
		}, "N10E010.hgt: not an SRTM tile: 16 bytes"},
		{"bad name", func(dir string) {
			writeHGT(t, dir, "canberra.hgt", 1201, good)
		}, "canberra.hgt: not an SRTM tile: the name must be like S36E149.hgt"},
		{"same cell twice", func(dir string) {
			writeHGT(t, dir, "S36E149.hgt", 1201, good)
			writeHGT(t, dir, "s36e149.HGT", 1201, good)
		}, "covers the same cell as"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.write(dir)
			err := (&SRTM{Dir: dir}).Initialize()
			require.ErrorIs(t, err, ErrBadTile)
			require.Contains(t, err.Error(), dir)
			require.Contains(t, err.Error(), tc.msg)
		})
	}

	t.Run("no folder", func(t *testing.T) {
		err := (&SRTM{Dir: filepath.Join(t.TempDir(), "missing")}).Initialize()
		require.ErrorIs(t, err, os.ErrNotExist)
	})

	t.Run("tile spoilt after start", func(t *testing.T) {
		dir := t.TempDir()
		path := writeHGT(t, dir, "S36E149.hgt", 1201, good)
		s := newSRTM(t, dir)
		require.NoError(t, os.Truncate(path, 10))
		_, ok := s.HeightAt(orb.Point{149.5, -35.5})
		require.False(t, ok)
		require.ErrorIs(t, s.Err(), ErrBadTile)
		require.Contains(t, s.Err().Error(), path)
	})

	t.Run("other files are ignored", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "README.txt"), []byte("tiles"), 0o644))
		require.NoError(t, os.Mkdir(filepath.Join(dir, "old.hgt"), 0o755))
		require.Equal(t, 0, newSRTM(t, dir).Tiles())
	})
}

// srtmSlopeDir writes S36E149 at 3" rising 10 m per row northwards, 1000 m at row 600
// (35.5° S), which is 10 m per 3" of latitude: 10 / (3/3600 · 111319.49 m) = 0.107798 m
// per metre.
func srtmSlopeDir(t testing.TB) string {
	dir := t.TempDir()
	writeHGT(t, dir, "S36E149.hgt", 1201, func(r, _ int) int16 { return int16(1000 + 10*(600-r)) })
	return dir
}

// Geotagging over an SRTM tile, worked by hand: the camera is 100 m above the ground at
// 35.5° S 149.5° E and looks 45° down, so the ray falls 1 m per metre travelled.
func TestGeotagOverSRTMSlope(t *testing.T) {
	s := newSRTM(t, srtmSlopeDir(t))
	camAt := orb.Point{149.5, -35.5}
	h, ok := s.HeightAt(camAt)
	require.True(t, ok)
	require.Equal(t, 1000.0, h)
	for _, tc := range []struct {
		name          string
		yawDeg        float64
		northM, altM  float64
		wantOffNadirD float64
	}{
		// Uphill the ground rises 0.107798 m per metre: they meet at 100 / 1.107798 =
		// 90.269 m north, 1000 + 9.731 m.
		{"looking uphill (north)", 0, 90.269, 1009.731, 45},
		// Downhill: 100 / (1 - 0.107798) = 112.080 m south, 1000 - 12.082 m.
		{"looking downhill (south)", 180, -112.080, 987.918, 45},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pose := Pose{
				Position: Position{Point: camAt, AltMSLM: 1100},
				Attitude: Attitude{YawRad: geotagDeg(tc.yawDeg)},
			}
			gp, err := Geotag(pose, gimbalDeg(-45, 0, false), geotagCam, 500, 400, s)
			require.NoError(t, err)
			n, e := NorthEastM(camAt, gp.Point)
			require.InDelta(t, tc.northM, n, 0.02)
			require.InDelta(t, 0, e, 1e-6)
			require.InDelta(t, tc.altM, gp.AltMSLM, 0.02)
			require.InDelta(t, tc.wantOffNadirD, gp.OffNadirDeg, 1e-9)
		})
	}
}

// A hill in front of the camera hides the flat ground behind it: the ray stops on the
// hill's near face, not where it would meet level ground.
func TestGeotagOverSRTMHill(t *testing.T) {
	dir := t.TempDir()
	camAt := orb.Point{149.5, -35.5}
	hillAt := OffsetNE(camAt, 800, 0)
	writeHGT(t, dir, "S36E149.hgt", 1201, func(r, c int) int16 {
		pt := orb.Point{149 + float64(c)/1200, -35 - float64(r)/1200}
		d := DistanceM(pt, hillAt)
		return int16(math.Round(500 + 300*math.Exp(-d*d/(2*300*300))))
	})
	s := newSRTM(t, dir)
	base, _ := s.HeightAt(camAt)
	require.InDelta(t, 500+300*math.Exp(-800*800/(2*300*300.0)), base, 1) // the hill's foot
	pose := Pose{Position: Position{Point: camAt, AltMSLM: base + 100}}
	gp, err := Geotag(pose, gimbalDeg(-15, 0, false), geotagCam, 500, 400, s)
	require.NoError(t, err)
	flatM := 100 / math.Tan(geotagDeg(15)) // 373 m
	n, e := NorthEastM(camAt, gp.Point)
	require.Less(t, n, flatM-100, "on the hill's near face")
	require.Greater(t, n, 150.0)
	require.InDelta(t, 0, e, 1e-6)
	h, ok := s.HeightAt(gp.Point)
	require.True(t, ok)
	require.InDelta(t, h, gp.AltMSLM, terrainTolM, "on the terrain")
	require.InDelta(t, base+100-n*math.Tan(geotagDeg(15)), gp.AltMSLM, 0.01, "on the ray")
	require.Greater(t, gp.AltMSLM, base+20, "up the hill")
}

func TestReadHGT(t *testing.T) {
	data := make([]byte, 1201*1201*2)
	binary.BigEndian.PutUint16(data[0:], uint16(0xFFFF&-5)) // below sea level
	binary.BigEndian.PutUint16(data[2:], 8848)
	tile, err := readHGT(bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, 1201, tile.n)
	require.Equal(t, []int16{-5, 8848, 0}, tile.samples[:3])

	_, err = readHGT(bytes.NewReader(data[:len(data)-1]))
	require.ErrorIs(t, err, ErrBadTile)
	_, err = readHGT(bytes.NewReader(append(data, 0)))
	require.ErrorIs(t, err, ErrBadTile)
}

// FuzzReadHGT feeds the tile reader any bytes, and interpolates small tiles made of them
// at any point: a height, when there is one, lies between the lowest and highest
// non-void samples, and nothing panics.
func FuzzReadHGT(f *testing.F) {
	f.Add([]byte{}, 0.5, 0.5)
	f.Add([]byte{0, 1, 0, 2, 0, 3, 0, 4}, 0.25, 0.75)
	f.Add([]byte{0x80, 0, 0, 2, 0x80, 0, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9}, 1.0, 0.0)
	f.Add([]byte{0x80, 0, 0x80, 0, 0x80, 0, 0x80, 0}, 0.5, 0.5)
	f.Add([]byte("<html>Not Found</html>"), -0.1, 1.1)
	f.Fuzz(func(t *testing.T, data []byte, fx, fy float64) {
		if _, err := readHGT(bytes.NewReader(data)); err == nil {
			require.Contains(t, []int{1201 * 1201 * 2, 3601 * 3601 * 2}, len(data))
		}
		n := int(math.Sqrt(float64(len(data) / 2)))
		if n < 2 {
			return
		}
		tile := decodeHGT(data[:2*n*n], n)
		tile.key = srtmKey{-36, 149}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, h := range tile.samples {
			if h != hgtVoid {
				lo, hi = min(lo, float64(h)), max(hi, float64(h))
			}
		}
		h, ok := tile.heightAt(-35-fy, 149+fx)
		if ok {
			require.False(t, math.IsNaN(h))
			require.GreaterOrEqual(t, h, lo-1e-9)
			require.LessOrEqual(t, h, hi+1e-9)
		}
	})
}

// BenchmarkGeotagSRTM geotags one pixel over SRTM1 rolling hills. One op is one
// projection. Every 1,000 ops, with the timer stopped, it geotags the same pixel over flat
// ground 1,000 times, so both rates are measured under the same load: x-flat is their
// ratio (the goal, 1,000,000 projections/s per core, is for flat ground).
func BenchmarkGeotagSRTM(b *testing.B) {
	dir := b.TempDir()
	// Rolling hills: 40 m waves about 2 km long.
	writeHGT(b, dir, "S36E149.hgt", 3601, func(r, c int) int16 {
		return int16(600 + 40*math.Sin(float64(r)/60)*math.Cos(float64(c)/45))
	})
	s := newSRTM(b, dir)
	cam := Camera{WidthPx: 1280, HeightPx: 720, HFOVDeg: 82, K1: -0.12, K2: 0.02}
	pose := geotagPose(3, -2, 45)
	pose.Position.Point = orb.Point{149.5, -35.5}
	pose.Position.AltMSLM = 800
	g := gimbalDeg(-60, 10, false)
	flat := FlatGround{AltMSLM: 600}
	var flatN int
	var flatTime time.Duration
	b.ResetTimer()
	for i := range b.N {
		if _, err := Geotag(pose, g, cam, 900, 500, s); err != nil {
			b.Fatal(err)
		}
		if i%1000 == 999 {
			b.StopTimer()
			start := time.Now()
			for range 1000 {
				if _, err := Geotag(pose, g, cam, 900, 500, flat); err != nil {
					b.Fatal(err)
				}
			}
			flatTime += time.Since(start)
			flatN += 1000
			b.StartTimer()
		}
	}
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "projections/s")
	if flatN > 0 {
		flatRate := float64(flatN) / flatTime.Seconds()
		b.ReportMetric(flatRate, "flat-projections/s")
		b.ReportMetric(rate/flatRate, "x-flat")
	}
}

// The error ellipse is propagated over terrain too: ground rising towards the camera's
// line of sight meets a tilted ray sooner than level ground would, so the same attitude
// error moves the point less than over flat ground (3.49 m at 45°, REFERENCE).
func TestGeotagErrorOverSRTMSlope(t *testing.T) {
	s := newSRTM(t, srtmSlopeDir(t))
	camAt := orb.Point{149.5, -35.5}
	pose := Pose{Position: Position{Point: camAt, AltMSLM: 1100}}
	sig := Sigmas{AttitudeDeg: 1}
	flat, err := GeotagError(pose, gimbalDeg(-45, 0, false), geotagCam, 500, 400, FlatGround{AltMSLM: 1000}, sig)
	require.NoError(t, err)
	require.InDelta(t, 100*geotagDeg(1)/0.5, flat.SemiMajorM, 0.01)
	up, err := GeotagError(pose, gimbalDeg(-45, 0, false), geotagCam, 500, 400, s, sig)
	require.NoError(t, err)
	require.Less(t, up.SemiMajorM, flat.SemiMajorM-0.2)
	require.Greater(t, up.SemiMajorM, 1.0)
	require.False(t, up.Weak)
}
