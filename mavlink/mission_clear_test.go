package mavlink

import (
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestMissionClear(t *testing.T) {
	cases := []struct {
		name string
		conf netConf
		runs int
	}{
		{"clean", cleanNet, 1},
		{"lossy", lossyNet, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok := 0
			for run := range c.runs {
				v := newAPVehicle()
				v.chatter = true
				v.setList(gcs.MissionTypeFence, testMission(8))
				v.setList(gcs.MissionTypeMission, testMission(5))
				err := newSimNet(t, c.conf, uint64(run), v).run(newMissionClear(testVehicle, testGCS, gcs.MissionTypeFence), time.Hour)
				if err != nil {
					requireClearError(t, err)
					continue
				}
				ok++
				require.Empty(t, v.list(gcs.MissionTypeFence))
				require.Len(t, v.list(gcs.MissionTypeMission), 5, "the other list is untouched")
			}
			require.GreaterOrEqual(t, ok, c.runs*9/10)
		})
	}
}

func TestMissionClearAnswers(t *testing.T) {
	now := time.Now()
	c := newMissionClear(testVehicle, testGCS, gcs.MissionTypeRally)
	require.Equal(t, &common.MessageMissionClearAll{TargetSystem: 1, TargetComponent: 1, MissionType: 2}, c.start(now)[0])
	c.handle(now, &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 0, MissionType: 0})
	c.handle(now, &common.MessageMissionAck{TargetSystem: 3, TargetComponent: 190, Type: 0, MissionType: 2})
	done, _ := c.finished()
	require.False(t, done, "another list's or another GCS's ACK")
	c.handle(now, &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 3, MissionType: 2})
	_, err := c.finished()
	require.EqualError(t, err, "vehicle 1 refused the rally clear: UNSUPPORTED (the vehicle does not support this command or list type)")
	c.handle(now, &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 0, MissionType: 2})
	_, err = c.finished()
	require.Error(t, err, "an outcome never changes")

	v := newAPVehicle()
	net := newSimNet(t, netConf{loss: 1}, 1, v)
	err = net.run(newMissionClear(testVehicle, testGCS, gcs.MissionTypeMission), time.Minute)
	require.EqualError(t, err, "no answer from vehicle 1 to MISSION_CLEAR_ALL (mission) after 6 tries (9s)")
}

func TestMissionSetCurrent(t *testing.T) {
	cases := []struct {
		name string
		conf netConf
		runs int
		seq  uint16
		err  string
	}{
		{"clean", cleanNet, 1, 3, ""},
		{"lossy", lossyNet, 200, 4, ""},
		{"no such item", cleanNet, 1, 9, "no answer from vehicle 1 to MISSION_SET_CURRENT 9 after 3 tries (4.5s); does the mission have that item?"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok := 0
			for run := range c.runs {
				v := newAPVehicle()
				v.chatter = true // includes a camera's MISSION_CURRENT with other numbers
				v.setList(gcs.MissionTypeMission, testMission(6))
				err := newSimNet(t, c.conf, uint64(run), v).run(newMissionSetCurrent(testVehicle, testGCS, c.seq), time.Hour)
				if c.err != "" {
					require.EqualError(t, err, c.err)
					return
				}
				if err != nil {
					requireClearError(t, err)
					continue
				}
				ok++
				require.Equal(t, c.seq, v.current)
			}
			require.GreaterOrEqual(t, ok, c.runs*9/10)
		})
	}
}
