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

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/reminders"
)

// deadlineWorld is a partnership of four seats whose round 2 opened at now
// with a deadline of 12 December 2036 (it closes at the start of the 13th;
// the reminder is due at the start of the 6th). In round 2 Brent has
// submitted, Lewisham has started (its lead's own address differs from the
// seat's), Southwark has not started, and Hounslow has no address.
type deadlineWorld struct {
	*world
	p     partnership.Created
	seats map[string]partnership.Invitation
	lew   assessment.Started
}

var (
	deadlineDay = time.Date(2036, 12, 12, 0, 0, 0, 0, time.UTC)
	reminderAt  = time.Date(2036, 12, 6, 0, 0, 0, 0, time.UTC)
	closesAt    = time.Date(2036, 12, 13, 0, 0, 0, 0, time.UTC)
)

func newDeadlineWorld(t *testing.T) *deadlineWorld {
	t.Helper()
	w := newWorld(t)
	w.clock.Set(now.Add(-30 * day))
	p, err := w.partnerships.Create(context.Background(), partnership.CreateInput{Name: "South London shared ICT", Form: "collaborate",
		ContactEmail: "pmo@partnership.gov.uk", CadenceMonths: 12, Councils: []partnership.SeatInput{
			{Name: "Brent", Email: "brent@council.gov.uk"}, {Name: "Lewisham", Email: "lewisham@council.gov.uk"},
			{Name: "Southwark", Email: "southwark@council.gov.uk"}, {Name: "Hounslow"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	dw := &deadlineWorld{world: w, p: p, seats: map[string]partnership.Invitation{}}
	for _, s := range p.Seats {
		dw.seats[s.Council] = s
	}
	w.clock.Set(now)
	if _, err := w.partnerships.OpenRound(context.Background(), w.admin(p), partnership.AdminAccess,
		partnership.RoundInput{Purpose: partnership.HealthCheck, After: 1, Deadline: partnership.DeadlineInput{Date: deadlineDay.Format("2006-01-02")}}, idempotency.Request{}); err != nil {
		t.Fatal(err)
	}
	brent := dw.seatStart(now.Add(time.Hour), "Brent", "")
	w.submit(now.Add(2*time.Hour), brent)
	dw.lew = dw.seatStart(now.Add(time.Hour), "Lewisham", "pat@lewisham.gov.uk")
	return dw
}

// seatStart starts council's assessment for the current round from its seat.
func (dw *deadlineWorld) seatStart(at time.Time, council, email string) assessment.Started {
	dw.t.Helper()
	dw.clock.Set(at)
	inv := dw.seats[council]
	pr, err := dw.auth.Seat(context.Background(), dw.p.ID, inv.Seat, inv.Token)
	if err != nil {
		dw.t.Fatal(err)
	}
	s, err := dw.assessments.StartForSeat(context.Background(), pr.SeatJoin(), assessment.SeatStartInput{
		Respondent: assessment.Respondent{Name: "Pat Doe", Role: "Programme manager", Email: email}}, idempotency.Request{})
	if err != nil {
		dw.t.Fatalf("start %s: %v", council, err)
	}
	return s
}

// dueAt is the partnership's entry in the due index ("" when off it).
func (dw *deadlineWorld) dueAt() string {
	dw.t.Helper()
	out, err := ddbtest.Client().GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(dw.table), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "P#" + dw.p.ID}, "sk": &types.AttributeValueMemberS{Value: "META"}}})
	if err != nil {
		dw.t.Fatal(err)
	}
	if v, ok := out.Item["dueAt"].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// mailsAbout are the outbox's mails whose subject contains s.
func (dw *deadlineWorld) mailsAbout(s string) []sentMail {
	var out []sentMail
	for _, m := range dw.mails() {
		if strings.Contains(m.subject, s) {
			out = append(out, m)
		}
	}
	return out
}

const dueBy = "is due by 12 December 2036"

// A week before the deadline each expected seat with an address that has
// not submitted gets one reminder: a seat that started its link to carry
// on, one that did not its link to start, both working, with a stop link
// of the seat's. A seat that submitted, or has no address, gets none; two
// runs at once and a run again send nothing more; the partnership's entry
// moves from the reminder to the deadline, read from the due index only.
func TestDeadlineRemindsUnsubmittedSeatsOnce(t *testing.T) {
	t.Parallel()
	dw := newDeadlineWorld(t)
	ctx := context.Background()
	if got, want := dw.dueAt(), reminderAt.Format(time.RFC3339Nano); got != want {
		t.Fatalf("due entry after opening: got %s, want the reminder's time %s", got, want)
	}
	if rep := dw.run(reminderAt.Add(-15 * time.Hour)); len(dw.mailsAbout(dueBy)) != 0 {
		t.Fatalf("the day before the reminder: %+v", rep)
	}
	dw.api.take()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := dw.job(dw.mailer, reminders.Options{}).Run(ctx, reminderAt.Add(9*time.Hour)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	dw.run(reminderAt.Add(10 * time.Hour))
	for _, call := range dw.api.take() {
		if call == "Scan" || strings.HasPrefix(call, "Query table") && !strings.Contains(call, "pk = :pk") {
			t.Errorf("the job made a %s", call)
		}
	}
	ms := dw.mailsAbout(dueBy)
	checkMails(t, ms, sorted(want{"lewisham@council.gov.uk", "South London shared ICT: Lewisham’s assessment " + dueBy},
		want{"southwark@council.gov.uk", "South London shared ICT: Southwark’s assessment " + dueBy}))
	if len(ms) != 2 {
		t.FailNow()
	}
	for _, m := range ms {
		if !strings.Contains(m.text, "closes at the end of 12 December 2036") {
			t.Errorf("mail to %s does not say when the round closes:\n%s", m.to, m.text)
		}
		sid := dw.seats["Southwark"].Seat
		if m.to == "lewisham@council.gov.uk" {
			sid = dw.seats["Lewisham"].Seat
			link := m.link(t, "/assessments/"+dw.lew.ID+"/resume")
			if _, err := dw.auth.Assessment(ctx, dw.lew.ID, link.Query().Get("token")); err != nil {
				t.Errorf("Lewisham's link to carry on: %v", err)
			}
		} else {
			link := m.link(t, "/seats/"+sid+"/invitation")
			if _, err := dw.auth.Seat(ctx, dw.p.ID, sid, link.Query().Get("token")); err != nil {
				t.Errorf("Southwark's link to start: %v", err)
			}
		}
		if want := "/partnerships/" + dw.p.ID + "/seats/" + sid + "/stop-reminders"; !strings.Contains(m.unsubscribe, want) {
			t.Errorf("mail to %s: stop link %q, want one to %s", m.to, m.unsubscribe, want)
		}
		stop := m.link(t, "/stop-reminders")
		if stopped, err := dw.job(dw.mailer, reminders.Options{}).CheckStop(ctx, reminders.SeatSubject, reminders.SeatID(dw.p.ID, sid), stop.Query().Get("token")); err != nil || stopped {
			t.Errorf("mail to %s: stop link: stopped %v, %v", m.to, stopped, err)
		}
	}
	if got, want := dw.dueAt(), closesAt.Format(time.RFC3339Nano); got != want {
		t.Errorf("due entry after the reminders: got %s, want the deadline %s", got, want)
	}
	// Until the deadline nothing more goes out, however often the job runs.
	dw.run(reminderAt.Add(3 * day))
	dw.run(closesAt.Add(-time.Hour))
	if n := len(dw.mailsAbout(dueBy)); n != 2 {
		t.Errorf("deadline reminders after more runs: %d, want 2", n)
	}
}

// At the deadline the job closes the round as an automatic act: the
// comparison opens with the councils that submitted, every seat with an
// address and the contact hear so once, and later runs close nothing and
// send nothing more.
func TestRoundClosesAtItsDeadline(t *testing.T) {
	t.Parallel()
	dw := newDeadlineWorld(t)
	dw.run(reminderAt.Add(9 * time.Hour))
	if p := dw.admin(dw.p); p.Sealed(2) == nil {
		t.Fatal("round 2 is not sealed before its deadline")
	}
	rep := dw.run(closesAt.Add(9 * time.Hour))
	if rep.Closed != 1 {
		t.Errorf("run at the deadline: %+v, want one round closed", rep)
	}
	for _, at := range []time.Time{closesAt.Add(10 * time.Hour), closesAt.Add(40 * day)} {
		if rep := dw.run(at); rep.Closed != 0 {
			t.Errorf("run at %s: %+v, want nothing closed", at, rep)
		}
	}
	p := dw.admin(dw.p)
	r, _ := p.Round(2)
	if r.Status != partnership.Closed || r.ClosedAt == nil || !r.ClosedAt.Equal(closesAt.Add(9*time.Hour)) {
		t.Fatalf("round 2: status %s, closed at %v", r.Status, r.ClosedAt)
	}
	last := p.Acts[len(p.Acts)-1]
	if last.Kind != partnership.ActCloseRound || !last.Automatic || last.Round != 2 || last.Text() != "Round 2 closed at its deadline" {
		t.Errorf("last act: %+v (%s)", last, last.Text())
	}
	c, err := partnership.Compare(library(), p, partnership.AdminAccess, 2)
	if err != nil || len(c.Councils) != 1 || c.Councils[0] != "Brent" {
		t.Errorf("round 2's comparison: %v %v, want Brent's alone", c.Councils, err)
	}
	closed := "South London shared ICT: round 2 closed at its deadline, and its comparison is open"
	ms := dw.mailsAbout("closed at its deadline")
	checkMails(t, ms, sorted(want{"brent@council.gov.uk", closed}, want{"lewisham@council.gov.uk", closed},
		want{"southwark@council.gov.uk", closed}, want{"pmo@partnership.gov.uk", closed}))
	if len(ms) > 0 && !strings.Contains(ms[0].text, "By then 1 of 4 member councils had submitted: Brent. The comparison of their answers is open; Lewisham, Southwark, Hounslow are not in it.") {
		t.Errorf("notice text:\n%s", ms[0].text)
	}
	// The partnership now waits for its health check, 12 months on.
	if got, want := dw.dueAt(), closesAt.Add(9*time.Hour).AddDate(0, 12, 0).Format(time.RFC3339Nano); got != want {
		t.Errorf("due entry after closing: got %s, want the health check's %s", got, want)
	}
}

// A round the administrator closed by hand before its deadline is not
// closed again, and nobody is reminded of a deadline that no longer holds.
func TestRoundClosedByHandIsNotClosedAtItsDeadline(t *testing.T) {
	t.Parallel()
	dw := newDeadlineWorld(t)
	dw.closeRound(now.Add(2*day), dw.p, 2)
	for _, at := range []time.Time{reminderAt.Add(9 * time.Hour), closesAt.Add(9 * time.Hour), closesAt.Add(day)} {
		if rep := dw.run(at); rep.Closed != 0 {
			t.Errorf("run at %s: %+v, want nothing closed", at, rep)
		}
	}
	if ms := append(dw.mailsAbout(dueBy), dw.mailsAbout("closed at its deadline")...); len(ms) != 0 {
		t.Errorf("mails about the deadline of a round closed by hand: %v", got(ms))
	}
	var closes []partnership.Act
	for _, a := range dw.admin(dw.p).Acts {
		if a.Kind == partnership.ActCloseRound {
			closes = append(closes, a)
		}
	}
	if len(closes) != 1 || closes[0].Automatic {
		t.Errorf("close acts: %+v, want the administrator's alone", closes)
	}
}
