package sitl

import (
	"math"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"

	"github.com/vigil-gcs/vigil/gcs"
)

// This file builds the messages a vehicle sends once, on MAV_CMD_REQUEST_MESSAGE: what it is
// and what it can do.

// simFirmwareVersion is reported as ArduPilot 4.5.7 official, so that a GCS enables the
// features it ties to that version.
const simFirmwareVersion = 4<<24 | 5<<16 | 7<<8 | uint32(common.FIRMWARE_VERSION_TYPE_OFFICIAL)

// simCapabilities are the protocol capabilities ArduPilot advertises and the simulator serves.
const simCapabilities = common.MAV_PROTOCOL_CAPABILITY_MISSION_INT |
	common.MAV_PROTOCOL_CAPABILITY_COMMAND_INT |
	common.MAV_PROTOCOL_CAPABILITY_PARAM_FLOAT |
	common.MAV_PROTOCOL_CAPABILITY_MAVLINK2 |
	common.MAV_PROTOCOL_CAPABILITY_SET_POSITION_TARGET_GLOBAL_INT |
	common.MAV_PROTOCOL_CAPABILITY_MISSION_FENCE |
	common.MAV_PROTOCOL_CAPABILITY_MISSION_RALLY

func (v *vehicleServer) autopilotVersionMsg() *common.MessageAutopilotVersion {
	return &common.MessageAutopilotVersion{
		Capabilities:    simCapabilities,
		FlightSwVersion: simFirmwareVersion,
		BoardVersion:    0x5e00, // SITL
		Uid:             uint64(v.sysID),
	}
}

func cameraInformationMsg(st VehicleState) *common.MessageCameraInformation {
	c := st.Camera
	m := &common.MessageCameraInformation{
		TimeBootMs:  uint32(st.BootTime / time.Millisecond),
		FocalLength: float32(c.FocalLengthMM),
		SensorSizeH: float32(c.SensorWidthMM),
		SensorSizeV: float32(c.SensorHeightMM),
		ResolutionH: uint16(c.ResolutionH),
		ResolutionV: uint16(c.ResolutionV),
		Flags:       common.CAMERA_CAP_FLAGS_HAS_VIDEO_STREAM,
	}
	copy(m.VendorName[:len(m.VendorName)-1], c.Vendor)
	copy(m.ModelName[:len(m.ModelName)-1], c.Model)
	return m
}

func videoStreamInformationMsg(c *gcs.CameraInfo) *common.MessageVideoStreamInformation {
	return &common.MessageVideoStreamInformation{
		StreamId:    1,
		Count:       1,
		Type:        common.VIDEO_STREAM_TYPE_RTSP,
		Flags:       common.VIDEO_STREAM_STATUS_FLAGS_RUNNING,
		Framerate:   30,
		ResolutionH: uint16(c.VideoResolutionH),
		ResolutionV: uint16(c.VideoResolutionV),
		Hfov:        uint16(math.Round(c.VideoHFOVDeg)),
		Name:        "video",
		Uri:         c.VideoURI,
		Encoding:    common.VIDEO_STREAM_ENCODING_H264,
	}
}

func gimbalDeviceInformationMsg(st VehicleState) *common.MessageGimbalDeviceInformation {
	const deg = math.Pi / 180
	return &common.MessageGimbalDeviceInformation{
		TimeBootMs: uint32(st.BootTime / time.Millisecond),
		VendorName: "Vigil",
		ModelName:  "SimGimbal",
		CapFlags: common.GIMBAL_DEVICE_CAP_FLAGS_HAS_ROLL_AXIS | common.GIMBAL_DEVICE_CAP_FLAGS_HAS_PITCH_AXIS |
			common.GIMBAL_DEVICE_CAP_FLAGS_HAS_YAW_AXIS | common.GIMBAL_DEVICE_CAP_FLAGS_HAS_YAW_FOLLOW |
			common.GIMBAL_DEVICE_CAP_FLAGS_HAS_YAW_LOCK,
		RollMin: -30 * deg, RollMax: 30 * deg,
		PitchMin: -90 * deg, PitchMax: 30 * deg,
		YawMin: -180 * deg, YawMax: 180 * deg,
	}
}
