package gcs

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

type kmlOutPlacemark struct {
	XMLName     xml.Name        `xml:"Placemark"`
	Name        string          `xml:"name"`
	Description string          `xml:"description,omitempty"`
	TimeStamp   *kmlOutWhen     `xml:"TimeStamp,omitempty"`
	TimeSpan    *kmlOutTimeSpan `xml:"TimeSpan,omitempty"`
	StyleURL    string          `xml:"styleUrl"`
	Point       kmlOutPoint     `xml:"Point"`
}

type kmlOutWhen struct {
	When string `xml:"when"`
}

type kmlOutTimeSpan struct {
	Begin string `xml:"begin"`
	End   string `xml:"end"`
}

type kmlOutPoint struct {
	AltitudeMode string `xml:"altitudeMode"`
	Coordinates  string `xml:"coordinates"`
}

type kmlOutStyle struct {
	XMLName xml.Name `xml:"Style"`
	ID      string   `xml:"id,attr"`
	Color   string   `xml:"IconStyle>color"`
	Scale   float64  `xml:"IconStyle>scale"`
	Icon    string   `xml:"IconStyle>Icon>href"`
}

func kmlCoords(lon, lat float64) string {
	return strconv.FormatFloat(lon, 'f', 7, 64) + "," + strconv.FormatFloat(lat, 'f', 7, 64) + ",0"
}

// WriteKML writes the export as a KML document (Google Earth, QGIS, ATAK) with a folder
// each of targets, detections and incidents. Targets carry their time span and detections
// their time, so a viewer's time slider replays the mission; points are clamped to the
// ground. Detections without a ground position are left out.
func WriteKML(w io.Writer, e Export) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", " ")
	start := func(name string, attrs ...xml.Attr) error {
		return enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs})
	}
	end := func(name string) error { return enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}}) }
	folder := func(name string) error {
		if err := start("Folder"); err != nil {
			return err
		}
		return enc.EncodeElement(name, xml.StartElement{Name: xml.Name{Local: "name"}})
	}
	const icon = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
	steps := []func() error{
		func() error {
			return start("kml", xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: "http://www.opengis.net/kml/2.2"})
		},
		func() error { return start("Document") },
		func() error {
			return enc.EncodeElement("Vigil mission export", xml.StartElement{Name: xml.Name{Local: "name"}})
		},
		func() error { return enc.Encode(kmlOutStyle{ID: "target", Color: "ff0000ff", Scale: 1.2, Icon: icon}) },
		func() error {
			return enc.Encode(kmlOutStyle{ID: "detection", Color: "ff00ffff", Scale: 0.6, Icon: icon})
		},
		func() error {
			return enc.Encode(kmlOutStyle{ID: "incident", Color: "ffff00ff", Scale: 1.2, Icon: icon})
		},
		func() error { return folder("Targets") },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	for _, t := range e.Targets {
		err := enc.Encode(kmlOutPlacemark{
			Name: fmt.Sprintf("%s %d", t.Class, t.ID),
			Description: fmt.Sprintf("%s, %d sightings, error %.1f m (one sigma), best score %.2f, first seen %s, last seen %s",
				t.Class, t.Sightings, t.ErrorM, t.BestScore, fmtExportTime(t.FirstSeen), fmtExportTime(t.LastSeen)),
			TimeSpan: &kmlOutTimeSpan{Begin: fmtExportTime(t.FirstSeen), End: fmtExportTime(t.LastSeen)},
			StyleURL: "#target",
			Point:    kmlOutPoint{AltitudeMode: "clampToGround", Coordinates: kmlCoords(t.Point[0], t.Point[1])},
		})
		if err != nil {
			return err
		}
	}
	if err := end("Folder"); err != nil {
		return err
	}
	if err := folder("Detections"); err != nil {
		return err
	}
	for d, err := range e.detections() {
		if err != nil {
			return err
		}
		if !d.Located {
			continue
		}
		err := enc.Encode(kmlOutPlacemark{
			Name: fmt.Sprintf("%s, track %d", d.Class, d.TrackID),
			Description: fmt.Sprintf("detection %d: %s, score %.2f, vehicle %d stream %s, error %.1f m (one sigma)",
				d.ID, d.Class, d.Score, d.SysID, d.Stream, d.Error.SemiMajorM),
			TimeStamp: &kmlOutWhen{When: fmtExportTime(d.Time)},
			StyleURL:  "#detection",
			Point:     kmlOutPoint{AltitudeMode: "clampToGround", Coordinates: kmlCoords(d.Ground.Point[0], d.Ground.Point[1])},
		})
		if err != nil {
			return err
		}
	}
	if err := end("Folder"); err != nil {
		return err
	}
	if err := folder("Incidents"); err != nil {
		return err
	}
	for _, in := range e.Incidents {
		err := enc.Encode(kmlOutPlacemark{
			Name:        fmt.Sprintf("%s (%s)", in.Category, in.Severity),
			Description: in.Note,
			TimeStamp:   &kmlOutWhen{When: fmtExportTime(in.Time)},
			StyleURL:    "#incident",
			Point:       kmlOutPoint{AltitudeMode: "clampToGround", Coordinates: kmlCoords(in.Point[0], in.Point[1])},
		})
		if err != nil {
			return err
		}
	}
	for _, name := range []string{"Folder", "Document", "kml"} {
		if err := end(name); err != nil {
			return err
		}
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	bw.WriteString("\n")
	return bw.Flush()
}
