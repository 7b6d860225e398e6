package names

import "testing"

func TestClean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
		refused        bool
	}{
		{"plain", "Brent", "Brent", false},
		{"trimmed", "  Brent Council \t", "Brent Council", false},
		{"decomposed é made NFC", "Caerffili Ce\u0301", "Caerffili C\u00e9", false},
		{"Welsh ŵ", "Casnewydd Ŵ", "Casnewydd Ŵ", false},
		{"apostrophe and hyphen", "King's Lynn and West Norfolk-Borough", "King's Lynn and West Norfolk-Borough", false},
		{"new line", "Brent\nCouncil", "", true},
		{"tab inside", "Brent\tCouncil", "", true},
		{"NUL", "Brent\x00", "", true},
		{"right-to-left override", "Brent\u202Elicnuoc", "", true},
		{"isolate", "\u2067Brent", "", true},
		{"zero-width space", "Bre\u200Bnt", "", true},
		{"zero-width joiner", "Bre\u200Dnt", "", true},
		{"byte order mark", "\uFEFFBrent", "", true},
		{"invalid UTF-8", "Bre\xffnt", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, reason := Clean(tc.in)
			if (reason != "") != tc.refused {
				t.Fatalf("Clean(%q): got reason %q, want refused=%v", tc.in, reason, tc.refused)
			}
			if !tc.refused && got != tc.want {
				t.Errorf("Clean(%q): got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
