package gcs

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// maxKMLShapes bounds the shapes read from one map file.
const maxKMLShapes = 100_000

// ReadKML reads the placemarks of a KML file (Google Earth, QGroundControl's KML export,
// most GIS tools): points, line strings and polygons' outer rings, at any depth of Document
// and Folder, inside MultiGeometry too. Vigil's own "kind" and parameters come from
// ExtendedData. Errors name the placemark and its line.
func ReadKML(r io.Reader) ([]Shape, error) {
	data, err := readAllLimited(r)
	if err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var shapes []Shape
	var stack []string
	var pm *Shape // the placemark being read
	var pmGeoms []Shape
	var text strings.Builder
	var dataName string
	placemarks := 0
	sawKML := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			return nil, fmt.Errorf("line %d: not KML: %w", line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			stack = append(stack, name)
			text.Reset()
			switch name {
			case "kml":
				sawKML = true
			case "Placemark":
				placemarks++
				line, _ := dec.InputPos()
				pm = &Shape{Props: map[string]string{}, Where: fmt.Sprintf("Placemark %d (line %d)", placemarks, line)}
				pmGeoms = nil
			case "Data":
				dataName = ""
				for _, a := range t.Attr {
					if a.Name.Local == "name" {
						dataName = a.Value
					}
				}
			case "innerBoundaryIs":
				if pm != nil {
					return nil, fmt.Errorf("%s: a polygon with holes (innerBoundaryIs) cannot be planned over; draw the area without them", pm.Where)
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			name := t.Name.Local
			parent := ""
			if len(stack) >= 2 {
				parent = stack[len(stack)-2]
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if pm == nil {
				continue
			}
			switch {
			case name == "name" && parent == "Placemark":
				pm.Name = strings.TrimSpace(text.String())
				pm.Where += fmt.Sprintf(" %q", pm.Name)
			case name == "value" && parent == "Data":
				pm.Props[dataName] = strings.TrimSpace(text.String())
			case name == "coordinates":
				geom := ""
				for i := len(stack) - 1; i >= 0 && geom == ""; i-- {
					switch stack[i] {
					case "Point":
						geom = "point"
					case "LineString":
						geom = "line"
					case "LinearRing":
						geom = "polygon"
					}
				}
				if geom == "" {
					continue // coordinates of something not planned over (gx:Track…)
				}
				pts, alts, err := parseKMLCoordinates(text.String())
				if err != nil {
					return nil, fmt.Errorf("%s: %w", pm.Where, err)
				}
				g := Shape{Points: pts, AltsM: alts, geom: geom}
				switch geom {
				case "point":
					if len(pts) != 1 {
						return nil, fmt.Errorf("%s: a Point has %d coordinates, want 1", pm.Where, len(pts))
					}
				case "line":
					if len(pts) < 2 {
						return nil, fmt.Errorf("%s: a LineString has %d coordinates, want at least 2", pm.Where, len(pts))
					}
				case "polygon":
					if n := len(pts); n > 1 && pts[0] == pts[n-1] {
						g.Points, g.AltsM = pts[:n-1], alts[:n-1]
					}
					if len(g.Points) < 3 {
						return nil, fmt.Errorf("%s: a polygon has %d corners, want at least 3", pm.Where, len(g.Points))
					}
				}
				pmGeoms = append(pmGeoms, g)
			case name == "Placemark":
				for i, g := range pmGeoms {
					s := *pm
					s.Points, s.AltsM, s.geom = g.Points, g.AltsM, g.geom
					s.Kind = ShapeKind(pm.Props["kind"])
					s.Props = pm.Props
					if len(pmGeoms) > 1 {
						s.Where = fmt.Sprintf("%s geometry %d", pm.Where, i+1)
					}
					shapes = append(shapes, s)
				}
				if len(shapes) > maxKMLShapes {
					return nil, fmt.Errorf("more than %d shapes", maxKMLShapes)
				}
				pm = nil
			}
		}
	}
	if !sawKML {
		return nil, errors.New("not KML: no <kml> element")
	}
	if len(shapes) == 0 {
		return nil, fmt.Errorf("empty KML: %w (%d placemarks)", ErrNoShapes, placemarks)
	}
	return shapes, nil
}

// parseKMLCoordinates reads KML's "lon,lat[,alt] lon,lat[,alt] …".
func parseKMLCoordinates(s string) ([]orb.Point, []float64, error) {
	var pts []orb.Point
	var alts []float64
	for i, tuple := range strings.Fields(s) {
		parts := strings.Split(tuple, ",")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, nil, fmt.Errorf("coordinate %d %q: want longitude,latitude[,altitude]", i+1, tuple)
		}
		var v [3]float64
		for j, p := range parts {
			f, err := parseDecimal(p, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("coordinate %d %q: %w", i+1, tuple, err)
			}
			v[j] = f
		}
		if math.Abs(v[1]) > 90 || math.Abs(v[0]) > 180 {
			return nil, nil, fmt.Errorf("coordinate %d %q: not a longitude and latitude", i+1, tuple)
		}
		pts = append(pts, orb.Point{v[0], v[1]})
		alts = append(alts, v[2])
	}
	if len(pts) == 0 {
		return nil, nil, errors.New("no coordinates")
	}
	return pts, alts, nil
}

// WriteShapesKML writes shapes as a KML document, one Placemark each, with Vigil's kind and
// parameters in ExtendedData. Altitudes are relative to the ground unless the shape is the
// flight path of an AMSL plan.
func WriteShapesKML(w io.Writer, name string, shapes []Shape) error {
	bw := bufio.NewWriter(w)
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s)) //nolint:errcheck // a strings.Builder does not fail
		return b.String()
	}
	fmt.Fprintf(bw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n<name>%s</name>\n", esc(name))
	for _, s := range shapes {
		fmt.Fprintf(bw, "<Placemark>\n<name>%s</name>\n<ExtendedData>\n", esc(s.Name))
		fmt.Fprintf(bw, "<Data name=\"kind\"><value>%s</value></Data>\n", esc(string(s.Kind)))
		for _, k := range sortedKeys(s.Props) {
			fmt.Fprintf(bw, "<Data name=\"%s\"><value>%s</value></Data>\n", esc(k), esc(s.Props[k]))
		}
		bw.WriteString("</ExtendedData>\n")
		coords := func(closed bool) string {
			var b strings.Builder
			n := len(s.Points)
			for i := 0; i < n || (closed && i == n); i++ {
				j := i % n
				alt := 0.0
				if j < len(s.AltsM) {
					alt = s.AltsM[j]
				}
				if i > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%s,%s,%s", fmtNum(s.Points[j][0]), fmtNum(s.Points[j][1]), fmtNum(alt))
			}
			return b.String()
		}
		altMode := "<altitudeMode>relativeToGround</altitudeMode>"
		switch s.geom {
		case "point":
			fmt.Fprintf(bw, "<Point>%s<coordinates>%s</coordinates></Point>\n", altMode, coords(false))
		case "line":
			fmt.Fprintf(bw, "<LineString>%s<coordinates>%s</coordinates></LineString>\n", altMode, coords(false))
		case "polygon":
			fmt.Fprintf(bw, "<Polygon><outerBoundaryIs><LinearRing><coordinates>%s</coordinates></LinearRing></outerBoundaryIs></Polygon>\n", coords(true))
		}
		bw.WriteString("</Placemark>\n")
	}
	bw.WriteString("</Document>\n</kml>\n")
	return bw.Flush()
}
