package gcs

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"time"
)

// Cursor on Target types Vigil sends (MIL-STD-2525 in CoT's dotted form).
const (
	// CoTTypeOwnUAV is a friendly military fixed-wing or rotary UAV: a-f-A-M-F-Q.
	CoTTypeOwnUAV = "a-f-A-M-F-Q"
	// CoTTypeGroundUnknown is an unverified ground detection: a-u-G.
	CoTTypeGroundUnknown = "a-u-G"

	// cotUnknown is CoT's value for an unknown hae, ce or le.
	cotUnknown = 9999999.0
	// cotTime is the timestamp format TAK uses: RFC 3339 in UTC with milliseconds.
	cotTime = "2006-01-02T15:04:05.000Z"
)

// CoTEvent is one Cursor on Target event: what, where, and for how long it holds.
type CoTEvent struct {
	XMLName xml.Name  `xml:"event"`
	Version string    `xml:"version,attr"`
	UID     string    `xml:"uid,attr"`
	Type    string    `xml:"type,attr"`
	How     string    `xml:"how,attr"`
	Time    string    `xml:"time,attr"`
	Start   string    `xml:"start,attr"`
	Stale   string    `xml:"stale,attr"`
	Point   CoTPoint  `xml:"point"`
	Detail  CoTDetail `xml:"detail"`
}

// CoTPoint is an event's position: degrees, and heights and errors in metres (one sigma;
// 9999999 when unknown).
type CoTPoint struct {
	Lat float64 `xml:"lat,attr"`
	Lon float64 `xml:"lon,attr"`
	HAE float64 `xml:"hae,attr"`
	CE  float64 `xml:"ce,attr"`
	LE  float64 `xml:"le,attr"`
}

// CoTDetail is the part of an event's detail Vigil fills in.
type CoTDetail struct {
	Contact *CoTContact `xml:"contact,omitempty"`
	Track   *CoTTrack   `xml:"track,omitempty"`
	Remarks string      `xml:"remarks,omitempty"`
}

// CoTContact names the event on the map.
type CoTContact struct {
	Callsign string `xml:"callsign,attr"`
}

// CoTTrack is a moving thing's course (degrees from true north) and speed (m/s).
type CoTTrack struct {
	Course float64 `xml:"course,attr"`
	Speed  float64 `xml:"speed,attr"`
}

// CoTConfig says how events are named and how long they hold.
type CoTConfig struct {
	// UIDPrefix starts every event's uid, so that two stations' targets do not replace
	// each other on a TAK map. It defaults to "vigil".
	UIDPrefix string
	// VehicleStale is how long a vehicle's position holds after it was sent. It defaults
	// to 30 seconds.
	VehicleStale time.Duration
	// TargetStale is how long a target holds after it was last seen. It defaults to 10
	// minutes.
	TargetStale time.Duration
}

func (c CoTConfig) withDefaults() CoTConfig {
	if c.UIDPrefix == "" {
		c.UIDPrefix = "vigil"
	}
	if c.VehicleStale <= 0 {
		c.VehicleStale = 30 * time.Second
	}
	if c.TargetStale <= 0 {
		c.TargetStale = 10 * time.Minute
	}
	return c
}

func cotTimeOf(t time.Time) string { return t.UTC().Format(cotTime) }

// Heights: Vigil knows altitudes above mean sea level, and CoT wants them above the WGS84
// ellipsoid; the two differ by up to 100 m with no geoid model to convert, so hae is sent
// as unknown and TAK clients put the point on their own terrain.

// VehicleEvent returns the event for one of our own vehicles at its current position, sent
// at now.
func (c CoTConfig) VehicleEvent(v Vehicle, now time.Time) CoTEvent {
	c = c.withDefaults()
	speed := math.Hypot(v.Velocity.NorthMps, v.Velocity.EastMps)
	return CoTEvent{
		Version: "2.0", UID: fmt.Sprintf("%s-vehicle-%d", c.UIDPrefix, v.SysID), Type: CoTTypeOwnUAV, How: "m-g",
		Time: cotTimeOf(now), Start: cotTimeOf(now), Stale: cotTimeOf(now.Add(c.VehicleStale)),
		Point: CoTPoint{Lat: v.Position.Point[1], Lon: v.Position.Point[0], HAE: cotUnknown, CE: cotUnknown, LE: cotUnknown},
		Detail: CoTDetail{
			Contact: &CoTContact{Callsign: fmt.Sprintf("%s %d", c.UIDPrefix, v.SysID)},
			Track:   &CoTTrack{Course: math.Mod(v.HeadingDeg+360, 360), Speed: speed},
			Remarks: fmt.Sprintf("%s, %.0f m above home", v.Mode, v.Position.AltRelM),
		},
	}
}

// TargetEvent returns the event for a target, sent at now: an unverified ground
// detection (a-u-G) whose ce is the target's one-sigma error radius, valid from its last
// sighting until TargetStale after it.
func (c CoTConfig) TargetEvent(t Target, now time.Time) CoTEvent {
	c = c.withDefaults()
	ce := t.ErrorM
	if !(ce > 0) || math.IsInf(ce, 0) {
		ce = cotUnknown
	}
	start := t.LastSeen
	if start.IsZero() {
		start = now
	}
	return CoTEvent{
		Version: "2.0", UID: fmt.Sprintf("%s-target-%d", c.UIDPrefix, t.ID), Type: CoTTypeGroundUnknown, How: "m-f", // machine, fused
		Time: cotTimeOf(now), Start: cotTimeOf(start), Stale: cotTimeOf(start.Add(c.TargetStale)),
		Point: CoTPoint{Lat: t.Point[1], Lon: t.Point[0], HAE: cotUnknown, CE: math.Round(ce*10) / 10, LE: cotUnknown},
		Detail: CoTDetail{
			Contact: &CoTContact{Callsign: fmt.Sprintf("%s %d", t.Class, t.ID)},
			Remarks: fmt.Sprintf("%s seen %d times by Vigil, first %s, last %s", t.Class, t.Sightings,
				cotTimeOf(t.FirstSeen), cotTimeOf(t.LastSeen)),
		},
	}
}

// Marshal returns the event as XML, one line, with the XML declaration TAK expects.
func (ev CoTEvent) Marshal() ([]byte, error) {
	b, err := xml.Marshal(ev)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header[:len(xml.Header)-1]), b...), nil
}

// WriteCoT writes an event for each vehicle with a position (at its last heartbeat) and each target of the
// export, one event per line, as a TAK server streams them. Detections are not sent:
// targets are what they add up to.
func WriteCoT(w io.Writer, e Export, c CoTConfig, now time.Time) error {
	bw := bufio.NewWriter(w)
	var events []CoTEvent
	for _, v := range e.Vehicles {
		if !v.PositionValid {
			continue
		}
		at := v.LastHeartbeat
		if at.IsZero() {
			at = now
		}
		events = append(events, c.VehicleEvent(v, at))
	}
	for _, t := range e.Targets {
		events = append(events, c.TargetEvent(t, now))
	}
	for _, ev := range events {
		b, err := ev.Marshal()
		if err != nil {
			return err
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
