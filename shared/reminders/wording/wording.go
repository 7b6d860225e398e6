// Package wording renders the reminder mails from reviewable text:
// templates/mail.txt holds each kind's subject and plain-text body,
// templates/mail.html its HTML body and the layout around it. It is apart
// from package reminders so that only the functions that send mail link
// html/template (the storage shares reminders' types).
package wording

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/reminders"
)

//go:embed templates/mail.txt templates/mail.html
var templateFiles embed.FS

// Templates renders every kind of reminder.
type Templates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

var _ reminders.Wording = (*Templates)(nil)

// Must parses the embedded templates; they are part of the binary, so a
// parse error is a bug found by the first test.
func Must() *Templates {
	return &Templates{
		text: texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/mail.txt")),
		html: htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/mail.html")),
	}
}

// data is what the templates see: the mail, its rendered subject, and (for
// the layout) the rendered HTML body.
type data struct {
	reminders.Mail
	Subject string
	Body    htmltemplate.HTML
}

// Compose fills the templates of m.Kind into a message to to.
func (t *Templates) Compose(to string, m reminders.Mail) (mail.Message, error) {
	var subject, text, body, page bytes.Buffer
	d := data{Mail: m}
	k := string(m.Kind)
	if err := t.text.ExecuteTemplate(&subject, k+".subject", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s subject: %w", k, err)
	}
	d.Subject = strings.TrimSpace(subject.String())
	if err := t.text.ExecuteTemplate(&text, k+".text", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s text: %w", k, err)
	}
	if err := t.html.ExecuteTemplate(&body, k+".html", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s html: %w", k, err)
	}
	d.Body = htmltemplate.HTML(body.String()) // produced by html/template: already escaped
	if err := t.html.ExecuteTemplate(&page, "layout", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s layout: %w", k, err)
	}
	return mail.Message{To: to, Subject: d.Subject, Text: strings.TrimLeft(text.String(), "\n"), HTML: page.String(), Unsubscribe: m.StopURL}, nil
}
