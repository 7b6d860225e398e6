package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

var viewerLinkRE = regexp.MustCompile(`/(assessments|partnerships)/([a-z2-7]{26})/views/([a-z2-7]{26})/resume\?token=([A-Za-z0-9_-]{43})`)

// followViewerLink opens a read-only link as its recipient would and
// returns the cookie it sets and the page it redirects to.
func (e *env) followViewerLink(link string) (cookie, home string) {
	e.t.Helper()
	m := viewerLinkRE.FindStringSubmatch(link)
	if m == nil {
		e.t.Fatalf("no read-only link in %q", link)
	}
	r := e.request("GET", m[0], nil)
	c := r.cookie("rasp_v_" + m[3])
	home = "/" + m[1] + "/" + m[2] + "/views/" + m[3]
	if r.status != http.StatusSeeOther || r.header.Get("Location") != home || c == nil || c.Path != home || !c.HttpOnly {
		e.t.Fatalf("read-only link: %d to %q, cookie %v", r.status, r.header.Get("Location"), c)
	}
	if r.header.Get("Referrer-Policy") != "no-referrer" {
		e.t.Errorf("read-only link: Referrer-Policy %q", r.header.Get("Referrer-Policy"))
	}
	return cookieHeader(c), home
}

// viewerPage checks what every page of a read-only link carries: no form
// or button, noindex, no referrer, no shared caching, and the banner.
func viewerPage(t *testing.T, name string, r reply) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d\n%s", name, r.status, r.body)
	}
	for _, bad := range []string{"<form", "<button", `type="submit"`, "/delete", "/share"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("%s: a read-only page has %q", name, bad)
		}
	}
	if !strings.Contains(r.body, `id="read-only"`) || !strings.Contains(r.body, `<meta name="robots" content="noindex, nofollow">`) {
		t.Errorf("%s: no read-only banner or no noindex", name)
	}
	for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store, private"} {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s: %s %q, want %q", name, h, got, want)
		}
	}
}

// Issue 20 on the pages: the lead shares the report (bad dates refused
// with the input kept and nothing written), the link is shown once, its
// pages change nothing, and revoking it ends it; the administrator shares
// a sealed round's comparison, which its viewer sees sealed.
func TestReadOnlyLinkPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Lewisham"))
	ck := cookieHeader(c)
	e.answerAll(id, c.Value, 2)
	if r := e.request("POST", "/assessments/"+id+"/submit", url.Values{}, "Cookie", ck); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.status)
	}
	// The council's own action is its holder's: the viewer does not see it.
	ownTitle, due := "Brief the leader before the budget round", "2027-03-31"
	if _, err := e.deps.Assessments.CreateOwnAction(context.Background(), e.lead(id, c.Value), action.Input{Title: &ownTitle, Due: &due}, idempotency.Request{}); err != nil {
		t.Fatal(err)
	}
	report := e.request("GET", "/assessments/"+id+"/report", nil, "Cookie", ck)
	if !strings.Contains(report.body, ownTitle) {
		t.Error("the lead's report does not show the council's own action")
	}
	if !strings.Contains(report.body, `href="/assessments/`+id+`/share"`) {
		t.Fatal("the lead's report has no link to share it read-only")
	}
	share := e.request("GET", "/assessments/"+id+"/share", nil, "Cookie", ck)
	if share.status != http.StatusOK || !strings.Contains(share.body, `id="expires-day"`) || !strings.Contains(share.body, "There are no live links") {
		t.Fatalf("share page: %d\n%s", share.status, share.body)
	}

	before := e.itemCount()
	for _, bad := range []url.Values{
		{"label": {"Audit committee"}, "expires-day": {"31"}, "expires-month": {"2"}, "expires-year": {"2027"}},
		{"label": {"Audit committee"}, "expires-day": {"1"}, "expires-month": {"1"}, "expires-year": {"2020"}},
		{"label": {"Audit committee"}, "expires-day": {"1"}, "expires-month": {""}, "expires-year": {"2027"}},
	} {
		r := e.request("POST", "/assessments/"+id+"/share", bad, "Cookie", ck)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#expires-day"`) || !strings.Contains(r.body, `value="Audit committee"`) ||
			!strings.Contains(r.body, "<title>Error: ") {
			t.Errorf("bad date %v: status %d, want 422 with the error linked to the day and the input kept", bad, r.status)
		}
	}
	if got := e.itemCount(); got != before {
		t.Errorf("items after refused links: got %d, want %d", got, before)
	}

	r := e.request("POST", "/assessments/"+id+"/share", url.Values{"label": {"Audit committee"}, "key": {"k1"}}, "Cookie", ck)
	if r.status != http.StatusOK || !strings.Contains(r.body, "never your own private link") || r.header.Get("Content-Encoding") != "" {
		t.Fatalf("link made: status %d, encoding %q\n%s", r.status, r.header.Get("Content-Encoding"), r.body)
	}
	link := viewerLinkRE.FindString(r.body)
	if again := e.request("POST", "/assessments/"+id+"/share", url.Values{"label": {"Audit committee"}, "key": {"k1"}}, "Cookie", ck); viewerLinkRE.FindString(again.body) != link {
		t.Error("the same form sent twice made a second link")
	}
	vc, home := e.followViewerLink(link)
	page := e.request("GET", home, nil, "Cookie", vc)
	viewerPage(t, "viewer's report", page)
	if strings.Contains(page.body, ownTitle) || strings.Contains(page.body, "/own-actions") {
		t.Error("the viewer's report shows the council's own actions")
	}
	for _, want := range []string{"Readiness report", "Lewisham", "How this score is worked out", "Your answers, question by question", home + "/report.csv"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("viewer's report has no %q", want)
		}
	}
	// In Welsh, the banner names the page and its last day in Welsh.
	cy := e.request("GET", home, nil, "Cookie", vc, "Accept-Language", "cy")
	viewerPage(t, "viewer's report in Welsh", cy)
	if !strings.Contains(cy.body, "drwy ddolen darllen yn unig") || !strings.Contains(cy.body, "(adroddiad)") || strings.Contains(cy.body, "(report)") {
		t.Errorf("the Welsh viewer's banner is not in Welsh:\n%s", cy.body)
	}
	if csv := e.request("GET", home+"/report.csv", nil, "Cookie", vc); csv.status != http.StatusOK || !strings.Contains(csv.body, "question_id") {
		t.Errorf("viewer's CSV: %d", csv.status)
	}
	// The viewer's cookie opens nothing of the lead's.
	for _, path := range []string{"/assessments/" + id, "/assessments/" + id + "/report", "/assessments/" + id + "/share"} {
		if r := e.request("GET", path, nil, "Cookie", strings.Replace(vc, strings.SplitN(vc, "=", 2)[0], "rasp_a_"+id, 1)); r.status != http.StatusNotFound {
			t.Errorf("GET %s with the viewer's token as the lead's cookie: %d, want 404", path, r.status)
		}
	}

	// The list shows it; revoking it ends it at once.
	share = e.request("GET", "/assessments/"+id+"/share", nil, "Cookie", ck)
	m := regexp.MustCompile(`action="(/assessments/` + id + `/share/[a-z2-7]{26}/revoke)"`).FindStringSubmatch(share.body)
	if m == nil || !strings.Contains(share.body, "Audit committee") {
		t.Fatalf("share page lists no live link\n%s", share.body)
	}
	r = e.request("POST", m[1], url.Values{}, "Cookie", ck)
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "revoked=1") {
		t.Fatalf("revoke: %d to %q", r.status, r.header.Get("Location"))
	}
	if r := e.request("GET", r.header.Get("Location"), nil, "Cookie", ck); !strings.Contains(r.body, "The link is revoked") || !strings.Contains(r.body, "There are no live links") {
		t.Errorf("share page after revoking says nothing")
	}
	if r := e.request("GET", home, nil, "Cookie", vc); r.status != http.StatusNotFound || !strings.Contains(r.body, "<title>Page not found") {
		t.Errorf("revoked link: %d, want the 404 page", r.status)
	}

	// The administrator shares a round that is still sealed.
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "Sealed partnership", Form: "collaborate", CadenceMonths: 6,
		Councils: []partnership.SeatInput{{Name: "Camden"}, {Name: "Islington"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	a := e.request("GET", "/partnerships/"+p.ID+"/admin?token="+p.AdminToken, nil)
	ack := cookieHeader(a.cookie("rasp_p_" + p.ID))
	share = e.request("GET", "/partnerships/"+p.ID+"/share?round=1", nil, "Cookie", ack)
	if share.status != http.StatusOK || !strings.Contains(share.body, `name="round" value="1"`) {
		t.Fatalf("comparison share page: %d", share.status)
	}
	r = e.request("POST", "/partnerships/"+p.ID+"/share", url.Values{"round": {"1"}, "label": {"Joint scrutiny"}}, "Cookie", ack)
	if r.status != http.StatusOK {
		t.Fatalf("comparison link: %d\n%s", r.status, r.body)
	}
	vc, home = e.followViewerLink(viewerLinkRE.FindString(r.body))
	sealed := e.request("GET", home, nil, "Cookie", vc)
	viewerPage(t, "viewer's sealed comparison", sealed)
	if !strings.Contains(sealed.body, "The comparison is sealed") || !strings.Contains(sealed.body, "0 of 2 councils have submitted") {
		t.Errorf("viewer's comparison of a sealed round is not sealed\n%s", sealed.body)
	}
	board := e.request("GET", home+"/board", nil, "Cookie", vc)
	viewerPage(t, "viewer's sealed board", board)

	// Once both submit, the viewer sees the comparison and its print view.
	pt, err := e.deps.Store.LoadPartnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range pt.Seats {
		sj := &assessment.SeatJoin{Join: assessment.Join{PartnershipID: p.ID, Round: 1, Form: "collaborate", HasSeats: true}, Seat: st.ID, Council: st.Name}
		s, err := e.deps.Assessments.StartForSeat(ctx, sj, assessment.SeatStartInput{Respondent: assessment.Respondent{Name: "Sam", Role: "Lead"}}, idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		e.answerAll(s.ID, s.Token, 3)
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(s.ID, s.Token)); err != nil {
			t.Fatal(err)
		}
	}
	cmp := e.request("GET", home, nil, "Cookie", vc)
	viewerPage(t, "viewer's comparison", cmp)
	if !strings.Contains(cmp.body, "Comparison of round 1") || !strings.Contains(cmp.body, home+"/board") || strings.Contains(cmp.body, "/actions") {
		t.Errorf("viewer's comparison: want the round, its print view and no register\n%s", cmp.body)
	}
	viewerPage(t, "viewer's board summary", e.request("GET", home+"/board", nil, "Cookie", vc))
	if csv := e.request("GET", home+"/comparison.csv", nil, "Cookie", vc); csv.status != http.StatusOK || !strings.Contains(csv.body, "Camden") {
		t.Errorf("viewer's comparison CSV: %d", csv.status)
	}
}
