package mavlink

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/bluenviron/gomavlib/v3"
	"github.com/bluenviron/gomavlib/v3/pkg/frame"
)

// Scheme is the kind of link a connection string names.
type Scheme string

// Connection schemes. The names follow MAVProxy and QGroundControl habits.
const (
	SchemeUDP    Scheme = "udp"    // listen on a UDP port and answer whoever sends (a GCS's usual 14550)
	SchemeUDPOut Scheme = "udpout" // send to a UDP host:port
	SchemeTCP    Scheme = "tcp"    // connect to a TCP server, reconnecting with backoff
	SchemeTCPIn  Scheme = "tcpin"  // accept TCP connections
	SchemeSerial Scheme = "serial" // a serial device at a baud rate
)

// Connection is a parsed connection string, for example "udp://:14550",
// "tcp://192.168.1.10:5760?key=secret" or "serial:///dev/ttyUSB0:57600".
type Connection struct {
	Scheme  Scheme
	Address string // host:port for network schemes
	Device  string // serial device path
	Baud    int    // serial baud rate
	// Key signs outgoing frames and rejects unsigned or badly signed incoming ones when set
	// (MAVLink 2 signing). Given as ?key=64 hex digits, or a passphrase hashed with SHA-256
	// the way MAVProxy's "signing setup" does.
	Key *frame.V2Key
}

// String gives the connection string back, without the signing key.
func (c Connection) String() string {
	if c.Scheme == SchemeSerial {
		return fmt.Sprintf("serial://%s:%d", c.Device, c.Baud)
	}
	return string(c.Scheme) + "://" + c.Address
}

// ParseConnection reads a connection string. Errors say what was wrong and show the right form.
func ParseConnection(s string) (Connection, error) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(s), "://")
	if !ok {
		return Connection{}, fmt.Errorf("connection %q: want scheme://address, e.g. udp://:14550, tcp://host:5760, serial:///dev/ttyUSB0:57600", s)
	}
	rest, query, _ := strings.Cut(rest, "?")
	c := Connection{Scheme: Scheme(strings.ToLower(scheme))}

	if query != "" {
		values, err := url.ParseQuery(query)
		if err != nil {
			return Connection{}, fmt.Errorf("connection %q: bad options: %w", s, err)
		}
		for name := range values {
			if name != "key" {
				return Connection{}, fmt.Errorf("connection %q: unknown option %q (known: key)", s, name)
			}
		}
		if k := values.Get("key"); k != "" {
			c.Key = SigningKey(k)
		}
	}

	switch c.Scheme {
	case SchemeUDP, SchemeUDPOut, SchemeTCP, SchemeTCPIn:
		host, port, err := net.SplitHostPort(rest)
		if err != nil {
			return Connection{}, fmt.Errorf("connection %q: want host:port after %s://: %w", s, scheme, err)
		}
		if err := checkPort(port); err != nil {
			return Connection{}, fmt.Errorf("connection %q: %w", s, err)
		}
		needsHost := c.Scheme == SchemeUDPOut || c.Scheme == SchemeTCP
		if needsHost && host == "" {
			return Connection{}, fmt.Errorf("connection %q: %s needs a host to reach, e.g. %s://127.0.0.1:%s", s, scheme, scheme, port)
		}
		c.Address = net.JoinHostPort(host, port)
	case SchemeSerial:
		i := strings.LastIndex(rest, ":")
		if i <= 0 {
			return Connection{}, fmt.Errorf("connection %q: want serial://DEVICE:BAUD, e.g. serial:///dev/ttyUSB0:57600", s)
		}
		baud, err := strconv.Atoi(rest[i+1:])
		if err != nil || baud < 50 || baud > 12_000_000 {
			return Connection{}, fmt.Errorf("connection %q: baud rate %q is not a number between 50 and 12000000", s, rest[i+1:])
		}
		c.Device, c.Baud = rest[:i], baud
	default:
		return Connection{}, fmt.Errorf("connection %q: unknown scheme %q (known: udp, udpout, tcp, tcpin, serial)", s, scheme)
	}
	return c, nil
}

func checkPort(port string) error {
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number between 0 and 65535", port)
	}
	return nil
}

// SigningKey turns a ?key= value into the 32-byte secret: 64 hex digits are the key itself,
// anything else is a passphrase (SHA-256, as MAVProxy and Mission Planner derive it).
func SigningKey(s string) *frame.V2Key {
	var k frame.V2Key
	if b, err := hex.DecodeString(s); err == nil && len(b) == len(k) {
		copy(k[:], b)
		return &k
	}
	k = sha256.Sum256([]byte(s))
	return &k
}

// Endpoint is the gomavlib endpoint for this connection, for a peer that is not a Client
// (the simulator, tlog replay).
func (c Connection) Endpoint() gomavlib.EndpointConf {
	return c.endpoint(&byteCounter{})
}
