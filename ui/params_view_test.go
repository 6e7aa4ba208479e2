package ui

import (
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

func copterParams() []gcs.Param {
	return []gcs.Param{
		{Name: "WPNAV_SPEED", Value: 500, Type: gcs.ParamReal32},
		{Name: "BATT_LOW_VOLT", Value: 10.5, Type: gcs.ParamReal32},
		{Name: "WPNAV_SPEED_DN", Value: 150, Type: gcs.ParamReal32},
		{Name: "FS_THR_ENABLE", Value: 1, Type: gcs.ParamInt8},
		{Name: "BRD_SERIAL_NUM", Value: 0, Type: gcs.ParamInt32},
		{Name: "ANGLE_MAX", Value: 3000, Type: gcs.ParamInt16},
	}
}

// answerer stands for the operator in front of the confirmation dialog.
type answerer struct {
	asked []string
	yes   bool
}

func (a *answerer) confirm(title, message string, yes func()) {
	a.asked = append(a.asked, title+": "+message)
	if a.yes {
		yes()
	}
}

// newTestParamsView is the page on a station whose vehicle 1 has link's parameters, read,
// in a new test app.
func newTestParamsView(t *testing.T, link *fakeLink) (*ParamsView, *answerer) {
	t.Helper()
	test.NewTempApp(t)
	return newParamsViewInApp(t, link)
}

// newParamsViewInApp is newTestParamsView in the current test app (subtests share one:
// starting an app is the slow part).
func newParamsViewInApp(t *testing.T, link *fakeLink) (*ParamsView, *answerer) {
	t.Helper()
	fleet := &gcs.Fleet{}
	fleet.Update(1, func(v *gcs.Vehicle) { v.Connected, v.CompID = true, 1 })
	st := &gcs.Station{Fleet: fleet, Link: link}
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	v := NewParamsView(st, w)
	t.Cleanup(v.Close)
	w.SetContent(v.Object())
	w.Resize(fyne.NewSize(800, 600))
	a := &answerer{yes: true}
	v.Confirm = a.confirm
	require.Equal(t, "Vehicle 1", v.vehicle.Selected, "the only vehicle is chosen")
	test.Tap(v.refresh)
	v.jobs.Wait()
	require.Len(t, v.params, len(link.order))
	require.Equal(t, 1.0, v.progress.Value)
	require.Equal(t, "6 of 6", v.progress.TextFormatter())
	return v, a
}

func (v *ParamsView) cellText(row, col int) string {
	l := widget.NewLabel("")
	v.updateCell(widget.TableCellID{Row: row, Col: col}, l)
	return l.Text
}

func lastReport(t *testing.T, r *reportBox) (string, bool) {
	t.Helper()
	texts, bad := r.texts()
	require.NotEmpty(t, texts)
	return texts[len(texts)-1], bad[len(bad)-1]
}

// Typing in the search box narrows the table as each letter comes, ignoring case.
func TestParamsViewSearchFilters(t *testing.T) {
	v, _ := newTestParamsView(t, newFakeLink(copterParams()...))
	require.Equal(t, []string{"ANGLE_MAX", "BATT_LOW_VOLT", "BRD_SERIAL_NUM", "FS_THR_ENABLE", "WPNAV_SPEED", "WPNAV_SPEED_DN"}, v.Shown(), "sorted by name")
	require.Equal(t, "6 parameters", v.count.Text)
	for _, c := range []struct {
		typed string
		want  []string
	}{
		{"w", []string{"BATT_LOW_VOLT", "WPNAV_SPEED", "WPNAV_SPEED_DN"}},
		{"p", []string{"WPNAV_SPEED", "WPNAV_SPEED_DN"}},
		{"nav_speed_", []string{"WPNAV_SPEED_DN"}},
	} {
		test.Type(v.search, c.typed)
		require.Equal(t, c.want, v.Shown(), "after typing %q", v.search.Text)
	}
	require.Equal(t, "1 of 6", v.count.Text)
	require.Equal(t, "WPNAV_SPEED_DN", v.cellText(0, 0))
	require.Equal(t, "150", v.cellText(0, 1))
	require.Equal(t, "REAL32", v.cellText(0, 2))
	v.search.SetText("")
	require.Len(t, v.Shown(), 6)
	v.search.SetText("nothing")
	require.Empty(t, v.Shown())
}

// An edit names the vehicle, the parameter, the old and new values; the vehicle's answer is
// what the table then shows, and refusals and rounding are red.
func TestParamsViewEdit(t *testing.T) {
	cases := []struct {
		name, param, typed string
		refuse             bool
		round              *float64
		yes                bool
		asked              string
		sent               []string
		report             string
		bad                bool
		shown              string
	}{
		{name: "confirmed", param: "WPNAV_SPEED", typed: "800", yes: true,
			asked: "Change a parameter: Set vehicle 1's WPNAV_SPEED from 500 to 800?", sent: []string{"WPNAV_SPEED=800"},
			report: "WPNAV_SPEED = 800, confirmed by vehicle 1 (was 500).", shown: "800"},
		{name: "refused", param: "ANGLE_MAX", typed: "9000", refuse: true, yes: true,
			asked: "Change a parameter: Set vehicle 1's ANGLE_MAX from 3000 to 9000?", sent: []string{"ANGLE_MAX=9000"},
			report: "ANGLE_MAX not set to 9000: vehicle 1 kept ANGLE_MAX = 3000 instead of 9000 (out of range or read-only?)", bad: true, shown: "3000"},
		{name: "rounded", param: "BATT_LOW_VOLT", typed: "10.55", round: ptr(10.6), yes: true,
			asked: "Change a parameter: Set vehicle 1's BATT_LOW_VOLT from 10.5 to 10.55?", sent: []string{"BATT_LOW_VOLT=10.55"},
			report: "BATT_LOW_VOLT: vehicle 1 holds 10.6, not 10.55 (it rounded or limited the value).", bad: true, shown: "10.6"},
		{name: "operator says no", param: "WPNAV_SPEED", typed: "800", yes: false,
			asked: "Change a parameter: Set vehicle 1's WPNAV_SPEED from 500 to 800?", shown: "500"},
		{name: "not a value the type holds", param: "FS_THR_ENABLE", typed: "300", yes: true,
			report: "FS_THR_ENABLE not changed: INT8 holds -128 to 127, not 300", bad: true, shown: "1"},
		{name: "unchanged", param: "WPNAV_SPEED", typed: "500.0", yes: true,
			report: "WPNAV_SPEED is already 500 on vehicle 1.", shown: "500"},
	}
	test.NewTempApp(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			link := newFakeLink(copterParams()...)
			link.refuse[c.param] = c.refuse
			if c.round != nil {
				link.round[c.param] = float64(float32(*c.round))
			}
			v, a := newParamsViewInApp(t, link)
			a.yes = c.yes
			v.search.SetText(c.param)
			v.Edit(c.param, c.typed)
			v.jobs.Wait()
			if c.asked == "" {
				require.Empty(t, a.asked, "nothing to confirm")
			} else {
				require.Equal(t, []string{c.asked}, a.asked)
			}
			require.Equal(t, c.sent, link.setsSoFar())
			if c.report != "" {
				text, bad := lastReport(t, v.report)
				require.Equal(t, c.report, text)
				require.Equal(t, c.bad, bad, "red line")
			}
			require.Equal(t, c.shown, v.cellText(0, 1), "the table shows what the vehicle holds")
			if len(c.sent) > 0 {
				log := v.st.CommandLog()
				require.Len(t, log, 1, "the change is in the operator's command log")
				require.Equal(t, !c.refuse, log[0].OK)
			}
		})
	}
}

func ptr[T any](x T) *T { return &x }

// Loading a file shows its differences from the vehicle; only the ticked changes are
// written, after one confirmation listing them, and each answer is reported.
func TestParamsViewLoadFile(t *testing.T) {
	link := newFakeLink(copterParams()...)
	link.refuse["ANGLE_MAX"] = true
	v, a := newTestParamsView(t, link)
	file := "WPNAV_SPEED,800\nWPNAV_SPEED_DN,150\nBATT_LOW_VOLT,11\nANGLE_MAX,4500\nFS_THR_ENABLE,2\nGPS_TYPE2,1\n"
	v.LoadFile("/home/op/copter.param", strings.NewReader(file))
	require.NotNil(t, v.diff)
	var shown []string
	for _, c := range v.diff.checks {
		require.True(t, c.Checked, "every change starts ticked")
		shown = append(shown, c.Text)
	}
	require.Equal(t, []string{"ANGLE_MAX: 3000 → 4500", "BATT_LOW_VOLT: 10.5 → 11", "FS_THR_ENABLE: 1 → 2", "WPNAV_SPEED: 500 → 800"}, shown,
		"the unchanged WPNAV_SPEED_DN is not listed")
	require.Len(t, v.diff.unknown, 1)
	require.Equal(t, "GPS_TYPE2: 1 in the file, but the vehicle has no such parameter", v.diff.unknown[0].String())
	require.Equal(t, 1, v.diff.notInFile, "BRD_SERIAL_NUM is left as it is")

	v.diff.checks[2].SetChecked(false) // keep FS_THR_ENABLE
	v.WriteTicked()
	v.jobs.Wait()
	require.Len(t, a.asked, 1, "one confirmation")
	require.Equal(t, "Write parameters: Write 3 parameters from copter.param to vehicle 1?\n\n"+
		"ANGLE_MAX: 3000 → 4500\nBATT_LOW_VOLT: 10.5 → 11\nWPNAV_SPEED: 500 → 800", a.asked[0])
	require.Equal(t, []string{"ANGLE_MAX=4500", "BATT_LOW_VOLT=11", "WPNAV_SPEED=800"}, link.setsSoFar(), "only the ticked ones")
	texts, bad := v.report.texts()
	require.Equal(t, []string{
		"Vehicle 1: 6 parameters read.",
		"ANGLE_MAX not set to 4500: vehicle 1 kept ANGLE_MAX = 3000 instead of 4500 (out of range or read-only?)",
		"BATT_LOW_VOLT = 11, confirmed by vehicle 1 (was 10.5).",
		"WPNAV_SPEED = 800, confirmed by vehicle 1 (was 500).",
		"Vehicle 1 confirmed 2 of 3 parameters.",
	}, texts)
	require.Equal(t, []bool{false, true, false, false, true}, bad)
	require.Nil(t, v.diff)
}

func TestParamsViewLoadFileErrors(t *testing.T) {
	test.NewTempApp(t)
	for _, c := range []struct{ name, file, want string }{
		{"x.param", "WPNAV_SPEED,800\nBATT_LOW_VOLT\n", "x.param: line 2: 1 fields, want NAME,VALUE"},
		{"x.params", "1\t1\tWPNAV_SPEED\t800\n", "x.params: line 1: 4 fields, want 5 (vehicle id, component id, name, value, type)"},
		{"x.txt", "", "x.txt: unknown parameter file type, want .param (Mission Planner, MAVProxy), .parm (ArduPilot defaults) or .params (QGroundControl)"},
		{"same.param", "WPNAV_SPEED,500\nGPS_TYPE2,1\n", "same.param: nothing to write, vehicle 1 already holds its values (1 parameters of the file are not on the vehicle)."},
	} {
		t.Run(c.name, func(t *testing.T) {
			link := newFakeLink(copterParams()...)
			v, _ := newParamsViewInApp(t, link)
			v.LoadFile(c.name, strings.NewReader(c.file))
			text, _ := lastReport(t, v.report)
			require.Equal(t, c.want, text)
			require.Nil(t, v.diff)
			require.Empty(t, link.setsSoFar())
		})
	}
}

// A file saved from the page reads back as the vehicle's parameters.
func TestParamsViewSaveFile(t *testing.T) {
	v, _ := newTestParamsView(t, newFakeLink(copterParams()...))
	for _, name := range []string{"copter.param", "copter.params"} {
		var b bytes.Buffer
		require.NoError(t, v.SaveFile(name, &b))
		back, err := gcs.ReadParamFile(name, &b)
		require.NoError(t, err)
		require.Len(t, gcs.DiffParams(v.params, back), 0, name)
	}
}

// Reading a vehicle that does not answer says so, and leaves the page usable.
func TestParamsViewRefreshFails(t *testing.T) {
	link := newFakeLink(copterParams()...)
	v, _ := newTestParamsView(t, link)
	link.pullErr = errFakeLink
	test.Tap(v.refresh)
	v.jobs.Wait()
	text, bad := lastReport(t, v.report)
	require.Equal(t, "Reading vehicle 1's parameters failed: not in the fake link", text)
	require.True(t, bad)
	require.Len(t, v.params, 6, "the last good read stays")
	require.False(t, v.refresh.Disabled())
}

// Choosing another vehicle empties the table: it never shows one vehicle's parameters under
// another's name.
func TestParamsViewOtherVehicle(t *testing.T) {
	link := newFakeLink(copterParams()...)
	v, _ := newTestParamsView(t, link)
	v.st.Fleet.Update(2, func(veh *gcs.Vehicle) { veh.Connected = true })
	v.UpdateVehicles()
	require.Equal(t, []string{"Vehicle 1", "Vehicle 2"}, v.vehicle.Options)
	v.vehicle.SetSelected("Vehicle 2")
	require.Empty(t, v.Shown())
	require.True(t, v.save.Disabled())
	require.True(t, v.load.Disabled())
	text, _ := lastReport(t, v.report)
	require.Equal(t, "Press Refresh to read vehicle 2's parameters.", text)
	test.Tap(v.refresh)
	v.jobs.Wait()
	require.Equal(t, []uint8{1, 2}, link.pulled)
	require.Len(t, v.Shown(), 6)
	require.Equal(t, uint8(2), v.sysID)
	require.False(t, v.save.Disabled())
}

// A change confirmed while another transfer runs is not silently dropped.
func TestParamsViewBusy(t *testing.T) {
	link := newFakeLink(copterParams()...)
	v, _ := newTestParamsView(t, link)
	v.setBusy(true)
	require.True(t, v.vehicle.Disabled())
	v.Edit("WPNAV_SPEED", "800")
	v.jobs.Wait()
	text, bad := lastReport(t, v.report)
	require.Equal(t, "Nothing written: vehicle 1 is busy with another transfer; try again when it ends.", text)
	require.True(t, bad)
	require.Empty(t, link.setsSoFar())
}
