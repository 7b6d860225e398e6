package secret_test

import (
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/secret"
)

func TestTokens(t *testing.T) {
	a, b := secret.NewToken(), secret.NewToken()
	if len(a) != 43 || a == b {
		t.Fatalf("tokens: got %q and %q, want two different 43-character (256-bit) tokens", a, b)
	}
	if h := secret.Hash(a); len(h) != 32 || string(h) == string(secret.Hash(b)) {
		t.Errorf("hash: got %d bytes, want 32 and different per token", len(h))
	}
}

func TestIDs(t *testing.T) {
	id := secret.NewID()
	for _, c := range []struct {
		id   string
		want bool
	}{{id, true}, {strings.ToUpper(id), false}, {id[:25], false}, {id + "a", false}, {"../../etc/passwd", false}, {"", false}} {
		if got := secret.ValidID(c.id); got != c.want {
			t.Errorf("ValidID(%q): got %v, want %v", c.id, got, c.want)
		}
	}
}

func TestJoinCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := secret.NewJoinCode()
		if len(c) != 11 || c[3] != '-' || c[7] != '-' || strings.ContainsAny(c, "01ILO") {
			t.Fatalf("join code %q: want XXX-XXX-XXX without 0, 1, I, L or O", c)
		}
		if seen[c] {
			t.Fatalf("join code %q drawn twice in 200", c)
		}
		seen[c] = true
		if got := secret.NormaliseJoinCode(c); got != strings.ReplaceAll(c, "-", "") {
			t.Errorf("NormaliseJoinCode(%q) = %q", c, got)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"k7m q2p xwd", "K7MQ2PXWD"},
		{"K7M-Q2P-XWD", "K7MQ2PXWD"},
		{"K7M-Q2P-XW", ""},   // too short
		{"K7M-Q2P-XW0", ""},  // 0 is not in the alphabet
		{"K7M-Q2P-XWDD", ""}, // too long
		{"K7M_Q2P_XWD", ""},
	} {
		if got := secret.NormaliseJoinCode(c.in); got != c.want {
			t.Errorf("NormaliseJoinCode(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}
