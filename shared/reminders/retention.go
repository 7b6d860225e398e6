package reminders

import (
	"context"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/secret"
)

// Retention of submitted assessments (docs/operations.md, "Retention").
//
// A submitted assessment is kept for RetainSubmitted after it was
// submitted, or after it was last copied forward into a health-check or a
// re-assessment, whichever is later: while a council keeps re-assessing,
// its previous assessment stays for the trend. RetentionNotice before
// that, the address on file is told the date; at it, the assessment is
// erased as a council's own delete would erase it (answers, notes,
// colleagues, its place in the partnership round), except that the joint
// actions its seat owns keep their owner and notes: the council is still
// in the partnership. An assessment whose round is still open is kept
// until the round closes, so erasing one council never re-seals a round.
const (
	RetainSubmitted = 3 * 365 * 24 * time.Hour
	RetentionNotice = 30 * 24 * time.Hour
	// openRoundRecheck is how often an assessment kept for its open round
	// is looked at again.
	openRoundRecheck = 30 * 24 * time.Hour
)

// RetentionWarning is the mail 30 days before a submitted assessment is erased.
const RetentionWarning Kind = "retention-warning"

// RetentionDue is where a submitted assessment's due entry goes: the
// warning, RetentionNotice before its deadline (the stores set it at
// submit).
func RetentionDue(from time.Time) time.Time { return from.Add(RetainSubmitted - RetentionNotice) }

// retentionDeadline is when d is erased.
func retentionDeadline(d *Draft) time.Time {
	from := d.SubmittedAt
	if d.CopiedForwardAt.After(from) {
		from = d.CopiedForwardAt
	}
	return from.Add(RetainSubmitted)
}

// retain handles the due entry of a submitted assessment. The date a
// warning announced is kept (RetentionWarnedFor): the assessment is never
// erased before it, so a warning held back while the round was open still
// gives its 30 days.
func (r *run) retain(ctx context.Context, e Entry, d *Draft) {
	deadline := retentionDeadline(d)
	if warnAt := deadline.Add(-RetentionNotice); r.now.Before(warnAt) {
		// Copied forward since the entry was set: its clock restarted.
		r.reschedule(ctx, e, warnAt)
		return
	}
	if d.PartnershipID != "" {
		open, err := r.roundOpen(ctx, d)
		if err != nil {
			r.storeError(ctx, "read partnership", err)
			return
		}
		if open {
			r.reschedule(ctx, e, r.now.Add(openRoundRecheck))
			return
		}
	}
	announced, _ := time.Parse(time.RFC3339Nano, d.RetentionWarnedFor)
	if d.Email != "" && !d.Stopped && announced.Before(deadline) {
		eraseOn := deadline
		if soonest := r.now.Add(RetentionNotice); eraseOn.Before(soonest) {
			eraseOn = soonest
		}
		m, c, err := r.retentionMail(d, e.DueAt, eraseOn)
		if err != nil {
			r.storeError(ctx, "render", err)
			return
		}
		r.send(ctx, c, m)
		return
	}
	eraseOn := deadline
	if announced.After(eraseOn) {
		eraseOn = announced
	}
	if r.now.Before(eraseOn) {
		r.reschedule(ctx, e, eraseOn)
		return
	}
	r.erase(ctx, d, "erase submitted assessment", &r.rep.Retired)
}

// roundOpen reports whether d's round of its partnership is still open.
// A partnership deleted since is not open (its members went with it).
func (r *run) roundOpen(ctx context.Context, d *Draft) (bool, error) {
	p, err := r.store.LoadPartnership(ctx, d.PartnershipID)
	if err != nil {
		if failure.CodeOf(err) == failure.NotFound {
			return false, nil
		}
		return false, err
	}
	round, ok := p.Round(d.Round)
	return ok && round.Status == partnership.Open, nil
}

// retentionMail tells the address on file that the assessment will be
// erased on eraseOn, with a fresh link to its report; the claim moves the
// entry to that date and records it as announced.
func (r *run) retentionMail(d *Draft, seen string, eraseOn time.Time) (mail.Message, Claim, error) {
	resume, stop := secret.NewToken(), secret.NewToken()
	m, err := r.wording.Compose(d.Email, Mail{
		Kind: RetentionWarning, Lang: d.Lang, Council: d.Council, DoneOn: govukDate(d.Lang, d.SubmittedAt), DeleteOn: govukDate(d.Lang, eraseOn),
		ResumeURL: r.link(ResumePath(d.ID), resume), StopURL: r.link(StopPath(AssessmentSubject, d.ID), stop),
		StartURL: r.opts.BaseURL + routes.Path("webStart", nil),
		Why:      tr(d.Lang, "mail.why.assessment"),
	})
	c := Claim{Kind: RetentionWarning, ID: d.ID, Seen: seen, Next: eraseOn,
		TokenHash: secret.Hash(resume), PrevTokenHash: d.MailedTokenHash, StopHash: secret.Hash(stop)}
	return m, c, err
}
