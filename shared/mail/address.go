package mail

import (
	netmail "net/mail"
	"strings"
)

// MaxAddress is the longest address a mail server must accept: a forward
// path of 256 octets less the angle brackets (RFC 5321 §4.5.3.1.3).
const MaxAddress = 254

// ValidAddress reports whether s is one plain address RASP can send to, like
// name@council.gov.uk: a single RFC 5322 address with no display name or
// comments, within MaxAddress, whose domain has a dot (an address at a bare
// host such as "name@localhost" cannot be a council's). Every form that
// takes an address (a lead's, a colleague's, a seat's, an administrator's,
// a partnership's contact) checks it here, so they accept the same ones.
func ValidAddress(s string) bool {
	if s == "" || len(s) > MaxAddress {
		return false
	}
	addr, err := netmail.ParseAddress(s)
	if err != nil || addr.Address != s {
		return false
	}
	at := strings.LastIndex(s, "@")
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
