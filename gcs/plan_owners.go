package gcs

// MissionItemsOwned is MissionItems that also says which plan item (from 1; 0 for home)
// each mission item came from, so that an editor can show a Problem (whose Seq is a
// mission item) on the plan item that made it.
func (p *Plan) MissionItemsOwned(opt ExpandOptions) (items []MissionItem, owners []int, err error) {
	return p.missionItemsOwned(opt)
}
