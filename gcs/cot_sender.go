package gcs

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"time"
)

// CoTDefaultURL is where Cursor on Target events go when the operator turns them on
// without saying where: the situational-awareness multicast group TAK clients listen on.
const CoTDefaultURL = "udp://239.2.3.1:6969"

// CoTSender sends Cursor on Target events to TAK clients: one event per UDP datagram (to a
// multicast group, the usual case, or to one address), or as a stream over TCP to a TAK
// server. Nothing is sent unless the station makes a CoTSender: the operator chooses what
// leaves the station.
//
// Multicast datagrams go out with the system's default TTL of 1, so they stay on the local
// network. Over TCP a lost connection is dialled again at the next Send. It is safe for
// concurrent use.
type CoTSender struct {
	// URL is udp://HOST:PORT or tcp://HOST:PORT. It defaults to CoTDefaultURL.
	URL string
	// DialTimeout bounds connecting to a TAK server. It defaults to 5 seconds.
	DialTimeout time.Duration

	network, addr string

	mu   sync.Mutex
	conn net.Conn
}

// Initialize checks the URL and, for UDP, opens the socket; a TCP server is dialled at the
// first Send, so that a TAK server that is down does not stop the station.
func (s *CoTSender) Initialize() error {
	if s.URL == "" {
		s.URL = CoTDefaultURL
	}
	if s.DialTimeout <= 0 {
		s.DialTimeout = 5 * time.Second
	}
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "udp" && u.Scheme != "tcp") || u.Host == "" || u.Port() == "" {
		return fmt.Errorf("cursor on target destination %q: write udp://HOST:PORT (e.g. %s) or tcp://HOST:PORT for a TAK server", s.URL, CoTDefaultURL)
	}
	s.network, s.addr = u.Scheme, u.Host
	if s.network == "udp" {
		return s.dial()
	}
	return nil
}

func (s *CoTSender) dial() error {
	d := net.Dialer{Timeout: s.DialTimeout}
	conn, err := d.DialContext(context.Background(), s.network, s.addr)
	if err != nil {
		return fmt.Errorf("cursor on target to %s: %w", s.URL, err)
	}
	s.conn = conn
	return nil
}

// Send sends events, each in its own datagram over UDP.
func (s *CoTSender) Send(events ...CoTEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.network == "" {
		return errors.New("cursor on target sender not initialized")
	}
	if s.conn == nil {
		if err := s.dial(); err != nil {
			return err
		}
	}
	for _, ev := range events {
		b, err := ev.Marshal()
		if err != nil {
			return err
		}
		if s.network == "tcp" {
			b = append(b, '\n')
			s.conn.SetWriteDeadline(time.Now().Add(s.DialTimeout)) //nolint:errcheck
		}
		if _, err := s.conn.Write(b); err != nil {
			if s.network == "tcp" {
				s.conn.Close()
				s.conn = nil // dialled again at the next Send
			}
			return fmt.Errorf("cursor on target to %s: %w", s.URL, err)
		}
	}
	return nil
}

// Close closes the socket.
func (s *CoTSender) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close()
	s.conn = nil
	return err
}
