package reminders

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/secret"
)

// Round deadlines (issue 15). A round opened with a deadline puts its
// partnership on the due index at the earliest of its events
// (partnership.Round.NextEvent): the members' nudge, the deadline's
// reminder (partnership.DeadlineNotice before it) and the deadline itself.
// When the entry falls due the job does what is due, in that order of
// importance:
//
//   - at the deadline it closes the round, as an automatic administrator's
//     act (Act.Automatic), conditioned on the round still being open: a
//     round closed by hand earlier is not closed again, and of two runs only
//     one closes it. The run that closed it mails the notices that the
//     comparison is open (partnership.ClosedAtDeadlineMails), so they go
//     once; the partnership then waits for its health check as any finished
//     round does;
//   - from a week before, every expected seat with an address that has not
//     submitted is reminded, once per round: claimed on the seat
//     (deadlineRemindedFor), with a fresh start link for a seat that has
//     not started (the seat's mailed token) or a fresh member link for one
//     that has (the assessment's mailed token), and a stop link of the
//     seat's (SeatSubject). The partnership's entry moves on only when
//     every reminder went out, so a failure resends only what failed.
//
// A round complete before its deadline is not closed: its comparison is
// open already.

// DeadlineReminder is the reminder to a seat that has not submitted, a
// week before its round's deadline.
const DeadlineReminder Kind = "deadline-reminder"

// SeatSubject is a stop link about one seat: its deadline reminders.
// Entry.ID is "<partnership>/<seat>", as SeatID makes it.
const SeatSubject Subject = "seat"

// SeatID names seat sid of partnership pid as a subject.
func SeatID(pid, sid string) string { return pid + "/" + sid }

// SplitSeatID is the partnership and seat of a SeatSubject id.
func SplitSeatID(s string) (pid, sid string, ok bool) {
	pid, sid, ok = strings.Cut(s, "/")
	return pid, sid, ok && secret.ValidID(pid) && secret.ValidID(sid)
}

// closeAtDeadline closes the open round cur of p, whose deadline has
// passed, and mails its notices. It reports whether the round is closed
// now (by this run or another); false leaves the entry due.
func (r *run) closeAtDeadline(ctx context.Context, p *partnership.Partnership, cur *partnership.Round) bool {
	at := r.now.Truncate(time.Millisecond)
	err := r.store.CloseRound(ctx, p.ID, cur.Number, partnership.Act{At: at, Kind: partnership.ActCloseRound, Round: cur.Number, Automatic: true})
	switch {
	case failure.CodeOf(err) == failure.Conflict:
		// Closed meanwhile, by hand or by another run: whoever closed it
		// said so.
		r.rep.Skipped++
	case err != nil:
		r.storeError(ctx, "close round at its deadline", err)
		return false
	default:
		r.rep.Closed++
		cur.Status, cur.ClosedAt = partnership.Closed, &at
		for _, m := range partnership.ClosedAtDeadlineMails(p, cur.Number) {
			sctx, cancel := context.WithTimeout(ctx, sendTimeout)
			err := r.mailer.Send(sctx, m)
			cancel()
			if err != nil {
				// Not retried: the round is closed, and a notice sent twice
				// is worse than one lost. The pages say it is open.
				r.rep.Failed++
				r.log.WarnContext(ctx, "round closed notice not sent", slog.String("error", err.Error()))
				continue
			}
			r.rep.Sent++
		}
	}
	cur.Status = partnership.Closed
	if cur.ClosedAt == nil {
		cur.ClosedAt = &at
	}
	return true
}

// remindOfDeadline mails each expected seat of cur that has an address
// and has not submitted, once per round. It reports whether all went out.
func (r *run) remindOfDeadline(ctx context.Context, p *partnership.Partnership, cur *partnership.Round) bool {
	complete := true
	for _, sid := range cur.Expected {
		st, ok := p.Seat(sid)
		if !ok || st.Withdrawn() || st.Email == "" || st.StopReminders || st.DeadlineRemindedFor >= cur.Number {
			continue
		}
		var draft *partnership.Member
		submitted := false
		for i, m := range cur.Members {
			if m.Seat != sid || m.Prospective {
				continue
			}
			submitted = submitted || m.Status == assessment.Submitted
			if m.Status == assessment.Draft {
				draft = &cur.Members[i]
			}
		}
		if submitted {
			continue
		}
		if r.stopping(ctx) {
			return false
		}
		token, stop := secret.NewToken(), secret.NewToken()
		c := Claim{Kind: DeadlineReminder, ID: p.ID, Seat: sid, Round: cur.Number, At: r.now,
			TokenHash: secret.Hash(token), PrevTokenHash: st.MailedHash, StopHash: secret.Hash(stop)}
		link := r.link(routes.Path("webSeatInvitation", routes.P{"id": p.ID, "seat": sid}), token)
		var d *Draft
		if draft != nil {
			var err error
			d, err = r.store.ReminderDraft(ctx, draft.Assessment)
			switch {
			case failure.CodeOf(err) == failure.NotFound:
				d = nil // erased since: the seat starts again
			case err != nil:
				r.storeError(ctx, "read member", err)
				complete = false
				continue
			case d.Status != assessment.Draft:
				continue
			case d.Stopped:
				continue // its reminders were stopped from a mail about the assessment
			}
		}
		if d != nil {
			c.Assessment, c.PrevTokenHash = d.ID, d.MailedTokenHash
			link = r.link(ResumePath(d.ID), token)
		}
		m, err := r.wording.Compose(st.Email, Mail{
			Kind: DeadlineReminder, Lang: p.Lang, Council: st.Name, Partnership: p.Name, Round: cur.Number, DeadlineOn: govukDate(p.Lang, cur.LastDay()),
			Started: d != nil, ResumeURL: link, StartURL: r.opts.BaseURL + routes.Path("webStart", nil), StopURL: r.link(StopPath(SeatSubject, SeatID(p.ID, sid)), stop),
			Why: tr(p.Lang, "mail.why.seat"),
		})
		if err != nil {
			r.storeError(ctx, "render", err)
			complete = false
			continue
		}
		send := func() outcome { return r.send(ctx, c, m) }
		if prev, ok := r.mailed[c.Assessment]; ok && d != nil && strings.EqualFold(d.Email, st.Email) {
			// This run mailed the same person about the assessment already:
			// recorded as sent, the link of that mail kept working.
			send = func() outcome { return r.cover(ctx, c, prev) }
		}
		if send() == failed {
			complete = false
			continue
		}
		if d != nil && strings.EqualFold(d.Email, st.Email) {
			// The same person: a round nudge later in this run is covered
			// by this mail, whose link it would otherwise replace.
			r.mailed[d.ID] = c
		}
	}
	return complete
}
