// Package reminders is the daily job that e-mails people about something
// due: a draft assessment left untouched, a partnership whose health check is
// due, and members of an open round who have not submitted. It also stops
// reminders from the link in every mail.
//
// # Finding what is due
//
// Items with something due carry the keys of the sparse "due" index
// (dueShard, dueAt). The job reads the entries with dueAt ≤ now in one Query
// of at most Options.Batch keys and never scans, so a run costs in
// proportion to what is due, not to the size of the table. An entry only
// says "look at this item now": what, if anything, to send is decided from
// the item itself, so an entry can be moved freely (a draft touched since is
// rescheduled without sending).
//
// # What is sent, when
//
//   - A draft with an e-mail address: a reminder 7 days after its last
//     change and another 30 days after it — two at most; a draft first seen
//     at 30 days gets only the second. A draft touched since is rescheduled.
//     Every draft, with an address or not, is erased 180 days after its last
//     change (the table's TTL is the backstop). Submit and delete take the
//     entry away, so nothing follows them.
//   - A submitted assessment: submit puts it back on the index for its
//     retention (retention.go): a warning 30 days before it is erased, three
//     years after it was submitted or last copied forward.
//   - A partnership: its entry is set when it is created and when a round
//     opens, 14 days ahead. Then members of the open round who have not
//     submitted are nudged (once each), and the round is looked at again
//     every 30 days. Once the round is closed, or every council in it has
//     submitted, its contact is asked to open a health-check round when the
//     cadence (3, 6 or 12 months; 12 by default) has passed; the entry then
//     leaves the index until the next round opens.
//   - A round with a deadline (deadline.go): a week before it, every
//     expected seat with an address that has not submitted is reminded,
//     once; at the deadline the round is closed, as an automatic act, and
//     the seats and the contact hear that its comparison is open. The
//     partnership's entry is always at the round's next event.
//   - A colleague answering for their council (colleagues.go): one
//     reminder 7 days after their invitation, when they have an address
//     and have not answered the questions routed to them.
//   - Each mail about an assessment carries a resume link with a fresh token
//     (its hash becomes the assessment's mailed token, so the newest mail's
//     link replaces the one before) and every mail a stop link.
//
// # Exactly once
//
// Every mail is claimed before it is sent, with one conditional write that
// records it as sent for this due date ("remindedFor") and moves the entry
// on. The write is conditioned on the entry still holding the due date the
// job read (dueAt = :seen) and on no claim for that date existing, so of two
// overlapping runs — or a retried one — only one claims a given reminder,
// and the loser sends nothing. If the send fails, the claim is released (the
// entry goes back to :seen) and the next run tries again; a mail the
// provider refuses for good (mail.ErrRejected) is not retried. Member
// nudges, several per partnership entry, are claimed one by one on each
// member's assessment (nudgedAt), and the partnership entry moves on only
// when every nudge went out, so a partial failure resends only what failed.
//
// One person gets at most one mail per run: a second reminder about the
// same assessment falling due in the same run is claimed as covered by the
// first (see run.mailed).
//
// The remaining window is a crash between the claim and the send (the Lambda
// killed mid-send): that one reminder is lost rather than risk sending it
// twice, as SES has no idempotency key. The time budget (Options.Budget,
// well inside the Lambda timeout) keeps the job from being killed by its own
// timeout.
package reminders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
)

// When reminders fall due.
const (
	// FirstReminder after a draft was last touched, then SecondReminder.
	FirstReminder  = 7 * 24 * time.Hour
	SecondReminder = 30 * 24 * time.Hour
	// NudgeAfter a round opened, members who have not submitted are nudged.
	NudgeAfter = partnership.NudgeAfter
	// RecheckAfter: an open round is looked at again this often, to notice
	// that it closed or that everyone submitted.
	RecheckAfter = 30 * 24 * time.Hour
	// DefaultCadenceMonths between health checks when a partnership has none.
	DefaultCadenceMonths = 12
)

// FirstCheck is when the job first looks at a draft started at created: its
// first reminder a week on when the lead gave an address, otherwise its
// expiry, since a draft with no address can only expire (and anyone can
// start drafts without one, so they must not take a slot of every run from
// the first week). The store puts the draft on the due index at this time.
// It is the plan the job itself makes for a draft untouched since created.
func FirstCheck(created time.Time, hasAddress bool) time.Time {
	d := &Draft{LastTouched: created}
	if hasAddress {
		d.Email = "address on file"
	}
	_, _, next := draftPlan(d, created, created.Add(assessment.DraftExpiry))
	return next
}

// Kind is a kind of reminder mail; it names its templates.
type Kind string

const (
	DraftFirst  Kind = "draft-first"  // a draft untouched for 7 days
	DraftSecond Kind = "draft-second" // a draft untouched for 30 days
	HealthCheck Kind = "health-check" // to a partnership's contact: open a health-check round
	RoundNudge  Kind = "round-nudge"  // to a member of an open round who has not submitted
)

// Subject is what a due entry or a stop link is about.
type Subject string

const (
	AssessmentSubject  Subject = "assessment"
	PartnershipSubject Subject = "partnership"
)

// Entry is one entry of the due index.
type Entry struct {
	Subject Subject // "" for an item the job does not know
	ID      string
	// DueAt is exactly as stored: conditions compare it as a string.
	DueAt string
	// Action is the joint action of an ActionSubject entry (ID is its partnership).
	Action string
}

// Draft is what the job reads of an assessment.
type Draft struct {
	ID      string
	Council string
	Email   string // "" when none was given
	Status  string
	Stopped bool
	// Sent counts the draft reminders sent (0, 1 or 2).
	Sent int
	// Nudged is set once the member of a round has been nudged.
	Nudged bool
	// LastTouched is the latest change to the assessment or any answer.
	LastTouched     time.Time
	MailedTokenHash []byte
	PartnershipID   string
	Round           int
	DueAt           string
	// Areas maps each answers item to the updatedAt read, so that expiry
	// erases nothing changed since.
	Areas map[string]string
	// Colleagues maps the sort key of each colleague's item (issue 19) to
	// the updatedAt read: a colleague's answers keep the draft alive, and
	// expiring it erases them on the same condition as the areas.
	Colleagues map[string]string
	// ColleagueIdems are the colleagues' invitation records.
	ColleagueIdems []string
	// Lang is the assessment's language: its reminders are written in it.
	Lang locale.Lang
	// Viewers are the sort keys of the report's read-only links (issue 20)
	// and ViewerIdems their records: erased with it, whatever their state.
	Viewers, ViewerIdems []string
	// ViewSeq is META's count of links made, as read: expiry is
	// conditioned on it, so a link made since is not left behind.
	ViewSeq int64
	// IdempotencyKeyHash names the start request's record, erased with it.
	IdempotencyKeyHash string
	// MetaUpdatedAt is the assessment item's own updatedAt as read; an
	// area's first save moves it on, so expiry can tell a new area arrived.
	MetaUpdatedAt string
	// SubmittedAt and CopiedForwardAt (zero when never) set a submitted
	// assessment's retention deadline; RetentionWarnedFor is the deadline
	// whose warning was sent, as stored. Seat is its seat in the round.
	SubmittedAt, CopiedForwardAt time.Time
	RetentionWarnedFor           string
	Seat                         string
}

// Claim is the record, written before a mail is sent, that it is being sent.
type Claim struct {
	Kind Kind
	ID   string // the assessment (drafts, nudges) or partnership (health check)
	// Seen is the entry's dueAt when read (drafts, health check).
	Seen string
	// Next is where a draft's entry moves: its next reminder or its expiry.
	Next time.Time
	// Sent and PrevSent count a draft's reminders after and before.
	Sent, PrevSent int
	// TokenHash is the hash of the resume token in the mail; PrevTokenHash
	// the one it replaces (restored on release). Assessments only.
	TokenHash, PrevTokenHash []byte
	// StopHash is the hash of the mail's stop-reminders token.
	StopHash []byte
	// At is when a nudge was claimed.
	At time.Time
	// Seat and Round are the seat and round of a deadline reminder (ID is
	// the partnership); Assessment is the seat's draft in the round when it
	// started one, whose mailed token TokenHash then replaces.
	Seat       string
	Round      int
	Assessment string
}

// ErrTaken is returned by conditional store writes when the item changed
// since it was read: another run claimed it, the user touched or submitted
// it, or reminders were stopped. The job skips the item.
var ErrTaken = errors.New("reminders: item changed since read")

// Store is what the job needs from storage.
type Store interface {
	// DueReminders returns up to limit entries with dueAt ≤ now, earliest
	// first, in one Query of the due index; more reports that others may remain.
	DueReminders(ctx context.Context, now time.Time, limit int) (entries []Entry, more bool, err error)
	// ReminderDraft reads an assessment's reminder state; not_found when gone.
	ReminderDraft(ctx context.Context, id string) (*Draft, error)
	// LoadPartnership reads a partnership with its rounds and members; not_found when gone.
	LoadPartnership(ctx context.Context, id string) (*partnership.Partnership, error)
	// ClaimReminder records c as being sent; ErrTaken when someone already
	// did, the entry moved, or the item can no longer be reminded.
	ClaimReminder(ctx context.Context, c Claim) error
	// ReleaseReminder undoes c after a failed send, restoring the entry;
	// ErrTaken when the item changed since the claim (then nothing is undone).
	ReleaseReminder(ctx context.Context, c Claim) error
	// RescheduleReminder moves e to next, or off the index when next is
	// zero; ErrTaken when e's dueAt is no longer e.DueAt.
	RescheduleReminder(ctx context.Context, e Entry, next time.Time) error
	// ExpireDraft erases an abandoned draft, or a submitted assessment at
	// the end of its retention — every item, its membership, seat slot and
	// idempotency records — in one transaction; ErrTaken when it changed
	// since d was read.
	ExpireDraft(ctx context.Context, d *Draft) error
	// ReminderStopHashes returns the hashes of the stop tokens mailed about
	// the subject and whether its reminders are stopped; not_found when gone.
	ReminderStopHashes(ctx context.Context, s Subject, id string) (hashes [][]byte, stopped bool, err error)
	// StopReminders stops reminders about the subject when tokenHash is the
	// hash of a stop token mailed about it; not_found otherwise.
	StopReminders(ctx context.Context, s Subject, id string, tokenHash []byte) error
	// CloseRound closes round n of partnership id and logs act; conflict
	// when it is closed already (deadline.go).
	CloseRound(ctx context.Context, id string, n int, act partnership.Act) error
	// Suppress puts an address on the suppression list (mail.Suppressing
	// reads it), after a permanent bounce or a complaint.
	Suppress(ctx context.Context, address, reason string, at time.Time) error
	ActionStore    // actions.go
	ColleagueStore // colleagues.go
}

// Options tune a job.
type Options struct {
	// BaseURL is the public origin for links, e.g. https://rasp.example.gov.uk.
	BaseURL string
	// Batch is the most due entries one run handles (ReminderBatch).
	Batch int
	// Budget is how long a run may start new work (ReminderBudget); it
	// stops cleanly after that and leaves the rest to the next run.
	Budget time.Duration
	// Clock measures the budget; time.Now when nil.
	Clock func() time.Time
}

// Job sends the reminders that are due.
type Job struct {
	store   Store
	mailer  mail.Mailer
	log     *slog.Logger
	opts    Options
	wording Wording
}

// New returns a job sending with mailer in the words of wording. A nil
// mailer is allowed for stopping reminders only; Run then fails.
func New(store Store, mailer mail.Mailer, wording Wording, log *slog.Logger, opts Options) *Job {
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.Budget <= 0 {
		opts.Budget = 40 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	return &Job{store: store, mailer: mailer, wording: wording, log: log, opts: opts}
}

// Report counts what one run did. It holds no ids or addresses.
type Report struct {
	Due         int `json:"due"`         // entries read from the index
	Sent        int `json:"sent"`        // mails sent
	Rescheduled int `json:"rescheduled"` // entries moved without sending (touched since, not yet due)
	Expired     int `json:"expired"`     // abandoned drafts erased
	Closed      int `json:"closed"`      // rounds closed at their deadline
	Retired     int `json:"retired"`     // submitted assessments erased at the end of their retention
	Skipped     int `json:"skipped"`     // nothing to do, or taken by another run
	Covered     int `json:"covered"`     // recorded as sent: the person already had a mail about it this run
	Failed      int `json:"failed"`      // sends that failed: released, retried next run
	Rejected    int `json:"rejected"`    // mails refused for good: not retried
	Suppressed  int `json:"suppressed"`  // not sent: the address bounced or complained before (kept as sent)
	Errors      int `json:"errors"`      // store errors: the entry stays due
	// More is true when entries may be left for the next run (batch full,
	// budget spent or the run cancelled).
	More bool `json:"more"`
	// Suppressions counts the addresses a mail event (not a run) put on
	// the suppression list.
	Suppressions int `json:"suppressions,omitempty"`
}

// run is the state of one Run.
type run struct {
	*Job
	now   time.Time
	start time.Time
	rep   Report
	// mailed holds the claim of each assessment mailed in this run. One
	// person gets one mail per run: a second reminder about the same
	// assessment (a member who joined a round late is due both the 7-day
	// reminder and the round nudge the same morning) is recorded as covered
	// by the first, which has the same resume and stop links, and not sent.
	mailed map[string]Claim
}

// Run handles the entries due at now, Options.Batch at a time, reading
// the next batch while within Options.Budget: handling an entry moves it
// off "due" (sent, rescheduled or expired), so each read starts again from
// the earliest still due. It returns an error only when the first batch
// cannot be read; failures on single entries are counted in the report and
// left for the next run, and so is what the budget did not reach (More).
func (j *Job) Run(ctx context.Context, now time.Time) (Report, error) {
	if j.mailer == nil {
		return Report{}, errors.New("reminders: no mailer configured")
	}
	r := &run{Job: j, now: now.UTC(), start: j.opts.Clock(), mailed: map[string]Claim{}}
	// Entries this run has handled: one that stays due (a failed send, a
	// store error) is read again by the next batch and must not be
	// handled twice, nor keep the run going round.
	type subject struct {
		kind   Subject
		id     string
		action string
	}
	seen := map[subject]bool{}
	for batch := 0; ; batch++ {
		entries, more, err := j.store.DueReminders(ctx, r.now, j.opts.Batch)
		if err != nil {
			if batch == 0 {
				return Report{}, fmt.Errorf("read due reminders: %w", err)
			}
			r.storeError(ctx, "read due reminders", err)
			r.rep.More = true
			return r.rep, nil
		}
		fresh := 0
		for _, e := range entries {
			k := subject{e.Subject, e.ID, e.Action}
			if seen[k] {
				continue
			}
			if r.stopping(ctx) {
				r.rep.More = true
				return r.rep, nil
			}
			seen[k] = true
			fresh++
			r.rep.Due++
			switch e.Subject {
			case AssessmentSubject:
				r.draft(ctx, e)
			case PartnershipSubject:
				r.partnership(ctx, e)
			case ActionSubject:
				r.action(ctx, e)
			case ColleagueSubject:
				r.colleague(ctx, e)
			default:
				r.rep.Skipped++
			}
		}
		if !more {
			return r.rep, nil
		}
		if fresh == 0 {
			// A whole batch of entries that stay due: what lies behind
			// them waits for the next run, and the metric says so.
			r.rep.More = true
			return r.rep, nil
		}
	}
}

// stopping reports that the run must take no new work.
func (r *run) stopping(ctx context.Context) bool {
	return ctx.Err() != nil || r.opts.Clock().Sub(r.start) >= r.opts.Budget
}

// storeError counts and logs a failed store call; the entry stays due.
func (r *run) storeError(ctx context.Context, what string, err error) {
	r.rep.Errors++
	r.log.WarnContext(ctx, "reminder store call failed", slog.String("step", what),
		slog.String("code", string(failure.CodeOf(err))), slog.String("error", err.Error()))
}

// reschedule moves an entry without sending.
func (r *run) reschedule(ctx context.Context, e Entry, next time.Time) {
	if !next.IsZero() && next.UTC().Format(time.RFC3339Nano) == e.DueAt {
		r.rep.Skipped++ // already there (sub-second string order; see DueReminders)
		return
	}
	switch err := r.store.RescheduleReminder(ctx, e, next); {
	case errors.Is(err, ErrTaken):
		r.rep.Skipped++
	case err != nil:
		r.storeError(ctx, "reschedule", err)
	default:
		r.rep.Rescheduled++
	}
}

// outcome of one claimed send.
type outcome int

const (
	settled outcome = iota // sent, or refused for good: nothing more to do
	taken                  // claimed by someone else, or no longer due
	failed                 // not sent; released for the next run
)

// sendTimeout bounds one send, so that a hung connection cannot carry the
// run past its budget into the Lambda timeout, between a claim and its release.
const sendTimeout = 10 * time.Second

// send claims c, sends m and releases the claim if the send fails.
func (r *run) send(ctx context.Context, c Claim, m mail.Message) outcome {
	switch err := r.store.ClaimReminder(ctx, c); {
	case errors.Is(err, ErrTaken):
		r.rep.Skipped++
		return taken
	case err != nil:
		r.storeError(ctx, "claim", err)
		return failed
	}
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	err := r.mailer.Send(sctx, m)
	cancel()
	if err == nil {
		r.rep.Sent++
		// A colleague's reminder goes to the colleague, not to the
		// assessment's lead: it covers none of the lead's.
		if c.Kind != HealthCheck && c.Kind != ColleagueNudge && c.Kind != DeadlineReminder {
			r.mailed[c.ID] = c
		}
		return settled
	}
	if errors.Is(err, mail.ErrSuppressed) {
		// Keep the claim: the address must not be mailed again.
		r.rep.Suppressed++
		r.log.InfoContext(ctx, "reminder not sent: the address bounced or complained before", slog.String("kind", string(c.Kind)))
		return settled
	}
	if errors.Is(err, mail.ErrRejected) {
		// Keep the claim: sending again would be refused again.
		r.rep.Rejected++
		r.log.WarnContext(ctx, "reminder refused by the mail service", slog.String("kind", string(c.Kind)), slog.String("error", err.Error()))
		return settled
	}
	r.rep.Failed++
	r.log.WarnContext(ctx, "reminder not sent; released for the next run", slog.String("kind", string(c.Kind)), slog.String("error", err.Error()))
	// Release even when the run's context is done: otherwise the reminder
	// would be lost.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := r.store.ReleaseReminder(rctx, c); err != nil && !errors.Is(err, ErrTaken) {
		r.storeError(ctx, "release", err)
	}
	return failed
}

// cover records c as sent without sending: prev, this run's mail about the
// same assessment, stands for it, so c takes prev's token hashes.
func (r *run) cover(ctx context.Context, c Claim, prev Claim) outcome {
	c.TokenHash, c.StopHash = prev.TokenHash, prev.StopHash
	switch err := r.store.ClaimReminder(ctx, c); {
	case errors.Is(err, ErrTaken):
		r.rep.Skipped++
		return taken
	case err != nil:
		r.storeError(ctx, "claim", err)
		return failed
	}
	r.rep.Covered++
	return settled
}

// draft handles the due entry of an assessment.
func (r *run) draft(ctx context.Context, e Entry) {
	d, err := r.store.ReminderDraft(ctx, e.ID)
	switch {
	case failure.CodeOf(err) == failure.NotFound:
		r.rep.Skipped++ // deleted since the index was read
		return
	case err != nil:
		r.storeError(ctx, "read draft", err)
		return
	case d.DueAt != e.DueAt:
		r.rep.Skipped++ // moved since the index was read
		return
	case d.Status == assessment.Submitted:
		r.retain(ctx, e, d)
		return
	case d.Status != assessment.Draft:
		r.rep.Skipped++
		return
	}
	expiry := d.LastTouched.Add(assessment.DraftExpiry)
	if !r.now.Before(expiry) {
		r.erase(ctx, d, "expire draft", &r.rep.Expired)
		return
	}
	kind, sentAfter, next := draftPlan(d, r.now, expiry)
	if kind == "" {
		r.reschedule(ctx, e, next)
		return
	}
	m, c, err := r.draftMail(d, kind, e.DueAt, sentAfter, next, expiry)
	if err != nil {
		r.storeError(ctx, "render", err)
		return
	}
	if prev, ok := r.mailed[d.ID]; ok {
		r.cover(ctx, c, prev)
		return
	}
	r.send(ctx, c, m)
}

// erase erases d (ExpireDraft) and counts it in done; one changed since it
// was read is skipped, and left for its new entry.
func (r *run) erase(ctx context.Context, d *Draft, what string, done *int) {
	switch err := r.store.ExpireDraft(ctx, d); {
	case errors.Is(err, ErrTaken):
		r.rep.Skipped++
	case err != nil:
		r.storeError(ctx, what, err)
	default:
		*done++
	}
}

// draftPlan decides what a due draft needs: a reminder of kind (then the
// entry moves to next), or no mail and the entry moved to next. Reminders
// count from the last change, so a draft touched since is only rescheduled;
// a draft first seen 30 days untouched gets the second reminder alone.
func draftPlan(d *Draft, now, expiry time.Time) (kind Kind, sentAfter int, next time.Time) {
	first, second := d.LastTouched.Add(FirstReminder), d.LastTouched.Add(SecondReminder)
	switch {
	case d.Email == "" || d.Stopped || d.Sent >= 2:
		return "", d.Sent, expiry // nothing to send; the entry still expires it
	case !now.Before(second):
		return DraftSecond, 2, expiry
	case d.Sent == 1:
		return "", d.Sent, second
	case !now.Before(first):
		return DraftFirst, 1, second
	default:
		return "", d.Sent, first
	}
}

// partnership handles the due entry of a partnership: the health check of
// its last finished round, or nudges for its open round.
func (r *run) partnership(ctx context.Context, e Entry) {
	p, err := r.store.LoadPartnership(ctx, e.ID)
	switch {
	case failure.CodeOf(err) == failure.NotFound:
		r.rep.Skipped++
		return
	case err != nil:
		r.storeError(ctx, "read partnership", err)
		return
	}
	cur, ok := p.Round(p.CurrentRound)
	if !ok {
		r.rep.Skipped++
		return
	}
	if cur.Status == partnership.Open && cur.HasDeadline() && !r.now.Before(cur.Deadline) && roundDone(cur).IsZero() {
		if !r.closeAtDeadline(ctx, p, cur) {
			return
		}
	}
	if done := roundDone(cur); !done.IsZero() {
		cadence := p.CadenceMonths
		if cadence <= 0 {
			cadence = DefaultCadenceMonths
		}
		due := done.AddDate(0, cadence, 0)
		switch {
		case r.now.Before(due):
			r.reschedule(ctx, e, due)
		case p.ContactEmail == "" || p.StopReminders:
			r.reschedule(ctx, e, time.Time{}) // nobody to tell: off the index until the next round
		default:
			m, c, err := r.healthCheckMail(p, cur, done, e.DueAt)
			if err != nil {
				r.storeError(ctx, "render", err)
				return
			}
			r.send(ctx, c, m)
		}
		return
	}
	// The round is open: what is due of its deadline's reminder and its
	// nudge goes out, then the entry moves to its next event (or a recheck).
	complete := true
	if cur.HasDeadline() && !r.now.Before(cur.DeadlineReminderAt()) {
		complete = r.remindOfDeadline(ctx, p, cur)
	}
	if !r.now.Before(cur.OpenedAt.Add(NudgeAfter)) {
		complete = r.nudge(ctx, p, cur) && complete
	}
	if !complete {
		return // stays due: the next run resends only what failed
	}
	next := r.now.Add(RecheckAfter)
	if ev, ok := cur.NextEvent(r.now); ok && ev.Before(next) {
		next = ev
	}
	r.reschedule(ctx, e, next)
}

// nudge mails every member of the open round cur who has not submitted
// and has not been nudged. It reports whether all went out; otherwise the
// partnership's entry stays due and the next run resends only what failed.
func (r *run) nudge(ctx context.Context, p *partnership.Partnership, cur *partnership.Round) bool {
	done := councilsDone(cur)
	complete := true
	for _, m := range cur.Members {
		if m.Status == assessment.Submitted || done[councilKey(m.Council)] {
			continue
		}
		if r.stopping(ctx) {
			return false
		}
		d, err := r.store.ReminderDraft(ctx, m.Assessment)
		switch {
		case failure.CodeOf(err) == failure.NotFound:
			continue
		case err != nil:
			r.storeError(ctx, "read member", err)
			complete = false
			continue
		case d.Status != assessment.Draft || d.Email == "" || d.Stopped || d.Nudged:
			continue
		}
		msg, c, err := r.nudgeMail(p, cur, d)
		if err != nil {
			r.storeError(ctx, "render", err)
			complete = false
			continue
		}
		send := func() outcome { return r.send(ctx, c, msg) }
		if prev, ok := r.mailed[d.ID]; ok {
			send = func() outcome { return r.cover(ctx, c, prev) }
		}
		if send() == failed {
			complete = false
		}
	}
	return complete
}

// roundDone is when a round finished: closed, or every council in it
// submitted (the comparison unsealed). Zero while still open.
func roundDone(r *partnership.Round) time.Time {
	if r.ClosedAt != nil {
		return *r.ClosedAt
	}
	var last time.Time
	done := councilsDone(r)
	if len(done) == 0 {
		return time.Time{}
	}
	for _, ok := range done {
		if !ok {
			return time.Time{}
		}
	}
	for _, m := range r.Members {
		if m.SubmittedAt != nil && !m.Prospective && m.SubmittedAt.After(last) {
			last = *m.SubmittedAt
		}
	}
	return last
}

// councilsDone says, per council member of the round (prospective partners
// aside), whether it has submitted: a council counts once, however many
// drafts it started, as in the comparison.
func councilsDone(r *partnership.Round) map[string]bool {
	done := map[string]bool{}
	for _, m := range r.Members {
		if !m.Prospective {
			k := councilKey(m.Council)
			done[k] = done[k] || m.Status == assessment.Submitted
		}
	}
	return done
}

func councilKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }
