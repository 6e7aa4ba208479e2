package mavlink

import (
	"time"

	"github.com/bluenviron/gomavlib/v3/pkg/message"
)

// exchange is one request/answer conversation with a vehicle (a command, a mission transfer,
// a parameter pull) written as a pure state machine: it is fed the time and the messages that
// vehicle sends, and answers with the messages to send. It never sleeps, reads the clock or
// touches a socket, so it can be tested step by step; Client.runExchange drives it.
type exchange interface {
	// start returns the first messages to send.
	start(now time.Time) []message.Message
	// handle is fed every message from the target system while the exchange runs
	// (including ones meant for others: ignore what does not match); it returns messages to send.
	handle(now time.Time, msg message.Message) []message.Message
	// deadline is when tick must next be called (a timeout or a retry).
	deadline() time.Time
	// tick is called once the deadline has passed; it returns messages to (re)send.
	tick(now time.Time) []message.Message
	// finished reports whether the exchange is over, and its outcome.
	finished() (bool, error)
}
