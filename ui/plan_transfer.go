package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/vigil-gcs/vigil/gcs"
)

// transfer runs work on its own goroutine with the transfer buttons disabled and the
// progress bar reset; finish runs on Fyne's goroutine with its error.
func (v *PlanView) transfer(what string, work func() error, finish func(error)) {
	if v.busy {
		return
	}
	if v.st == nil {
		v.setStatus(gcs.ErrNoLink.Error())
		return
	}
	v.busy = true
	v.updateButtons()
	v.progress.SetValue(0)
	v.setStatus(what + "…")
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		err := work()
		v.runOnUI(func() {
			v.busy = false
			v.updateButtons()
			finish(err)
		})
	}()
}

// progressFunc returns a progress callback for the link's goroutine that moves the bar.
func (v *PlanView) progressFunc(what string) func(done, total int) {
	return func(done, total int) {
		v.runOnUI(func() {
			if total > 0 {
				v.progress.SetValue(float64(done) / float64(total))
			}
			v.setStatus(fmt.Sprintf("%s: %d of %d items", what, done, total))
		})
	}
}

// Upload sends the plan (mission, fence, rally points) to the selected vehicle. Items that
// cannot be planned stop it before anything is sent; other problems are asked about.
func (v *PlanView) Upload() {
	ve := v.selectedVehicle()
	if ve.SysID == 0 || v.busy {
		return
	}
	a := v.analysis
	if a != nil && a.structRev == v.Editor.structRev {
		var bad []string
		n := len(a.planProblems)
		for i, e := range a.itemErr {
			if e != "" {
				bad = append(bad, fmt.Sprintf("item %d: %s", i+1, e))
			}
			n += len(a.itemProblems[i])
		}
		if len(bad) > 0 {
			dialog.ShowError(fmt.Errorf("the plan cannot be uploaded until these are fixed:\n%s", strings.Join(bad, "\n")), v.win)
			return
		}
		if n > 0 {
			dialog.ShowConfirm("Upload with problems?",
				fmt.Sprintf("The plan has %d problem(s), listed in red. Upload it to vehicle %d anyway?", n, ve.SysID),
				func(ok bool) {
					if ok {
						v.upload1(ve.SysID)
					}
				}, v.win)
			return
		}
	}
	v.upload1(ve.SysID)
}

func (v *PlanView) upload1(sysID uint8) {
	p, rev := clonePlan(v.Editor.plan), v.Editor.rev
	what := fmt.Sprintf("Uploading to vehicle %d", sysID)
	v.transfer(what, func() error {
		return v.st.UploadPlan(v.ctx, sysID, p, v.progressFunc(what))
	}, func(err error) {
		if err != nil {
			v.progress.SetValue(0)
			v.setStatus(fmt.Sprintf("Upload to vehicle %d failed: %v", sysID, err))
			return
		}
		v.uploadedRev = rev
		v.progress.SetValue(1)
		v.setStatus(fmt.Sprintf("Vehicle %d accepted the plan.", sysID))
	})
}

// Download replaces the plan shown with the selected vehicle's mission, fence and rally
// points, after asking when there is a plan to lose.
func (v *PlanView) Download() {
	ve := v.selectedVehicle()
	if ve.SysID == 0 || v.busy {
		return
	}
	run := func() {
		var got *gcs.Plan
		what := fmt.Sprintf("Reading vehicle %d's plan", ve.SysID)
		v.transfer(what, func() error {
			var err error
			got, err = v.st.DownloadPlan(v.ctx, ve.SysID, func(list gcs.MissionType, done, total int) {
				v.progressFunc(fmt.Sprintf("%s (%s)", what, list))(done, total)
			})
			return err
		}, func(err error) {
			if err != nil {
				v.progress.SetValue(0)
				v.setStatus(fmt.Sprintf("Download from vehicle %d failed: %v", ve.SysID, err))
				return
			}
			v.Editor.SetPlan(clonePlan(got)) // the station's copy is the vehicle's, not the editor's
			v.uploadedRev = v.Editor.rev
			v.fitView(planPoints(got))
			v.progress.SetValue(1)
			v.setStatus(fmt.Sprintf("Read vehicle %d's plan: %d items.", ve.SysID, len(got.Items)))
		})
	}
	if p := v.Editor.plan; len(p.Items) > 0 || !p.Fence.IsEmpty() || len(p.Rally) > 0 {
		dialog.ShowConfirm("Replace the plan?", fmt.Sprintf("Replace the plan shown with vehicle %d's?", ve.SysID), func(ok bool) {
			if ok {
				run()
			}
		}, v.win)
		return
	}
	run()
}

// StartMission asks, naming the vehicle, then starts its mission (AUTO) and shows its answer.
func (v *PlanView) StartMission() {
	ve := v.selectedVehicle()
	if ve.SysID == 0 || v.busy {
		return
	}
	in := gcs.Intent{SysID: ve.SysID, Kind: gcs.IntentStartMission}
	text := in.String() + "?"
	if v.uploadedRev != v.Editor.rev {
		text += "\n\nThe plan shown is not what the vehicle has: it flies the mission it holds."
	}
	if !ve.Armed {
		text += fmt.Sprintf("\n\nVehicle %d is not armed: arm it first, or it will not take off.", ve.SysID)
	}
	msg := widget.NewLabel(text)
	dialog.ShowCustomConfirm("Start mission", "Start mission", "Cancel", msg, func(ok bool) {
		if !ok {
			return
		}
		v.transfer(in.String(), func() error {
			_, err := v.st.Do(v.ctx, in)
			return err
		}, func(err error) {
			if err != nil {
				v.setStatus(fmt.Sprintf("%s: %v", in, err))
				return
			}
			v.setStatus(fmt.Sprintf("%s: accepted.", in))
		})
	}, v.win)
}
