package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// LogSource is what the log draws: the vehicles' messages and the operator's commands
// (gcs.Station provides both through StationLogSource).
type LogSource interface {
	Vehicles() []gcs.Vehicle
	CommandLog() []gcs.CommandLogEntry
}

// StationLogSource adapts a Station to LogSource.
type StationLogSource struct{ Station *gcs.Station }

// Vehicles returns the fleet's vehicles.
func (s StationLogSource) Vehicles() []gcs.Vehicle { return s.Station.Fleet.Vehicles() }

// CommandLog returns the operator's commands with their answers.
func (s StationLogSource) CommandLog() []gcs.CommandLogEntry { return s.Station.CommandLog() }

// logPeriod is how often the log reads the snapshots: twice a second is as fast as anyone
// reads.
const logPeriod = 500 * time.Millisecond

// maxLogLines bounds the log; the mission record keeps the commands for good.
const maxLogLines = 5000

const allVehicles = "All vehicles"

// LogLine is one line of the log: a vehicle's STATUSTEXT or an operator's command with its
// answer.
type LogLine struct {
	Time  time.Time
	SysID uint8
	// Command is true for an operator command; Text is then the command and Answer what
	// became of it (empty while waiting). For a STATUSTEXT, Text is the message.
	Command  bool
	Severity gcs.Severity
	Text     string
	Answer   string
	Done, OK bool
}

// String is the line as the log shows it.
func (l LogLine) String() string {
	at := l.Time.Local().Format("15:04:05")
	if l.Command {
		answer := "waiting for the vehicle…"
		if l.Done {
			answer = l.Answer
		}
		return fmt.Sprintf("%s  vehicle %d  COMMAND  %s — %s", at, l.SysID, l.Text, answer)
	}
	return fmt.Sprintf("%s  vehicle %d  %s  %s", at, l.SysID, l.Severity, l.Text)
}

// importance is the line's colour: emergencies to errors and refused commands red,
// warnings orange.
func (l LogLine) importance() widget.Importance {
	switch {
	case l.Command && l.Done && !l.OK:
		return widget.DangerImportance
	case l.Command:
		return widget.MediumImportance
	case l.Severity <= gcs.SeverityError:
		return widget.DangerImportance
	case l.Severity == gcs.SeverityWarning:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

func (l LogLine) searchText() string {
	if l.Command {
		return l.Text + " " + l.Answer
	}
	return l.Severity.String() + " " + l.Text
}

type commandKey struct {
	at    time.Time
	sysID uint8
	text  string
}

// logMerge merges snapshot after snapshot into one time-ordered log, each message and
// command once; a command's line follows its answer.
type logMerge struct {
	lines []*LogLine
	// seenUntil is each vehicle's newest STATUSTEXT time merged, and seenAt the texts merged
	// at exactly that time: snapshots hold the latest texts in arrival order, so a text is
	// new when it is later, or as late and not yet seen.
	seenUntil map[uint8]time.Time
	seenAt    map[uint8][]gcs.StatusText
	commands  map[commandKey]*LogLine
	floor     time.Time // lines older than this were dropped and are not taken again
}

func newLogMerge() *logMerge {
	return &logMerge{seenUntil: map[uint8]time.Time{}, seenAt: map[uint8][]gcs.StatusText{}, commands: map[commandKey]*LogLine{}}
}

// add merges one snapshot and reports whether the log changed.
func (m *logMerge) add(vs []gcs.Vehicle, cmds []gcs.CommandLogEntry) bool {
	changed := false
	for _, v := range vs {
		until, at := m.seenUntil[v.SysID], m.seenAt[v.SysID]
		for _, st := range v.StatusTexts {
			if st.Time.Before(until) || st.Time.Before(m.floor) {
				continue
			}
			if st.Time.Equal(until) {
				if i := slices.Index(at, st); i >= 0 {
					at = slices.Delete(slices.Clone(at), i, i+1) // one seen copy accounts for one line
					continue
				}
			}
			m.insert(&LogLine{Time: st.Time, SysID: v.SysID, Severity: st.Severity, Text: st.Text})
			changed = true
		}
		if n := len(v.StatusTexts); n > 0 {
			last := v.StatusTexts[n-1].Time
			if !last.Before(until) {
				var same []gcs.StatusText
				for _, st := range v.StatusTexts {
					if st.Time.Equal(last) {
						same = append(same, st)
					}
				}
				m.seenUntil[v.SysID], m.seenAt[v.SysID] = last, same
			}
		}
	}
	for _, c := range cmds {
		if c.Time.Before(m.floor) {
			continue
		}
		k := commandKey{c.Time, c.SysID, c.Intent}
		if l, ok := m.commands[k]; ok {
			if l.Done != c.Done || l.Answer != c.Answer || l.OK != c.OK {
				l.Done, l.Answer, l.OK = c.Done, c.Answer, c.OK
				changed = true
			}
			continue
		}
		l := &LogLine{Time: c.Time, SysID: c.SysID, Command: true, Text: c.Intent, Answer: c.Answer, Done: c.Done, OK: c.OK}
		m.commands[k] = l
		m.insert(l)
		changed = true
	}
	if n := len(m.lines); n > maxLogLines {
		for _, l := range m.lines[:n-maxLogLines] {
			if l.Command {
				delete(m.commands, commandKey{l.Time, l.SysID, l.Text})
			}
		}
		m.lines = slices.Clone(m.lines[n-maxLogLines:])
		m.floor = m.lines[0].Time
	}
	return changed
}

// insert puts a line in time order, after the lines of the same time.
func (m *logMerge) insert(l *LogLine) {
	i := len(m.lines)
	for i > 0 && m.lines[i-1].Time.After(l.Time) {
		i--
	}
	m.lines = slices.Insert(m.lines, i, l)
}

// LogView is the log page: every vehicle's STATUSTEXT and the operator's commands with
// their answers in one list, oldest at the top and following the newest at the bottom
// unless the operator scrolled up; filtered by vehicle and by text.
type LogView struct {
	src    LogSource
	period time.Duration // logPeriod; tests shorten it

	vehicle *widget.Select
	search  *widget.Entry
	list    *widget.List
	obj     fyne.CanvasObject

	// On Fyne's goroutine.
	merge  *logMerge
	shown  []*LogLine
	rowH   float32
	filter uint8 // 0: all vehicles

	loop refresher
}

// NewLogView builds the log page; Start begins reading src.
func NewLogView(src LogSource) *LogView {
	v := &LogView{src: src, period: logPeriod, merge: newLogMerge()}
	v.vehicle = widget.NewSelect([]string{allVehicles}, nil)
	v.vehicle.SetSelected(allVehicles)
	v.vehicle.OnChanged = func(s string) {
		v.filter = 0
		_, _ = fmt.Sscanf(s, "Vehicle %d", &v.filter)
		v.refilter()
	}
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Filter by text (e.g. PreArm, EKF, denied)")
	v.search.OnChanged = func(string) { v.refilter() }
	template := func() fyne.CanvasObject { return widget.NewLabel("00:00:00  vehicle 000  EMERGENCY  PreArm: ") }
	v.rowH = template().MinSize().Height
	v.list = widget.NewList(
		func() int { return len(v.shown) },
		template,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if i < len(v.shown) {
				l.Importance = v.shown[i].importance()
				l.SetText(v.shown[i].String())
			}
		},
	)
	top := container.NewBorder(nil, nil, v.vehicle, nil, v.search)
	v.obj = container.NewBorder(top, nil, nil, nil, v.list)
	return v
}

// Object is the page's content.
func (v *LogView) Object() fyne.CanvasObject { return v.obj }

// Start reads the snapshots twice a second until Close. The reading happens off Fyne's
// goroutine; the merge and the drawing on it.
func (v *LogView) Start() {
	v.loop.start(v.period, func() {
		vs, cmds := v.src.Vehicles(), v.src.CommandLog()
		fyne.Do(func() { v.Update(vs, cmds) })
	})
}

// Close stops the reading.
func (v *LogView) Close() { v.loop.close() }

// Update merges one snapshot. Call it on Fyne's goroutine.
func (v *LogView) Update(vs []gcs.Vehicle, cmds []gcs.CommandLogEntry) {
	v.updateVehicles(vs)
	follow := v.atBottom()
	if !v.merge.add(vs, cmds) {
		return
	}
	v.refilter()
	if follow {
		v.list.ScrollToBottom()
	}
}

func (v *LogView) updateVehicles(vs []gcs.Vehicle) {
	opts := []string{allVehicles}
	for _, id := range vehicleIDs(vs) {
		opts = append(opts, vehicleName(id))
	}
	if !slices.Equal(opts, v.vehicle.Options) {
		v.vehicle.SetOptions(opts)
	}
}

// atBottom reports whether the list shows its last line, which is when new lines scroll it.
func (v *LogView) atBottom() bool {
	pad := v.list.Theme().Size(theme.SizeNamePadding)
	content := (v.rowH+pad)*float32(len(v.shown)) - pad
	maxOffset := content - v.list.Size().Height
	return maxOffset <= 0 || v.list.GetScrollOffset() >= maxOffset-v.rowH/2
}

// Lines returns the lines shown, oldest first.
func (v *LogView) Lines() []LogLine {
	out := make([]LogLine, len(v.shown))
	for i, l := range v.shown {
		out[i] = *l
	}
	return out
}

func (v *LogView) refilter() {
	q := strings.ToLower(strings.TrimSpace(v.search.Text))
	v.shown = v.shown[:0]
	for _, l := range v.merge.lines {
		if v.filter != 0 && l.SysID != v.filter {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(l.searchText()), q) {
			continue
		}
		v.shown = append(v.shown, l)
	}
	v.list.Refresh()
}
