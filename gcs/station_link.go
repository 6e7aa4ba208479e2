package gcs

import (
	"context"
	"time"
)

// Link is how the station reaches its vehicles; the MAVLink adapter (mavlink.Client)
// satisfies it. Each call returns when the vehicle answered or the link gave up; commands
// that move the vehicle are sent once, never retried.
type Link interface {
	Arm(ctx context.Context, sysID uint8, force bool) (CommandReply, error)
	Disarm(ctx context.Context, sysID uint8, force bool) (CommandReply, error)
	SetMode(ctx context.Context, sysID uint8, mode string) (CommandReply, error)
	Takeoff(ctx context.Context, sysID uint8, altM float64) (CommandReply, error)
	Land(ctx context.Context, sysID uint8) (CommandReply, error)
	RTL(ctx context.Context, sysID uint8) (CommandReply, error)
	Goto(ctx context.Context, sysID uint8, p Position) (CommandReply, error)
	Orbit(ctx context.Context, sysID uint8, centre Position, radiusM float64) (CommandReply, error)
	SetHome(ctx context.Context, sysID uint8, p Position) (CommandReply, error)
	StartMission(ctx context.Context, sysID uint8) (CommandReply, error)
	SetROI(ctx context.Context, sysID uint8, p Position) (CommandReply, error)
	PointGimbal(ctx context.Context, sysID uint8, pitchDeg, yawDeg float64, earthYaw bool) (CommandReply, error)
	Winch(ctx context.Context, sysID uint8, cmd WinchCommand, lim TetherLimits) (CommandReply, error)

	UploadMission(ctx context.Context, sysID uint8, t MissionType, items []MissionItem, progress func(done, total int)) error
	DownloadMission(ctx context.Context, sysID uint8, t MissionType, progress func(done, total int)) ([]MissionItem, error)
	PullParams(ctx context.Context, sysID uint8, progress func(done, total int)) ([]Param, error)
	SetParam(ctx context.Context, sysID uint8, name string, value float64) (Param, error)
}

// Audit is where operator commands and the vehicles' answers are written as they happen
// (gcs/store's Store satisfies it).
type Audit interface {
	LogCommand(at time.Time, sysID uint8, command string) (int64, error)
	LogAnswer(id int64, at time.Time, r CommandReply) error
}

// CommandLogEntry is one operator command in the station's log, with what became of it.
type CommandLogEntry struct {
	Time   time.Time
	SysID  uint8
	Intent string // as the confirmation said it
	// Done is false while the command waits for the vehicle; then Answer is how the vehicle
	// answered ("accepted", "denied: PreArm: GPS not healthy", "no answer in 3 s").
	Done   bool
	Answer string
	OK     bool
}
