package reminders

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
)

// The wording of every mail is reviewable text in templates/: mail.txt
// holds each kind's subject and plain-text body, mail.html its HTML body
// and the layout around it.
//
//go:embed templates/mail.txt templates/mail.html
var templateFiles embed.FS

type messages struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

func mustMessages() *messages {
	return &messages{
		text: texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/mail.txt")),
		html: htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/mail.html")),
	}
}

// mailData is what the templates may show. Nothing in it is secret except
// the links, which go only to their owner.
type mailData struct {
	Kind          Kind
	Subject       string
	Council       string
	Partnership   string
	Round         int
	CadenceMonths int
	LastChanged   string // dates as GOV.UK writes them: 1 December 2026
	DeleteOn      string
	OpenedOn      string
	DoneOn        string
	ResumeURL     string
	StartURL      string
	StopURL       string
	// Why says why the reader gets reminders, above the stop link.
	Why string
	// Body is the rendered HTML body, for the layout.
	Body htmltemplate.HTML
}

// govukDate formats a date the GOV.UK way. It is the UTC date, at most an
// hour off UK time; the Lambda runtime has no time zone database to do better.
func govukDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

// render fills the templates of d.Kind into a message to to.
func (ms *messages) render(to string, d mailData) (mail.Message, error) {
	var subject, text, body, page bytes.Buffer
	k := string(d.Kind)
	if err := ms.text.ExecuteTemplate(&subject, k+".subject", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s subject: %w", k, err)
	}
	d.Subject = strings.TrimSpace(subject.String())
	if err := ms.text.ExecuteTemplate(&text, k+".text", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s text: %w", k, err)
	}
	if err := ms.html.ExecuteTemplate(&body, k+".html", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s html: %w", k, err)
	}
	d.Body = htmltemplate.HTML(body.String()) // produced by html/template: already escaped
	if err := ms.html.ExecuteTemplate(&page, "layout", d); err != nil {
		return mail.Message{}, fmt.Errorf("render %s layout: %w", k, err)
	}
	return mail.Message{To: to, Subject: d.Subject, Text: strings.TrimLeft(text.String(), "\n"), HTML: page.String(), Unsubscribe: d.StopURL}, nil
}

// link returns BaseURL + path with a token query parameter.
func (j *Job) link(path, token string) string {
	return j.opts.BaseURL + path + "?" + url.Values{"token": {token}}.Encode()
}

// ResumePath and StopPath are the pages the mails link to.
func ResumePath(assessmentID string) string {
	return "/assessments/" + url.PathEscape(assessmentID) + "/resume"
}

// StopPath is the stop-reminders page of a subject.
func StopPath(s Subject, id string) string {
	if s == PartnershipSubject {
		return "/partnerships/" + url.PathEscape(id) + "/stop-reminders"
	}
	return "/assessments/" + url.PathEscape(id) + "/stop-reminders"
}

// draftMail builds a draft reminder and its claim. The mail carries a fresh
// resume token — only hashes are stored, so the first token cannot be sent
// again — whose hash the claim stores as the assessment's mailed token.
func (r *run) draftMail(d *Draft, kind Kind, seen string, sentAfter int, next, expiry time.Time) (mail.Message, Claim, error) {
	resume, stop := secret.NewToken(), secret.NewToken()
	m, err := r.msgs.render(d.Email, mailData{
		Kind: kind, Council: d.Council, LastChanged: govukDate(d.LastTouched), DeleteOn: govukDate(expiry),
		ResumeURL: r.link(ResumePath(d.ID), resume), StopURL: r.link(StopPath(AssessmentSubject, d.ID), stop),
		StartURL: r.opts.BaseURL + "/",
		Why:      "You are getting this email because you gave your email address when you started this assessment.",
	})
	c := Claim{Kind: kind, ID: d.ID, Seen: seen, Next: next, Sent: sentAfter, PrevSent: d.Sent,
		TokenHash: secret.Hash(resume), PrevTokenHash: d.MailedTokenHash, StopHash: secret.Hash(stop)}
	return m, c, err
}

// healthCheckMail asks a partnership's contact to open a health-check
// round. It carries no admin link: only the admin token's hash is kept.
func (r *run) healthCheckMail(p *partnership.Partnership, cur *partnership.Round, done time.Time, seen string) (mail.Message, Claim, error) {
	stop := secret.NewToken()
	cadence := p.CadenceMonths
	if cadence <= 0 {
		cadence = DefaultCadenceMonths
	}
	m, err := r.msgs.render(p.ContactEmail, mailData{
		Kind: HealthCheck, Partnership: p.Name, Round: cur.Number, CadenceMonths: cadence, DoneOn: govukDate(done),
		StartURL: r.opts.BaseURL + "/", StopURL: r.link(StopPath(PartnershipSubject, p.ID), stop),
		Why: "You are getting this email because you are the contact for this partnership.",
	})
	return m, Claim{Kind: HealthCheck, ID: p.ID, Seen: seen, StopHash: secret.Hash(stop)}, err
}

// nudgeMail reminds a member of an open round to submit.
func (r *run) nudgeMail(p *partnership.Partnership, cur *partnership.Round, d *Draft) (mail.Message, Claim, error) {
	resume, stop := secret.NewToken(), secret.NewToken()
	m, err := r.msgs.render(d.Email, mailData{
		Kind: RoundNudge, Council: d.Council, Partnership: p.Name, Round: cur.Number, OpenedOn: govukDate(cur.OpenedAt),
		ResumeURL: r.link(ResumePath(d.ID), resume), StopURL: r.link(StopPath(AssessmentSubject, d.ID), stop),
		StartURL: r.opts.BaseURL + "/",
		Why:      "You are getting this email because you gave your email address when you started this assessment.",
	})
	c := Claim{Kind: RoundNudge, ID: d.ID, At: r.now, TokenHash: secret.Hash(resume), PrevTokenHash: d.MailedTokenHash, StopHash: secret.Hash(stop)}
	return m, c, err
}
