package web

import (
	"mime"
	"net/url"
	"strings"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
)

// maxForm bounds a posted form: an area page with every note at 1,000
// characters of 4-byte text, percent-encoded, fits well within it.
const maxForm = 1 << 20

// parseForm reads an application/x-www-form-urlencoded body.
func parseForm(req *httpapi.Request) (url.Values, error) {
	mt, _, err := mime.ParseMediaType(req.Header("content-type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, failure.New(failure.UnsupportedMedia, "Send the form from the page it is on.")
	}
	body, err := req.Body()
	if err != nil {
		return nil, err
	}
	if len(body) > maxForm {
		return nil, failure.New(failure.TooLarge, "The form is too large to send.")
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, failure.New(failure.BadRequest, "The form could not be read. Go back and try again.")
	}
	return v, nil
}

// fieldError is one entry of the error summary: the id of the field it
// links to, and the message.
type fieldError struct {
	ID      string
	Message string
	// text is the domain's message with the values it quotes, for
	// localise to say in the reader's language.
	text *failure.Text
}

// formErrors collects field errors in the order of the form.
type formErrors struct {
	list []fieldError
	byID map[string]string
}

func (e *formErrors) add(id, msg string) { e.addText(id, msg, nil) }

func (e *formErrors) addText(id, msg string, text *failure.Text) {
	if e.byID == nil {
		e.byID = map[string]string{}
	}
	if _, dup := e.byID[id]; dup {
		return
	}
	e.byID[id] = msg
	e.list = append(e.list, fieldError{ID: id, Message: msg, text: text})
}

func (e *formErrors) empty() bool { return len(e.list) == 0 }

// fromFailure adds the field errors of an invalid failure, mapping each
// field name (a JSON path such as respondent.name) to the id of the form
// field through ids. A field not in ids links to fallback. It reports
// whether err was an invalid failure with fields; other errors are left to
// the caller.
func (e *formErrors) fromFailure(err error, ids map[string]string, fallback string) bool {
	fe, ok := failure.As(err)
	if !ok || fe.Code != failure.Invalid || len(fe.Fields) == 0 {
		return false
	}
	for _, f := range fe.Fields {
		id, ok := ids[f.Field]
		if !ok {
			id = fallback
		}
		e.addText(id, f.Message, f.Text)
	}
	return true
}

// formPage is a page re-rendered with its errors and the user's input.
func formPage(title string, e *formErrors, form url.Values, data any) *page {
	return &page{Title: title, Errors: e.list, Err: e.byID, Form: form, Data: data}
}

// slug turns a question id (vision.political-backing) into an HTML id part
// (vision-political-backing).
func slug(id string) string { return strings.ReplaceAll(id, ".", "-") }
