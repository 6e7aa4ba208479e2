package gcs

import (
	"math"
	"time"
)

// Box is an axis-aligned rectangle in a video frame, in the continuous pixel coordinates
// of Camera (u right, v down, (0, 0) the image's top-left corner).
type Box struct {
	MinU, MinV, MaxU, MaxV float64
}

// BottomCentre returns the middle of the box's lower edge: where a standing person or a
// vehicle touches the ground, and so the pixel to geotag (as Frigate tests zones).
func (b Box) BottomCentre() (u, v float64) {
	return (b.MinU + b.MaxU) / 2, b.MaxV
}

// Detection is one sighting: an object the tracker followed, seen in one video frame and,
// when the frame's ray met the ground, put on the map.
type Detection struct {
	// ID is the detection's number in the mission's record, 0 until it is stored.
	ID int64
	// Time is when the frame was captured (not when it was processed).
	Time time.Time
	// SysID is the vehicle that carried the camera, Stream the camera's video stream.
	SysID  uint8
	Stream string
	// TrackID is the tracker's number for the object within its stream.
	TrackID int64
	// Class is what the detector took the object for ("person", "car"), Score how sure it
	// was, from 0 to 1.
	Class string
	Score float64
	Box   Box

	// Located is true when the sighting has a place on the ground: Ground and Error are
	// then set. A detection whose ray missed the ground is still a sighting worth keeping.
	Located bool
	Ground  GroundPoint
	// Error is the ground position's one-sigma ellipse; Error.Weak marks far-oblique or
	// otherwise untrustworthy positions.
	Error Ellipse

	// Snapshot refers to a picture of the object (a file name in the mission's folder),
	// or is empty.
	Snapshot string
	// TargetID is the target the sighting was fused into, 0 when none.
	TargetID int64
}

// TrackKey names one tracked object: track numbers are only unique within one stream of
// one vehicle.
type TrackKey struct {
	SysID   uint8
	Stream  string
	TrackID int64
}

// Track returns the key of the track the detection belongs to.
func (d Detection) Track() TrackKey {
	return TrackKey{SysID: d.SysID, Stream: d.Stream, TrackID: d.TrackID}
}

// NECov is a covariance of north and east positions, in square metres.
type NECov struct {
	NN, NE, EE float64
}

// Cov returns the ellipse's covariance.
func (e Ellipse) Cov() NECov {
	a2, b2 := e.SemiMajorM*e.SemiMajorM, e.SemiMinorM*e.SemiMinorM
	s, c := math.Sincos(e.OrientationDeg * math.Pi / 180) // the major axis: north c, east s
	return NECov{
		NN: a2*c*c + b2*s*s,
		NE: (a2 - b2) * s * c,
		EE: a2*s*s + b2*c*c,
	}
}

// Ellipse returns the covariance's one-sigma ellipse (Weak unset).
func (c NECov) Ellipse() Ellipse {
	return ellipseFromCov(c.NN, c.NE, c.EE)
}

func (c NECov) add(o NECov) NECov {
	return NECov{c.NN + o.NN, c.NE + o.NE, c.EE + o.EE}
}

func (c NECov) det() float64 { return c.NN*c.EE - c.NE*c.NE }

// inverse returns c⁻¹, or false when c is singular.
func (c NECov) inverse() (NECov, bool) {
	d := c.det()
	if !(d > 1e-18) {
		return NECov{}, false
	}
	return NECov{c.EE / d, -c.NE / d, c.NN / d}, true
}

// mahalanobis2 returns the squared Mahalanobis distance of (n, e) under c, or +Inf when c
// is singular.
func (c NECov) mahalanobis2(n, e float64) float64 {
	inv, ok := c.inverse()
	if !ok {
		return math.Inf(1)
	}
	return n*n*inv.NN + 2*n*e*inv.NE + e*e*inv.EE
}
