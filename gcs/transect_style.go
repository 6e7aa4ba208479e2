package gcs

import (
	"github.com/paulmach/orb"
)

// TriggerMode is how a survey takes photos.
type TriggerMode int

// Trigger modes.
const (
	// TriggerDistance starts distance triggering (DO_SET_CAM_TRIGG_DIST) at the start of
	// each lane, QGroundControl's default.
	TriggerDistance TriggerMode = iota
	// TriggerWaypoint stops at a waypoint every trigger distance and takes one photo there
	// (IMAGE_START_CAPTURE): QGroundControl's "hover and capture", for cameras that cannot be
	// triggered on the move.
	TriggerWaypoint
	// TriggerNone flies the pattern without touching the camera.
	TriggerNone
)

// hoverAndCaptureDelayS is how long QGroundControl holds at each hover-and-capture waypoint.
const hoverAndCaptureDelayS = 4

// CmdImageStartCapture is MAV_CMD_IMAGE_START_CAPTURE.
const CmdImageStartCapture uint16 = 2000

// TransectStyle is what surveys and corridor scans share (QGroundControl's
// TransectStyleComplexItem): the camera, the altitude and how lanes are flown.
type TransectStyle struct {
	// Calc is the camera calculation: altitude, spacing and trigger distance.
	Calc CameraCalc
	// AltMode says what Calc.AltM is measured from. It defaults to AltRelative.
	AltMode AltMode

	TurnaroundM float64 // straight run beyond each lane end (QGroundControl: 10 m multirotor, 30 m plane)
	// TriggerInTurnaround keeps the camera triggering through turns (QGroundControl's
	// CameraTriggerInTurnAround, its default): it is started once and stopped at the end.
	TriggerInTurnaround bool
	Trigger             TriggerMode

	// Items are the expanded items a .plan file carried (QGroundControl's "Items"). When
	// set they are flown as they are, as QGroundControl does, so a loaded item flies
	// exactly as planned; editing any parameter must clear them.
	Items []MissionItem
}

// surveyPointKind tells what a point of the flight path is, like QGroundControl's CoordType.
type surveyPointKind int

const (
	ptInterior   surveyPointKind = iota // a corner on the way between cells
	ptTurnaround                        // beyond a lane end
	ptEntry                             // a lane starts
	ptExit                              // a lane ends
	ptHover                             // a photo stop inside a lane
)

type surveyPoint struct {
	xy   orb.Point
	kind surveyPointKind
}

// appendLoaded appends the items a .plan file carried, if any.
func (s *TransectStyle) appendLoaded(x *expander) bool {
	if len(s.Items) == 0 {
		return false
	}
	for _, it := range s.Items {
		x.items = append(x.items, it)
		if p, ok := missionItemPoint(it); ok {
			x.last, x.hasLast = p, true
		}
	}
	return true
}

// emit appends the items of a transect path as QGroundControl's
// TransectStyleComplexItem::_buildAndAppendMissionItems does.
func (s *TransectStyle) emit(x *expander, f localFrame, pts []surveyPoint) error {
	trigger := s.Trigger != TriggerNone && s.Calc.TriggerDistM > 0
	hover := trigger && s.Trigger == TriggerWaypoint
	inTurn := s.TriggerInTurnaround && !hover
	firstLast := trigger && !hover && inTurn
	hasTurn := s.TurnaroundM > 0
	alt, mode := s.Calc.AltM, s.AltMode
	wp := func(p orb.Point, hold float64) error {
		return x.waypoint(CmdNavWaypoint, f.toGeo(p), alt, mode, [4]float64{hold, 0, 0, 0})
	}
	photo := func() { x.do(CmdImageStartCapture, 0, 0, 1, 0) }
	triggerDist := func(d float64) { x.do(CmdDoSetCamTriggDist, d, 0, 1, 0) }
	for i, p := range pts {
		last := i == len(pts)-1
		var err error
		switch p.kind {
		case ptInterior:
			err = wp(p.xy, 0)
		case ptTurnaround:
			err = wp(p.xy, 0)
			if err == nil && firstLast && (i == 0 || last) {
				if i == 0 {
					triggerDist(s.Calc.TriggerDistM)
				} else {
					triggerDist(0)
				}
			}
		case ptHover:
			if err = wp(p.xy, hoverAndCaptureDelayS); err == nil {
				photo()
			}
		case ptEntry:
			switch {
			case hover:
				if err = wp(p.xy, hoverAndCaptureDelayS); err == nil {
					photo()
				}
			case trigger:
				if err = wp(p.xy, 0); err == nil {
					triggerDist(s.Calc.TriggerDistM)
				}
			default:
				err = wp(p.xy, 0)
			}
		case ptExit:
			switch {
			case hover:
				if err = wp(p.xy, hoverAndCaptureDelayS); err == nil {
					photo()
				}
			case trigger && firstLast && !hasTurn && last, trigger && !inTurn:
				if err = wp(p.xy, 0); err == nil {
					triggerDist(0)
				}
			default:
				err = wp(p.xy, 0)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
