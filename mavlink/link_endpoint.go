package mavlink

import (
	"context"
	"io"
	"net"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/pion/transport/v2/udp"
	"go.bug.st/serial"
)

// byteCounter counts the bytes a link receives, for its bytes/s figure.
type byteCounter struct{ n atomic.Uint64 }

// countingConn counts what is read from a connection.
type countingConn struct {
	net.Conn
	counter *byteCounter
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.counter.n.Add(uint64(n))
	return n, err
}

type countingListener struct {
	net.Listener
	counter *byteCounter
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.counter}, nil
}

// maxReconnectBackoff keeps the wait under gomavlib's 10 s connect timeout.
const maxReconnectBackoff = 8 * time.Second

// endpoint builds the gomavlib endpoint for a connection, counting received bytes.
// TCP clients wait longer after each failed attempt (on top of gomavlib's own 2 s), so a
// vehicle that is switched off is not hammered with connection attempts.
func (c Connection) endpoint(counter *byteCounter) gomavlib.EndpointConf {
	switch c.Scheme {
	case SchemeUDP:
		return gomavlib.EndpointCustomServer{
			Label:      "udp",
			IsDatagram: true,
			Listen: func() (net.Listener, error) {
				addr, err := net.ResolveUDPAddr("udp4", c.Address)
				if err != nil {
					return nil, err
				}
				l, err := udp.Listen("udp4", addr)
				if err != nil {
					return nil, err
				}
				return countingListener{l, counter}, nil
			},
		}
	case SchemeTCPIn:
		return gomavlib.EndpointCustomServer{
			Label: "tcp",
			Listen: func() (net.Listener, error) {
				l, err := net.Listen("tcp4", c.Address)
				if err != nil {
					return nil, err
				}
				return countingListener{l, counter}, nil
			},
		}
	case SchemeUDPOut:
		return gomavlib.EndpointCustomClient{
			Label:      "udp:" + c.Address,
			IsDatagram: true,
			Connect: func(ctx context.Context) (net.Conn, error) {
				conn, err := (&net.Dialer{}).DialContext(ctx, "udp4", c.Address)
				if err != nil {
					return nil, err
				}
				return countingConn{conn, counter}, nil
			},
		}
	case SchemeTCP:
		failures := 0
		return gomavlib.EndpointCustomClient{
			Label: "tcp:" + c.Address,
			Connect: func(ctx context.Context) (net.Conn, error) {
				if failures > 0 {
					wait := min(time.Duration(1<<min(failures, 6))*250*time.Millisecond, maxReconnectBackoff)
					select {
					case <-time.After(wait):
					case <-ctx.Done():
						return nil, ctx.Err()
					}
				}
				conn, err := (&net.Dialer{}).DialContext(ctx, "tcp4", c.Address)
				if err != nil {
					failures++
					return nil, err
				}
				failures = 0
				return countingConn{conn, counter}, nil
			},
		}
	default: // SchemeSerial
		return gomavlib.EndpointCustomClient{
			Label: "serial:" + c.Device,
			Connect: func(context.Context) (net.Conn, error) {
				port, err := serial.Open(c.Device, &serial.Mode{BaudRate: c.Baud, DataBits: 8, StopBits: serial.OneStopBit})
				if err != nil {
					return nil, err
				}
				port.SetDTR(true) //nolint:errcheck // not every adapter has the lines
				port.SetRTS(true) //nolint:errcheck
				return countingConn{serialConn{port}, counter}, nil
			},
		}
	}
}

// serialConn lets a serial port stand where gomavlib wants a net.Conn; deadlines do not
// apply to a serial line, whose silence is judged by the heartbeat timeout instead.
type serialConn struct{ io.ReadWriteCloser }

func (serialConn) LocalAddr() net.Addr              { return serialAddr{} }
func (serialConn) RemoteAddr() net.Addr             { return serialAddr{} }
func (serialConn) SetDeadline(time.Time) error      { return nil }
func (serialConn) SetReadDeadline(time.Time) error  { return nil }
func (serialConn) SetWriteDeadline(time.Time) error { return nil }

type serialAddr struct{}

func (serialAddr) Network() string { return "serial" }
func (serialAddr) String() string  { return "serial" }
