package reminders

import (
	"net/url"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/secret"
)

// Mail is what a reminder may say: the wording package renders it into the
// subject and the text and HTML bodies. Nothing in it is secret except the
// links, which go only to their owner.
type Mail struct {
	Kind Kind
	// Lang is the language the mail is written in: the assessment's for a
	// mail about an assessment, the partnership's for one it sends.
	Lang          locale.Lang
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
	// Action, DueOn and ActionURL are a joint action's title, due date and
	// page (action reminders, actions.go).
	Action, DueOn, ActionURL string
	// Lead is the council's lead who invited a colleague; Waiting the
	// questions routed to the colleague not answered yet, of Routed
	// (colleague reminders, colleagues.go).
	Lead            string
	Waiting, Routed int
	// DeadlineOn is a round's deadline, the last day to submit; Started
	// says the seat's assessment for it has started (deadline reminders,
	// deadline.go).
	DeadlineOn string
	Started    bool
}

// Wording renders a reminder for one recipient. shared/reminders/wording
// implements it from reviewable templates; it is an interface so that the
// storage, which shares this package's types, never links html/template.
type Wording interface {
	Compose(to string, m Mail) (mail.Message, error)
}

// govukDate formats a date the GOV.UK way in l (locale.Date: the UTC date).
func govukDate(l locale.Lang, t time.Time) string { return locale.Date(l, t) }

// tr is the text of key in l, from the catalogues.
func tr(l locale.Lang, key string) string { return locale.Messages().T(l, key, nil) }

// link returns BaseURL + path with a token query parameter.
func (j *Job) link(path, token string) string {
	return j.opts.BaseURL + path + "?" + url.Values{"token": {token}}.Encode()
}

// ResumePath and StopPath are the pages the mails link to.
func ResumePath(assessmentID string) string {
	return routes.Path("webResume", routes.P{"id": assessmentID})
}

// StopPath is the stop-reminders page of a subject.
func StopPath(s Subject, id string) string {
	if s == ColleagueSubject {
		aid, cid, _ := strings.Cut(id, "/")
		return routes.Path("stopColleagueReminders", routes.P{"id": aid, "respondent": cid})
	}
	if s == PartnershipSubject {
		return routes.Path("stopPartnershipReminders", routes.P{"id": id})
	}
	if s == SeatSubject {
		pid, sid, _ := strings.Cut(id, "/")
		return routes.Path("stopSeatReminders", routes.P{"id": pid, "seat": sid})
	}
	return routes.Path("stopAssessmentReminders", routes.P{"id": id})
}

// draftMail builds a draft reminder and its claim. The mail carries a fresh
// resume token — only hashes are stored, so the first token cannot be sent
// again — whose hash the claim stores as the assessment's mailed token.
func (r *run) draftMail(d *Draft, kind Kind, seen string, sentAfter int, next, expiry time.Time) (mail.Message, Claim, error) {
	resume, stop := secret.NewToken(), secret.NewToken()
	m, err := r.wording.Compose(d.Email, Mail{
		Kind: kind, Lang: d.Lang, Council: d.Council, LastChanged: govukDate(d.Lang, d.LastTouched), DeleteOn: govukDate(d.Lang, expiry),
		ResumeURL: r.link(ResumePath(d.ID), resume), StopURL: r.link(StopPath(AssessmentSubject, d.ID), stop),
		StartURL: r.opts.BaseURL + routes.Path("webStart", nil),
		Why:      tr(d.Lang, "mail.why.assessment"),
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
	m, err := r.wording.Compose(p.ContactEmail, Mail{
		Kind: HealthCheck, Lang: p.Lang, Partnership: p.Name, Round: cur.Number, CadenceMonths: cadence, DoneOn: govukDate(p.Lang, done),
		StartURL: r.opts.BaseURL + routes.Path("webStart", nil), StopURL: r.link(StopPath(PartnershipSubject, p.ID), stop),
		Why: tr(p.Lang, "mail.why.contact"),
	})
	return m, Claim{Kind: HealthCheck, ID: p.ID, Seen: seen, StopHash: secret.Hash(stop)}, err
}

// nudgeMail reminds a member of an open round to submit.
func (r *run) nudgeMail(p *partnership.Partnership, cur *partnership.Round, d *Draft) (mail.Message, Claim, error) {
	resume, stop := secret.NewToken(), secret.NewToken()
	m, err := r.wording.Compose(d.Email, Mail{
		Kind: RoundNudge, Lang: d.Lang, Council: d.Council, Partnership: p.Name, Round: cur.Number, OpenedOn: govukDate(d.Lang, cur.OpenedAt),
		ResumeURL: r.link(ResumePath(d.ID), resume), StopURL: r.link(StopPath(AssessmentSubject, d.ID), stop),
		StartURL: r.opts.BaseURL + routes.Path("webStart", nil),
		Why:      tr(d.Lang, "mail.why.assessment"),
	})
	c := Claim{Kind: RoundNudge, ID: d.ID, At: r.now, TokenHash: secret.Hash(resume), PrevTokenHash: d.MailedTokenHash, StopHash: secret.Hash(stop)}
	return m, c, err
}
