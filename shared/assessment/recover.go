package assessment

import (
	"context"
	"html"
	"log/slog"
	"strings"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/secret"
)

// RecoverReply is what every recovery request is told, by the API and the
// page alike, whether or not the address matched.
const RecoverReply = "If the address is the one we have, we have sent a new link to it, and the old link no longer works."

// Recovery mails a fresh private link. The reply never says whether the
// address matched: that would tell anyone which address an assessment has.
type Recovery struct {
	mail  mail.Mailer
	links Links
	log   *slog.Logger
}

// Links are the private links the service mails; routes.Links builds them
// from the route table, so the domain never spells a path.
type Links interface {
	// Resume is the lead's private link to assessment id.
	Resume(id, token string) string
	// Colleague is colleague cid's own link to answer for assessment id.
	Colleague(id, cid, token string) string
}

// WithMail lets the service mail the links that links builds.
func (s *Service) WithMail(m mail.Mailer, links Links, log *slog.Logger) *Service {
	s.recovery = &Recovery{mail: m, links: links, log: log}
	return s
}

// SameAddress compares two e-mail addresses as mail servers do in practice:
// the domain is case-insensitive, and so, for every council mail system we
// know of, is the local part.
func SameAddress(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a != "" && strings.EqualFold(a, b)
}

// Recover sends a new private link to the address on file when email is
// it, and revokes the old link: a new token hash replaces the old one on the
// assessment and on its membership, in one transaction, and the mailed
// reminder link stops working too. A colleague answering whose address it
// is gets a new link of their own the same way. It returns nil whether or
// not the address matched (invalid only for an id or address that cannot be one).
func (s *Service) Recover(ctx context.Context, id, email string) error {
	var errs []failure.FieldError
	if !secret.ValidID(id) {
		errs = append(errs, failure.FieldError{Field: "id", Message: "Enter the assessment's id: the 26 letters and digits after /assessments/ in your link"})
	}
	if e := strings.TrimSpace(email); e == "" || len(e) > MaxEmail || !strings.Contains(e, "@") {
		errs = append(errs, failure.FieldError{Field: "email", Message: "Enter the email address you gave when you started, like name@council.gov.uk"})
	}
	if len(errs) > 0 {
		return failure.Fields("Check the details you gave.", errs...)
	}
	if s.recovery == nil {
		return failure.New(failure.Unavailable, "Links cannot be sent by email from here.")
	}
	a, err := s.store.Load(ctx, id)
	if failure.CodeOf(err) == failure.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if a.Expired(s.now()) {
		return nil
	}
	// A colleague answering (issue 19) asks the same way, with the
	// address the lead gave for them.
	if err := s.recoverColleagues(ctx, a, email); err != nil {
		return err
	}
	if !SameAddress(a.Respondent.Email, email) {
		return nil
	}
	token := secret.NewToken()
	if err := s.store.RotateToken(ctx, a, secret.Hash(token)); err != nil {
		return err
	}
	link := s.recovery.links.Resume(a.ID, token)
	m := linkMessage(a.Lang, a.Respondent.Email, tr(a.Lang, "mail.recovered.subject"),
		tr(a.Lang, "mail.recovered.intro", "Council", a.Council), link, tr(a.Lang, "mail.recovered.rule"))
	if err := s.recovery.mail.Send(ctx, m); err != nil {
		// The old link is revoked already: say so in the log, not to the
		// caller (whose reply must not depend on the address).
		s.recovery.log.WarnContext(ctx, "recovery mail not sent", slog.String("assessment", a.ID), slog.String("error", err.Error()))
	}
	return nil
}

// tr is key in l from the catalogues, its placeholders filled from kv
// ("Name", value, …): the mails about an assessment are in its language.
func tr(l locale.Lang, key string, kv ...any) string {
	return locale.Messages().T(LangOr(l), key, locale.Pairs(kv...))
}

// linkMessage is a mail in l of one paragraph, a link and the rule about
// the link, the same words in text and HTML.
func linkMessage(l locale.Lang, to, subject, intro, link, rule string) mail.Message {
	return mail.Message{To: to, Subject: subject, Lang: LangOr(l),
		Text: intro + "\n\n" + link + "\n\n" + rule + "\n",
		HTML: "<p>" + html.EscapeString(intro) + "</p><p><a href=\"" + html.EscapeString(link) + "\">" + html.EscapeString(link) + "</a></p><p>" + html.EscapeString(rule) + "</p>"}
}
