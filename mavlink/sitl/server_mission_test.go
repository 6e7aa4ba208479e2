package sitl

import (
	"testing"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/dialects/common"
	"github.com/stretchr/testify/require"

	"github.com/vigil-gcs/vigil/gcs"
)

// testItems builds n items of a mission type whose values survive the wire exactly
// (latitudes and longitudes on the degE7 grid, parameters representable in float32).
func testItems(typ gcs.MissionType, n int) []gcs.MissionItem {
	items := make([]gcs.MissionItem, n)
	for i := range items {
		it := gcs.MissionItem{
			Frame: gcs.FrameGlobalRelativeAlt, Autocontinue: true,
			X: float64(473977419+i*1000) / 1e7, Y: float64(85455939-i*700) / 1e7, Z: float64(30 + i),
		}
		switch typ {
		case gcs.MissionTypeMission:
			it.Command = gcs.CmdNavWaypoint
			it.Param2 = 2.5
			if i == 0 {
				it.Frame, it.Z = gcs.FrameGlobal, 488 // home
			}
			if i%5 == 4 { // a non-position item: x, y are plain integers
				it = gcs.MissionItem{Frame: gcs.FrameMission, Command: gcs.CmdDoChangeSpeed, Autocontinue: true,
					Param1: 1, Param2: 7.5, Param3: -1, X: 3, Y: -2}
			}
		case gcs.MissionTypeFence:
			it.Command, it.Param1, it.Z = gcs.CmdNavFencePolygonVertexIncl, float64(n), 0
		case gcs.MissionTypeRally:
			it.Command = gcs.CmdNavRallyPoint
		}
		items[i] = it
	}
	return items
}

// uploadMission plays the GCS side of a mission upload, sending each item as asked (as
// MISSION_ITEM_INT, or legacy MISSION_ITEM) until the final MISSION_ACK.
func uploadMission(t *testing.T, p *testPeer, typ gcs.MissionType, items []gcs.MissionItem, legacy bool) common.MAV_MISSION_RESULT {
	t.Helper()
	to := peer{sysID: 1, compID: 1}
	p.send(&common.MessageMissionCount{TargetSystem: 1, TargetComponent: 1, Count: uint16(len(items)), MissionType: common.MAV_MISSION_TYPE(typ)})
	for {
		fr := p.waitFor(2*time.Second, "mission request or ack", func(fr *gomavlib.EventFrame) bool {
			switch m := fr.Message().(type) {
			case *common.MessageMissionRequestInt:
				return m.MissionType == common.MAV_MISSION_TYPE(typ)
			case *common.MessageMissionAck:
				return m.MissionType == common.MAV_MISSION_TYPE(typ)
			}
			return false
		})
		switch m := fr.Message().(type) {
		case *common.MessageMissionAck:
			require.Equal(t, uint8(peerSysID), m.TargetSystem)
			return m.Type
		case *common.MessageMissionRequestInt:
			require.Equal(t, uint8(peerSysID), m.TargetSystem)
			if legacy {
				p.send(missionItemToFloat(to, typ, int(m.Seq), items[m.Seq]))
			} else {
				p.send(missionItemToInt(to, typ, int(m.Seq), items[m.Seq]))
			}
		}
	}
}

// downloadMission plays the GCS side of a mission download.
func downloadMission(t *testing.T, p *testPeer, typ gcs.MissionType, legacy bool) []gcs.MissionItem {
	t.Helper()
	mt := common.MAV_MISSION_TYPE(typ)
	p.send(&common.MessageMissionRequestList{TargetSystem: 1, TargetComponent: 1, MissionType: mt})
	count := waitMsg(p, 1, time.Second, func(m *common.MessageMissionCount) bool { return m.MissionType == mt })
	var items []gcs.MissionItem
	for seq := range int(count.Count) {
		if legacy {
			p.send(&common.MessageMissionRequest{TargetSystem: 1, TargetComponent: 1, Seq: uint16(seq), MissionType: mt})
			m := waitMsg(p, 1, time.Second, func(m *common.MessageMissionItem) bool { return m.MissionType == mt })
			require.Equal(t, uint16(seq), m.Seq)
			items = append(items, missionItemFromFloat(m))
		} else {
			p.send(&common.MessageMissionRequestInt{TargetSystem: 1, TargetComponent: 1, Seq: uint16(seq), MissionType: mt})
			m := waitMsg(p, 1, time.Second, func(m *common.MessageMissionItemInt) bool { return m.MissionType == mt })
			require.Equal(t, uint16(seq), m.Seq)
			items = append(items, missionItemFromInt(m))
		}
	}
	p.send(&common.MessageMissionAck{TargetSystem: 1, TargetComponent: 1, Type: common.MAV_MISSION_ACCEPTED, MissionType: mt})
	return items
}

func TestMissionRoundTrip(t *testing.T) {
	t.Parallel()
	fv, p := startFakeSim(t, 0, nil)
	for _, typ := range []gcs.MissionType{gcs.MissionTypeMission, gcs.MissionTypeFence, gcs.MissionTypeRally} {
		t.Run(typ.String(), func(t *testing.T) {
			items := testItems(typ, 20)
			require.Equal(t, common.MAV_MISSION_ACCEPTED, uploadMission(t, p, typ, items, false))
			require.Equal(t, items, fv.Mission(typ))
			require.Equal(t, items, downloadMission(t, p, typ, false))
		})
	}
	// The three lists are independent.
	require.Len(t, fv.Mission(gcs.MissionTypeMission), 20)
	require.Equal(t, gcs.CmdNavRallyPoint, fv.Mission(gcs.MissionTypeRally)[0].Command)
}

func TestMissionLegacyItems(t *testing.T) {
	t.Parallel()
	fv, p := startFakeSim(t, 0, nil)
	// Float items lose precision on the wire; use values float32 holds exactly.
	items := []gcs.MissionItem{
		{Frame: gcs.FrameGlobal, Command: gcs.CmdNavWaypoint, X: 47.5, Y: 8.25, Z: 488},
		{Frame: gcs.FrameGlobalRelativeAlt, Command: gcs.CmdNavTakeoff, X: 47.5, Y: 8.25, Z: 20, Autocontinue: true},
	}
	require.Equal(t, common.MAV_MISSION_ACCEPTED, uploadMission(t, p, gcs.MissionTypeMission, items, true))
	require.Equal(t, items, fv.Mission(gcs.MissionTypeMission))
	require.Equal(t, items, downloadMission(t, p, gcs.MissionTypeMission, true))
}

func TestMissionUploadRecovery(t *testing.T) {
	t.Parallel()
	fv, p := startFakeSim(t, 0, nil)
	items := testItems(gcs.MissionTypeMission, 3)
	to := peer{sysID: 1, compID: 1}
	isReq := func(m *common.MessageMissionRequestInt) bool { return true }

	p.send(&common.MessageMissionCount{TargetSystem: 1, TargetComponent: 1, Count: 3})
	require.Equal(t, uint16(0), waitMsg(p, 1, time.Second, isReq).Seq)

	// Silence: the request is repeated after about a second, like ArduPilot's.
	start := time.Now()
	require.Equal(t, uint16(0), waitMsg(p, 1, 2*time.Second, isReq).Seq)
	// The re-request waits for the 1 s timeout; a loaded machine may make it later, never earlier.
	waited := time.Since(start).Seconds()
	require.GreaterOrEqual(t, waited, 0.7)
	require.Less(t, waited, 3.0)

	// A duplicate or out-of-order item is ignored and the expected one asked for again.
	p.send(missionItemToInt(to, 0, 0, items[0]))
	require.Equal(t, uint16(1), waitMsg(p, 1, time.Second, isReq).Seq)
	p.send(missionItemToInt(to, 0, 0, items[0]))
	require.Equal(t, uint16(1), waitMsg(p, 1, time.Second, isReq).Seq)
	p.send(missionItemToInt(to, 0, 2, items[2]))
	require.Equal(t, uint16(1), waitMsg(p, 1, time.Second, isReq).Seq)
	p.send(missionItemToInt(to, 0, 1, items[1]))
	require.Equal(t, uint16(2), waitMsg(p, 1, time.Second, isReq).Seq)
	p.send(missionItemToInt(to, 0, 2, items[2]))
	ack := waitMsg[*common.MessageMissionAck](p, 1, time.Second, nil)
	require.Equal(t, common.MAV_MISSION_ACCEPTED, ack.Type)
	require.Equal(t, items, fv.Mission(gcs.MissionTypeMission))

	// The GCS lost that ACK and repeats the last item: the ACK comes again.
	p.send(missionItemToInt(to, 0, 2, items[2]))
	ack = waitMsg[*common.MessageMissionAck](p, 1, time.Second, nil)
	require.Equal(t, common.MAV_MISSION_ACCEPTED, ack.Type)
}

func TestMissionRequestsAndClear(t *testing.T) {
	t.Parallel()
	fv, p := startFakeSim(t, 0, nil)
	items := testItems(gcs.MissionTypeMission, 4)
	require.Equal(t, common.MAV_MISSION_ACCEPTED, uploadMission(t, p, gcs.MissionTypeMission, items, false))

	p.send(&common.MessageMissionRequestInt{TargetSystem: 1, TargetComponent: 1, Seq: 4})
	ack := waitMsg[*common.MessageMissionAck](p, 1, time.Second, nil)
	require.Equal(t, common.MAV_MISSION_INVALID_SEQUENCE, ack.Type)

	p.send(&common.MessageMissionSetCurrent{TargetSystem: 1, TargetComponent: 1, Seq: 2})
	cur := waitMsg[*common.MessageMissionCurrent](p, 1, time.Second, nil)
	require.Equal(t, uint16(2), cur.Seq)
	require.Empty(t, p.collect(100*time.Millisecond, isMsg[*common.MessageMissionItemReached](1)),
		"a jump set by the GCS reaches nothing")

	fence := testItems(gcs.MissionTypeFence, 4)
	require.Equal(t, common.MAV_MISSION_ACCEPTED, uploadMission(t, p, gcs.MissionTypeFence, fence, false))
	p.send(&common.MessageMissionClearAll{TargetSystem: 1, TargetComponent: 1, MissionType: common.MAV_MISSION_TYPE_FENCE})
	ack = waitMsg[*common.MessageMissionAck](p, 1, time.Second, nil)
	require.Equal(t, common.MAV_MISSION_ACCEPTED, ack.Type)
	require.Equal(t, common.MAV_MISSION_TYPE_FENCE, ack.MissionType)
	require.Empty(t, fv.Mission(gcs.MissionTypeFence))
	require.Len(t, fv.Mission(gcs.MissionTypeMission), 4, "clearing the fence keeps the mission")

	// Another vehicle's messages are not ours.
	p.send(&common.MessageMissionClearAll{TargetSystem: 7, TargetComponent: 1})
	require.Empty(t, p.collect(200*time.Millisecond, isMsg[*common.MessageMissionAck](1)))
	require.Len(t, fv.Mission(gcs.MissionTypeMission), 4)
}
