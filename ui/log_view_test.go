package ui

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

func text(s float64, sev gcs.Severity, msg string) gcs.StatusText {
	return gcs.StatusText{Time: at(s), Severity: sev, Text: msg}
}

func newTestLogView(t *testing.T) *LogView {
	test.NewTempApp(t)
	v := NewLogView(StationLogSource{Station: &gcs.Station{Fleet: &gcs.Fleet{}}})
	w := test.NewWindow(v.Object())
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(700, 300))
	return v
}

func lineTexts(v *LogView) []string {
	var out []string
	for _, l := range v.Lines() {
		out = append(out, l.String())
	}
	return out
}

// Messages of every vehicle and the operator's commands make one list in time order; a
// message seen in two snapshots is one line, a command's answer fills its line, and the
// colours say how bad each is.
func TestLogViewMergesAndOrders(t *testing.T) {
	v := newTestLogView(t)
	v1 := gcs.Vehicle{SysID: 1, StatusTexts: []gcs.StatusText{
		text(1, gcs.SeverityInfo, "EKF3 IMU0 is using GPS"),
		text(3, gcs.SeverityCritical, "PreArm: GPS not healthy"),
	}}
	v2 := gcs.Vehicle{SysID: 2, StatusTexts: []gcs.StatusText{text(2, gcs.SeverityWarning, "Winch: tension high")}}
	cmds := []gcs.CommandLogEntry{
		{Time: at(1.5), SysID: 1, Intent: "Arm vehicle 1"},
		{Time: at(4), SysID: 2, Intent: "Set vehicle 2's WPNAV_SPEED to 800", Done: true, OK: true, Answer: "accepted"},
	}
	v.Update([]gcs.Vehicle{v2, v1}, cmds)
	want := []string{
		"10:00:01  vehicle 1  INFO  EKF3 IMU0 is using GPS",
		"10:00:01  vehicle 1  COMMAND  Arm vehicle 1 — waiting for the vehicle…",
		"10:00:02  vehicle 2  WARNING  Winch: tension high",
		"10:00:03  vehicle 1  CRITICAL  PreArm: GPS not healthy",
		"10:00:04  vehicle 2  COMMAND  Set vehicle 2's WPNAV_SPEED to 800 — accepted",
	}
	require.Equal(t, want, lineTexts(v))
	var colours []widget.Importance
	for _, l := range v.Lines() {
		colours = append(colours, l.importance())
	}
	require.Equal(t, []widget.Importance{widget.MediumImportance, widget.MediumImportance, widget.WarningImportance,
		widget.DangerImportance, widget.MediumImportance}, colours, "critical red, warning orange")

	// The next snapshot: the same messages again, the arm refused, one new message, and
	// the same words again later (a new line: it was said twice).
	cmds[0].Done, cmds[0].Answer = true, "denied: PreArm: GPS not healthy"
	v1.StatusTexts = append(v1.StatusTexts, text(5, gcs.SeverityCritical, "PreArm: GPS not healthy"))
	v.Update([]gcs.Vehicle{v1, v2}, cmds)
	v.Update([]gcs.Vehicle{v1, v2}, cmds)
	want[1] = "10:00:01  vehicle 1  COMMAND  Arm vehicle 1 — denied: PreArm: GPS not healthy"
	want = append(want, "10:00:05  vehicle 1  CRITICAL  PreArm: GPS not healthy")
	require.Equal(t, want, lineTexts(v))
	require.Equal(t, widget.DangerImportance, v.Lines()[1].importance(), "a refused command is red")

	// Filters: by vehicle, by text, both.
	require.Equal(t, []string{allVehicles, "Vehicle 1", "Vehicle 2"}, v.vehicle.Options)
	v.vehicle.SetSelected("Vehicle 2")
	require.Equal(t, []string{want[2], want[4]}, lineTexts(v))
	v.vehicle.SetSelected(allVehicles)
	test.Type(v.search, "prearm")
	require.Equal(t, []string{want[1], want[3], want[5]}, lineTexts(v), "a command's answer is searched too")
	v.vehicle.SetSelected("Vehicle 2")
	require.Empty(t, lineTexts(v))
}

// Snapshots keep a vehicle's latest messages only; as they slide, each message still
// makes one line, including two identical ones arriving at the same instant.
func TestLogViewSlidingSnapshots(t *testing.T) {
	v := newTestLogView(t)
	var all []gcs.StatusText
	for i := range 120 {
		all = append(all, text(float64(i/2), gcs.SeverityInfo, fmt.Sprintf("msg %d", i/2)))
	}
	for end := 1; end <= len(all); end += 7 {
		start := max(0, end-50)
		v.Update([]gcs.Vehicle{{SysID: 1, StatusTexts: all[start:end]}}, nil)
	}
	v.Update([]gcs.Vehicle{{SysID: 1, StatusTexts: all[70:]}}, nil)
	require.Len(t, v.Lines(), 120)
	for i, l := range v.Lines() {
		require.Equal(t, fmt.Sprintf("msg %d", i/2), l.Text)
	}
}

// The list follows new lines unless the operator scrolled up to read.
func TestLogViewFollowsUnlessScrolledUp(t *testing.T) {
	v := newTestLogView(t)
	var texts []gcs.StatusText
	next := func(n int) []gcs.Vehicle {
		for range n {
			texts = append(texts, text(float64(len(texts)), gcs.SeverityInfo, fmt.Sprintf("line %d", len(texts))))
		}
		return []gcs.Vehicle{{SysID: 1, StatusTexts: texts[max(0, len(texts)-50):]}}
	}
	v.Update(next(40), nil)
	bottom := v.list.GetScrollOffset()
	require.Positive(t, bottom, "40 lines do not fit: the list scrolled to the newest")
	require.True(t, v.atBottom())

	v.list.ScrollToOffset(0) // the operator scrolls up to read
	v.Update(next(5), nil)
	require.Zero(t, v.list.GetScrollOffset(), "what the operator reads stays put")
	require.Len(t, v.Lines(), 45)

	v.list.ScrollToBottom()
	v.Update(next(5), nil)
	require.Greater(t, v.list.GetScrollOffset(), bottom)
	require.True(t, v.atBottom(), "back at the bottom, it follows again")
}

type countingSource struct{ calls atomic.Int32 }

func (c *countingSource) Vehicles() []gcs.Vehicle {
	c.calls.Add(1)
	return []gcs.Vehicle{{SysID: 1, StatusTexts: []gcs.StatusText{text(1, gcs.SeverityInfo, "hello")}}}
}
func (c *countingSource) CommandLog() []gcs.CommandLogEntry { return nil }

// The view reads its source on its own ticker until Close.
func TestLogViewStartClose(t *testing.T) {
	test.NewTempApp(t)
	src := &countingSource{}
	v := NewLogView(src)
	require.Equal(t, 500*time.Millisecond, v.period, "at most twice a second")
	v.period = 20 * time.Millisecond
	v.Start()
	require.Eventually(t, func() bool { return src.calls.Load() >= 2 }, 5*time.Second, 10*time.Millisecond)
	v.Close()
	n := src.calls.Load()
	time.Sleep(5 * v.period)
	require.Equal(t, n, src.calls.Load(), "no reading after Close")
	require.Len(t, v.Lines(), 1)
	v.Close() // twice is harmless
}
