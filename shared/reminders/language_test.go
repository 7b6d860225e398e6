package reminders_test

import (
	"context"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
)

// A draft started in Welsh is reminded in Welsh, its dates too, beside an
// English one reminded in English, each saying its language.
func TestWelshDraftIsRemindedInWelsh(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	at := now.Add(-8 * day)
	w.clock.Set(at)
	if _, err := w.assessments.Start(context.Background(), assessment.StartInput{Council: "Cyngor Sir Ceredigion", Purpose: assessment.Readiness, Form: "collaborate",
		Lang: locale.Welsh, Respondent: assessment.Respondent{Name: "Siân Evans", Role: "Pennaeth", Email: "sian@ceredigion.llyw.cymru"}}, idempotency.Request{}); err != nil {
		t.Fatal(err)
	}
	w.start(at, "Brent", "pat@brent.gov.uk", "", "")
	w.run(now)
	c := locale.Messages()
	byTo := map[string]sentMail{}
	for _, m := range w.mails() {
		byTo[m.to] = m
	}
	cy, en := byTo["sian@ceredigion.llyw.cymru"], byTo["pat@brent.gov.uk"]
	if want := c.T(locale.Welsh, "mail.draftFirst.subject", locale.Pairs("Council", "Cyngor Sir Ceredigion")); cy.subject != want || cy.lang != "cy" {
		t.Errorf("Welsh draft: subject %q in %q, want %q in cy", cy.subject, cy.lang, want)
	}
	if date := locale.Date(locale.Welsh, at); !strings.Contains(cy.text, date) || !strings.Contains(cy.text, c.T(locale.Welsh, "mail.why.assessment", nil)) {
		t.Errorf("Welsh draft: want the Welsh date %q and the Welsh reason in:\n%s", date, cy.text)
	}
	if strings.Contains(cy.text, "Your answers are saved") || strings.Contains(cy.text, "To stop these reminders") {
		t.Errorf("Welsh draft has English in it:\n%s", cy.text)
	}
	if want := "Your readiness assessment for Brent is not finished"; en.subject != want || en.lang != "en-GB" {
		t.Errorf("English draft: subject %q in %q, want %q in en-GB", en.subject, en.lang, want)
	}
}
