package reminders_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/reminders"
)

// Issue 19: a colleague with an address who has not answered the questions
// routed to them a week after the invitation gets one reminder, exactly
// once, with a link of their own that works and a stop link; a colleague
// who answered them, or has no address, gets none.
func TestColleagueRemindedOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	invitedAt := now.Add(-8 * day)
	s := w.start(invitedAt, "Merton", "", "", "") // the lead has no address: every mail here is a colleague's
	invite := func(name, role, email string) assessment.Invited {
		inv, err := w.assessments.Invite(ctx, w.lead(s.ID, s.Token), assessment.InviteInput{Name: name, Role: role, Email: email}, idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	sue := invite("Sue Adeyemi", "section-151-officer", "sue@merton.gov.uk")
	mo := invite("Mo Clarke", "monitoring-officer", "mo@merton.gov.uk")
	invite("Cllr Lee Hart", "lead-member", "")

	// Mo answers every question routed to him; Sue answers one question
	// that is not hers.
	a := w.lead(s.ID, s.Token)
	c, _ := a.Colleague(mo.ID)
	if len(c.Asked) == 0 {
		t.Fatal("no questions routed to the monitoring officer")
	}
	two := 2
	changes := map[string]assessment.Edit{}
	for _, q := range c.Asked {
		changes[q] = assessment.Edit{SetScore: true, Score: &two}
	}
	w.clock.Set(invitedAt.Add(day))
	if _, err := w.assessments.SaveColleague(ctx, a, mo.ID, changes); err != nil {
		t.Fatal(err)
	}
	if _, err := w.assessments.SaveColleague(ctx, a, sue.ID, map[string]assessment.Edit{c.Asked[0]: {SetScore: true, Score: &two}}); err != nil {
		t.Fatal(err)
	}

	if rep := w.run(invitedAt.Add(6 * day)); rep.Sent != 0 {
		t.Fatalf("before a week: %+v", rep)
	}
	w.run(invitedAt.Add(7*day + time.Hour))
	w.run(invitedAt.Add(8 * day))
	w.run(invitedAt.Add(40 * day))
	mails := w.mails()
	if len(mails) != 1 || mails[0].to != "sue@merton.gov.uk" || !strings.Contains(mails[0].subject, "your answers are still waiting") {
		for _, m := range mails {
			t.Logf("mail to %s: %s", m.to, m.subject)
		}
		t.Fatalf("mails: got %d, want one to Sue", len(mails))
	}
	m := mails[0]
	if !strings.Contains(m.text, "Pat Doe asked you") || !strings.Contains(m.text, "questions asked of you first are not answered yet") {
		t.Errorf("reminder text:\n%s", m.text)
	}
	link := m.link(t, "/respondents/"+sue.ID+"/resume")
	if _, err := w.auth.Respondent(ctx, s.ID, sue.ID, link.Query().Get("token")); err != nil {
		t.Errorf("the reminder's link: %v", err)
	}
	if _, err := w.auth.Respondent(ctx, s.ID, sue.ID, sue.Token); err != nil {
		t.Errorf("the invitation's link after the reminder: %v", err)
	}
	if _, err := w.auth.Respondent(ctx, s.ID, mo.ID, link.Query().Get("token")); err == nil {
		t.Error("Sue's reminder link opens Mo's answers")
	}
	stop := m.link(t, "/respondents/"+sue.ID+"/stop-reminders")
	job := w.job(w.mailer, reminders.Options{})
	id := reminders.ColleagueID(s.ID, sue.ID)
	if stopped, err := job.CheckStop(ctx, reminders.ColleagueSubject, id, stop.Query().Get("token")); err != nil || stopped {
		t.Fatalf("stop link: stopped %v, %v", stopped, err)
	}
	if err := job.Stop(ctx, reminders.ColleagueSubject, id, stop.Query().Get("token")); err != nil {
		t.Fatal(err)
	}
	if stopped, err := job.CheckStop(ctx, reminders.ColleagueSubject, id, stop.Query().Get("token")); err != nil || !stopped {
		t.Errorf("after stopping: stopped %v, %v", stopped, err)
	}
	if _, err := job.CheckStop(ctx, reminders.ColleagueSubject, reminders.ColleagueID(s.ID, mo.ID), stop.Query().Get("token")); err == nil {
		t.Error("Sue's stop link is valid for Mo")
	}
}
