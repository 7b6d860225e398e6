package web_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// The one check of a Welsh page, which the seat, colleague, action, board
// and browser tests all make: no text of the English catalogue and none of
// the current bank's English anywhere a reader reads it.

var (
	// unread is what a reader of a Welsh page does not read as its text:
	// the link to the English page (marked lang="en-GB"), scripts and styles.
	unread = regexp.MustCompile(`(?s)<a [^>]*lang="en-GB"[^>]*>.*?</a>|<script.*?</script>|<style.*?</style>`)
	tags   = regexp.MustCompile(`(?s)<[^>]*>`)
	// missingKey is how the catalogue shows a key it does not have: "[key]".
	missingKey = regexp.MustCompile(`\[[a-z]+\.[A-Za-z.]+\]`)
)

// welshPageText is what a reader of a Welsh page reads: its title and
// text without the tags, the link to the English page left out, in single
// spaces.
func welshPageText(body string) string {
	body = tags.ReplaceAllString(unread.ReplaceAllString(body, " "), " ")
	return strings.Join(strings.Fields(html.UnescapeString(body)), " ")
}

// englishOn lists the English texts on a Welsh page's text: the English
// catalogue's fragments (see englishFragments) and every English text of
// the current bank (bankTexts), each as a whole word or phrase.
func englishOn(text string, fragments []string) []string {
	var out []string
	for _, f := range fragments {
		if containsPhrase(text, f) {
			out = append(out, f)
		}
	}
	for _, s := range bankTexts() {
		if s = strings.Join(strings.Fields(s), " "); containsPhrase(text, s) {
			out = append(out, s)
		}
	}
	return out
}

// welshPage fails when a page is not in Welsh: not the status wanted, not
// lang="cy", a key missing from the catalogues, a text of want not in its
// text, or English on it (englishOn).
func welshPage(t *testing.T, name string, r reply, status int, fragments []string, want ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d\n%.1500s", name, r.status, status, r.body)
		return
	}
	if !strings.Contains(r.body, `<html lang="cy"`) {
		t.Errorf("%s: not lang=cy", name)
	}
	text := welshPageText(r.body)
	if k := missingKey.FindString(text); k != "" {
		t.Errorf("%s: a key is missing from the catalogues: %s", name, k)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: no %q in\n%s", name, w, text)
		}
	}
	for _, f := range englishOn(text, fragments) {
		t.Errorf("%s: English %q on the Welsh page", name, f)
	}
}
