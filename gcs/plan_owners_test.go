package gcs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Each mission item is owned by the plan item it came from: home by 0, a survey's many
// waypoints by the survey.
func TestMissionItemsOwned(t *testing.T) {
	s := manualSurvey(polyNE([2]float64{0, 0}, [2]float64{0, 100}, [2]float64{100, 100}, [2]float64{100, 0}), 20)
	p := &Plan{Home: surveyOrigin, Items: []PlanItem{
		SimpleItem{MissionItem{Frame: FrameGlobalRelativeAlt, Command: CmdNavTakeoff, Z: 30}},
		s,
		SimpleItem{MissionItem{Frame: FrameMission, Command: CmdNavReturnToLaunch}},
	}}
	items, owners, err := p.MissionItemsOwned(ExpandOptions{})
	require.NoError(t, err)
	require.Len(t, owners, len(items))
	require.Greater(t, len(items), 6)
	require.Equal(t, []int{0, 1}, owners[:2])
	for _, o := range owners[2 : len(owners)-1] {
		require.Equal(t, 2, o)
	}
	require.Equal(t, 3, owners[len(owners)-1])
	require.Equal(t, CmdNavReturnToLaunch, items[len(items)-1].Command)
}
