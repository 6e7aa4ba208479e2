package mavlink

// sourceFilter is implemented by exchanges that must only see one component's messages.
// exchange.handle is not told who sent a message, and PARAM_VALUE and MISSION_CURRENT carry
// no target fields to check, so the driver must drop other components' messages before
// handle: a camera (component 100) answers PARAM_REQUEST_LIST with its own parameters.
type sourceFilter interface {
	fromPeer(sys, comp uint8) bool
}

// peers is who a protocol state machine talks with: the vehicle's component and the GCS.
type peers struct {
	vehicle target
	self    target
}

// fromPeer reports whether a message sent by (sys, comp) comes from the machine's vehicle.
func (p peers) fromPeer(sys, comp uint8) bool {
	return sys == p.vehicle.sys && comp == p.vehicle.comp
}

// forUs reports whether a message's target fields address this GCS.
func (p peers) forUs(targetSys, targetComp uint8) bool {
	return p.self.addressedTo(targetSys, targetComp)
}

// outcome is the end of an exchange: once set it never changes, so a late or duplicated
// message cannot turn a failure into a success or the reverse.
type outcome struct {
	done bool
	err  error
}

func (o *outcome) finish(err error) {
	if !o.done {
		o.done, o.err = true, err
	}
}

func (o *outcome) finished() (bool, error) { return o.done, o.err }
