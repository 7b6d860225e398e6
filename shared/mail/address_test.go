package mail

import (
	"strings"
	"testing"
)

func TestValidAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"name@council.gov.uk", true},
		{"first.last+rasp@brent.gov.uk", true},
		{"", false},
		{"name", false},
		{"name@localhost", false},
		{"name@council.", false},
		{"name@.council", false},
		{"Jo Bloggs <jo@council.gov.uk>", false},
		{"jo@council.gov.uk (Jo)", false},
		{" jo@council.gov.uk", false},
		{"a@b.uk, c@d.uk", false},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".uk", true},  // 254
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 187) + ".uk", false}, // 255
	} {
		if got := ValidAddress(tc.in); got != tc.want {
			t.Errorf("ValidAddress(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
