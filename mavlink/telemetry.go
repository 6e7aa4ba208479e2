package mavlink

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/ardupilotmega"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/bluenviron/gomavlib/v3/pkg/message"
	"github.com/paulmach/orb"

	"github.com/vigil-gcs/vigil/gcs"
)

// Bits of SYS_STATUS and EKF_STATUS_REPORT the station shows as health.
const (
	sensorPrearmCheck  = 0x10000000     // MAV_SYS_STATUS_PREARM_CHECK
	ekfNeeded          = 1 | 2 | 8 | 16 // attitude, horizontal velocity, horizontal position (rel + abs)
	ekfUninitialized   = 1024
	gimbalYawLock      = 16
	gimbalYawInVehicle = 32
	gimbalYawInEarth   = 64
)

// applyTelemetry decodes one message into the vehicle's state and pose history.
func (c *Client) applyTelemetry(sys, comp uint8, msg message.Message, now time.Time, w *vehicleWatch) {
	clock := c.clock(sys)
	boot := func(ms uint32) time.Time {
		d := time.Duration(ms) * time.Millisecond
		clock.fromArrival(now, d)
		return clock.toGCS(d, now)
	}

	switch m := msg.(type) {
	case *common.MessageGlobalPositionInt:
		if m.Lat == 0 && m.Lon == 0 {
			return // ArduPilot sends zeros until it has a position: not a place on the map
		}
		t := boot(m.TimeBootMs)
		pos := gcs.Position{
			Point:   orb.Point{float64(m.Lon) / 1e7, float64(m.Lat) / 1e7},
			AltMSLM: float64(m.Alt) / 1000,
			AltRelM: float64(m.RelativeAlt) / 1000,
		}
		vel := gcs.Velocity{NorthMps: float64(m.Vx) / 100, EastMps: float64(m.Vy) / 100, DownMps: float64(m.Vz) / 100}
		c.Fleet.Poses(sys).AddPosition(t, pos, vel)
		c.Fleet.Update(sys, func(v *gcs.Vehicle) {
			v.Position, v.PositionValid, v.Velocity = pos, true, vel
			if m.Hdg != math.MaxUint16 {
				v.HeadingDeg = float64(m.Hdg) / 100
			}
		})

	case *common.MessageAttitude:
		att := gcs.Attitude{RollRad: float64(m.Roll), PitchRad: float64(m.Pitch), YawRad: float64(m.Yaw)}
		c.Fleet.Poses(sys).AddAttitude(boot(m.TimeBootMs), att)
		c.Fleet.Update(sys, func(v *gcs.Vehicle) { v.Attitude = att })

	case *common.MessageVfrHud:
		c.Fleet.Update(sys, func(v *gcs.Vehicle) {
			v.GroundSpeedMps = float64(m.Groundspeed)
			v.HeadingDeg = float64(m.Heading)
		})

	case *common.MessageSysStatus:
		c.Fleet.Update(sys, func(v *gcs.Vehicle) {
			if m.VoltageBattery != math.MaxUint16 {
				v.Battery.VoltageV = float64(m.VoltageBattery) / 1000
			}
			if m.CurrentBattery >= 0 {
				v.Battery.CurrentA = float64(m.CurrentBattery) / 100
			}
			v.Battery.RemainingPct = int(m.BatteryRemaining)
			if m.OnboardControlSensorsPresent&sensorPrearmCheck != 0 {
				v.PrearmHealthy = m.OnboardControlSensorsHealth&sensorPrearmCheck != 0
			}
		})

	case *common.MessageGpsRawInt:
		c.Fleet.Update(sys, func(v *gcs.Vehicle) {
			v.GPS = gcs.GPS{FixType: int(m.FixType), Satellites: int(m.SatellitesVisible)}
			if m.SatellitesVisible == math.MaxUint8 {
				v.GPS.Satellites = -1
			}
			if m.Eph != math.MaxUint16 {
				v.GPS.HDOP = float64(m.Eph) / 100
			}
		})

	case *common.MessageHomePosition:
		home := gcs.Position{Point: orb.Point{float64(m.Longitude) / 1e7, float64(m.Latitude) / 1e7}, AltMSLM: float64(m.Altitude) / 1000}
		c.Fleet.Update(sys, func(v *gcs.Vehicle) { v.Home = &home })

	case *common.MessageMissionCurrent:
		c.Fleet.Update(sys, func(v *gcs.Vehicle) {
			v.MissionCurrent = int(m.Seq)
			if m.Total != 0 && m.Total != math.MaxUint16 {
				v.MissionCount = int(m.Total)
			}
		})

	case *ardupilotmega.MessageEkfStatusReport:
		c.Fleet.Update(sys, func(v *gcs.Vehicle) {
			v.EKFHealthy = uint32(m.Flags)&ekfNeeded == ekfNeeded && uint32(m.Flags)&ekfUninitialized == 0
		})

	case *common.MessageStatustext:
		w.mu.Lock()
		text, ok := w.statusBuf.add(m)
		w.mu.Unlock()
		if ok {
			c.Fleet.Update(sys, func(v *gcs.Vehicle) {
				v.StatusTexts = append(v.StatusTexts, gcs.StatusText{Time: now, Severity: gcs.Severity(m.Severity), Text: text})
			})
		}

	case *common.MessageGimbalDeviceAttitudeStatus:
		g := gimbalAttitude(m, now)
		c.Fleet.Update(sys, func(v *gcs.Vehicle) { v.Gimbal = &g })

	case *common.MessageCameraInformation:
		c.Fleet.Update(sys, func(v *gcs.Vehicle) {
			cam := cameraOf(v)
			cam.Vendor, cam.Model = cString(m.VendorName[:]), cString(m.ModelName[:])
			cam.FocalLengthMM, cam.SensorWidthMM, cam.SensorHeightMM = decimal32(m.FocalLength), decimal32(m.SensorSizeH), decimal32(m.SensorSizeV)
			cam.ResolutionH, cam.ResolutionV = int(m.ResolutionH), int(m.ResolutionV)
		})

	case *common.MessageVideoStreamInformation:
		c.Fleet.Update(sys, func(v *gcs.Vehicle) {
			cam := cameraOf(v)
			cam.VideoURI, cam.VideoHFOVDeg = m.Uri, float64(m.Hfov)
			cam.VideoResolutionH, cam.VideoResolutionV = int(m.ResolutionH), int(m.ResolutionV)
		})

	case *common.MessageSystemTime:
		boot(m.TimeBootMs)

	case *common.MessageTimesync:
		c.onTimesync(sys, m, now)

	case *common.MessageFenceStatus:
		c.applyFenceStatus(sys, m, now)

	default:
		c.applyTetherTelemetry(sys, comp, msg, now)
	}
}

// decimal32 widens a float32 to the float64 of its shortest decimal form: 6.17 stays 6.17
// instead of becoming 6.170000076293945.
func decimal32(f float32) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'g', -1, 32), 64)
	return v
}

func cameraOf(v *gcs.Vehicle) *gcs.CameraInfo {
	if v.Camera == nil {
		v.Camera = &gcs.CameraInfo{}
	}
	return v.Camera
}

// gimbalAttitude turns the gimbal's quaternion into angles, noting which frame its yaw is in.
func gimbalAttitude(m *common.MessageGimbalDeviceAttitudeStatus, now time.Time) gcs.GimbalAttitude {
	w, x, y, z := float64(m.Q[0]), float64(m.Q[1]), float64(m.Q[2]), float64(m.Q[3])
	roll := math.Atan2(2*(w*x+y*z), 1-2*(x*x+y*y))
	pitch := math.Asin(max(-1, min(1, 2*(w*y-z*x))))
	yaw := math.Atan2(2*(w*z+x*y), 1-2*(y*y+z*z))
	flags := uint32(m.Flags)
	earth := flags&gimbalYawInEarth != 0 || (flags&gimbalYawInVehicle == 0 && flags&gimbalYawLock != 0)
	return gcs.GimbalAttitude{Time: now, RollRad: roll, PitchRad: pitch, YawRad: yaw, EarthFrame: earth}
}

func cString(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// statusChunks joins STATUSTEXT messages longer than 50 characters, which MAVLink 2 sends
// in chunks sharing an id.
type statusChunks struct {
	id   uint16
	text strings.Builder
}

// add returns a complete text when one is ready.
func (s *statusChunks) add(m *common.MessageStatustext) (string, bool) {
	if m.Id == 0 {
		return m.Text, true
	}
	if m.Id != s.id || m.ChunkSeq == 0 {
		s.id = m.Id
		s.text.Reset()
	}
	s.text.WriteString(m.Text)
	if len(m.Text) < 50 { // a short chunk is the last one
		s.id = 0
		return s.text.String(), true
	}
	return "", false
}
