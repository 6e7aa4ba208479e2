package vision

import (
	"net/url"
	"strings"
)

// Redact returns a stream URL fit for logs and the screen: the password, if any, becomes
// "***" (rtsp://user:***@host/path). A URL that does not parse is cut at its '@' so a
// password in it cannot leak either.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		scheme, rest, ok := strings.Cut(raw, "://")
		if at := strings.LastIndex(rest, "@"); ok && at >= 0 {
			return scheme + "://***@" + rest[at+1:]
		}
		return raw
	}
	if u.User == nil {
		return raw
	}
	if _, hasPass := u.User.Password(); hasPass {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
}
