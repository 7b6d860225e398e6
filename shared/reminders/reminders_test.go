package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	rmail "github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/reminders"
)

// want is one expected mail: recipient and subject.
type want struct{ to, subject string }

func got(ms []sentMail) []want {
	out := make([]want, 0, len(ms))
	for _, m := range ms {
		out = append(out, want{m.to, m.subject})
	}
	slices.SortFunc(out, func(a, b want) int { return strings.Compare(a.to, b.to) })
	return out
}

func sorted(ws ...want) []want {
	slices.SortFunc(ws, func(a, b want) int { return strings.Compare(a.to, b.to) })
	return ws
}

func checkMails(t *testing.T, gotMails []sentMail, wantMails []want) {
	t.Helper()
	if g := got(gotMails); !slices.Equal(g, wantMails) {
		t.Errorf("outbox:\n got %v\nwant %v", g, wantMails)
	}
}

// The acceptance test: on DynamoDB Local with a fixed clock, drafts at 6,
// 7 and 30 days and partnerships due and not due give exactly the expected
// mails; the job run again sends nothing more; the due entries are read
// with one Query of the "due" index and nothing is scanned.
func TestRunSendsExactlyTheDueReminders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)

	// Drafts on their own.
	w.start(now.Add(-6*day), "Six Days Council", "six@council.gov.uk", "", "")
	seven := w.start(now.Add(-7*day), "Seven Days Council", "seven@council.gov.uk", "", "")
	w.start(now.Add(-30*day), "Thirty Days Council", "thirty@council.gov.uk", "", "")
	w.start(now.Add(-30*day), "No Address Council", "", "", "")
	submitted := w.start(now.Add(-8*day), "Submitted Council", "submitted@council.gov.uk", "", "")
	w.submit(now.Add(-8*day+time.Hour), submitted)
	deleted := w.start(now.Add(-8*day), "Deleted Council", "deleted@council.gov.uk", "", "")
	w.clock.Set(now.Add(-8*day + time.Hour))
	if err := w.assessments.Delete(context.Background(), w.lead(deleted.ID, deleted.Token)); err != nil {
		t.Fatal(err)
	}
	touched := w.start(now.Add(-10*day), "Touched Council", "touched@council.gov.uk", "", "")
	w.answer(now.Add(-2*day), touched, false)
	abandoned := w.start(now.Add(-181*day), "Abandoned Council", "abandoned@council.gov.uk", "", "")

	// A partnership whose round closed 12 months and 5 days ago: health check due.
	due := w.partnership(now.Add(-400*day), "Health Check Due Partnership", "contact-due@council.gov.uk", 12)
	w.closeRound(now.Add(-370*day), due, 1)
	// One on a 6-month cadence whose round closed 100 days ago: not due.
	notDue := w.partnership(now.Add(-200*day), "Not Due Partnership", "contact-notdue@council.gov.uk", 6)
	w.closeRound(now.Add(-100*day), notDue, 1)
	// An open round, 20 days old: members who have not submitted are nudged.
	open := w.partnership(now.Add(-20*day), "Open Round Partnership", "contact-open@council.gov.uk", 12)
	brent := w.start(now.Add(-19*day), "Brent", "brent@council.gov.uk", open.JoinCode, "")
	w.submit(now.Add(-15*day), brent)
	lewisham := w.start(now.Add(-19*day), "Lewisham", "lewisham@council.gov.uk", open.JoinCode, "")
	w.answer(now.Add(-2*day), lewisham, false) // touched since: no draft reminder, but nudged
	w.start(now.Add(-19*day), "Southwark", "", open.JoinCode, "")
	// Croydon (a prospective partner) is due both its 7-day reminder and
	// the nudge: it gets one mail.
	w.start(now.Add(-19*day), "Croydon", "croydon@council.gov.uk", open.JoinCode, "new-partner")
	// A round opened 10 days ago: too early to nudge.
	young := w.partnership(now.Add(-10*day), "Young Partnership", "contact-young@council.gov.uk", 12)
	w.start(now.Add(-9*day), "Merton", "merton@council.gov.uk", young.JoinCode, "")

	w.api.take()
	rep := w.run(now)

	wantMails := sorted(
		want{"seven@council.gov.uk", "Your readiness assessment for Seven Days Council is not finished"},
		want{"thirty@council.gov.uk", "Reminder: your readiness assessment for Thirty Days Council is not finished"},
		want{"contact-due@council.gov.uk", "Health Check Due Partnership: a health check is due"},
		want{"lewisham@council.gov.uk", "Open Round Partnership: your assessment for Lewisham is waiting"},
		want{"croydon@council.gov.uk", "Your readiness assessment for Croydon is not finished"},
		want{"merton@council.gov.uk", "Your readiness assessment for Merton is not finished"},
	)
	checkMails(t, w.mails(), wantMails)
	if rep.Sent != len(wantMails) || rep.Expired != 1 || rep.Covered != 1 || rep.Failed+rep.Errors+rep.Rejected != 0 || rep.More {
		t.Errorf("report: got %+v, want %d sent, 1 expired, 1 covered, no failures", rep, len(wantMails))
	}

	// The due entries: one Query of the index; the rest are reads and
	// writes of single items or partitions. No Scan.
	calls := w.api.take()
	var indexQueries int
	for _, c := range calls {
		switch {
		case c == "Query due: #shard = :due AND #at <= :now":
			indexQueries++
		case c == "Scan":
			t.Errorf("the job scanned")
		case strings.HasPrefix(c, "Query ") && c != "Query table: pk = :pk":
			t.Errorf("unexpected query %q", c)
		}
	}
	if indexQueries != 1 {
		t.Errorf("got %d queries of the due index, want 1 (calls %v)", indexQueries, calls)
	}
	var sawIndex bool
	w.mu.Lock()
	for _, c := range w.capacity {
		if strings.Contains(strings.ToLower(c.op), "scan") {
			t.Errorf("capacity consumed by a scan: %+v", c)
		}
		if c.op == "DueReminders" {
			sawIndex = true
			if _, ok := c.cc.GlobalSecondaryIndexes["due"]; !ok {
				t.Errorf("DueReminders capacity names no index \"due\": %+v", c.cc)
			}
		}
	}
	w.mu.Unlock()
	if !sawIndex {
		t.Error("no consumed capacity recorded for the due Query")
	}

	// The abandoned draft is erased, every item of it.
	if n := w.itemsOf("A#" + abandoned.ID); n != 0 {
		t.Errorf("abandoned draft: %d items left, want 0", n)
	}

	// The resume link in a reminder opens the draft; the first token still works too.
	var sevenMail sentMail
	for _, m := range w.mails() {
		if m.to == "seven@council.gov.uk" {
			sevenMail = m
		}
	}
	resume := sevenMail.link(t, "/resume")
	if want := "/assessments/" + seven.ID + "/resume"; resume.Path != want {
		t.Errorf("resume link path: got %s, want %s", resume.Path, want)
	}
	for _, token := range []string{resume.Query().Get("token"), seven.Token} {
		if _, err := w.auth.Assessment(context.Background(), seven.ID, token); err != nil {
			t.Errorf("resume token: %v", err)
		}
	}
	if stop := sevenMail.link(t, "/stop-reminders"); stop.String() != sevenMail.unsubscribe {
		t.Errorf("List-Unsubscribe %q is not the stop link %q", sevenMail.unsubscribe, stop)
	}
	for _, m := range w.mails() {
		if strings.Contains(m.text, seven.Token) || strings.Contains(m.text, lewisham.Token) {
			t.Errorf("mail to %s contains an assessment's own token", m.to)
		}
	}

	// Run again, at once and later that day: nothing more. (The next day
	// the six-day draft is seven days old.)
	for _, at := range []time.Time{now, now.Add(time.Minute), now.Add(12 * time.Hour)} {
		if rep := w.run(at); rep.Sent != 0 || rep.Covered != 0 {
			t.Errorf("run at %s: got %+v, want nothing sent", at, rep)
		}
	}
	checkMails(t, w.mails(), wantMails)
}

// The stop link works: after it, no more reminders about that assessment
// or partnership; others carry on. GET-style checks change nothing, a
// wrong token stops nothing, and every mail's link keeps working.
func TestStopLinkStopsReminders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	stopped := w.start(now.Add(-7*day), "Stop Council", "stop@council.gov.uk", "", "")
	w.start(now.Add(-7*day), "Keep Council", "keep@council.gov.uk", "", "")
	p := w.partnership(now.Add(-200*day), "Stop Partnership", "contact@council.gov.uk", 3)
	w.closeRound(now.Add(-100*day), p, 1)

	w.run(now)
	first := map[string]sentMail{}
	for _, m := range w.mails() {
		first[m.to] = m
	}
	checkMails(t, w.mails(), sorted(
		want{"stop@council.gov.uk", "Your readiness assessment for Stop Council is not finished"},
		want{"keep@council.gov.uk", "Your readiness assessment for Keep Council is not finished"},
		want{"contact@council.gov.uk", "Stop Partnership: a health check is due"},
	))

	job := w.job(nil, reminders.Options{})
	stopLink := first["stop@council.gov.uk"].link(t, "/stop-reminders")
	if want := "/assessments/" + stopped.ID + "/stop-reminders"; stopLink.Path != want {
		t.Fatalf("stop link path: got %s, want %s", stopLink.Path, want)
	}
	token := stopLink.Query().Get("token")
	for _, bad := range []string{"", token + "x", stopped.Token} {
		if err := job.Stop(ctx, reminders.AssessmentSubject, stopped.ID, bad); failure.CodeOf(err) != failure.NotFound {
			t.Errorf("stop with token %.6q…: got %v, want not_found", bad, err)
		}
	}
	if isStopped, err := job.CheckStop(ctx, reminders.AssessmentSubject, stopped.ID, token); err != nil || isStopped {
		t.Errorf("check before stop: got %v, %v; want false, nil", isStopped, err)
	}
	for range 2 { // stopping twice is fine
		if err := job.Stop(ctx, reminders.AssessmentSubject, stopped.ID, token); err != nil {
			t.Fatalf("stop: %v", err)
		}
	}
	if isStopped, err := job.CheckStop(ctx, reminders.AssessmentSubject, stopped.ID, token); err != nil || !isStopped {
		t.Errorf("check after stop: got %v, %v; want true, nil", isStopped, err)
	}
	// The assessment itself is untouched.
	if _, err := w.auth.Assessment(ctx, stopped.ID, stopped.Token); err != nil {
		t.Errorf("stopped assessment: %v", err)
	}
	partnershipStop := first["contact@council.gov.uk"].link(t, "/stop-reminders")
	if err := job.Stop(ctx, reminders.PartnershipSubject, p.ID, partnershipStop.Query().Get("token")); err != nil {
		t.Fatalf("stop partnership reminders: %v", err)
	}

	// 30 days after the last change: only Keep Council hears again.
	w.openRound(now.Add(day), p)
	w.closeRound(now.Add(2*day), p, 2)
	before := len(w.mails())
	w.run(now.Add(24 * day))
	checkMails(t, w.mails()[before:], []want{{"keep@council.gov.uk", "Reminder: your readiness assessment for Keep Council is not finished"}})
	// Keep Council's first stop link still works after the second mail.
	keepFirst := first["keep@council.gov.uk"].link(t, "/stop-reminders")
	if _, err := job.CheckStop(ctx, reminders.AssessmentSubject, keepFirst.Path[len("/assessments/"):len(keepFirst.Path)-len("/stop-reminders")], keepFirst.Query().Get("token")); err != nil {
		t.Errorf("first mail's stop link after a second mail: %v", err)
	}

	// The partnership's next health check falls due: its contact stopped them.
	before = len(w.mails())
	if rep := w.run(now.Add(2*day).AddDate(0, 3, 1)); rep.Sent != 0 {
		t.Errorf("run after the next health check fell due: got %+v, want nothing sent", rep)
	}
	checkMails(t, w.mails()[before:], []want{})
}

// flaky fails sends to the given addresses with err, the first times times.
type flaky struct {
	rmail.Mailer
	mu    sync.Mutex
	fail  map[string]int
	err   error
	calls int
}

func (f *flaky) Send(ctx context.Context, m rmail.Message) error {
	f.mu.Lock()
	f.calls++
	n := f.fail[m.To]
	if n > 0 {
		f.fail[m.To] = n - 1
	}
	f.mu.Unlock()
	if n > 0 {
		return f.err
	}
	return f.Mailer.Send(ctx, m)
}

// A failed send is released and sent by the next run, once; a refused one
// is not retried.
func TestFailedSendIsRetriedNextRun(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	d := w.start(now.Add(-7*day), "Retry Council", "retry@council.gov.uk", "", "")
	w.start(now.Add(-7*day), "Refused Council", "refused@council.gov.uk", "", "")
	before, err := w.store.ReminderDraft(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	// One address fails once (the service is down); the other is refused for good.
	m := &flaky{Mailer: w.mailer, err: errors.New("ses: send: ServiceUnavailable"), fail: map[string]int{"retry@council.gov.uk": 1}}
	refused := &flaky{Mailer: m, err: fmt.Errorf("ses: send: MessageRejected: %w", rmail.ErrRejected), fail: map[string]int{"refused@council.gov.uk": 99}}
	j := w.job(refused, reminders.Options{})

	rep, err := j.Run(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 0 || rep.Failed != 1 || rep.Rejected != 1 {
		t.Errorf("first run: got %+v, want 1 failed, 1 rejected", rep)
	}
	after, err := w.store.ReminderDraft(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.DueAt != before.DueAt || after.Sent != 0 || len(after.MailedTokenHash) != 0 {
		t.Errorf("after a failed send: due %s sent %d mailed %x; want the claim released (due %s, sent 0, no mailed token)",
			after.DueAt, after.Sent, after.MailedTokenHash, before.DueAt)
	}
	checkMails(t, w.mails(), []want{})

	for i, wantSent := range []int{1, 0} {
		rep, err := j.Run(ctx, now.Add(time.Duration(i+1)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Sent != wantSent || rep.Failed+rep.Rejected != 0 {
			t.Errorf("run %d: got %+v, want %d sent and no failures", i+2, rep, wantSent)
		}
	}
	checkMails(t, w.mails(), []want{{"retry@council.gov.uk", "Your readiness assessment for Retry Council is not finished"}})
}

// Of the nudges of one partnership, only the ones that failed are sent
// again; the partnership's entry waits until all went out.
func TestPartialNudgeFailureResendsOnlyWhatFailed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	p := w.partnership(now.Add(-15*day), "Nudge Partnership", "", 12)
	for _, c := range []string{"Ealing", "Hounslow"} {
		s := w.start(now.Add(-15*day), c, strings.ToLower(c)+"@council.gov.uk", p.JoinCode, "")
		w.answer(now.Add(-1*day), s, false) // no draft reminder due
	}
	m := &flaky{Mailer: w.mailer, err: errors.New("ses: send: TooManyRequestsException"), fail: map[string]int{"hounslow@council.gov.uk": 1}}
	j := w.job(m, reminders.Options{})
	for i, wantSent := range []int{1, 1, 0} {
		rep, err := j.Run(ctx, now.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Sent != wantSent {
			t.Errorf("run %d: got %+v, want %d sent", i+1, rep, wantSent)
		}
	}
	checkMails(t, w.mails(), sorted(
		want{"ealing@council.gov.uk", "Nudge Partnership: your assessment for Ealing is waiting"},
		want{"hounslow@council.gov.uk", "Nudge Partnership: your assessment for Hounslow is waiting"},
	))
}

// Two runs at the same time (a retry overlapping a slow run) send each
// reminder once between them.
func TestOverlappingRunsSendEachReminderOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var wantMails []want
	for i := range 8 {
		c := fmt.Sprintf("Council %d", i)
		w.start(now.Add(-7*day), c, fmt.Sprintf("c%d@council.gov.uk", i), "", "")
		wantMails = append(wantMails, want{fmt.Sprintf("c%d@council.gov.uk", i), "Your readiness assessment for " + c + " is not finished"})
	}
	var wg sync.WaitGroup
	reps := make([]reminders.Report, 3)
	for i := range reps {
		wg.Go(func() {
			rep, err := w.job(w.mailer, reminders.Options{}).Run(context.Background(), now)
			if err != nil {
				t.Error(err)
			}
			reps[i] = rep
		})
	}
	wg.Wait()
	total := 0
	for _, r := range reps {
		total += r.Sent
	}
	if total != len(wantMails) {
		t.Errorf("sent %d in total (%+v), want %d", total, reps, len(wantMails))
	}
	checkMails(t, w.mails(), sorted(wantMails...))
}

// A run handles at most Batch entries and stops taking work when its
// budget is spent; the rest go out in the next run.
func TestBatchAndBudgetLeaveTheRestForNextRun(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for i := range 3 {
		w.start(now.Add(-7*day), fmt.Sprintf("Council %d", i), fmt.Sprintf("c%d@council.gov.uk", i), "", "")
	}
	// A clock that jumps a minute on every reading: the 40-second budget
	// is spent before the first entry.
	var mu sync.Mutex
	tick := now
	slow := func() time.Time { mu.Lock(); defer mu.Unlock(); tick = tick.Add(time.Minute); return tick }
	rep, err := w.job(w.mailer, reminders.Options{Budget: 40 * time.Second, Clock: slow}).Run(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 0 || !rep.More {
		t.Errorf("over budget: got %+v, want nothing sent and more left", rep)
	}

	// A small batch is a page size: one run reads pages until nothing is
	// due (issue 14: the job keeps going while within its budget).
	batch := w.job(w.mailer, reminders.Options{Batch: 2})
	for i, want := range []struct {
		sent int
		more bool
	}{{3, false}, {0, false}} {
		rep, err := batch.Run(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Sent != want.sent || rep.More != want.more {
			t.Errorf("batch run %d: got %+v, want %d sent, more %v", i+1, rep, want.sent, want.more)
		}
	}
	if n := len(w.mails()); n != 3 {
		t.Errorf("got %d mails, want 3", n)
	}
}

// Issue 14: drafts without an address cannot be reminded, so they must not
// take the job's slots. 300 of them started before 20 drafts with
// addresses, all past their first week: one run, with the default batch,
// mails all 20.
func TestAddresslessDraftsTakeNoReminderSlots(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i := range 300 {
		w.start(now.Add(-9*day).Add(time.Duration(i)*time.Second), fmt.Sprintf("Quiet Council %d", i), "", "", "")
	}
	var wantMails []want
	for i := range 20 {
		c := fmt.Sprintf("Busy Council %d", i)
		w.start(now.Add(-8*day), c, fmt.Sprintf("busy%d@council.gov.uk", i), "", "")
		wantMails = append(wantMails, want{fmt.Sprintf("busy%d@council.gov.uk", i), "Your readiness assessment for " + c + " is not finished"})
	}
	rep := w.run(now)
	checkMails(t, w.mails(), sorted(wantMails...))
	// The quiet drafts are not even due: their entry waits for expiry.
	if rep.Sent != 20 || rep.Due != 20 || rep.More {
		t.Errorf("report: got %+v, want 20 due, 20 sent and nothing left", rep)
	}
}
