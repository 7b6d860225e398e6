package locale

import "testing"

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
