package web_test

import (
	"context"
	"github.com/openrasp/rasp/shared/idempotency"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/partnership"
)

// The seat journey through the pages: the admin names three councils, each
// lead starts from its invitation, and a health-check round stays sealed,
// "1 of 3" with no scores, until every seat has submitted.
func TestSeatPagesAndSealedHealthCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	form := url.Values{"name": {"South London shared ICT"}, "intendedForm": {"collaborate"}, "cadenceMonths": {"6"},
		"councils-0-name": {"Southwark"}, "councils-0-gssCode": {"E09000028"}, "councils-1-name": {"Brent"}, "councils-2-name": {"Lewisham"}}
	r := e.request("POST", "/partnerships/new", form)
	if r.status != http.StatusOK {
		t.Fatalf("create: %d\n%.800s", r.status, r.body)
	}
	links := regexp.MustCompile(`/partnerships/([a-z2-7]{26})/seats/([a-z2-7]{26})/invitation\?token=([A-Za-z0-9_-]+)`).FindAllStringSubmatch(r.body, -1)
	if len(links) != 3 {
		t.Fatalf("invitation links: got %d, want 3\n%s", len(links), r.body)
	}
	pid := links[0][1]
	admin := r.cookie("rasp_p_" + pid)
	// Twins are refused on the form, with what was typed kept.
	twin := url.Values{"name": {"Twins"}, "intendedForm": {"collaborate"}, "cadenceMonths": {"6"}, "councils-0-name": {"Brent"}, "councils-3-name": {" BRENT "}}
	if r := e.request("POST", "/partnerships/new", twin); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#councils-3-name"`) || !strings.Contains(r.body, `value=" BRENT "`) {
		t.Errorf("twin seats: status %d\n%.600s", r.status, r.body)
	}
	var first []assessment.Started
	for i, l := range links {
		sid, token := l[2], l[3]
		r := e.request("GET", "/partnerships/"+pid+"/seats/"+sid+"/invitation?token="+token, nil)
		c := r.cookie("rasp_s_" + sid)
		if r.status != http.StatusSeeOther && r.status != http.StatusFound || c == nil {
			t.Fatalf("invitation: %d %v", r.status, c)
		}
		r = e.request("GET", "/partnerships/"+pid+"/seats/"+sid, nil, "Cookie", cookieHeader(c))
		if r.status != http.StatusOK || !strings.Contains(r.body, "Start your council’s assessment") {
			t.Fatalf("seat page: %d\n%.600s", r.status, r.body)
		}
		r = e.request("POST", "/partnerships/"+pid+"/seats/"+sid+"/start", url.Values{"name": {"Sam"}, "role": {"Lead"}, "preferredForm": {""}}, "Cookie", cookieHeader(c))
		m := regexp.MustCompile(`/assessments/([a-z2-7]{26})/resume\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("seat start: %d\n%.600s", r.status, r.body)
		}
		// A second start for the seat is refused, saying why (the page then
		// shows the council's assessment as started, not the form).
		again := e.request("POST", "/partnerships/"+pid+"/seats/"+sid+"/start", url.Values{"name": {"Kim"}, "role": {"Officer"}}, "Cookie", cookieHeader(c))
		if again.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(again.body), "already has an assessment for round 1") {
			t.Errorf("second start for seat %d: status %d\n%.1200s", i, again.status, again.body)
		}
		e.answerAll(m[1], m[2], 2)
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(m[1], m[2])); err != nil {
			t.Fatal(err)
		}
		first = append(first, assessment.Started{ID: m[1], Token: m[2]})
	}
	if r := e.request("POST", "/partnerships/"+pid+"/rounds", url.Values{"after": {"1"}}, "Cookie", cookieHeader(admin)); r.status != http.StatusSeeOther && r.status != http.StatusFound {
		t.Fatalf("open round: %d", r.status)
	}
	// The form sent again opens no third round.
	e.request("POST", "/partnerships/"+pid+"/rounds", url.Values{"after": {"1"}}, "Cookie", cookieHeader(admin))
	p, err := e.deps.Store.LoadPartnership(ctx, pid)
	if err != nil || len(p.Rounds) != 2 {
		t.Fatalf("rounds after a resent form: %v %d", err, len(p.Rounds))
	}
	// Brent (the second seat) does its health-check from its report.
	brent := first[1]
	r = e.request("POST", "/assessments/"+brent.ID+"/health-check", url.Values{}, "Cookie", "rasp_a_"+brent.ID+"="+brent.Token)
	m := regexp.MustCompile(`/assessments/([a-z2-7]{26})/resume\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("health-check: %d\n%.600s", r.status, r.body)
	}
	e.answerAll(m[1], m[2], 4)
	if _, err := e.deps.Assessments.Submit(ctx, e.lead(m[1], m[2])); err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct{ path, cookie string }{
		{"/partnerships/" + pid + "/comparison?round=2", cookieHeader(admin)},
		{"/assessments/" + m[1] + "/comparison?round=2", "rasp_a_" + m[1] + "=" + m[2]},
	} {
		r := e.request("GET", who.path, nil, "Cookie", who.cookie)
		if r.status != http.StatusOK || !strings.Contains(r.body, "1 of 3") || strings.Contains(r.body, "Scores by area") || !strings.Contains(r.body, "Lewisham: not submitted yet") {
			t.Errorf("%s: status %d, want the sealed page with 1 of 3\n%.900s", who.path, r.status, r.body)
		}
	}
	r = e.request("GET", "/partnerships/"+pid, nil, "Cookie", cookieHeader(admin))
	if !strings.Contains(r.body, "1 of 3") || !strings.Contains(r.body, "Waiting for: Southwark, Lewisham") {
		t.Errorf("status page: no 1 of 3 with who is awaited\n%.1500s", r.body)
	}
	// The others submit: the comparison opens with each seat's change.
	for _, prev := range []assessment.Started{first[0], first[2]} {
		hc, err := e.deps.Assessments.StartHealthCheck(ctx, e.lead(prev.ID, prev.Token), idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		e.answerAll(hc.ID, hc.Token, 2)
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(hc.ID, hc.Token)); err != nil {
			t.Fatal(err)
		}
	}
	r = e.request("GET", "/partnerships/"+pid+"/comparison?round=2", nil, "Cookie", cookieHeader(admin))
	if r.status != http.StatusOK || !strings.Contains(r.body, "Change since round 1") || !strings.Contains(r.body, "Answers that changed since round 1") {
		t.Errorf("round 2 after all submit: %d\n%.600s", r.status, r.body)
	}
	// Brent's own report shows its change since round 1.
	r = e.request("GET", "/assessments/"+m[1]+"/report", nil, "Cookie", "rasp_a_"+m[1]+"="+m[2])
	if !strings.Contains(r.body, "Change since last time") || !strings.Contains(r.body, "Answers you changed") {
		t.Errorf("Brent's report has no trend\n%.600s", r.body)
	}
}

// Joining a closed round shows the error on the join field, with
// everything typed kept.
func TestJoinClosedRoundKeepsInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "Closed", Form: "collaborate", CadenceMonths: 12}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.deps.Partnerships.CloseRound(ctx, e.admin(p.ID, p.AdminToken), partnership.AdminAccess, 1); err != nil {
		t.Fatal(err)
	}
	before := e.itemCount()
	form := startForm("Royal Borough of Greenwich")
	form.Set("joinCode", p.JoinCode)
	form.Set("email", "sam@greenwich.gov.uk")
	r := e.request("POST", "/assessments/new", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#joinCode"`) || !strings.Contains(r.body, `id="joinCode-error"`) {
		t.Fatalf("closed round: status %d\n%.900s", r.status, r.body)
	}
	for _, v := range []string{"Royal Borough of Greenwich", "Sam Patel", "sam@greenwich.gov.uk", p.JoinCode} {
		if !strings.Contains(r.body, `value="`+v+`"`) {
			t.Errorf("typed %q not kept", v)
		}
	}
	if got := e.itemCount(); got != before {
		t.Errorf("a refused join wrote %d items", got-before)
	}
}
