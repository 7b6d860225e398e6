package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/idempotency"
)

// "Send me a new link" as a page: errors in the GOV.UK summary with the
// input kept, the same reply whether or not the address matched (and no
// mail for a wrong one), and a mailed link that works where the old one
// no longer does.
func TestRecoverPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.deps.WithMailer(e.mail) // the services mail through the test's outbox
	ctx := context.Background()
	s, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: "Bexley", Purpose: "readiness", Form: "collaborate",
		Respondent: assessment.Respondent{Name: "Sam Patel", Role: "Lead", Email: "sam@bexley.gov.uk"}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	sent := len(e.mail.Messages())
	if r := e.request("GET", "/recover", nil); r.status != http.StatusOK || !strings.Contains(r.body, "Send me a new link") {
		t.Fatalf("recover form: %d\n%.600s", r.status, r.body)
	}
	before := e.itemCount()
	r := e.request("POST", "/recover", url.Values{"link": {"not a link"}, "email": {"sam at bexley"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "govuk-error-summary") || !strings.Contains(r.body, `href="#kind"`) ||
		!strings.Contains(r.body, `href="#email"`) || !strings.Contains(r.body, `value="sam at bexley"`) {
		t.Errorf("bad input: %d\n%.1500s", r.status, r.body)
	}
	old := "http://rasp.test/assessments/" + s.ID + "/resume?token=" + s.Token
	wrong := e.request("POST", "/recover", url.Values{"link": {old}, "email": {"someone@else.gov.uk"}})
	if wrong.status != http.StatusOK || len(e.mail.Messages()) != sent {
		t.Fatalf("wrong address: %d and %d mails", wrong.status, len(e.mail.Messages())-sent)
	}
	if got := e.itemCount(); got != before {
		t.Errorf("refused or unmatched requests wrote %d items", got-before)
	}
	right := e.request("POST", "/recover", url.Values{"kind": {"assessment"}, "link": {s.ID}, "email": {" Sam@Bexley.gov.uk "}})
	reply := regexp.MustCompile(`(?s)<main.*</main>`)
	if right.status != http.StatusOK || reply.FindString(right.body) != reply.FindString(wrong.body) {
		t.Errorf("the right address got another reply than a wrong one:\n%s\n---\n%s", reply.FindString(right.body), reply.FindString(wrong.body))
	}
	msgs := e.mail.Messages()
	if len(msgs) != sent+1 || msgs[len(msgs)-1].To != "sam@bexley.gov.uk" {
		t.Fatalf("mails after the right address: %d", len(msgs)-sent)
	}
	token := regexp.MustCompile(`/assessments/` + s.ID + `/resume\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(msgs[len(msgs)-1].Text)
	if token == nil || token[1] == s.Token {
		t.Fatalf("no new link in the mail:\n%s", msgs[len(msgs)-1].Text)
	}
	if _, err := e.deps.Auth.Assessment(ctx, s.ID, s.Token); err == nil {
		t.Error("the old link still works")
	}
	if r := e.request("GET", "/assessments/"+s.ID+"/resume?token="+token[1], nil); r.status != http.StatusSeeOther && r.status != http.StatusFound {
		t.Errorf("the new link: got %d", r.status)
	}
}
