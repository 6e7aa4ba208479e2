package vision

import (
	"errors"
	"net/url"
)

// udpSession receives RTP over plain UDP.
func (s *Stream) udpSession(u *url.URL) (bool, error) {
	return false, errors.New("RTP over plain UDP is not supported yet")
}
