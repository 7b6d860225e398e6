package reminders_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/reminders"
)

// actionWorld is a partnership with two seats (Brent has an address,
// Lewisham none) and a contact, and one action Brent owns.
type actionWorld struct {
	*world
	p     partnership.Created
	brent string // seat id
	act   action.Action
}

func newActionWorld(t *testing.T, due time.Time) *actionWorld {
	t.Helper()
	w := newWorld(t)
	w.clock.Set(now.Add(-30 * day))
	p, err := w.partnerships.Create(context.Background(), partnership.CreateInput{Name: "South London shared ICT", Form: "collaborate",
		ContactEmail: "contact@partnership.gov.uk", CadenceMonths: 12, Councils: []partnership.SeatInput{
			{Name: "Brent", Email: "brent@council.gov.uk"}, {Name: "Lewisham"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	aw := &actionWorld{world: w, p: p}
	for _, s := range p.Seats {
		if s.Council == "Brent" {
			aw.brent = s.Seat
		}
	}
	aw.act = aw.create(now.Add(-20*day), "Appoint a change manager", due)
	return aw
}

func (aw *actionWorld) create(at time.Time, title string, due time.Time) action.Action {
	aw.t.Helper()
	aw.clock.Set(at)
	p := aw.admin(aw.p)
	d := due.Format(action.DateLayout)
	a, err := aw.partnerships.CreateAction(context.Background(), p, partnership.ActorOf(p, partnership.AdminAccess, ""),
		action.Input{Title: &title, Due: &d, OwnerSeats: &[]string{aw.brent}}, idempotency.Request{})
	if err != nil {
		aw.t.Fatal(err)
	}
	return a
}

func (aw *actionWorld) update(at time.Time, in action.Input) {
	aw.t.Helper()
	aw.clock.Set(at)
	p := aw.admin(aw.p)
	if _, err := aw.partnerships.UpdateAction(context.Background(), p, partnership.ActorOf(p, partnership.AdminAccess, ""), aw.act.ID, in); err != nil {
		aw.t.Fatal(err)
	}
}

// actionMails are the outbox's mails about actions.
func (aw *actionWorld) actionMails() []sentMail {
	var out []sentMail
	for _, m := range aw.mails() {
		if strings.Contains(m.subject, "action") {
			out = append(out, m)
		}
	}
	return out
}

// Issue 18 acceptance: 7 days before its due date the owner seat's and the
// admin's addresses get one mail, and one when it is overdue; running the
// job again, or two runs at once, sends nothing more.
func TestActionRemindersMailedOnce(t *testing.T) {
	t.Parallel()
	due := time.Date(2036, 12, 8, 0, 0, 0, 0, time.UTC) // 7 days after now
	aw := newActionWorld(t, due)

	aw.run(now.Add(-2 * day)) // 9 days before: nothing yet
	if ms := aw.actionMails(); len(ms) != 0 {
		t.Fatalf("9 days before the due date: %d action mails", len(ms))
	}
	// Two runs at once on the morning 7 days before: one mail each.
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := aw.job(aw.mailer, reminders.Options{}).Run(context.Background(), now); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	aw.run(now.Add(time.Hour))
	soon := sorted(want{"brent@council.gov.uk", "South London shared ICT: an action is due on 8 December 2036"},
		want{"contact@partnership.gov.uk", "South London shared ICT: an action is due on 8 December 2036"})
	checkMails(t, aw.actionMails(), soon)

	aw.run(due.Add(9 * time.Hour)) // on the due date: not overdue yet
	checkMails(t, aw.actionMails(), soon)
	for range 2 {
		aw.run(due.Add(day + 9*time.Hour)) // the day after: overdue, once
	}
	overdue := "South London shared ICT: an action is overdue"
	checkMails(t, aw.actionMails(), sorted(append(soon, want{"brent@council.gov.uk", overdue}, want{"contact@partnership.gov.uk", overdue})...))
	aw.run(due.Add(30 * day))
	if n := len(aw.actionMails()); n != 4 {
		t.Errorf("a month later: %d action mails, want still 4", n)
	}
	for _, call := range aw.api.take() {
		if call == "Scan" {
			t.Errorf("the job scanned")
		}
	}
}

// Changing the due date plans the reminders again; marking the action done
// takes it off the due index; a stop link stops its own recipient only.
func TestActionRemindersReplannedAndStopped(t *testing.T) {
	t.Parallel()
	due := time.Date(2036, 12, 8, 0, 0, 0, 0, time.UTC)
	aw := newActionWorld(t, due)
	aw.run(now)
	if n := len(aw.actionMails()); n != 2 {
		t.Fatalf("7 days before: %d action mails, want 2", n)
	}
	// Brent stops its reminders about the action from its mail's link.
	var brentMail sentMail
	for _, m := range aw.actionMails() {
		if m.to == "brent@council.gov.uk" {
			brentMail = m
		}
	}
	stop := brentMail.link(t, "/stop-reminders")
	if brentMail.unsubscribe == "" || !strings.Contains(brentMail.unsubscribe, "/actions/"+aw.act.ID+"/stop-reminders") {
		t.Errorf("no List-Unsubscribe to the action's stop page: %q", brentMail.unsubscribe)
	}
	job := aw.job(aw.mailer, reminders.Options{})
	q := stop.Query()
	if stopped, err := job.CheckStopAction(context.Background(), aw.p.ID, aw.act.ID, q.Get("for"), q.Get("token")); err != nil || stopped {
		t.Fatalf("check the stop link: stopped %v, %v", stopped, err)
	}
	if _, err := job.CheckStopAction(context.Background(), aw.p.ID, aw.act.ID, reminders.AdminRecipient, q.Get("token")); err == nil {
		t.Errorf("Brent's stop link stops the admin's reminders too")
	}
	if err := job.StopAction(context.Background(), aw.p.ID, aw.act.ID, q.Get("for"), q.Get("token")); err != nil {
		t.Fatal(err)
	}

	// A new due date: reminded again for it, the admin only now.
	later := due.AddDate(0, 1, 0)
	d := later.Format(action.DateLayout)
	aw.update(now.Add(2*day), action.Input{Due: &d})
	aw.run(later.Add(-7*day + 9*time.Hour))
	ms := aw.actionMails()
	if len(ms) != 3 || ms[2].to != "contact@partnership.gov.uk" || !strings.Contains(ms[2].subject, "8 January 2037") {
		t.Fatalf("after the new due date: got %v, want a third mail to the admin about 8 January 2037", got(ms))
	}
	// Done: off the index, nothing more.
	st := string(action.Done)
	aw.update(later.Add(-day), action.Input{Status: &st})
	if due, ok := aw.dueAt("P#"+aw.p.ID, "ACT#"+aw.act.ID); ok {
		t.Errorf("a done action is still in the due index at %s", due)
	}
	aw.run(later.Add(2 * day))
	if n := len(aw.actionMails()); n != 3 {
		t.Errorf("after done: %d action mails, want 3", n)
	}
}

// dueAt reads an item's due-index attribute (test-only read).
func (w *world) dueAt(pk, sk string) (string, bool) {
	w.t.Helper()
	out, err := ddbtest.Client().GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(w.table), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk}}})
	if err != nil || out.Item == nil {
		w.t.Fatalf("read %s %s: %v", pk, sk, err)
	}
	v, ok := out.Item["dueAt"].(*types.AttributeValueMemberS)
	if !ok {
		return "", false
	}
	return v.Value, true
}
