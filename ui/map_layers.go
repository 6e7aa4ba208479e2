package ui

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// MapLayer names one switchable layer of the map.
type MapLayer int

// The map's layers, drawn in this order (later on top).
const (
	LayerZones MapLayer = iota
	LayerFence
	LayerMission
	LayerFootprints
	LayerTether
	LayerTrails
	LayerHome
	LayerDetections
	LayerTargets
	LayerIncidents
	LayerVehicles
	layerCount
)

var layerNames = [...]string{"Zones", "Geofence", "Mission", "Camera footprints", "Tether and watch circle",
	"Trails", "Home", "Detections", "Targets", "Incidents", "Vehicles"}

func (l MapLayer) String() string { return layerNames[l] }

// MapLayers says which layers are shown.
type MapLayers [layerCount]bool

// AllLayers shows everything.
func AllLayers() MapLayers {
	var l MapLayers
	for i := range l {
		l[i] = true
	}
	return l
}

// MapVehicle is a vehicle as the map draws it.
type MapVehicle struct {
	SysID      uint8
	Point      orb.Point
	HeadingDeg float64
	Trail      []orb.Point // oldest first
	Footprint  []orb.Point // the camera's view on the ground, when known
	Alarm      bool
	Home       *orb.Point
	// Mission is the path of the vehicle's mission (its positions in order) and MissionSeqs
	// their item numbers (items without a position are not on the path); Current is the
	// number of the item being flown (-1 none).
	Mission     []orb.Point
	MissionSeqs []int
	Current     int
	// Fence is the vehicle's geofence: inclusion polygons and circles.
	Fence gcs.Fence
	// Tether, for an aerostat, is the winch (home) and the watch circle's radius.
	Tether *MapTether
	// Goal is where the operator last sent the vehicle (fly here, orbit), until it is there.
	Goal *orb.Point
}

// MapTether is an aerostat's tether as drawn: a line from the winch to the balloon, and the
// circle the balloon must stay in.
type MapTether struct {
	Winch        orb.Point
	WatchRadiusM float64
	Alarm        bool
}

// MapZone is a watched zone, coloured while it has an unacknowledged alert.
type MapZone struct {
	Name     string
	Polygon  orb.Polygon
	Alerting bool
}

// MapSnapshot is everything the map shows at one instant.
type MapSnapshot struct {
	Vehicles   []MapVehicle
	Targets    []gcs.Target
	Detections []orb.Point // recent single sightings, before fusion
	Zones      []MapZone
	Incidents  []gcs.Incident
}

// Colours of the map's layers.
var (
	mapVehicle    = color.RGBA{90, 200, 255, 255}
	mapAlarm      = color.RGBA{255, 70, 60, 255}
	mapTrail      = color.RGBA{60, 120, 160, 255}
	mapFootprint  = color.RGBA{230, 200, 60, 255}
	mapTarget     = color.RGBA{255, 140, 40, 255}
	mapDetection  = color.RGBA{255, 200, 150, 255}
	mapHome       = color.RGBA{120, 230, 120, 255}
	mapMission    = color.RGBA{240, 240, 240, 255}
	mapCurrent    = color.RGBA{120, 230, 120, 255}
	mapFence      = color.RGBA{255, 90, 200, 255}
	mapZone       = color.RGBA{110, 150, 255, 255}
	mapZoneAlert  = color.RGBA{255, 60, 60, 255}
	mapIncident   = color.RGBA{255, 230, 0, 255}
	mapTether     = color.RGBA{200, 200, 200, 255}
	mapWatchOK    = color.RGBA{120, 180, 120, 255}
	mapZoneFillOK = color.RGBA{110, 150, 255, 40}
)

// drawLayers draws the snapshot's shown layers over the base.
func drawLayers(img *image.RGBA, pr MapProjection, snap MapSnapshot, shown MapLayers) {
	s := pr.Scale
	if shown[LayerZones] {
		for _, z := range snap.Zones {
			col := mapZone
			if z.Alerting {
				col = mapZoneAlert
			}
			for _, ring := range z.Polygon {
				polyline(img, pr, ring, true, col)
			}
			if len(z.Polygon) > 0 && len(z.Polygon[0]) > 0 {
				// The name sits inside the zone's north-west corner, clear of what is in it.
				b := z.Polygon[0].Bound()
				x, y := pr.ToPx(orb.Point{b.Min[0], b.Max[1]})
				text := z.Name
				if z.Alerting {
					text += " — ALERT"
				}
				label(img, int(x+4*s), int(y+14*s), text, col)
			}
		}
	}
	for _, v := range snap.Vehicles {
		if shown[LayerFence] {
			for _, p := range v.Fence.Polygons {
				col := mapFence
				polyline(img, pr, p.Vertices, true, col)
			}
			for _, c := range v.Fence.Circles {
				x, y := pr.ToPx(c.Center)
				circle(img, x, y, pr.Px(c.RadiusM), mapFence)
			}
		}
		if shown[LayerMission] && len(v.Mission) > 0 {
			polyline(img, pr, v.Mission, false, mapMission)
			for i, p := range v.Mission {
				x, y := pr.ToPx(p)
				seq := i + 1
				if i < len(v.MissionSeqs) {
					seq = v.MissionSeqs[i]
				}
				col := mapMission
				if seq == v.Current {
					col = mapCurrent
				}
				disc(img, x, y, 2.5*s, col)
				if len(v.Mission) <= 60 {
					label(img, int(x+4*s), int(y-4*s), fmt.Sprint(seq), col)
				}
			}
		}
		if shown[LayerFootprints] && len(v.Footprint) > 0 {
			polyline(img, pr, v.Footprint, true, mapFootprint)
		}
		if shown[LayerTether] && v.Tether != nil {
			wx, wy := pr.ToPx(v.Tether.Winch)
			vx, vy := pr.ToPx(v.Point)
			line(img, wx, wy, vx, vy, mapTether)
			col := mapWatchOK
			if v.Tether.Alarm {
				col = mapAlarm
			}
			circle(img, wx, wy, pr.Px(v.Tether.WatchRadiusM), col)
		}
		if shown[LayerTrails] {
			for i := 1; i < len(v.Trail); i++ {
				x0, y0 := pr.ToPx(v.Trail[i-1])
				x1, y1 := pr.ToPx(v.Trail[i])
				line(img, x0, y0, x1, y1, mapTrail)
			}
		}
		if v.Goal != nil {
			gx, gy := pr.ToPx(*v.Goal)
			vx, vy := pr.ToPx(v.Point)
			dashed(img, vx, vy, gx, gy, mapCurrent)
			crosshair(img, gx, gy, 7*s, mapCurrent)
		}
		if shown[LayerHome] && v.Home != nil {
			x, y := pr.ToPx(*v.Home)
			circle(img, x, y, 6*s, mapHome)
			label(img, int(x-3*s), int(y+4*s), "H", mapHome)
		}
	}
	if shown[LayerDetections] {
		for _, p := range snap.Detections {
			x, y := pr.ToPx(p)
			set(img, int(x), int(y), mapDetection)
			set(img, int(x)+1, int(y), mapDetection)
			set(img, int(x), int(y)+1, mapDetection)
		}
	}
	if shown[LayerTargets] {
		few := len(snap.Targets) <= 300 // labels only where they can be read
		var labels labelPlacer
		for _, t := range snap.Targets {
			x, y := pr.ToPx(t.Point)
			if x < -50 || y < -50 || x > float64(pr.W)+50 || y > float64(pr.H)+50 {
				continue
			}
			if r := pr.Px(t.ErrorM); r > 3 {
				circle(img, x, y, r, mapTarget)
			}
			classIcon(img, x, y, t.Class, 4*s, mapTarget)
			if few {
				if text := fmt.Sprintf("T%d %s", t.ID, t.Class); labels.place(int(x+6*s), int(y-6*s), len(text)) {
					label(img, int(x+6*s), int(y-6*s), text, mapTarget)
				}
			}
		}
	}
	if shown[LayerIncidents] {
		for _, in := range snap.Incidents {
			x, y := pr.ToPx(in.Point)
			diamond(img, x, y, 7*s, mapIncident)
			label(img, int(x+9*s), int(y+4*s), fmt.Sprintf("I%d %s", in.ID, in.Category), mapIncident)
		}
	}
	if shown[LayerVehicles] {
		for _, v := range snap.Vehicles {
			col := mapVehicle
			if v.Alarm {
				col = mapAlarm
			}
			x, y := pr.ToPx(v.Point)
			arrow(img, x, y, v.HeadingDeg, 11*s, col)
			label(img, int(x+10*s), int(y+4*s), fmt.Sprintf("%d", v.SysID), col)
		}
	}
}

// classIcon marks a target by its class: a disc for people, a square for vehicles, a cross
// for anything else, so that classes read apart without colour.
func classIcon(img *image.RGBA, x, y float64, class string, r float64, c color.RGBA) {
	switch class {
	case "person", "face":
		disc(img, x, y, r*0.8, c)
	case "vehicle", "car", "truck", "bus":
		for dy := -r * 0.8; dy <= r*0.8; dy++ {
			line(img, x-r*0.8, y+dy, x+r*0.8, y+dy, c)
		}
	default:
		line(img, x-r, y, x+r, y, c)
		line(img, x, y-r, x, y+r, c)
	}
}

// polyline draws a path of ground points; closed joins the last to the first.
func polyline(img *image.RGBA, pr MapProjection, pts []orb.Point, closed bool, c color.RGBA) {
	for i := 1; i < len(pts); i++ {
		x0, y0 := pr.ToPx(pts[i-1])
		x1, y1 := pr.ToPx(pts[i])
		line(img, x0, y0, x1, y1, c)
	}
	if closed && len(pts) > 2 {
		x0, y0 := pr.ToPx(pts[len(pts)-1])
		x1, y1 := pr.ToPx(pts[0])
		line(img, x0, y0, x1, y1, c)
	}
}

// diamond draws an incident's mark.
func diamond(img *image.RGBA, x, y, r float64, c color.RGBA) {
	line(img, x, y-r, x+r, y, c)
	line(img, x+r, y, x, y+r, c)
	line(img, x, y+r, x-r, y, c)
	line(img, x-r, y, x, y-r, c)
	disc(img, x, y, math.Max(1, r/3), c)
}

// labelPlacer keeps labels from writing over each other: a label that would overlap one
// already drawn is left out (the list names every target).
type labelPlacer struct{ placed []image.Rectangle }

// place reports whether a label of n characters at (x, y) (its baseline) is free, and takes
// the place if so.
func (l *labelPlacer) place(x, y, n int) bool {
	r := image.Rect(x, y-11, x+7*n, y+2)
	for _, p := range l.placed {
		if p.Overlaps(r) {
			return false
		}
	}
	l.placed = append(l.placed, r)
	return true
}

// crosshair marks a commanded point.
func crosshair(img *image.RGBA, x, y, r float64, c color.RGBA) {
	line(img, x-r, y, x-r/3, y, c)
	line(img, x+r/3, y, x+r, y, c)
	line(img, x, y-r, x, y-r/3, c)
	line(img, x, y+r/3, x, y+r, c)
	circle(img, x, y, r*0.7, c)
}

// dashed draws a dashed line (a path not yet flown).
func dashed(img *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA) {
	n := math.Hypot(x1-x0, y1-y0)
	if n > 10000 {
		return
	}
	for d := 0.0; d < n; d += 10 {
		e := math.Min(d+5, n)
		line(img, x0+(x1-x0)*d/n, y0+(y1-y0)*d/n, x0+(x1-x0)*e/n, y0+(y1-y0)*e/n, c)
	}
}
