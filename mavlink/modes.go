package mavlink

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-gcs/vigil/gcs"
)

// modeTable maps an autopilot's custom_mode numbers to the names operators know.
type modeTable map[uint32]string

// ArduPilot mode numbers, from ArduPilot's mode.h of each vehicle.
var (
	arduCopterModes = modeTable{
		0: "STABILIZE", 1: "ACRO", 2: "ALT_HOLD", 3: "AUTO", 4: "GUIDED", 5: "LOITER", 6: "RTL",
		7: "CIRCLE", 9: "LAND", 11: "DRIFT", 13: "SPORT", 14: "FLIP", 15: "AUTOTUNE", 16: "POSHOLD",
		17: "BRAKE", 18: "THROW", 19: "AVOID_ADSB", 20: "GUIDED_NOGPS", 21: "SMART_RTL",
		22: "FLOWHOLD", 23: "FOLLOW", 24: "ZIGZAG", 25: "SYSTEMID", 26: "AUTOROTATE", 27: "AUTO_RTL",
	}
	arduPlaneModes = modeTable{
		0: "MANUAL", 1: "CIRCLE", 2: "STABILIZE", 3: "TRAINING", 4: "ACRO", 5: "FBWA", 6: "FBWB",
		7: "CRUISE", 8: "AUTOTUNE", 10: "AUTO", 11: "RTL", 12: "LOITER", 13: "TAKEOFF",
		14: "AVOID_ADSB", 15: "GUIDED", 17: "QSTABILIZE", 18: "QHOVER", 19: "QLOITER", 20: "QLAND",
		21: "QRTL", 22: "QAUTOTUNE", 23: "QACRO", 24: "THERMAL", 25: "LOITER_ALT_QLAND",
	}
	arduRoverModes = modeTable{
		0: "MANUAL", 1: "ACRO", 3: "STEERING", 4: "HOLD", 5: "LOITER", 6: "FOLLOW", 7: "SIMPLE",
		8: "DOCK", 9: "CIRCLE", 10: "AUTO", 11: "RTL", 12: "SMART_RTL", 15: "GUIDED", 16: "INITIALISING",
	}
	arduBlimpModes = modeTable{0: "LAND", 1: "MANUAL", 2: "VELOCITY", 3: "LOITER", 4: "RTL"}
)

// PX4 packs its mode as main mode << 16 | sub mode << 24; names are QGroundControl's.
func px4Mode(main, sub uint32) uint32 { return main<<16 | sub<<24 }

var px4Modes = modeTable{
	px4Mode(1, 0): "Manual", px4Mode(2, 0): "Altitude", px4Mode(3, 0): "Position",
	px4Mode(4, 1): "Ready", px4Mode(4, 2): "Takeoff", px4Mode(4, 3): "Hold", px4Mode(4, 4): "Mission",
	px4Mode(4, 5): "Return", px4Mode(4, 6): "Land", px4Mode(4, 8): "Follow Me",
	px4Mode(4, 9): "Precision Land", px4Mode(5, 0): "Acro", px4Mode(6, 0): "Offboard",
	px4Mode(7, 0): "Stabilized", px4Mode(8, 0): "Rattitude",
}

// modesFor picks the table for a vehicle: ArduPilot's depends on the vehicle type.
func modesFor(ap gcs.Autopilot, t gcs.VehicleType) modeTable {
	switch ap {
	case gcs.AutopilotPX4:
		return px4Modes
	case gcs.AutopilotArduPilot:
		switch t {
		case gcs.VehicleFixedWing, 19, 20, 21, 22, 23, 24, 25: // fixed wing and VTOLs fly ArduPlane
			return arduPlaneModes
		case gcs.VehicleGroundRover, 11: // rovers and boats
			return arduRoverModes
		case gcs.VehicleAirship, gcs.VehicleFreeBalloon:
			return arduBlimpModes
		}
		return arduCopterModes
	}
	return nil
}

// ModeName names a vehicle's custom mode, or "Mode(N)" when the autopilot is unknown.
func ModeName(ap gcs.Autopilot, t gcs.VehicleType, custom uint32) string {
	if name, ok := modesFor(ap, t)[custom]; ok {
		return name
	}
	return fmt.Sprintf("Mode(%d)", custom)
}

// ModeNumber finds the custom mode for a name, case-insensitively ("guided", "Return").
func ModeNumber(ap gcs.Autopilot, t gcs.VehicleType, name string) (uint32, error) {
	table := modesFor(ap, t)
	for n, s := range table {
		if strings.EqualFold(s, name) {
			return n, nil
		}
	}
	return 0, fmt.Errorf("no mode %q on this vehicle; it knows %s", name, strings.Join(ModeNames(ap, t), ", "))
}

// ModeNames lists a vehicle's modes in numeric order.
func ModeNames(ap gcs.Autopilot, t gcs.VehicleType) []string {
	table := modesFor(ap, t)
	nums := make([]uint32, 0, len(table))
	for n := range table {
		nums = append(nums, n)
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	names := make([]string, len(nums))
	for i, n := range nums {
		names[i] = table[n]
	}
	return names
}
