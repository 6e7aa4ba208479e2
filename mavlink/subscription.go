package mavlink

import "github.com/bluenviron/gomavlib/v3/pkg/message"

// subscriptionDepth is how many messages a running exchange may fall behind before the
// newest are dropped. Exchanges retry on timeouts, so a drop costs time, never correctness.
const subscriptionDepth = 256

// subscription hands one exchange every message its vehicle sends.
type subscription struct {
	sysID uint8
	ch    chan inbound
}

// inbound is a message with the component that sent it: a vehicle's camera or gimbal speaks
// under the same system id as its autopilot.
type inbound struct {
	comp uint8
	msg  message.Message
}

func (c *Client) subscribe(sysID uint8) *subscription {
	s := &subscription{sysID: sysID, ch: make(chan inbound, subscriptionDepth)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.subs[sysID] == nil {
		c.subs[sysID] = make(map[*subscription]struct{})
	}
	c.subs[sysID][s] = struct{}{}
	return s
}

func (c *Client) unsubscribe(s *subscription) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.subs[s.sysID], s)
}

// publish passes a message to the vehicle's exchanges without ever blocking the link.
func (c *Client) publish(sysID, comp uint8, msg message.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for s := range c.subs[sysID] {
		select {
		case s.ch <- inbound{comp, msg}:
		default:
		}
	}
}
