package gcs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
)

// MGRS letters: bands of 8° of latitude from 80° S (X is 12° high), and the 100 km square
// letters, which skip I and O.
const (
	mgrsBands   = "CDEFGHJKLMNPQRSTUVWX"
	mgrsColumns = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	mgrsRows    = "ABCDEFGHJKLMNPQRSTUV"
)

// MGRS returns the Military Grid Reference System reference of p (WGS84) written as
// "38S MB 44140 84706": zone and latitude band, the 100 km square, then easting and
// northing with digits digits each (1 to 5; 5 is a 1 m square, 4 a 10 m square). As the
// standard requires, the figures are truncated, not rounded: the reference names the square
// the point is in. The Norway and Svalbard zone exceptions are applied. Points beyond 84° N
// or 80° S are on the polar grid (UPS): "Z BF 11034 07682", with no zone number.
func MGRS(p orb.Point, digits int) (string, error) {
	if digits < 1 || digits > 5 {
		return "", fmt.Errorf("MGRS precision %d: want 1 to 5 digits per coordinate", digits)
	}
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || p[1] < -90 || p[1] > 90 {
		return "", fmt.Errorf("latitude %v, longitude %v is not a position", p[1], p[0])
	}
	div := int64(math.Pow10(5 - digits))
	if p[1] < -80 || p[1] > 84 {
		return mgrsPolar(p, digits, div), nil
	}
	u, err := ToUTM(p[1], p[0])
	if err != nil {
		return "", err
	}
	band := mgrsBands[min(int(math.Floor((p[1]+80)/8)), len(mgrsBands)-1)]
	// Truncate to the metre with a little slack for floating-point noise, so that a
	// point computed to be on a grid line (500000 - 1e-9) is not put in the square before.
	e := int64(math.Floor(u.EastingM + 1e-6))
	n := int64(math.Floor(u.NorthingM + 1e-6))
	col := mgrsColumns[int((u.Zone-1)%3*8)+int(e/100000)-1]
	rowIdx := (n / 100000) % 20
	if u.Zone%2 == 0 {
		rowIdx = (rowIdx + 5) % 20
	}
	row := mgrsRows[rowIdx]
	return fmt.Sprintf("%d%c %c%c %0*d %0*d", u.Zone, band, col, row,
		digits, (e%100000)/div, digits, (n%100000)/div), nil
}

// ParseMGRS reads an MGRS reference such as "38SMB4414084706" or "38S MB 44140 84706"
// (spaces and case do not matter, a leading zero on the zone is allowed) and returns the
// centre of the square it names: a 10-digit reference is a 1 m square, "38SMB" alone the
// 100 km square. Polar (UPS) references are refused. The error names what is wrong.
func ParseMGRS(s string) (orb.Point, error) {
	ref := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	fail := func(format string, a ...any) (orb.Point, error) {
		return orb.Point{}, fmt.Errorf("MGRS %q: "+format, append([]any{strings.TrimSpace(s)}, a...)...)
	}
	if ref == "" {
		return fail("empty; want e.g. 38SMB4414084706")
	}
	i := 0
	for i < len(ref) && i < 3 && ref[i] >= '0' && ref[i] <= '9' {
		i++
	}
	if i == 0 {
		if strings.ContainsAny(ref[:1], "ABYZ") {
			return parseMGRSPolar(ref, fail)
		}
		return fail("starts with %q; want the zone number 1 to 60, or A, B, Y or Z near a pole", ref[:1])
	}
	zone, _ := strconv.Atoi(ref[:i])
	if zone < 1 || zone > 60 || i > 2 {
		return fail("zone %s: want 1 to 60", ref[:i])
	}
	if len(ref) < i+3 {
		return fail("too short; want zone, band, two square letters and the figures (e.g. 38SMB4414084706)")
	}
	band := strings.IndexByte(mgrsBands, ref[i])
	if band < 0 {
		return fail("latitude band %q: want one of %s", string(ref[i]), mgrsBands)
	}
	colLetter, rowLetter := ref[i+1], ref[i+2]
	col := strings.IndexByte(mgrsColumns, colLetter) - (zone-1)%3*8
	if col < 0 || col > 7 {
		return fail("100 km column %q does not exist in zone %d", string(colLetter), zone)
	}
	row := strings.IndexByte(mgrsRows, rowLetter)
	if row < 0 {
		return fail("100 km row %q: want a letter A to V without I and O", string(rowLetter))
	}
	if zone%2 == 0 {
		row = (row + 15) % 20
	}
	eIn, nIn, size, err := mgrsFigures(ref[i+3:])
	if err != nil {
		return fail("%v", err)
	}
	easting := float64(col+1)*100000 + eIn + size/2
	north := band >= 10
	// The row letter repeats every 2,000 km of northing: take the repeat that falls in
	// the latitude band.
	bandLo := -80 + 8*float64(band)
	bandHi := bandLo + 8
	if band == len(mgrsBands)-1 {
		bandHi = 84
	}
	for k := 0; k <= 5; k++ {
		northing := float64(row)*100000 + float64(k)*2000000 + nIn + size/2
		u := UTM{Zone: zone, North: north, EastingM: easting, NorthingM: northing}
		lat, lon := u.LatLon()
		// A square may straddle the band's edge by part of its size: allow that much.
		slack := 0.1 + size/111000
		if lat >= bandLo-slack && lat <= bandHi+slack {
			return orb.Point{lon, lat}, nil
		}
	}
	return fail("square %c%c is not in latitude band %c of zone %d", colLetter, rowLetter, mgrsBands[band], zone)
}

// mgrsFigures reads the easting and northing figures after the square letters: the
// offsets into the 100 km square of the square named, and that square's side, in metres.
func mgrsFigures(figures string) (eM, nM, sizeM float64, err error) {
	if len(figures)%2 != 0 || len(figures) > 10 {
		return 0, 0, 0, fmt.Errorf("%d figures: want an even number up to 10 (as many for easting as for northing)", len(figures))
	}
	for j := 0; j < len(figures); j++ {
		if figures[j] < '0' || figures[j] > '9' {
			return 0, 0, 0, fmt.Errorf("%q in the figures: want digits only after the square letters", string(figures[j]))
		}
	}
	digits := len(figures) / 2
	sizeM = math.Pow10(5 - digits)
	if digits > 0 {
		ev, _ := strconv.Atoi(figures[:digits])
		nv, _ := strconv.Atoi(figures[digits:])
		eM, nM = float64(ev)*sizeM, float64(nv)*sizeM
	}
	return eM, nM, sizeM, nil
}

// The polar grid's letters (NGA's MGRS standard, as GeographicLib and GeoTrans write
// them): bands A and B south of 80° S, Y and Z north of 84° N (west and east of the 0°
// and 180° meridians); each band's column letters start at its own 100 km index.
var mgrsPolarBands = [4]struct {
	band      byte
	north     bool
	cols      string
	firstCol  int // the 100 km index of the first column letter
	rows      string
	firstRow  int
	minAbsLat float64
}{
	{'A', false, "JKLPQRSTUXYZ", 8, "ABCDEFGHJKLMNPQRSTUVWXYZ", 8, 80},
	{'B', false, "ABCFGHJKLPQR", 20, "ABCDEFGHJKLMNPQRSTUVWXYZ", 8, 80},
	{'Y', true, "RSTUXYZ", 13, "ABCDEFGHJKLMNP", 13, 84},
	{'Z', true, "ABCFGHJ", 20, "ABCDEFGHJKLMNP", 13, 84},
}

// mgrsPolar writes the reference of a point on the polar grid.
func mgrsPolar(p orb.Point, digits int, div int64) string {
	u := toUPS(p[1], p[0])
	e := int64(math.Floor(u.EastingM + 1e-6))
	n := int64(math.Floor(u.NorthingM + 1e-6))
	k := 0
	if u.North {
		k = 2
	}
	if e >= int64(upsFE) {
		k++
	}
	b := mgrsPolarBands[k]
	col := b.cols[min(max(int(e/100000)-b.firstCol, 0), len(b.cols)-1)]
	row := b.rows[min(max(int(n/100000)-b.firstRow, 0), len(b.rows)-1)]
	return fmt.Sprintf("%c %c%c %0*d %0*d", b.band, col, row, digits, (e%100000)/div, digits, (n%100000)/div)
}

// parseMGRSPolar reads a polar reference such as "ZAF0193788990".
func parseMGRSPolar(ref string, fail func(string, ...any) (orb.Point, error)) (orb.Point, error) {
	if len(ref) < 3 {
		return fail("too short; want a band, two square letters and the figures (e.g. ZAF0193788990)")
	}
	b := mgrsPolarBands[strings.IndexByte("ABYZ", ref[0])]
	col := strings.IndexByte(b.cols, ref[1])
	if col < 0 {
		return fail("100 km column %q does not exist in polar band %c (want one of %s)", string(ref[1]), b.band, b.cols)
	}
	row := strings.IndexByte(b.rows, ref[2])
	if row < 0 {
		return fail("100 km row %q does not exist in polar band %c (want one of %s)", string(ref[2]), b.band, b.rows)
	}
	eIn, nIn, size, err := mgrsFigures(ref[3:])
	if err != nil {
		return fail("%v", err)
	}
	u := UTM{North: b.north,
		EastingM:  float64(b.firstCol+col)*100000 + eIn + size/2,
		NorthingM: float64(b.firstRow+row)*100000 + nIn + size/2}
	lat, lon := upsLatLon(u)
	// A square may reach a little past the cap's edge (80° S, 84° N): allow half a degree.
	if math.Abs(lat) < b.minAbsLat-0.5 {
		return fail("square %c%c of polar band %c is at latitude %.2f°, outside the polar grid", ref[1], ref[2], b.band, lat)
	}
	return orb.Point{lon, lat}, nil
}
