package gcs

// ParamType is MAVLink's MAV_PARAM_TYPE: how a parameter's value is stored on the vehicle.
type ParamType uint8

// Parameter types.
const (
	ParamUint8  ParamType = 1
	ParamInt8   ParamType = 2
	ParamUint16 ParamType = 3
	ParamInt16  ParamType = 4
	ParamUint32 ParamType = 5
	ParamInt32  ParamType = 6
	ParamReal32 ParamType = 9
)

// Param is one vehicle parameter. Value holds the number itself (not the bytes of a
// bytewise-encoded integer).
type Param struct {
	Name  string
	Value float64
	Type  ParamType
}
