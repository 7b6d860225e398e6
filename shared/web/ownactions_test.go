package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/idempotency"
)

// The report keeps a "what to work on first" item with one click (the
// same form sent twice keeps one action); a bad edit is 422 with the
// GOV.UK error summary, the input kept and nothing written; a colleague's
// cookie does not open the list.
func TestKeepingAReportItemAsAnOwnAction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	st, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: "Sutton", Purpose: "readiness", Form: "collaborate",
		Respondent: assessment.Respondent{Name: "Sam", Role: "Lead"}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	e.answerAll(st.ID, st.Token, 1)
	cookie := "rasp_a_" + st.ID + "=" + st.Token
	report := e.request("GET", "/assessments/"+st.ID+"/report", nil, "Cookie", cookie)
	m := regexp.MustCompile(`<form method="post" action="(/assessments/[a-z2-7]+/own-actions/keep)" novalidate>\s*<input type="hidden" name="question" value="([^"]+)"><input type="hidden" name="key" value="([^"]+)">`).FindStringSubmatch(report.body)
	if report.status != http.StatusOK || m == nil {
		t.Fatalf("report: %d, no keep form\n%s", report.status, report.body)
	}
	form := url.Values{"question": {m[2]}, "key": {m[3]}}
	first := e.request("POST", m[1], form, "Cookie", cookie)
	again := e.request("POST", m[1], form, "Cookie", cookie)
	if first.status != http.StatusSeeOther || again.status != http.StatusSeeOther || first.header.Get("Location") != again.header.Get("Location") {
		t.Fatalf("keep twice: %d %q, %d %q, want one action", first.status, first.header.Get("Location"), again.status, again.header.Get("Location"))
	}
	a := e.lead(st.ID, st.Token)
	if len(a.Actions) != 1 || len(a.Actions[0].Questions) != 1 || a.Actions[0].Questions[0] != m[2] {
		t.Fatalf("kept: %+v", a.Actions)
	}
	path := strings.TrimSuffix(first.header.Get("Location"), "#change")

	before := e.itemCount()
	bad := url.Values{"title": {"Agree a protocol"}, "owner": {"Head of ICT"}, "due-day": {"31"}, "due-month": {"2"}, "due-year": {"2027"}, "status": {"done"}}
	r := e.request("POST", path, bad, "Cookie", cookie)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "govuk-error-summary") || !strings.Contains(r.body, `href="#due-day"`) ||
		!strings.Contains(r.body, `value="Head of ICT"`) {
		t.Errorf("bad edit: got %d, want 422 with the error summary linking the date and the owner kept\n%s", r.status, r.body)
	}
	if n := e.itemCount(); n != before {
		t.Errorf("bad edit wrote %d items", n-before)
	}
	if got := e.lead(st.ID, st.Token).Actions[0]; got.Status != "planned" || got.OwnerRole != "" {
		t.Errorf("after the bad edit: %+v, want it unchanged", got)
	}
	bad.Set("due-month", "3")
	if r := e.request("POST", path, bad, "Cookie", cookie); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", r.status, r.body)
	}
	page := e.request("GET", path, nil, "Cookie", cookie)
	if got := html.UnescapeString(page.body); !strings.Contains(got, "Head of ICT") || !strings.Contains(got, "31 March 2027") || !strings.Contains(got, "Done") {
		t.Errorf("action page after the edit does not show it:\n%s", page.body)
	}

	// A colleague's cookie is for their own pages only.
	inv, err := e.deps.Assessments.Invite(ctx, e.lead(st.ID, st.Token), assessment.InviteInput{Name: "Alex", Role: "section-151-officer"}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	colleague := "rasp_r_" + inv.ID + "=" + inv.Token
	for _, c := range []struct{ method, path string }{{"GET", "/assessments/" + st.ID + "/own-actions"}, {"GET", path}, {"POST", path}} {
		var f url.Values
		if c.method == "POST" {
			f = bad
		}
		if r := e.request(c.method, c.path, f, "Cookie", colleague); r.status == http.StatusOK || r.status == http.StatusSeeOther || strings.Contains(r.body, "Head of ICT") {
			t.Errorf("%s %s with a colleague's cookie: got %d, want it refused", c.method, c.path, r.status)
		}
	}
}
