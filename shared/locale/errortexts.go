package locale

import (
	"strings"
	"sync"
)

// ErrorTexts puts the domain's messages in a reader's language. The domain
// packages say what is wrong with an input in British English; the English
// catalogue holds each such text under a key starting "error.", word for
// word, so a message is translated by finding its key. The pages and the
// API's problem documents both go through it, so a council sees the same
// Welsh for the same mistake in either.
type ErrorTexts struct {
	vars      map[string]any
	once      sync.Once
	byEnglish map[string]string
}

// NewErrorTexts indexes the catalogue's error texts, filled from vars (the
// limits the domain's messages quote, such as a name's maximum length), on
// first use: a function that never translates an error never pays for it.
func NewErrorTexts(vars map[string]any) *ErrorTexts { return &ErrorTexts{vars: vars} }

// In is msg, a domain message in English, in l, and whether the catalogue
// has it. A message it does not have comes back as written, in English.
func (e *ErrorTexts) In(l Lang, msg string) (string, bool) {
	c := Messages()
	e.once.Do(func() {
		e.byEnglish = map[string]string{}
		for _, k := range c.Keys() {
			if strings.HasPrefix(k, "error.") && !c.Plural(k) {
				e.byEnglish[c.T(English, k, e.vars)] = k
			}
		}
	})
	if k, ok := e.byEnglish[msg]; ok {
		return c.T(l, k, e.vars), true
	}
	if k, ok := e.byEnglish[strings.TrimSuffix(msg, ".")]; ok {
		return c.T(l, k, e.vars), true
	}
	return msg, false
}
