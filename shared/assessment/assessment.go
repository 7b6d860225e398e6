// Package assessment is the core journey of a council: start an assessment,
// save answers (from any number of tabs), submit, and score. It knows the
// question bank and the rules; storage is behind the Store interface.
package assessment

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/names"
	"github.com/openrasp/rasp/shared/viewer"
)

// Purposes of an assessment, from RASP's three modes of use.
const (
	Readiness   = "readiness"
	HealthCheck = "health-check"
	NewPartner  = "new-partner"
)

// Statuses.
const (
	Draft     = "draft"
	Submitted = "submitted"
)

// Limits on free text.
const (
	MaxNote     = 1000
	MaxName     = 200
	MaxEmail    = mail.MaxAddress
	DraftExpiry = 180 * 24 * time.Hour
)

// Respondent is the person completing the assessment.
type Respondent struct {
	Name, Role, Email string
}

// Answer is one answer: a score 0..4, or nil for "don't know".
type Answer struct {
	Score *int
	Note  string
	// NotApplicable, with a short Reason, is allowed only where the v2
	// profile allows it for the assessment's form; Score is then nil.
	NotApplicable bool
	Reason        string
	// Stale marks an answer copied from the previous round and not yet
	// confirmed or changed.
	Stale bool
	// Why is the lead's reason for a council answer that differs from
	// every colleague's (issue 19); never shown outside the council.
	Why string
}

// Assessment is one council's assessment.
type Assessment struct {
	ID         string
	Council    string
	Respondent Respondent
	Purpose    string
	Form       string
	Version    string
	Status     string
	TokenHash  []byte
	// MailedTokenHash is the hash of a second token, sent in a reminder
	// e-mail (we cannot resend the first: only its hash is kept).
	MailedTokenHash []byte
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SubmittedAt     *time.Time
	PartnershipID   string
	Round           int
	Prospective     bool
	// CopiedFrom is the previous round's assessment a health-check started
	// from; that one can start only one health-check per round.
	CopiedFrom string
	// Seat is the partnership seat the assessment is the council's member
	// for; its council name comes from the seat.
	Seat string
	// PreferredForm is the form the council would itself go to, when it
	// differs from the partnership's (whose form the assessment is scored on).
	PreferredForm string
	// Answers by question id; Revisions by area id (the assessment's
	// revision is their sum, so a save touches one area item only).
	Answers   map[string]Answer
	Revisions map[string]int64
	// StopReminders is set from the stop link in a reminder e-mail.
	StopReminders bool
	// HeldUntil is set while a submit holds the answers (see
	// Service.Submit): saves wait until it has passed.
	HeldUntil time.Time
	// ShareNotes is the council's choice, made at submit and changeable
	// while its round is sealed, to show its notes to its partners. Off by
	// default: a note is often candid and meant for the council alone.
	ShareNotes bool
	// Colleagues are the respondents the lead invited, in invitation
	// order, each with their own answers (issue 19).
	Colleagues []Colleague
	// ColleagueSeq counts invitations on META: erasure is conditioned on
	// it, so a colleague invited after the erasure's read is not left behind.
	ColleagueSeq int64
	// Viewers are the read-only links to the report (issue 20), as stored:
	// expired ones too, until the table's TTL deletes them.
	Viewers []viewer.Link
	// ViewSeq counts read-only links made on META, as ColleagueSeq does
	// invitations: erasure is conditioned on it.
	ViewSeq int64
	// Actions are the council's own action list (ownactions.go), in the
	// order they were kept.
	Actions []OwnAction
	// Lang is the language of the page or request that started the
	// assessment: its e-mails and reports are written in it. English for
	// an assessment stored before languages were kept.
	Lang locale.Lang
}

// Revision increases with every saved change.
func (a *Assessment) Revision() int64 {
	var n int64
	for _, r := range a.Revisions {
		n += r
	}
	return n
}

// Expired reports whether a draft has been untouched past the expiry. The
// table's TTL deletes such items eventually; reads must not wait for it.
func (a *Assessment) Expired(now time.Time) bool {
	return a.Status == Draft && now.Sub(a.UpdatedAt) > DraftExpiry
}

// StartInput is what a council gives to start.
type StartInput struct {
	Council    string
	Respondent Respondent
	Purpose    string
	Form       string
	JoinCode   string
	// PreferredForm is the form the council would itself go to, when it
	// joins a partnership that intends another (optional).
	PreferredForm string
	// Lang is the respondent's language (the page's, or the API request's
	// Accept-Language); empty means English.
	Lang locale.Lang
}

// Normalise trims spaces from text fields and puts names in NFC.
func (in *StartInput) Normalise() {
	in.Council, _ = names.Clean(in.Council)
	in.Respondent.Name, _ = names.Clean(in.Respondent.Name)
	in.Respondent.Role, _ = names.Clean(in.Respondent.Role)
	in.Respondent.Email = strings.TrimSpace(in.Respondent.Email)
	in.JoinCode = strings.TrimSpace(in.JoinCode)
}

// Validate checks every field against the bank and returns an invalid
// error listing each problem, named as the JSON field.
func (in StartInput) Validate(b *bank.Bank) error {
	var errs []failure.FieldError
	add := func(f, m string) { errs = append(errs, failure.FieldError{Field: f, Message: m}) }
	text := func(field, v string, required bool) {
		_, reason := names.Clean(v)
		switch {
		case v == "" && required:
			add(field, "Enter "+humanField(field))
		case reason != "":
			add(field, capital(humanField(field))+" "+reason)
		case utf8.RuneCountInString(v) > MaxName:
			add(field, fmt.Sprintf("%s must be %d characters or fewer", capital(humanField(field)), MaxName))
		}
	}
	text("council", in.Council, true)
	text("respondent.name", in.Respondent.Name, true)
	text("respondent.role", in.Respondent.Role, true)
	if e := in.Respondent.Email; e != "" {
		if !mail.ValidAddress(e) {
			add("respondent.email", "Enter an email address in the correct format, like name@council.gov.uk")
		}
	}
	switch in.Purpose {
	case Readiness, HealthCheck, NewPartner:
	case "":
		add("purpose", "Select the purpose of the assessment")
	default:
		add("purpose", "Purpose must be readiness, health-check or new-partner")
	}
	if _, ok := b.Form(in.Form); !ok {
		if in.Form == "" {
			add("intendedForm", "Select the intended form of sharing")
		} else {
			add("intendedForm", "Intended form must be one of co-exist, communicate, cooperate, coordinate, collaborate, combine")
		}
	}
	if in.PreferredForm != "" {
		if _, ok := b.Form(in.PreferredForm); !ok {
			add("preferredForm", "Preferred form must be one of co-exist, communicate, cooperate, coordinate, collaborate, combine, or left out")
		}
	}
	if in.Lang != "" && !in.Lang.Valid() {
		add("lang", "Language must be en or cy")
	}
	if len(errs) > 0 {
		return failure.Fields("Check the details you gave.", errs...)
	}
	return nil
}

// LangOr is l, or English when l is empty.
func LangOr(l locale.Lang) locale.Lang {
	if l == "" {
		return locale.English
	}
	return l
}

// ValidateChanges checks a batch of changes against the bank.
func ValidateChanges(b *bank.Bank, form string, changes map[string]Edit) error {
	answers := make(map[string]Answer, len(changes))
	var errs []failure.FieldError
	for id, c := range changes {
		a := Answer{Score: c.Score, NotApplicable: c.NotApplicable, Reason: c.Reason}
		if c.Note != nil {
			a.Note = *c.Note
		}
		answers[id] = a
		if c.Why != nil {
			if n := utf8.RuneCountInString(*c.Why); n > MaxNote {
				errs = append(errs, failure.Quoting("answers."+id+".why", "error.assessment.tooLongHas", "Limit", MaxNote, "Has", n))
			} else if !utf8.ValidString(*c.Why) || strings.ContainsRune(*c.Why, 0) {
				errs = append(errs, failure.FieldError{Field: "answers." + id + ".why", Message: "must be plain text"})
			}
		}
		if c.Clear && (c.SetScore || c.Note != nil || c.NotApplicable || c.Reason != "" || c.Why != nil) {
			errs = append(errs, failure.FieldError{Field: "answers." + id + ".clear", Message: "must be given on its own, without a score or a note"})
		}
	}
	if err := ValidateAnswers(b, form, answers); err != nil {
		fe, _ := failure.As(err)
		errs = append(errs, fe.Fields...)
	}
	if len(errs) > 0 {
		sortFields(errs)
		return failure.Fields("Check your answers.", errs...)
	}
	return nil
}

// ValidateAnswers checks a batch of answers against the bank.
// A not-applicable answer is allowed only where the profile allows it for
// form, and needs a short reason.
func ValidateAnswers(b *bank.Bank, form string, answers map[string]Answer) error {
	var errs []failure.FieldError
	if len(answers) == 0 {
		return failure.Fields("Give at least one answer.", failure.FieldError{Field: "answers", Message: "must contain at least one answer"})
	}
	for id, a := range answers {
		field := "answers." + id
		q, ok := b.Question(id)
		if !ok {
			errs = append(errs, failure.Quoting(field, "error.assessment.notInVersion", "Version", b.Version))
			continue
		}
		if a.NotApplicable || a.Reason != "" {
			errs = append(errs, validateNotApplicable(q, form, field, a)...)
		}
		if a.Score != nil && (*a.Score < 0 || *a.Score > b.Scoring.MaxScore) {
			errs = append(errs, failure.Quoting(field+".score", "error.assessment.scoreRange", "MaxScore", b.Scoring.MaxScore))
		}
		if n := utf8.RuneCountInString(a.Note); n > MaxNote {
			errs = append(errs, failure.Quoting(field+".note", "error.assessment.tooLongHas", "Limit", MaxNote, "Has", n))
		} else if !utf8.ValidString(a.Note) || strings.ContainsRune(a.Note, 0) {
			errs = append(errs, failure.FieldError{Field: field + ".note", Message: "must be plain text"})
		}
	}
	if len(errs) > 0 {
		sortFields(errs)
		return failure.Fields("Check your answers.", errs...)
	}
	return nil
}

// MaxReason is the most a not-applicable reason may say: a short reason, not an essay.
const MaxReason = 200

func validateNotApplicable(q bank.Question, form, field string, a Answer) []failure.FieldError {
	var errs []failure.FieldError
	reason := strings.TrimSpace(a.Reason)
	switch {
	case !a.NotApplicable:
		errs = append(errs, failure.FieldError{Field: field + ".reason", Message: "is only for a not-applicable answer"})
	case !q.NotApplicableAllowed(form):
		errs = append(errs, failure.FieldError{Field: field + ".notApplicable", Message: "is not allowed for this question and form of sharing; choose a level or don't know"})
	case a.Score != nil:
		errs = append(errs, failure.FieldError{Field: field + ".score", Message: "must be null when the answer is not applicable"})
	case reason == "":
		errs = append(errs, failure.FieldError{Field: field + ".reason", Message: "Say briefly why the question does not apply to your council"})
	case utf8.RuneCountInString(reason) > MaxReason:
		errs = append(errs, failure.Quoting(field+".reason", "error.assessment.tooLong", "Limit", MaxReason))
	case !utf8.ValidString(reason) || strings.ContainsAny(reason, "\x00\r\n"):
		errs = append(errs, failure.FieldError{Field: field + ".reason", Message: "must be plain text on one line"})
	}
	return errs
}

func humanField(f string) string {
	switch f {
	case "council":
		return "the name of your council"
	case "respondent.name":
		return "your name"
	case "respondent.role":
		return "your role"
	}
	return f
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func sortFields(errs []failure.FieldError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Field < errs[j-1].Field; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}
