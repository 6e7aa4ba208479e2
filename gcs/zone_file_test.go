package gcs

import (
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/require"
)

const zonesGeoJSON = `{
  "type": "FeatureCollection",
  "features": [
    {"type": "Feature", "properties": {"name": "Camp gate", "rules": ["a person inside", "more than 3 people"]},
     "geometry": {"type": "Polygon", "coordinates": [[[149.1650, -35.3630], [149.1660, -35.3630], [149.1660, -35.3640], [149.1650, -35.3640], [149.1650, -35.3630]]]}},
    {"type": "Feature", "properties": {"name": "Road", "rules": "any vehicle enters"},
     "geometry": {"type": "MultiPolygon", "coordinates": [
       [[[149.17, -35.36], [149.171, -35.36], [149.171, -35.361]]],
       [[[149.18, -35.36], [149.181, -35.36], [149.181, -35.361]]]]}},
    {"type": "Feature", "properties": {"name": "HQ marker"}, "geometry": {"type": "Point", "coordinates": [149.1, -35.3]}},
    {"type": "Feature", "properties": null, "geometry": null}
  ]
}`

const zonesKML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document>
  <name>Camp</name>
  <Folder>
    <Placemark>
      <name>Camp gate</name>
      <ExtendedData><Data name="rules"><value>a person inside; more than 3 people</value></Data></ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>
        149.1650,-35.3630,0 149.1660,-35.3630,0
        149.1660,-35.3640,0 149.1650,-35.3640,0 149.1650,-35.3630,0
      </coordinates></LinearRing></outerBoundaryIs>
      <innerBoundaryIs><LinearRing><coordinates>149.1654,-35.3634 149.1656,-35.3634 149.1656,-35.3636</coordinates></LinearRing></innerBoundaryIs>
      </Polygon>
    </Placemark>
    <Placemark><name>Flag</name><Point><coordinates>149.1,-35.3</coordinates></Point></Placemark>
    <Placemark>
      <name>Road</name>
      <ExtendedData><Data name="rules"><value>any vehicle enters</value></Data></ExtendedData>
      <MultiGeometry>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>149.17,-35.36 149.171,-35.36 149.171,-35.361</coordinates></LinearRing></outerBoundaryIs></Polygon>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>149.18,-35.36 149.181,-35.36 149.181,-35.361</coordinates></LinearRing></outerBoundaryIs></Polygon>
      </MultiGeometry>
    </Placemark>
  </Folder>
</Document>
</kml>`

func TestReadZones(t *testing.T) {
	for _, tc := range []struct{ name, file string }{{"GeoJSON", zonesGeoJSON}, {"KML", zonesKML}} {
		t.Run(tc.name, func(t *testing.T) {
			zones, err := ReadZones(strings.NewReader(tc.file))
			require.NoError(t, err)
			require.Len(t, zones, 3)
			require.Equal(t, "Camp gate", zones[0].Name)
			require.Equal(t, []ZoneRule{{Kind: RuleInside, Class: "person"}, {Kind: RuleMoreThan, Class: "person", N: 3}}, zones[0].Rules)
			require.Len(t, zones[0].Polygon[0], 5)
			require.Equal(t, orb.Point{149.1650, -35.3630}, zones[0].Polygon[0][0])
			require.True(t, zones[0].Contains(orb.Point{149.1652, -35.3632}))
			require.Equal(t, "Road 1", zones[1].Name)
			require.Equal(t, "Road 2", zones[2].Name)
			require.Equal(t, []ZoneRule{{Kind: RuleEnters, Class: "vehicle"}}, zones[2].Rules)
			require.Len(t, zones[2].Polygon[0], 4, "closed by the reader")
		})
	}
	kml, err := ReadZones(strings.NewReader(zonesKML))
	require.NoError(t, err)
	require.Len(t, kml[0].Polygon, 2, "the hole")
	require.False(t, kml[0].Contains(orb.Point{149.16558, -35.36342}), "in the hole")

	t.Run("bare polygon with a BOM", func(t *testing.T) {
		zones, err := ReadZones(strings.NewReader("\uFEFF" + `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}`))
		require.NoError(t, err)
		require.Len(t, zones, 1)
	})
	t.Run("the sample file", func(t *testing.T) {
		f, err := os.Open("testdata/zones.geojson")
		require.NoError(t, err)
		defer f.Close()
		zones, err := ReadZones(f)
		require.NoError(t, err)
		require.NotEmpty(t, zones)
	})
}

var casesReadZonesError = []struct {
	name, file, msg string
}{
	{"empty", "", "neither GeoJSON"},
	{"text", "hello", "neither GeoJSON"},
	{"JSON syntax", "{\n\"type\": \"FeatureCollection\",\n\"features\": [,]}", "GeoJSON line 3: invalid character ','"},
	{"not a feature collection", `{"type": "Topology"}`, `GeoJSON of type "Topology"`},
	{"no polygon", `{"type": "FeatureCollection", "features": []}`, "zones file has no polygon"},
	{"feature not a feature", `{"type": "FeatureCollection", "features": [{"type": "Polygon"}]}`, `feature 1: type "Polygon", expected "Feature"`},
	{"self-crossing polygon", `{"type": "FeatureCollection", "features": [
		{"type": "Feature", "properties": {"name": "ok"}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1]]]}},
		{"type": "Feature", "properties": {"name": "Market"}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}`,
		`feature 2 ("Market"): zone invalid: zone "Market"'s outline crosses itself`},
	{"short position", `{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1],[1,1]]]}}`, "position 2 has 1 number(s)"},
	{"coordinates not numbers", `{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[["a",0]]]}}`, "Polygon coordinates must be rings"},
	{"bad rule", `{"type": "Feature", "properties": {"name": "Gate", "rules": ["people loitering"]}, "geometry": null}`, `the feature ("Gate"): rule "people loitering" not understood`},
	{"rules not strings", `{"type": "Feature", "properties": {"rules": [3]}, "geometry": null}`, "rules must be strings"},
	{"KML syntax", "<kml>\n<Placemark>\n<name>x</nam>\n</Placemark></kml>", "KML placemark 1 (line 2): XML syntax error on line 3"},
	{"KML bad coordinate", "<kml><Placemark><name>Gate</name><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,x 1,1</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>",
		`KML placemark 1 "Gate" (line 1): outer boundary: coordinate 2 "1,x": longitude and latitude must be numbers`},
	{"KML self-crossing", "<kml><Placemark><name>Market</name><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,1 1,0 0,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>",
		`KML placemark 1 "Market" (line 1): zone invalid: zone "Market"'s outline crosses itself`},
	{"KML empty polygon", "<kml><Placemark><Polygon></Polygon></Placemark></kml>", "has 0 distinct corner(s)"},
	{"KML bad rule", "<kml><Placemark><ExtendedData><Data name=\"rules\"><value>dance</value></Data></ExtendedData></Placemark></kml>", `rule "dance" not understood`},
	{"KML no polygon", "<kml><Placemark><Point><coordinates>1,2</coordinates></Point></Placemark></kml>", "zones file has no polygon"},
}

func TestReadZonesErrors(t *testing.T) {
	for _, tc := range casesReadZonesError {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadZones(strings.NewReader(tc.file))
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

// FuzzReadZones: any input gives zones or an error, never a panic, and every zone read is
// valid: closed rings that do not cross themselves, rules that read back the same.
func FuzzReadZones(f *testing.F) {
	f.Add(zonesGeoJSON)
	f.Add(zonesKML)
	for _, tc := range casesReadZonesError {
		f.Add(tc.file)
	}
	f.Fuzz(func(t *testing.T, file string) {
		zones, err := ReadZones(strings.NewReader(file))
		if err != nil {
			require.NotEmpty(t, err.Error())
			return
		}
		require.NotEmpty(t, zones)
		for _, z := range zones {
			for _, r := range z.Polygon {
				require.GreaterOrEqual(t, len(r), 4)
				require.Equal(t, r[0], r[len(r)-1])
				_, _, crossed := selfCrossing(r)
				require.False(t, crossed)
			}
			for _, rule := range z.Rules {
				again, err := ParseZoneRule(rule.String())
				require.NoError(t, err, "%q", rule.String())
				require.Equal(t, rule, again)
			}
		}
	})
}
