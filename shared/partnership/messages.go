package partnership

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/secret"
)

// message builds a plain mail with the same words in text and HTML. Each
// paragraph is a string; a paragraph that is a URL becomes a link.
func message(to, subject string, paras ...string) mail.Message {
	var h strings.Builder
	for _, p := range paras {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			fmt.Fprintf(&h, `<p><a href="%s">%s</a></p>`, html.EscapeString(p), html.EscapeString(p))
		} else {
			fmt.Fprintf(&h, "<p>%s</p>", html.EscapeString(p))
		}
	}
	return mail.Message{To: to, Subject: subject, Text: strings.Join(paras, "\n\n") + "\n", HTML: h.String()}
}

const keepSecret = "Anyone with the link can act with it, so do not forward it. If it is lost, ask for a new one from the RASP start page: the old link then stops working."

func adminLinkMail(p *Partnership, link string) mail.Message {
	return message(p.ContactEmail, "Your admin link for "+p.Name+" on RASP",
		fmt.Sprintf("You created the partnership %s on RASP. Use this link to open rounds, see who has submitted and read the comparison:", p.Name),
		link, keepSecret)
}

func invitationMail(p *Partnership, st *Seat, link string) mail.Message {
	return message(st.Email, fmt.Sprintf("%s: your invitation to %s on RASP", st.Name, p.Name),
		fmt.Sprintf("%s is a member council of %s. The partnership's administrator invited you, as the council's lead for RASP, to assess its readiness for the shared service.", st.Name, p.Name),
		"Use this link to start your council's assessment for each round, or to bring in a private assessment you have already submitted:",
		link, "Invite colleagues to answer later, from your assessment: this link is for your council's lead only. "+keepSecret)
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
		deadline = fmt.Sprintf(" The round closes at the end of %s: submit by then.", govukDate(r.LastDay()))
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
		s.send(ctx, message(st.Email, fmt.Sprintf("%s: health-check round %d is open", p.Name, n),
			fmt.Sprintf("The administrator of %s opened health-check round %d. %s is expected to take part: your answers from last time are copied forward for you to confirm or change.", p.Name, n, st.Name),
			"Start your council's health-check here:", InvitationLink(s.base, p.ID, st.ID, token),
			"The comparison stays sealed until every member council has submitted."+deadline+" "+keepSecret), p.ID)
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
		state := "The comparison opens when every member council has submitted."
		if sealed != nil {
			state = fmt.Sprintf("%s have submitted so far. %s", sealed.SealedSummary(), state)
		} else {
			state = "Every member council has now submitted: the comparison is open."
		}
		s.send(ctx, message(p.ContactEmail, fmt.Sprintf("%s: %s submitted for round %d", p.Name, p.MemberName(*m), round),
			fmt.Sprintf("%s submitted its assessment for round %d of %s.", p.MemberName(*m), round, p.Name), state,
			"Use your admin link to see the round."), p.ID)
	}
	if sealedBefore && sealed == nil && onlyJustComplete(p, r, aid) {
		for _, st := range p.Seats {
			if st.Withdrawn() || st.Email == "" {
				continue
			}
			s.send(ctx, message(st.Email, fmt.Sprintf("%s: the comparison of round %d is open", p.Name, round),
				fmt.Sprintf("Every member council of %s has submitted for round %d, so the comparison is open. Open it from your council's assessment report or your invitation link.", p.Name, round)), p.ID)
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

func plural(n int, one, more string) string {
	if n == 1 {
		return one
	}
	return more
}

// govukDate is a date the GOV.UK way (UTC).
func govukDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

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
	subject := fmt.Sprintf("%s: round %d closed at its deadline, and its comparison is open", p.Name, n)
	body := fmt.Sprintf("Round %d of %s closed at the end of %s, its deadline. By then %d of %d member councils had submitted", n, p.Name, govukDate(r.LastDay()), len(in), len(in)+len(out))
	switch {
	case len(in) == 0:
		body += ", so there is nothing to compare."
	case len(out) == 0:
		body += ": the comparison of their answers is open."
	default:
		body += fmt.Sprintf(": %s. The comparison of their answers is open; %s %s not in it.", strings.Join(in, ", "), strings.Join(out, ", "), plural(len(out), "is", "are"))
	}
	var msgs []mail.Message
	for _, st := range p.Seats {
		if st.Withdrawn() || st.Email == "" {
			continue
		}
		msgs = append(msgs, message(st.Email, subject, body, "Open it from your council's assessment report or your invitation link."))
	}
	if p.ContactEmail != "" && !p.StopReminders {
		msgs = append(msgs, message(p.ContactEmail, subject, body, "Use your admin link to see the comparison, or to open the next round."))
	}
	return msgs
}
