package partnership_test

import (
	"testing"

	"github.com/openrasp/rasp/shared/partnership"
)

func TestNameKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"Brent", "brent", true},
		{"Brent", "  Brent  ", true},
		{"Tower Hamlets", "tower   hamlets", true},
		{"Brent", "Bre\u200bnt", true},       // zero-width space
		{"Brent", "\u200fBrent\u202c", true}, // direction marks
		{"Brent", "Ｂｒｅｎｔ", true},             // full-width letters
		{"Brent", "Brent\u00a0", true},       // no-break space
		{"Brent", "Brent\ufeff", true},       // byte order mark
		{"Brent", "Barnet", false},
		{"Tower Hamlets", "TowerHamlets", false}, // a space between words counts
	} {
		if got := partnership.NameKey(tc.a) == partnership.NameKey(tc.b); got != tc.same {
			t.Errorf("NameKey(%q) == NameKey(%q): got %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
	if got, want := partnership.CleanName("  Bre\u200bnt   Council "), "Brent Council"; got != want {
		t.Errorf("CleanName: got %q, want %q", got, want)
	}
}
