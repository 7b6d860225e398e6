// Package names holds the one rule for names people type (a council, a
// person, a partnership): trimmed, in Unicode normal form C, one line of
// visible text. The API and the pages reach it through the domain's
// validation, so both refuse the same names with the same message.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean trims s and puts it in NFC, so "é" typed as e + U+0301 and as U+00E9
// is one name. It returns the cleaned name and, when the name cannot be
// accepted, a reason in plain English ("" when it can).
func Clean(s string) (string, string) {
	if !utf8.ValidString(s) {
		return s, "must be text (it has bytes that are not UTF-8)"
	}
	s = norm.NFC.String(strings.TrimSpace(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			return s, "must be on one line"
		case unicode.IsControl(r):
			return s, "must not contain control characters"
		case bidiControl(r):
			// Right-to-left overrides and isolates can make a name display
			// as something else (CVE-2021-42574, "Trojan Source").
			return s, "must not contain characters that change the direction of text"
		case invisible(r):
			return s, "must not contain invisible characters such as zero-width spaces"
		}
	}
	return s, ""
}

// bidiControl reports the explicit directional formatting characters of
// Unicode's bidirectional algorithm (UAX #9): embeddings, overrides,
// isolates and the implicit marks.
func bidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// invisible reports zero-width and other format characters that render as
// nothing (category Cf, e.g. U+200B, U+200D, U+2060, U+FEFF) and the soft
// hyphen. Names in the Latin, Greek, Cyrillic and Welsh scripts councils
// use need none of them.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r)
}
