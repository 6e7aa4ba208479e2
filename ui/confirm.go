package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// commandTimeout bounds how long one intent may wait for its vehicle (the link's own
// timeout answers first).
const commandTimeout = 30 * time.Second

// Commander sends the operator's intents: actuating ones behind a confirmation that names the
// vehicle and the action, each in its own goroutine so the window never waits, and shows the
// vehicle's answer as it came.
type Commander struct {
	st     *gcs.Station
	win    fyne.Window
	answer *widget.Label

	// OnAnswer, when set, is called on Fyne's goroutine with each intent and its answer.
	OnAnswer func(in gcs.Intent, answer string, ok bool)

	// async runs the wait for the vehicle away from Fyne's goroutine (tests run it inline,
	// as Fyne's test driver runs everything on the test's goroutine).
	async func(func())
	// ctx ends with Close, which waits for the commands under way.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewCommander returns a commander that shows answers in its Answer label.
func NewCommander(st *gcs.Station, win fyne.Window) *Commander {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	c := &Commander{st: st, win: win, answer: l}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.async = func(f func()) {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			f()
		}()
	}
	return c
}

// Close abandons the commands waiting for an answer (they stay in the record as sent, not
// answered) and waits for their goroutines.
func (c *Commander) Close() {
	c.cancel()
	c.wg.Wait()
}

// Answer is the label that shows the last command and the vehicle's answer.
func (c *Commander) Answer() *widget.Label { return c.answer }

// Ask sends in: at once when it only points the camera, else after the operator confirms.
func (c *Commander) Ask(in gcs.Intent) {
	if !in.Actuating() {
		c.send(in.String(), []gcs.Intent{in})
		return
	}
	c.AskSteps(in.String(), []gcs.Intent{in})
}

// AskSteps confirms once and then sends the steps in order, stopping at the first the
// vehicle refuses: "take off" from the ground is switch to GUIDED, arm, take off, as
// QGroundControl does it. The question names every step; the button names the last.
func (c *Commander) AskSteps(question string, steps []gcs.Intent) {
	last := steps[len(steps)-1]
	d := dialog.NewConfirm("Confirm: vehicle "+fmt.Sprint(last.SysID), question+"?", func(ok bool) {
		if ok {
			c.send(question, steps)
		}
	}, c.win)
	d.SetConfirmText(confirmVerb(last))
	d.SetDismissText("Cancel")
	d.Show()
}

// confirmVerb is the confirm button's text: the action and the vehicle again, so that the
// button pressed says what it does.
func confirmVerb(in gcs.Intent) string {
	v := fmt.Sprint(in.SysID)
	switch in.Kind {
	case gcs.IntentArm:
		return "Arm " + v
	case gcs.IntentDisarm:
		return "Disarm " + v
	case gcs.IntentTakeoff:
		return "Take off " + v
	case gcs.IntentLand:
		return "Land " + v
	case gcs.IntentRTL:
		return "RTL " + v
	case gcs.IntentMode:
		return in.Mode + " " + v
	case gcs.IntentGoto:
		return "Fly " + v + " there"
	case gcs.IntentOrbit:
		return "Orbit " + v
	case gcs.IntentSetHome:
		return "Move home of " + v
	case gcs.IntentStartMission:
		return "Start mission " + v
	case gcs.IntentWinch:
		return "Send to winch " + v
	}
	return "Send to " + v
}

// stepName names one step of a sequence in its answer.
func stepName(in gcs.Intent) string {
	switch in.Kind {
	case gcs.IntentMode:
		return "mode " + in.Mode
	case gcs.IntentArm:
		return "arm"
	case gcs.IntentTakeoff:
		return "take-off"
	}
	return in.String()
}

// send sends the steps in order away from Fyne's goroutine, stopping at the first refusal,
// and shows the answers under the question: one step's answer as it came, several by step.
func (c *Commander) send(question string, steps []gcs.Intent) {
	c.show(question+": sending…", widget.MediumImportance)
	c.async(func() {
		var answers []string
		ok := true
		for _, in := range steps {
			ctx, cancel := context.WithTimeout(c.ctx, commandTimeout)
			reply, err := c.st.Do(ctx, in)
			cancel()
			text := gcs.AnswerText(reply, err)
			if len(steps) > 1 {
				text = stepName(in) + " " + text
			}
			answers = append(answers, text)
			stepOK := err == nil
			ok = stepOK
			fyne.Do(func() {
				if c.OnAnswer != nil {
					c.OnAnswer(in, text, stepOK)
				}
			})
			if !stepOK {
				break
			}
		}
		fyne.Do(func() {
			imp := widget.SuccessImportance
			if !ok {
				imp = widget.DangerImportance
			}
			c.show(question+": "+strings.Join(answers, ", "), imp)
		})
	})
}

func (c *Commander) show(text string, imp widget.Importance) {
	c.answer.Importance = imp
	c.answer.SetText(text)
}
