// Package wording renders the reminder mails from reviewable text:
// templates/mail.txt holds each kind's subject and plain-text body,
// templates/mail.html its HTML body and the layout around it, and their
// words come from the catalogues (keys mail.*) in the mail's language
// (reminders.Mail.Lang: the assessment's or the partnership's). It is apart
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

	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/reminders"
)

//go:embed templates/mail.txt templates/mail.html
var templateFiles embed.FS

// Templates renders every kind of reminder, in every language.
type Templates struct {
	langs map[locale.Lang]parsed
}

// parsed are the templates with t bound to one language.
type parsed struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// button is a link drawn as a GOV.UK button in the HTML bodies.
type button struct{ URL, Label string }

var _ reminders.Wording = (*Templates)(nil)

// Must parses the embedded templates; they are part of the binary, so a
// parse error is a bug found by the first test.
func Must() *Templates {
	c := locale.Messages()
	t := &Templates{langs: map[locale.Lang]parsed{}}
	for _, l := range locale.Supported {
		tr := func(key string, kv ...any) string { return c.T(l, key, locale.Pairs(kv...)) }
		mkButton := func(url, label string) button { return button{URL: url, Label: label} }
		t.langs[l] = parsed{
			text: texttemplate.Must(texttemplate.New("mail.txt").Funcs(texttemplate.FuncMap{"t": tr}).ParseFS(templateFiles, "templates/mail.txt")),
			html: htmltemplate.Must(htmltemplate.New("mail.html").Funcs(htmltemplate.FuncMap{"t": tr, "button": mkButton}).ParseFS(templateFiles, "templates/mail.html")),
		}
	}
	return t
}

// data is what the templates see: the mail, its rendered subject, and (for
// the layout) the rendered HTML body.
type data struct {
	reminders.Mail
	Subject string
	Body    htmltemplate.HTML
}

// Compose fills the templates of m.Kind in m.Lang (English when it has
// none) into a message to to.
func (t *Templates) Compose(to string, m reminders.Mail) (mail.Message, error) {
	if !m.Lang.Valid() {
		m.Lang = locale.English
	}
	tpl := t.langs[m.Lang]
	var subject, text, body, page bytes.Buffer
	d := data{Mail: m}
	k := string(m.Kind)
	if err := tpl.text.ExecuteTemplate(&subject, k+".subject", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s subject: %w", k, err)
	}
	d.Subject = strings.TrimSpace(subject.String())
	if err := tpl.text.ExecuteTemplate(&text, k+".text", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s text: %w", k, err)
	}
	if err := tpl.html.ExecuteTemplate(&body, k+".html", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s html: %w", k, err)
	}
	d.Body = htmltemplate.HTML(body.String()) // produced by html/template: already escaped
	if err := tpl.html.ExecuteTemplate(&page, "layout", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s layout: %w", k, err)
	}
	return mail.Message{To: to, Subject: d.Subject, Text: strings.TrimLeft(text.String(), "\n"), HTML: page.String(), Unsubscribe: m.StopURL, Lang: m.Lang}, nil
}
