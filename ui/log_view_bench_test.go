package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigil-gcs/vigil/gcs"
)

// BenchmarkLogMerge is one tick of the log with 10 vehicles each holding a full snapshot of
// 50 messages and the station's 500 commands, of which one message is new: the cost the log
// pays twice a second.
func BenchmarkLogMerge(b *testing.B) {
	vs := make([]gcs.Vehicle, 10)
	for i := range vs {
		vs[i].SysID = uint8(i + 1)
		for j := range 50 {
			vs[i].StatusTexts = append(vs[i].StatusTexts, text(float64(j*10+i), gcs.SeverityInfo, fmt.Sprintf("message %d", j)))
		}
	}
	cmds := make([]gcs.CommandLogEntry, 500)
	for i := range cmds {
		cmds[i] = gcs.CommandLogEntry{Time: at(float64(i)), SysID: 1, Intent: "Arm vehicle 1", Done: true, OK: true, Answer: "accepted"}
	}
	m := newLogMerge()
	m.add(vs, cmds)
	next := at(1000)
	b.ResetTimer()
	for range b.N {
		next = next.Add(time.Second)
		v := &vs[0]
		v.StatusTexts = append(v.StatusTexts[1:], gcs.StatusText{Time: next, Severity: gcs.SeverityInfo, Text: "new"})
		m.add(vs, cmds)
	}
}
