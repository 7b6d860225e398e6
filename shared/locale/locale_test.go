package locale

import (
	"testing"
	"time"
)

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   Lang
	}{
		{"", English},
		{"cy", Welsh},
		{"cy-GB", Welsh},
		{"CY", Welsh},
		{"en-GB,en;q=0.9", English},
		{"en-GB;q=0.5, cy;q=0.9", Welsh},
		{"cy;q=0.2, en;q=0.8", English},
		{"fr-FR, de", English},
		{"*", English},
		{";;;garbage", English},
	} {
		if got := Negotiate(tc.header); got != tc.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   Lang
		wantOK bool
	}{
		{"cy", Welsh, true},
		{"cy-GB", Welsh, true},
		{"en", English, true},
		{"EN-gb", English, true},
		{"fr", "", false},
		{"", "", false},
		{"not a tag", "", false},
	} {
		got, ok := Parse(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestTag(t *testing.T) {
	if got := Welsh.Tag(); got != "cy" {
		t.Errorf("Welsh.Tag() = %q", got)
	}
	if got := English.Tag(); got != "en-GB" {
		t.Errorf("English.Tag() = %q", got)
	}
	if Lang("fr").Valid() || Lang("").Valid() || !Welsh.Valid() {
		t.Error("Valid is wrong")
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		l    Lang
		at   time.Time
		want string
	}{
		{English, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), "1 December 2026"},
		{Welsh, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), "1 Rhagfyr 2026"},
		{Welsh, time.Date(2027, 1, 14, 23, 30, 0, 0, time.UTC), "14 Ionawr 2027"},
		{Welsh, time.Date(2027, 7, 5, 0, 0, 0, 0, time.FixedZone("BST", 3600)), "4 Gorffennaf 2027"},
	} {
		if got := Date(c.l, c.at); got != c.want {
			t.Errorf("Date(%s, %v): got %q, want %q", c.l, c.at, got, c.want)
		}
	}
}

func TestLangDate(t *testing.T) {
	t.Parallel()
	d := time.Date(2027, time.February, 1, 15, 0, 0, 0, time.UTC)
	if got := English.Date(d); got != "1 February 2027" {
		t.Errorf("English: %q", got)
	}
	if got := Welsh.Date(d); got != "1 Chwefror 2027" {
		t.Errorf("Welsh: %q", got)
	}
}
