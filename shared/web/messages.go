package web

import (
	"strings"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
)

// The domain packages say what is wrong with an input in British English.
// The pages show those texts in the reader's language (locale.ErrorTexts).
// A message not in the catalogue is shown as the domain wrote it, in
// English; TestWelshStartFormErrors finds those on the start form.

// localMessage is msg, a domain message in English, in req's language: the
// same lookup as the API's problem documents (httpapi.ErrorText).
func localMessage(req *httpapi.Request, msg string) string {
	return httpapi.ErrorText(lang(req), msg)
}

// localise puts every message of e in req's language: the same lookup as
// the API's problem documents (httpapi.FieldText), a message that quotes
// values said from its failure.Text.
func (e *formErrors) localise(req *httpapi.Request) {
	for i := range e.list {
		m := httpapi.FieldText(lang(req), failure.FieldError{Message: e.list[i].Message, Text: e.list[i].text})
		e.list[i].Message = m
		e.byID[e.list[i].ID] = m
	}
}

// localConflict is the message of a conflict (or another refusal) in req's
// language, without its full stop, for a form's error.
func localConflict(req *httpapi.Request, err error) string {
	if fe, ok := failure.As(err); ok {
		return strings.TrimSuffix(httpapi.DetailText(lang(req), fe), ".")
	}
	return tr(req, "error.conflict.generic")
}
