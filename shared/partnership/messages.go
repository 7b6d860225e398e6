package partnership

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/secret"
)

// message builds a plain mail in l with the same words in text and HTML.
// Each paragraph is a string; a paragraph that is a URL becomes a link.
func message(l locale.Lang, to, subject string, paras ...string) mail.Message {
	var h strings.Builder
	for _, p := range paras {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			fmt.Fprintf(&h, `<p><a href="%s">%s</a></p>`, html.EscapeString(p), html.EscapeString(p))
		} else {
			fmt.Fprintf(&h, "<p>%s</p>", html.EscapeString(p))
		}
	}
	return mail.Message{To: to, Subject: subject, Text: strings.Join(paras, "\n\n") + "\n", HTML: h.String(), Lang: l}
}

// tr is key in l from the catalogues, its placeholders filled from kv
// ("Name", value, …). Every mail a partnership sends is in its language
// (Partnership.Lang, its contact's), English for one from before.
func tr(l locale.Lang, key string, kv ...any) string {
	return locale.Messages().T(locale.Stored(string(l)), key, locale.Pairs(kv...))
}

func adminLinkMail(p *Partnership, link string) mail.Message {
	return message(p.Lang, p.ContactEmail, tr(p.Lang, "mail.partnership.adminLink.subject", "Partnership", p.Name),
		tr(p.Lang, "mail.partnership.adminLink.created", "Partnership", p.Name), link, tr(p.Lang, "mail.partnership.keepSecret"))
}

func invitationMail(p *Partnership, st *Seat, link string) mail.Message {
	return message(p.Lang, st.Email, tr(p.Lang, "mail.partnership.invitation.subject", "Council", st.Name, "Partnership", p.Name),
		tr(p.Lang, "mail.partnership.invitation.member", "Council", st.Name, "Partnership", p.Name),
		tr(p.Lang, "mail.partnership.invitation.use"),
		link, tr(p.Lang, "mail.partnership.invitation.leadOnly")+" "+tr(p.Lang, "mail.partnership.keepSecret"))
}

// mailRoundOpened tells each seat with an address that a round is open,
// with a fresh link to start from: the invitation token itself is only
// kept as a hash, so a second, mailed token is issued (the first still works).
func (s *Service) mailRoundOpened(ctx context.Context, p *Partnership, r Round) {
	if s.mail == nil {
		return
	}
	n := r.Number
	deadline := ""
	if r.HasDeadline() {
		deadline = " " + tr(p.Lang, "mail.partnership.roundOpened.deadline", "DeadlineOn", locale.Date(p.Lang, r.LastDay()))
	}
	for _, st := range p.Seats {
		if st.Withdrawn() || st.Email == "" {
			continue
		}
		token := secret.NewToken()
		if err := s.store.SetSeatMailedHash(ctx, p.ID, st.ID, secret.Hash(token)); err != nil {
			s.log.WarnContext(ctx, "round opened mail not sent", "partnership", p.ID, "error", err.Error())
			continue
		}
		s.send(ctx, message(p.Lang, st.Email, tr(p.Lang, "mail.partnership.roundOpened.subject", "Partnership", p.Name, "Round", n),
			tr(p.Lang, "mail.partnership.roundOpened.body", "Partnership", p.Name, "Round", n, "Council", st.Name),
			tr(p.Lang, "mail.partnership.roundOpened.start"), s.links.Invitation(p.ID, st.ID, token),
			tr(p.Lang, "mail.partnership.roundOpened.sealed")+deadline+" "+tr(p.Lang, "mail.partnership.keepSecret")), p.ID)
	}
}

// NotifySubmitted is called after a member's assessment is submitted: the
// admin contact hears which council submitted, and when that completes the
// round every seat with an address hears that the comparison is open.
func (s *Service) NotifySubmitted(ctx context.Context, pid string, round int, aid string) {
	if s.mail == nil || pid == "" {
		return
	}
	p, err := s.store.LoadPartnership(ctx, pid)
	if err != nil {
		s.log.WarnContext(ctx, "submit notice not sent", "partnership", pid, "error", err.Error())
		return
	}
	r, ok := p.Round(round)
	if !ok {
		return
	}
	var m *Member
	for i := range r.Members {
		if r.Members[i].Assessment == aid {
			m = &r.Members[i]
		}
	}
	if m == nil || m.Prospective {
		return
	}
	sealedBefore := r.Status == Open
	sealed := p.Sealed(round)
	if p.ContactEmail != "" && !p.StopReminders {
		state := tr(p.Lang, "mail.partnership.submitted.all")
		if sealed != nil {
			state = tr(p.Lang, "mail.partnership.submitted.soFar", "Progress", progress(p.Lang, sealed))
		}
		name := p.MemberNameIn(p.Lang, *m)
		s.send(ctx, message(p.Lang, p.ContactEmail, tr(p.Lang, "mail.partnership.submitted.subject", "Partnership", p.Name, "Council", name, "Round", round),
			tr(p.Lang, "mail.partnership.submitted.body", "Council", name, "Round", round, "Partnership", p.Name), state,
			tr(p.Lang, "mail.partnership.submitted.see")), p.ID)
	}
	if sealedBefore && sealed == nil && onlyJustComplete(p, r, aid) {
		for _, st := range p.Seats {
			if st.Withdrawn() || st.Email == "" {
				continue
			}
			s.send(ctx, message(p.Lang, st.Email, tr(p.Lang, "mail.partnership.open.subject", "Partnership", p.Name, "Round", round),
				tr(p.Lang, "mail.partnership.open.body", "Partnership", p.Name, "Round", round)), p.ID)
		}
	}
}

// onlyJustComplete reports whether the round became complete with aid's
// submit: without it, some expected seat would still be waiting. A repeated
// submit (idempotent) or a late one in a complete round sends nothing.
func onlyJustComplete(p *Partnership, r *Round, aid string) bool {
	q := *p
	rr := *r
	rr.Members = nil
	for _, m := range r.Members {
		if m.Assessment != aid {
			rr.Members = append(rr.Members, m)
		}
	}
	q.Rounds = []Round{rr}
	return q.Sealed(r.Number) != nil
}

// progress says in l how many of the round's councils have submitted,
// and which it waits for (SealedError.SealedSummary, for the mails).
func progress(l locale.Lang, e *SealedError) string {
	var waiting []string
	for _, s := range e.Seats {
		if !s.Submitted {
			waiting = append(waiting, s.Council)
		}
	}
	if len(waiting) == 0 {
		return tr(l, "mail.partnership.progress", "Submitted", e.Submitted, "Expected", e.Expected)
	}
	return tr(l, "mail.partnership.progressWaiting", "Submitted", e.Submitted, "Expected", e.Expected, "Waiting", strings.Join(waiting, ", "))
}

// ClosedAtDeadlineMails are the notices that round n of p closed at its
// deadline, so its comparison is open: to each seat with an address and to
// the contact (unless its reminders are stopped). The daily job sends them,
// once, after it closed the round.
func ClosedAtDeadlineMails(p *Partnership, n int) []mail.Message {
	r, ok := p.Round(n)
	if !ok {
		return nil
	}
	var in, out []string
	for _, sid := range r.Expected {
		st, ok := p.Seat(sid)
		if !ok || st.Withdrawn() {
			continue
		}
		submitted := false
		for _, m := range r.Members {
			submitted = submitted || (m.Seat == sid && m.Status == Submitted && !m.Prospective)
		}
		if submitted {
			in = append(in, st.Name)
		} else {
			out = append(out, st.Name)
		}
	}
	l := p.Lang
	subject := tr(l, "mail.partnership.closed.subject", "Partnership", p.Name, "Round", n)
	kv := []any{"Round", n, "Partnership", p.Name, "DeadlineOn", locale.Date(l, r.LastDay()), "Submitted", len(in), "Expected", len(in) + len(out)}
	var body string
	switch {
	case len(in) == 0:
		body = tr(l, "mail.partnership.closed.none", kv...)
	case len(out) == 0:
		body = tr(l, "mail.partnership.closed.all", kv...)
	default:
		body = tr(l, "mail.partnership.closed.some", append(kv, "InNames", strings.Join(in, ", "), "OutNames", strings.Join(out, ", "), "Count", len(out))...)
	}
	var msgs []mail.Message
	for _, st := range p.Seats {
		if st.Withdrawn() || st.Email == "" {
			continue
		}
		msgs = append(msgs, message(l, st.Email, subject, body, tr(l, "mail.partnership.closed.member")))
	}
	if p.ContactEmail != "" && !p.StopReminders {
		msgs = append(msgs, message(l, p.ContactEmail, subject, body, tr(l, "mail.partnership.closed.admin")))
	}
	return msgs
}
