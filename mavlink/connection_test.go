package mavlink

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var casesConnection = []struct {
	name string
	in   string
	want Connection
	err  string
}{
	{"udp listen", "udp://:14550", Connection{Scheme: SchemeUDP, Address: ":14550"}, ""},
	{"udp listen any", "udp://0.0.0.0:14550", Connection{Scheme: SchemeUDP, Address: "0.0.0.0:14550"}, ""},
	{"udp out", "udpout://10.0.0.2:14550", Connection{Scheme: SchemeUDPOut, Address: "10.0.0.2:14550"}, ""},
	{"tcp", "tcp://127.0.0.1:5760", Connection{Scheme: SchemeTCP, Address: "127.0.0.1:5760"}, ""},
	{"tcp v6", "tcp://[::1]:5760", Connection{Scheme: SchemeTCP, Address: "[::1]:5760"}, ""},
	{"tcp in", "tcpin://:5760", Connection{Scheme: SchemeTCPIn, Address: ":5760"}, ""},
	{"upper scheme", "TCP://host:1", Connection{Scheme: SchemeTCP, Address: "host:1"}, ""},
	{"serial", "serial:///dev/ttyUSB0:57600", Connection{Scheme: SchemeSerial, Device: "/dev/ttyUSB0", Baud: 57600}, ""},
	{"no scheme", "127.0.0.1:5760", Connection{}, "want scheme://address"},
	{"bad scheme", "http://x:1", Connection{}, "unknown scheme"},
	{"tcp without host", "tcp://:5760", Connection{}, "needs a host"},
	{"bad port", "udp://:99999", Connection{}, "between 0 and 65535"},
	{"no port", "udp://localhost", Connection{}, "want host:port"},
	{"serial no baud", "serial:///dev/ttyUSB0", Connection{}, "want serial://DEVICE:BAUD"},
	{"serial bad baud", "serial:///dev/ttyUSB0:fast", Connection{}, "baud rate"},
	{"unknown option", "udp://:14550?foo=1", Connection{}, "unknown option"},
}

func TestParseConnection(t *testing.T) {
	for _, ca := range casesConnection {
		t.Run(ca.name, func(t *testing.T) {
			got, err := ParseConnection(ca.in)
			if ca.err != "" {
				require.ErrorContains(t, err, ca.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, ca.want, got)
		})
	}
}

func TestParseConnectionKey(t *testing.T) {
	hexKey := strings.Repeat("ab", 32)
	c, err := ParseConnection("tcp://h:1?key=" + hexKey)
	require.NoError(t, err)
	require.NotNil(t, c.Key)
	require.Equal(t, byte(0xab), c.Key[0])
	require.Equal(t, "tcp://h:1", c.String(), "the key never appears in the printed form")

	p1, _ := ParseConnection("tcp://h:1?key=secret")
	p2, _ := ParseConnection("udp://:2?key=secret")
	require.Equal(t, p1.Key, p2.Key, "a passphrase gives the same key on every link")
}

func FuzzParseConnection(f *testing.F) {
	for _, ca := range casesConnection {
		f.Add(ca.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseConnection(s)
		if err != nil {
			return
		}
		again, err := ParseConnection(c.String())
		require.NoError(t, err, "the printed form of %q must parse", s)
		c.Key = nil
		require.Equal(t, c, again)
	})
}
