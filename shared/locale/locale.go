// Package locale names the languages RASP speaks and picks one for a reader.
// The pages, the JSON API and the mails all ask here, so a reader who sends
// "Accept-Language: cy" or chose Cymraeg on a page gets Welsh everywhere, and
// adding a language later is one line in Supported.
package locale

import (
	"slices"

	"golang.org/x/text/language"
)

// Lang is a language RASP has text for, as its BCP 47 primary subtag. The
// zero value is not a language; Parse and Negotiate never return it.
type Lang string

const (
	// English is the default: v1 of the question bank exists only in English.
	English Lang = "en"
	// Welsh is required of the 22 Welsh councils by the Welsh Language
	// Standards (No. 1) Regulations 2015.
	Welsh Lang = "cy"
)

// Supported lists the languages in the order they are offered, English first
// because it is the fallback when nothing matches.
var Supported = []Lang{English, Welsh}

// CookieName is the cookie that remembers a reader's choice on the pages.
const CookieName = "rasp_lang"

var matcher = language.NewMatcher([]language.Tag{language.BritishEnglish, language.MustParse("cy")})

// Parse returns the language s names ("cy", "cy-GB", "en", "en-GB", any case)
// and whether RASP speaks it. It is for values the reader chose (a cookie, a
// form field, ?lang=), where an unknown value must not silently mean English.
func Parse(s string) (Lang, bool) {
	tag, err := language.Parse(s)
	if err != nil {
		return "", false
	}
	base, _ := tag.Base()
	for _, l := range Supported {
		if base.String() == string(l) {
			return l, true
		}
	}
	return "", false
}

// Negotiate picks the language for an Accept-Language header (RFC 9110
// §12.5.4), with English when the header is absent, malformed or names no
// language RASP speaks.
func Negotiate(acceptLanguage string) Lang {
	if acceptLanguage == "" {
		return English
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return English
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return English
	}
	return Supported[i]
}

// Tag is the value for <html lang>, hreflang and Content-Language.
func (l Lang) Tag() string {
	if l == Welsh {
		return "cy"
	}
	return "en-GB"
}

// Valid reports whether l is one of Supported.
func (l Lang) Valid() bool { return slices.Contains(Supported, l) }

// Stored is the language of an item as a store read it: the value it was
// written with, or English for an item written before languages were kept
// (or one whose value RASP no longer speaks).
func Stored(s string) Lang {
	if l := Lang(s); l.Valid() {
		return l
	}
	return English
}
