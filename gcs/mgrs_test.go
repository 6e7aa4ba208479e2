package gcs

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

// casesMGRS are reference positions. The UTM eastings and northings are PROJ 9.1.1's
// (`proj +proj=utm +zone=Z [+south] +datum=WGS84`, mm printed); where a published MGRS
// reference exists it is named:
//   - GeographicLib's GeoConvert(1) manual: 33.3° N 44.4° E is "38n 444140.54 3684706.36",
//     the MGRS reference 38SMB4414084706;
//   - GeoTrans 2.4.2 (the NGA's converter, as the Python mgrs package documents it):
//     42.0° N 93.0° W is 15TWG0000049776.
//
// The others' letters follow from the UTM figures by the MGRS lettering rules.
var casesMGRS = []struct {
	name       string
	lat, lon   float64
	zone       int
	east, nrth float64
	mgrs       string
}{
	{"GeographicLib GeoConvert example", 33.3, 44.4, 38, 444140.545, 3684706.356, "38S MB 44140 84706"},
	{"GeoTrans example, on a central meridian", 42, -93, 15, 500000, 4649776.225, "15T WG 00000 49776"},
	{"Norway exception: 4° E is zone 32, not 31", 60, 4, 32, 221288.770, 6661953.041, "32V KM 21288 61953"},
	{"Svalbard: 10.5° E is zone 33X", 78.5, 10.5, 33, 399941.377, 8718023.388, "33X UH 99941 18023"},
	{"Svalbard: 8.9° E is zone 31X", 78.5, 8.9, 31, 631098.643, 8720791.552, "31X FH 31098 20791"},
	{"southern hemisphere (Canberra)", -35.363, 149.165, 55, 696698.979, 6084548.997, "55H FA 96698 84548"},
	{"Hawaii", 21.4098, -157.916, 4, 612353.412, 2367890.426, "4Q FJ 12353 67890"},
	{"Santiago", -33.45, -70.6, 19, 351290.371, 6297679.510, "19H CC 51290 97679"},
	{"band X near 84° N at the antimeridian", 83.9, 179.9, 60, 534390.831, 9317795.753, "60X WU 34390 17795"},
	{"band C near 80° S at the antimeridian", -79.9, -179.9, 1, 443247.872, 1128161.373, "1C DM 43247 28161"},
}

func TestToUTMMatchesPROJ(t *testing.T) {
	for _, c := range casesMGRS {
		t.Run(c.name, func(t *testing.T) {
			u, err := ToUTM(c.lat, c.lon)
			require.NoError(t, err)
			require.Equal(t, c.zone, u.Zone)
			require.InDelta(t, c.east, u.EastingM, 0.002)
			require.InDelta(t, c.nrth, u.NorthingM, 0.002)
			lat, lon := u.LatLon()
			require.InDelta(t, c.lat, lat, 1e-8) // 1 mm
			require.InDelta(t, c.lon, lon, 1e-8)
		})
	}
}

func TestMGRS(t *testing.T) {
	for _, c := range casesMGRS {
		t.Run(c.name, func(t *testing.T) {
			got, err := MGRS(orb.Point{c.lon, c.lat}, 5)
			require.NoError(t, err)
			require.Equal(t, c.mgrs, got)
			// Parsing returns the centre of the 1 m square: within 1 m of the point.
			p, err := ParseMGRS(c.mgrs)
			require.NoError(t, err)
			require.Less(t, DistanceM(p, orb.Point{c.lon, c.lat}), 1.0)
		})
	}
}

func TestMGRSPrecision(t *testing.T) {
	p := orb.Point{44.4, 33.3}
	for digits, want := range map[int]string{1: "38S MB 4 8", 2: "38S MB 44 84", 3: "38S MB 441 847", 4: "38S MB 4414 8470"} {
		got, err := MGRS(p, digits)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	// GeographicLib's GeoConvert manual reads 38SMB4484 as the centre of a 1 km square:
	// 38n 444500 3684500.
	c, err := ParseMGRS("38SMB4484")
	require.NoError(t, err)
	u, err := ToUTM(c[1], c[0])
	require.NoError(t, err)
	require.InDelta(t, 444500, u.EastingM, 0.01)
	require.InDelta(t, 3684500, u.NorthingM, 0.01)
}

func TestParseMGRSForms(t *testing.T) {
	want := orb.Point{44.4, 33.3}
	for _, s := range []string{"38SMB4414084706", "38smb4414084706", " 38S MB 44140 84706 ", "38S\tMB4414084706"} {
		p, err := ParseMGRS(s)
		require.NoError(t, err, s)
		require.Less(t, DistanceM(p, want), 1.0, s)
	}
	p, err := ParseMGRS("04QFJ1235367890")
	require.NoError(t, err)
	require.Less(t, DistanceM(p, orb.Point{-157.916, 21.4098}), 1.0, "a leading zero on the zone")
}

var casesParseMGRSErrors = []struct{ in, err string }{
	{"", `MGRS "": empty; want e.g. 38SMB4414084706`},
	{"SMB4414084706", `MGRS "SMB4414084706": starts with "S"; want the zone number 1 to 60, or A, B, Y or Z near a pole`},
	{"ZA", `MGRS "ZA": too short; want a band, two square letters and the figures (e.g. ZAF0193788990)`},
	{"ZKF01937889", `MGRS "ZKF01937889": 100 km column "K" does not exist in polar band Z (want one of ABCFGHJ)`},
	{"AJI01937889", `MGRS "AJI01937889": 100 km row "I" does not exist in polar band A (want one of ABCDEFGHJKLMNPQRSTUVWXYZ)`},
	{"YRA", `MGRS "YRA": square RA of polar band Y is at latitude 81.73°, outside the polar grid`},
	{"ZAF019378899", `MGRS "ZAF019378899": 9 figures: want an even number up to 10 (as many for easting as for northing)`},
	{"61SMB44148470", `MGRS "61SMB44148470": zone 61: want 1 to 60`},
	{"0SMB44148470", `MGRS "0SMB44148470": zone 0: want 1 to 60`},
	{"38", `MGRS "38": too short; want zone, band, two square letters and the figures (e.g. 38SMB4414084706)`},
	{"38IMB4484", `MGRS "38IMB4484": latitude band "I": want one of CDEFGHJKLMNPQRSTUVWX`},
	{"38SAB4484", `MGRS "38SAB4484": 100 km column "A" does not exist in zone 38`},
	{"38SMW4484", `MGRS "38SMW4484": 100 km row "W": want a letter A to V without I and O`},
	{"38SMB448", `MGRS "38SMB448": 3 figures: want an even number up to 10 (as many for easting as for northing)`},
	{"38SMB44140847060", `MGRS "38SMB44140847060": 11 figures: want an even number up to 10 (as many for easting as for northing)`},
	{"38SMB44x4", `MGRS "38SMB44x4": "X" in the figures: want digits only after the square letters`},
	{"38CMM4484", `MGRS "38CMM4484": square MM is not in latitude band C of zone 38`},
}

func TestParseMGRSErrors(t *testing.T) {
	for _, c := range casesParseMGRSErrors {
		t.Run(c.in, func(t *testing.T) {
			_, err := ParseMGRS(c.in)
			require.EqualError(t, err, c.err)
		})
	}
}

// casesMGRSPolar are on the polar grid (UPS). Eastings and northings are PROJ 9.1.1's
// (`proj +proj=ups [+south] +datum=WGS84`); the letters follow the NGA's polar tables. The
// last is a published example (Palantir Foundry's mgrsToGeoPoint documentation):
// ZAF0193788990 is 88.99999660° N 0.99964565° E, the south-west corner of its 1 m square.
var casesMGRSPolar = []struct {
	name       string
	lat, lon   float64
	east, nrth float64
	mgrs       string
}{
	{"north, west of 0°", 85, -45, 1607232.312, 1607232.312, "Y UD 07232 07232"},
	{"north, east of 0°", 88, 30, 2111034.634, 1807682.372, "Z BF 11034 07682"},
	{"south, east of 0°", -85, 135, 2392767.688, 1607232.312, "B FJ 92767 07232"},
	{"south, west of 0°", -80.5, -120, 1084566.490, 1471474.216, "A LG 84566 71474"},
	{"the north pole", 90, 0, 2000000, 2000000, "Z AH 00000 00000"},
	{"published example", 88.99999659707431, 0.9996456505181999, 2001937, 1888990, "Z AF 01937 88990"},
}

func TestMGRSPolar(t *testing.T) {
	for _, c := range casesMGRSPolar {
		t.Run(c.name, func(t *testing.T) {
			u := toUPS(c.lat, c.lon)
			require.InDelta(t, c.east, u.EastingM, 0.002)
			require.InDelta(t, c.nrth, u.NorthingM, 0.002)
			got, err := MGRS(orb.Point{c.lon, c.lat}, 5)
			require.NoError(t, err)
			require.Equal(t, c.mgrs, got)
			p, err := ParseMGRS(c.mgrs)
			require.NoError(t, err)
			require.Less(t, DistanceM(p, orb.Point{c.lon, c.lat}), 1.0)
		})
	}
}

func TestMGRSBadInput(t *testing.T) {
	_, err := ToUTM(85, 0)
	require.ErrorContains(t, err, "outside the UTM grid")
	_, err = MGRS(orb.Point{0, 0}, 6)
	require.EqualError(t, err, "MGRS precision 6: want 1 to 5 digits per coordinate")
	_, err = MGRS(orb.Point{math.NaN(), 0}, 5)
	require.Error(t, err)
	_, err = MGRS(orb.Point{0, 91}, 5)
	require.Error(t, err)
}

// TestMGRSRoundTrip walks a grid over the whole earth, zone edges, band edges and the
// polar caps included: the reference of a point parses back to within the square's size.
func TestMGRSRoundTrip(t *testing.T) {
	for lat := -89.93; lat <= 89.9; lat += 2.05 {
		for lon := -179.97; lon < 180; lon += 2.99 {
			p := orb.Point{lon, lat}
			s, err := MGRS(p, 5)
			require.NoError(t, err)
			q, err := ParseMGRS(s)
			require.NoError(t, err, s)
			require.Less(t, DistanceM(p, q), 1.5, "%v → %s → %v", p, s, q)
			s1, err := MGRS(q, 5)
			require.NoError(t, err)
			require.Equal(t, s, s1, "the centre of a square names the same square")
		}
	}
}

func FuzzParseMGRS(f *testing.F) {
	for _, c := range casesMGRS {
		f.Add(c.mgrs)
		f.Add(strings.ReplaceAll(c.mgrs, " ", ""))
	}
	for _, c := range casesParseMGRSErrors {
		f.Add(c.in)
	}
	for _, c := range casesMGRSPolar {
		f.Add(c.mgrs)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseMGRS(s)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "MGRS "), err.Error())
			return
		}
		require.False(t, math.IsNaN(p[0]) || math.IsNaN(p[1]), "%q parsed to %v", s, p)
		require.True(t, p[1] >= -90 && p[1] <= 90, "%q parsed to latitude %v", s, p[1])
		require.True(t, p[0] >= -180 && p[0] < 180, "%q parsed to longitude %v", s, p[0])
	})
}
