package web

import (
	"strings"
	"sync"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
)

// The domain packages say what is wrong with an input in British English
// (the JSON API's problem details carry those texts). The pages show them in
// the reader's language: the English catalogue holds each such text under a
// key starting "error.", word for word, so a message is translated by
// finding its key. A message not in the catalogue is shown as the domain
// wrote it, in English; TestWelshStartFormErrors finds those on the start
// form.

// errorLimits fill the placeholders of the error texts, so the English
// catalogue text is the domain's message exactly.
var errorLimits = map[string]any{"Max": assessment.MaxName, "MaxReason": assessment.MaxReason}

var (
	byEnglishOnce sync.Once
	byEnglish     map[string]string
)

// localMessage is msg, a domain message in English, in req's language.
func localMessage(req *httpapi.Request, msg string) string {
	l := lang(req)
	if l == locale.English {
		return msg
	}
	c := locale.Messages()
	byEnglishOnce.Do(func() {
		byEnglish = map[string]string{}
		for _, k := range c.Keys() {
			if strings.HasPrefix(k, "error.") && !c.Plural(k) {
				byEnglish[c.T(locale.English, k, errorLimits)] = k
			}
		}
	})
	if k, ok := byEnglish[strings.TrimSuffix(msg, ".")]; ok {
		return c.T(l, k, errorLimits)
	}
	if k, ok := byEnglish[msg]; ok {
		return c.T(l, k, errorLimits)
	}
	return msg
}

// localise puts every message of e in req's language.
func (e *formErrors) localise(req *httpapi.Request) {
	for i := range e.list {
		m := localMessage(req, e.list[i].Message)
		e.list[i].Message = m
		e.byID[e.list[i].ID] = m
	}
}
