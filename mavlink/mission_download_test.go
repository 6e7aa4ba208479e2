package mavlink

import (
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"
	"github.com/vigil-gcs/vigil/gcs"
)

func TestMissionDownload(t *testing.T) {
	cases := []struct {
		name   string
		mtype  gcs.MissionType
		items  []gcs.MissionItem
		legacy bool
	}{
		{"empty", gcs.MissionTypeMission, testMission(0), false},
		{"one", gcs.MissionTypeMission, testMission(1), false},
		{"500 items", gcs.MissionTypeMission, testMission(500), false},
		{"rally", gcs.MissionTypeRally, testMission(4), false},
		{"legacy MISSION_REQUEST", gcs.MissionTypeFence, testMission(20), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := newAPVehicle()
			v.setList(c.mtype, c.items)
			v.setList((c.mtype+1)%3, testMission(7)) // another list, not to be mixed in
			var last [2]int
			d := newMissionDownload(testVehicle, testGCS, c.mtype, func(n, total int) { last = [2]int{n, total} })
			d.legacy = c.legacy
			require.NoError(t, newSimNet(t, cleanNet, 1, v).run(d, time.Minute))
			want := c.items
			if c.legacy {
				want = nil
				for i, it := range c.items {
					want = append(want, fromMissionItemFloat(missionItemFloat(it, uint16(i), testGCS, c.mtype)))
				}
			}
			require.Equal(t, want, d.result())
			require.Equal(t, [2]int{len(c.items), len(c.items)}, last)
		})
	}
}

func TestMissionDownloadLossy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		runs  int
		items int
	}{
		{"small lists", 200, 40},
		{"empty lists", 200, 0},
		{"500 items", 4, 500},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items := testMission(c.items)
			ok := 0
			for run := range c.runs {
				v := newAPVehicle()
				v.chatter = run%2 == 1
				v.setList(gcs.MissionTypeMission, items)
				v.setList(gcs.MissionTypeFence, testMission(9))
				d := newMissionDownload(testVehicle, testGCS, gcs.MissionTypeMission, nil)
				err := newSimNet(t, lossyNet, uint64(run), v).run(d, time.Hour)
				if err != nil {
					requireClearError(t, err)
					t.Logf("run %d: %v", run, err)
					continue
				}
				ok++
				require.Equal(t, items, d.result(), "run %d: success with a wrong list", run)
			}
			t.Logf("%d of %d downloads succeeded at 20%% loss", ok, c.runs)
			require.GreaterOrEqual(t, ok, c.runs*9/10)
		})
	}
}

func TestMissionDownloadIgnores(t *testing.T) {
	now := time.Now()
	d := newMissionDownload(testVehicle, testGCS, gcs.MissionTypeFence, nil)
	require.Equal(t, &common.MessageMissionRequestList{TargetSystem: 1, TargetComponent: 1, MissionType: 1}, d.start(now)[0])

	item := func(seq uint16, mt common.MAV_MISSION_TYPE, ts uint8) *common.MessageMissionItemInt {
		m := missionItemInt(testMission(3)[seq], seq, target{sys: ts, comp: 190}, gcs.MissionType(mt))
		return m
	}
	require.Empty(t, d.handle(now, item(0, 1, 255)), "an item before the count")
	require.Empty(t, d.handle(now, &common.MessageMissionCount{TargetSystem: 255, TargetComponent: 190, Count: 9, MissionType: 0}), "the mission's count")
	require.Empty(t, d.handle(now, &common.MessageMissionCount{TargetSystem: 254, TargetComponent: 190, Count: 9, MissionType: 1}), "another GCS's count")

	out := d.handle(now, &common.MessageMissionCount{TargetSystem: 255, TargetComponent: 190, Count: 2, MissionType: 1})
	require.Equal(t, &common.MessageMissionRequestInt{TargetSystem: 1, TargetComponent: 1, Seq: 0, MissionType: 1}, out[0])
	require.Empty(t, d.handle(now, &common.MessageMissionCount{TargetSystem: 255, TargetComponent: 190, Count: 5, MissionType: 1}), "a second count")

	require.Empty(t, d.handle(now, item(1, 1, 255)), "an item out of order")
	require.Empty(t, d.handle(now, item(0, 0, 255)), "the mission's item 0")
	require.Empty(t, d.handle(now, item(0, 1, 254)), "another GCS's item")
	require.Empty(t, d.handle(now, &common.MessageMissionAck{TargetSystem: 255, TargetComponent: 190, Type: 4, MissionType: 0}), "the mission's ACK")

	out = d.handle(now, item(0, 1, 255))
	require.Equal(t, uint16(1), out[0].(*common.MessageMissionRequestInt).Seq)
	require.Empty(t, d.handle(now, item(0, 1, 255)), "a duplicate")
	out = d.handle(now, item(1, 1, 0)) // broadcast target ids are ours too
	require.Equal(t, &common.MessageMissionAck{TargetSystem: 1, TargetComponent: 1, Type: 0, MissionType: 1}, out[0])
	done, err := d.finished()
	require.True(t, done)
	require.NoError(t, err)
	require.Equal(t, testMission(2), d.result())
}

func TestMissionDownloadDenied(t *testing.T) {
	v := newAPVehicle()
	v.up.active = true // another GCS is uploading
	v.up.lastReq, v.up.lastRecv = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v.up.mtype = 1
	err := newSimNet(t, cleanNet, 1, v).run(newMissionDownload(testVehicle, testGCS, gcs.MissionTypeFence, nil), time.Minute)
	require.EqualError(t, err, "vehicle 1 refused the fence download: DENIED (the vehicle is busy with another transfer, perhaps from another GCS)")
}
