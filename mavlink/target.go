package mavlink

// target names one MAVLink component by system and component id: a vehicle's autopilot, or
// the GCS itself (the protocol state machines hold both, to address what they send and to
// drop what is addressed to someone else).
type target struct{ sys, comp uint8 }

// addressedTo reports whether a message's target_system and target_component fields name t.
// Zero is MAVLink's broadcast id and matches anyone.
func (t target) addressedTo(sys, comp uint8) bool {
	return (sys == 0 || sys == t.sys) && (comp == 0 || comp == t.comp)
}
