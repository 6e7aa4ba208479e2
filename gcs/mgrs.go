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
// or 80° S (the polar UPS grid) are refused.
func MGRS(p orb.Point, digits int) (string, error) {
	if digits < 1 || digits > 5 {
		return "", fmt.Errorf("MGRS precision %d: want 1 to 5 digits per coordinate", digits)
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
	div := int64(math.Pow10(5 - digits))
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
			return fail("polar (UPS) references are not supported")
		}
		return fail("starts with %q; want the zone number, 1 to 60", ref[:1])
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
	figures := ref[i+3:]
	if len(figures)%2 != 0 || len(figures) > 10 {
		return fail("%d figures: want an even number up to 10 (as many for easting as for northing)", len(figures))
	}
	for j := 0; j < len(figures); j++ {
		if figures[j] < '0' || figures[j] > '9' {
			return fail("%q in the figures: want digits only after the square letters", string(figures[j]))
		}
	}
	digits := len(figures) / 2
	size := math.Pow10(5 - digits) // the side of the square named, in metres
	var eIn, nIn float64
	if digits > 0 {
		ev, _ := strconv.Atoi(figures[:digits])
		nv, _ := strconv.Atoi(figures[digits:])
		eIn, nIn = float64(ev)*size, float64(nv)*size
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
