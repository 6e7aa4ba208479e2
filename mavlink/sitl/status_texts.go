package sitl

import "github.com/vigil-gcs/vigil/gcs"

// statusTexts is a simulated vehicle's queue of STATUSTEXT messages, embedded in each model.
type statusTexts struct {
	texts []gcs.StatusText
}

// say queues a STATUSTEXT.
func (q *statusTexts) say(sev gcs.Severity, text string) {
	q.texts = append(q.texts, gcs.StatusText{Severity: sev, Text: text})
}

// TakeStatusTexts returns and clears the messages the vehicle wants to say. Their Time is
// zero: the Sim stamps them.
func (q *statusTexts) TakeStatusTexts() []gcs.StatusText {
	t := q.texts
	q.texts = nil
	return t
}
