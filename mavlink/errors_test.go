package mavlink

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestErrorSentences(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&NoAnswerError{SysID: 1, What: "MISSION_COUNT", Tries: 6, After: 9 * time.Second},
			"no answer from vehicle 1 to MISSION_COUNT after 6 tries (9s)"},
		{&NoAnswerError{SysID: 2, What: "PARAM_REQUEST_READ X", Tries: 3, After: 3012 * time.Millisecond, Hint: "check the name"},
			"no answer from vehicle 2 to PARAM_REQUEST_READ X after 3 tries (3s); check the name"},
		{&MissionRejectedError{SysID: 1, Type: gcs.MissionTypeMission, Op: "upload", Result: 4},
			"vehicle 1 refused the mission upload: NO_SPACE (the vehicle has no room for that many items)"},
		{&MissionRejectedError{SysID: 1, Type: gcs.MissionTypeFence, Op: "upload", Result: 11},
			"vehicle 1 refused the fence upload: INVALID_PARAM6_Y (an item's y or longitude is out of range)"},
		{&MissionRejectedError{SysID: 3, Type: gcs.MissionTypeRally, Op: "download", Result: 99},
			"vehicle 3 refused the rally download: result 99 (a result this version of Vigil does not know)"},
		{&PartialTransferError{SysID: 1, What: "the parameter list", Got: 998, Total: 1000},
			"the parameter list of vehicle 1 is incomplete: 998 of 1000 received, 2 still missing after all retries; nothing was kept"},
		{&ParamRejectedError{SysID: 1, Name: "FENCE_RADIUS", Wanted: 20000, Kept: 10000},
			"vehicle 1 kept FENCE_RADIUS = 10000 instead of 20000 (out of range or read-only?)"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			require.EqualError(t, c.err, c.want)
			wrapped := fmt.Errorf("upload plan: %w", c.err)
			require.ErrorAs(t, wrapped, new(error))
		})
	}
	require.True(t, errors.Is(fmt.Errorf("pull: %w", &PartialTransferError{}), ErrPartialTransfer))
	for r := range uint8(16) {
		require.NotContains(t, MissionResultName(r), "result", "every MAV_MISSION_RESULT has a name")
	}
}

func TestSourceFilter(t *testing.T) {
	machines := []exchange{
		newMissionUpload(testVehicle, testGCS, 0, nil, nil),
		newMissionDownload(testVehicle, testGCS, 0, nil),
		newMissionClear(testVehicle, testGCS, 0),
		newMissionSetCurrent(testVehicle, testGCS, 0),
		newParamList(testVehicle, testGCS, nil),
		newParamRead(testVehicle, testGCS, "X"),
		newParamSet(testVehicle, testGCS, "X", 1, gcs.ParamReal32),
	}
	for _, m := range machines {
		sf, ok := m.(sourceFilter)
		require.True(t, ok, "%T", m)
		require.True(t, sf.fromPeer(1, 1))
		require.False(t, sf.fromPeer(1, 100), "a camera on the same vehicle")
		require.False(t, sf.fromPeer(2, 1), "another vehicle")
	}
}
