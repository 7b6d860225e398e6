package reminders_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/reminders"
)

// A submitted assessment is kept three years, its holder warned once 30
// days before, then erased with everything it had; one without an address
// is erased at the same date without a mail.
func TestSubmittedAssessmentIsErasedAfterItsRetentionWithOneWarning(t *testing.T) {
	w := newWorld(t)
	withMail := w.start(now, "Brent", "pat@brent.example", "", "")
	noMail := w.start(now, "Harrow", "", "", "")
	submitted := now.Add(day)
	w.submit(submitted, withMail)
	w.submit(submitted, noMail)
	// Each keeps one of its own actions: erased with the assessment.
	for i, s := range []struct{ ID, Token string }{{withMail.ID, withMail.Token}, {noMail.ID, noMail.Token}} {
		title, due := "Agree a data-sharing protocol", "2027-03-31"
		idem, err := idempotency.New(fmt.Sprintf("own-%d", i), "createOwnAction "+s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.assessments.CreateOwnAction(context.Background(), w.lead(s.ID, s.Token), action.Input{Title: &title, Due: &due}, idem); err != nil {
			t.Fatal(err)
		}
	}
	deadline := submitted.Add(reminders.RetainSubmitted)
	logged := ddbtest.ErasureLog(t, w.table)

	if rep := w.run(deadline.Add(-31 * day)); rep.Sent != 0 || rep.Retired != 0 {
		t.Fatalf("31 days before: %+v, want nothing sent or erased", rep)
	}
	// The job runs daily, so it meets the entry up to a day after it fell
	// due; the date announced is never less than 30 days after the mail.
	rep := w.run(deadline.Add(-30*day + time.Hour))
	mails := w.mails()
	if rep.Sent != 1 || len(mails) != 1 {
		t.Fatalf("29 days before: %+v and %d mails, want one warning", rep, len(mails))
	}
	m := mails[0]
	wantDate := deadline.UTC().Format("2 January 2006")
	if m.to != "pat@brent.example" || !strings.Contains(m.subject, "will be deleted on "+wantDate) || !strings.Contains(m.text, "three years") {
		t.Errorf("warning: to %s, subject %q, want the address and the date %s:\n%s", m.to, m.subject, wantDate, m.text)
	}
	// Its link opens the assessment.
	link := m.link(t, "/resume")
	if _, err := w.auth.Assessment(context.Background(), withMail.ID, link.Query().Get("token")); err != nil {
		t.Errorf("the warning's link: %v", err)
	}
	if rep := w.run(deadline.Add(-28 * day)); rep.Sent != 0 || len(w.mails()) != 1 {
		t.Errorf("the next day: %+v, want no second warning", rep)
	}
	if rep := w.run(deadline); rep.Retired != 1 || w.itemsOf("A#"+noMail.ID) != 0 || w.itemsOf("A#"+withMail.ID) == 0 {
		t.Errorf("at the deadline: %+v, want the one without an address erased, the other kept to the hour announced", rep)
	}
	rep = w.run(deadline.Add(2 * time.Hour))
	if rep.Retired != 1 || rep.Sent != 0 {
		t.Errorf("at the hour announced: %+v, want it erased and nothing sent", rep)
	}
	for _, s := range []string{withMail.ID, noMail.ID} {
		if n := w.itemsOf("A#" + s); n != 0 {
			t.Errorf("assessment %s: %d items left", s, n)
		}
	}
	if got := ddbtest.ErasureLog(t, w.table); got <= logged {
		t.Errorf("erasure log: %d entries, want more than %d", got, logged)
	}
	if rep := w.run(deadline.Add(2 * day)); rep.Due != 0 {
		t.Errorf("after: %+v, want nothing left due", rep)
	}
}

// A re-assessment restarts the clock of the assessment it was copied from,
// so a council that keeps re-assessing keeps its last one for the trend.
func TestReassessmentRestartsTheRetention(t *testing.T) {
	w := newWorld(t)
	first := w.start(now, "Brent", "pat@brent.example", "", "")
	w.submit(now, first)
	copied := now.Add(2 * 365 * day)
	w.clock.Set(copied)
	next, err := w.assessments.StartHealthCheck(context.Background(), w.lead(first.ID, first.Token), idempotency.Request{})
	if err != nil {
		t.Fatalf("re-assess: %v", err)
	}
	w.submit(copied, next)
	original := now.Add(reminders.RetainSubmitted)
	if rep := w.run(original.Add(-29 * day)); rep.Sent != 0 {
		t.Errorf("29 days before the first deadline: %+v, want no warning (copied forward since)", rep)
	}
	if rep := w.run(original.Add(time.Hour)); rep.Retired != 0 || w.itemsOf("A#"+first.ID) == 0 {
		t.Errorf("after the first deadline: %+v, want the first assessment kept", rep)
	}
	later := copied.Add(reminders.RetainSubmitted)
	rep := w.run(later.Add(-30*day + time.Hour))
	if rep.Sent != 2 {
		t.Errorf("30 days before the new deadline: %+v, want a warning for each", rep)
	}
	if rep := w.run(later.Add(2 * time.Hour)); rep.Retired != 2 {
		t.Errorf("at the new deadline: %+v, want both erased", rep)
	}
}

// A member's assessment is not erased while its round is open (erasing it
// would seal the round again); once the round closes, its holder still gets
// the full 30 days' warning.
func TestAssessmentOfAnOpenRoundIsKept(t *testing.T) {
	w := newWorld(t)
	p := w.partnership(now, "South London shared ICT", "admin@southwark.example", 12)
	member := w.start(now, "Lewisham", "sam@lewisham.example", p.JoinCode, "")
	w.submit(now, member)
	deadline := now.Add(reminders.RetainSubmitted)
	// The partnership's contact gets its own mails (a health check due):
	// count only the member's.
	toMember := func() int {
		n := 0
		for _, m := range w.mails() {
			if m.to == "sam@lewisham.example" && strings.Contains(m.subject, "will be deleted") {
				n++
			}
		}
		return n
	}
	for _, at := range []time.Time{deadline.Add(-29 * day), deadline.Add(time.Hour)} {
		if rep := w.run(at); rep.Retired != 0 || toMember() != 0 {
			t.Errorf("round open, %s: %+v, want nothing sent to the member or erased", at.Format("2 Jan 2006"), rep)
		}
	}
	closed := deadline.Add(2 * day)
	w.closeRound(closed, p, 1)
	if w.run(deadline.Add(31 * day)); toMember() != 1 {
		t.Fatalf("after the round closed: %d warnings, want the warning first", toMember())
	}
	if rep := w.run(deadline.Add(45 * day)); rep.Retired != 0 {
		t.Errorf("15 days after the warning: %+v, want it kept for the 30 days announced", rep)
	}
	if rep := w.run(deadline.Add(62 * day)); rep.Retired != 1 || w.itemsOf("A#"+member.ID) != 0 {
		t.Errorf("30 days after the warning: %+v, want it erased", rep)
	}
}
