package reminders

import (
	"context"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/secret"
)

// Action reminders (issue 18). An open joint action is in the due index
// 7 days before its due date and again the day after it (the action item's
// own dueAt, set by every write from action.NextReminder), so the job reads
// it with the other due entries and never scans. Its owner seats' addresses
// and the administrator's get one mail "due in 7 days" and one "overdue",
// each once per due date: the claim records the due date it was sent for
// (soonSent, overdueSent), moves the entry on and counts a write of the
// action (rev), all in one write conditioned on the revision and the entry
// read, so of two runs only one claims it. Changing the due date re-plans
// the entry (what was sent was for the old date); done or dropped takes it
// off the index. Each recipient's mail has a stop link of its own, which
// stops that recipient's reminders about that action.

// The kinds of action reminder.
const (
	ActionSoon    Kind = "action-soon"    // an open action due in 7 days
	ActionOverdue Kind = "action-overdue" // an open action past its due date
)

// ActionSubject is a due entry about a joint action: Entry.ID is the
// partnership, Entry.Action the action.
const ActionSubject Subject = "action"

// AdminRecipient names the partnership's administrator among an action's
// recipients; the others are owner seat ids.
const AdminRecipient = "admin"

// ActionClaim records an action reminder as being sent.
type ActionClaim struct {
	Kind        Kind
	Partnership string
	Action      string
	// Rev is the action's revision read; the claim makes it Rev+1.
	Rev int
	// Seen is the entry's dueAt as read.
	Seen string
	// Next is where the entry moves (zero: off the index).
	Next time.Time
	// SoonSent and OverdueSent are the action's records after the claim,
	// PrevSoonSent and PrevOverdueSent before it (restored on release).
	SoonSent, OverdueSent, PrevSoonSent, PrevOverdueSent string
	// StopKeys are the stop links of the mails, as StopKey makes them.
	StopKeys []string
}

// ActionStore is what action reminders need from storage, besides
// LoadPartnership.
type ActionStore interface {
	// ClaimActionReminder records c; ErrTaken when the action changed
	// since it was read (an edit, another run) or is no longer open.
	ClaimActionReminder(ctx context.Context, c ActionClaim) error
	// ReleaseActionReminder undoes c after no mail could be sent;
	// ErrTaken when the action changed since the claim.
	ReleaseActionReminder(ctx context.Context, c ActionClaim) error
	// ActionReminderStops reads an action's stop keys and the recipients
	// who stopped; not_found when it is gone.
	ActionReminderStops(ctx context.Context, partnershipID, actionID string) (keys, stopped []string, err error)
	// StopActionReminders stops recipient's reminders about the action
	// when key is one of its stop keys; not_found otherwise.
	StopActionReminders(ctx context.Context, partnershipID, actionID, recipient, key string) error
}

// StopKey is how a stop link is kept: the recipient and the hash of the
// link's token, so that a link stops its own recipient's reminders only.
func StopKey(recipient string, tokenHash []byte) string {
	return recipient + "#" + hex.EncodeToString(tokenHash)
}

// actionPlan is the reminder action a is due on the day of now: overdue
// once its due date has passed, soon from 7 days before it, each once per
// due date; "" when none.
func actionPlan(a action.Action, now time.Time) Kind {
	due := a.Due.Format(action.DateLayout)
	switch {
	case !a.Status.Open() || a.Due.IsZero() || a.OverdueSent == due:
		return ""
	case a.Overdue(now):
		return ActionOverdue
	case a.SoonSent != due && !now.Before(a.Due.Add(-action.SoonBefore)):
		return ActionSoon
	}
	return ""
}

// actionRecipient is one address an action reminder goes to.
type actionRecipient struct {
	key, email string
	// path is the page of the action for them, without a credential:
	// the administrator's under the partnership, a seat's under its
	// assessment in the current round, if it has one.
	path string
}

// actionRecipients are the owner seats' addresses (seats still in the
// partnership) and the administrator's, less those who stopped.
func actionRecipients(p *partnership.Partnership, a action.Action) []actionRecipient {
	var out []actionRecipient
	for _, sid := range a.OwnerSeats {
		st, ok := p.Seat(sid)
		if !ok || st.Withdrawn() || st.Email == "" || slices.Contains(a.StoppedFor, sid) {
			continue
		}
		rc := actionRecipient{key: sid, email: st.Email}
		if r, ok := p.Round(p.CurrentRound); ok {
			for _, m := range r.Members {
				if m.Seat == sid && !m.Prospective {
					rc.path = routes.Path("webMemberAction", routes.P{"id": m.Assessment, "action": a.ID})
				}
			}
		}
		out = append(out, rc)
	}
	if p.ContactEmail != "" && !slices.Contains(a.StoppedFor, AdminRecipient) {
		out = append(out, actionRecipient{key: AdminRecipient, email: p.ContactEmail,
			path: routes.Path("webAction", routes.P{"id": p.ID, "action": a.ID})})
	}
	return out
}

// ActionStopPath is the stop page of an action's reminders.
func ActionStopPath(partnershipID, actionID string) string {
	return routes.Path("stopActionReminders", routes.P{"id": partnershipID, "action": actionID})
}

// action handles the due entry of a joint action.
func (r *run) action(ctx context.Context, e Entry) {
	p, err := r.store.LoadPartnership(ctx, e.ID)
	switch {
	case failure.CodeOf(err) == failure.NotFound:
		r.rep.Skipped++
		return
	case err != nil:
		r.storeError(ctx, "read partnership", err)
		return
	}
	a, ok := p.Action(e.Action)
	if !ok {
		r.rep.Skipped++ // erased since the index was read
		return
	}
	kind := actionPlan(a, r.now)
	after := a
	due := a.Due.Format(action.DateLayout)
	switch kind {
	case ActionOverdue:
		after.SoonSent, after.OverdueSent = due, due // a late soon mail would say less
	case ActionSoon:
		after.SoonSent = due
	}
	c := ActionClaim{Kind: kind, Partnership: p.ID, Action: a.ID, Rev: a.Rev, Seen: e.DueAt,
		SoonSent: after.SoonSent, OverdueSent: after.OverdueSent, PrevSoonSent: a.SoonSent, PrevOverdueSent: a.OverdueSent}
	if next, ok := after.NextReminder(); ok {
		c.Next = next
	}
	if kind == "" {
		// Nothing due (an entry out of step): move it where it belongs.
		switch err := r.store.ClaimActionReminder(ctx, c); {
		case errors.Is(err, ErrTaken):
			r.rep.Skipped++
		case err != nil:
			r.storeError(ctx, "reschedule action", err)
		default:
			r.rep.Rescheduled++
		}
		return
	}
	var msgs []mail.Message
	for _, rc := range actionRecipients(p, a) {
		stop := secret.NewToken()
		m, err := r.wording.Compose(rc.email, r.actionMail(p, a, kind, rc, stop))
		if err != nil {
			r.storeError(ctx, "render", err)
			return
		}
		c.StopKeys = append(c.StopKeys, StopKey(rc.key, secret.Hash(stop)))
		msgs = append(msgs, m)
	}
	switch err := r.store.ClaimActionReminder(ctx, c); {
	case errors.Is(err, ErrTaken):
		r.rep.Skipped++
		return
	case err != nil:
		r.storeError(ctx, "claim", err)
		return
	}
	if len(msgs) == 0 {
		r.rep.Covered++ // nobody to tell: recorded as sent
		return
	}
	delivered := false
	for _, m := range msgs {
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		err := r.mailer.Send(sctx, m)
		cancel()
		switch {
		case err == nil:
			r.rep.Sent++
			delivered = true
		case errors.Is(err, mail.ErrSuppressed):
			r.rep.Suppressed++
			delivered = true
		case errors.Is(err, mail.ErrRejected):
			r.rep.Rejected++
			delivered = true
		default:
			r.rep.Failed++
			r.log.WarnContext(ctx, "action reminder not sent", "kind", string(kind), "error", err.Error())
		}
	}
	if delivered {
		// A recipient whose send failed misses this one: releasing would
		// mail the others twice, and once each is the promise.
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := r.store.ReleaseActionReminder(rctx, c); err != nil && !errors.Is(err, ErrTaken) {
		r.storeError(ctx, "release", err)
	}
}

// actionMail is what an action reminder says to one recipient.
func (r *run) actionMail(p *partnership.Partnership, a action.Action, kind Kind, rc actionRecipient, stop string) Mail {
	m := Mail{Kind: kind, Lang: p.Lang, Partnership: p.Name, Action: a.Title, DueOn: govukDate(p.Lang, a.Due), StartURL: r.opts.BaseURL + routes.Path("webStart", nil),
		StopURL: r.link(ActionStopPath(p.ID, a.ID), stop) + "&" + url.Values{"for": {rc.key}}.Encode()}
	if rc.path != "" {
		m.ActionURL = r.opts.BaseURL + rc.path
	}
	if rc.key == AdminRecipient {
		m.Why = tr(p.Lang, "mail.why.contact")
	} else {
		m.Why = tr(p.Lang, "mail.why.actionOwner")
		if st, ok := p.Seat(rc.key); ok {
			m.Council = st.Name
		}
	}
	return m
}
