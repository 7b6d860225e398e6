package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/openrasp/rasp/shared/idempotency"
)

// The browser journey of a health-check round (issue 15), JavaScript off:
// the admin names three member councils on the form; each lead starts from
// its seat's invitation and submits round 1; the admin opens round 2; one
// council starts its health-check from its report and submits, and the
// comparison is sealed, "1 of 3", with no scores, for the admin and that
// council; once all three have submitted it opens with the change per
// council since round 1. Answers are saved through the service (the area
// pages are walked by TestBrowserJourney); every page is checked with axe.
func TestBrowserHealthCheckRound(t *testing.T) {
	axe := needBrowser(t)
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	j := &journey{t: t, base: e.url, axe: axe, weights: map[string][2]int{}}
	browser := newBrowser(t, 1280)
	admin := newTab(t, browser, "admin", false)

	councils := []string{"Southwark", "Brent", "Lewisham"}
	j.open(admin, "/partnerships/new", http.StatusOK)
	j.run(admin, fill(map[string]string{"name": "South London shared ICT", "councils-0-name": councils[0], "councils-1-name": councils[1], "councils-2-name": councils[2]}),
		chromedp.Click("#intendedForm-5", chromedp.ByQuery), chromedp.Click("#cadenceMonths", chromedp.ByQuery))
	j.click(admin, "form button.govuk-button", http.StatusOK)
	j.check(admin, "partnership created with seats")
	var page string
	j.eval(admin, `document.getElementById("invitations").innerText`, &page)
	invitations := regexp.MustCompile(`http://[^\s]+/partnerships/([a-z2-7]{26})/seats/[a-z2-7]{26}/invitation\?token=[A-Za-z0-9_-]+`).FindAllStringSubmatch(page, -1)
	if len(invitations) != 3 {
		j.fatalf(admin, "invitations: got %d, want 3", len(invitations))
	}
	pid := invitations[0][1]
	j.click(admin, "a.govuk-button", http.StatusOK) // to the partnership, the admin cookie set

	// Each lead follows its invitation, starts its council's assessment
	// from the seat page and submits round 1.
	type lead struct {
		tab       *tab
		id, token string
	}
	leads := make([]lead, len(councils))
	for i, c := range councils {
		tb := newTab(t, browser, c, true)
		j.navigate(tb, http.StatusOK, chromedp.Navigate(invitations[i][0]))
		if i == 0 {
			j.check(tb, "seat")
		}
		j.run(tb, fill(map[string]string{"name": "Sam Patel", "role": "Programme manager"}))
		j.click(tb, "form button.govuk-button", http.StatusOK)
		link := j.text(tb, "#private-link")
		m := regexp.MustCompile(`/assessments/([a-z2-7]{26})/resume\?token=([A-Za-z0-9_-]+)$`).FindStringSubmatch(link)
		if m == nil {
			j.fatalf(tb, "private link %q", link)
		}
		j.navigate(tb, http.StatusOK, chromedp.Navigate(link))
		e.answerAll(m[1], m[2], 1+i)
		j.open(tb, "/assessments/"+m[1], http.StatusOK)
		j.submitAssessment(tb, false)
		leads[i] = lead{tb, m[1], m[2]}
	}

	// The admin opens round 2; Brent starts its health-check from its
	// report and submits it.
	j.open(admin, "/partnerships/"+pid, http.StatusOK)
	j.click(admin, `form[action$="/rounds"] button`, http.StatusOK)
	brent := leads[1].tab
	// Brent keeps its report's first "what to work on first" item as its
	// own action with one click, then gives it an owner and starts it.
	j.open(brent, "/assessments/"+leads[1].id+"/report", http.StatusOK)
	j.click(brent, `form[action$="/own-actions/keep"] button`, http.StatusOK)
	j.check(brent, "own action kept")
	kept := j.text(brent, "h1")
	j.run(brent, fill(map[string]string{"owner": "Head of ICT"}), chromedp.Click(`input[name="status"][value="in-progress"]`, chromedp.ByQuery))
	j.click(brent, `h2#change + form button.govuk-button`, http.StatusOK)
	if got := j.text(brent, "#action-summary"); !strings.Contains(got, "Head of ICT") || !strings.Contains(got, "In progress") {
		j.fatalf(brent, "own action after the edit: %q", got)
	}
	j.open(brent, "/assessments/"+leads[1].id+"/own-actions", http.StatusOK)
	j.check(brent, "own actions")
	j.open(brent, "/assessments/"+leads[1].id+"/report", http.StatusOK)
	j.click(brent, `form[action$="/health-check"] button`, http.StatusOK)
	m := regexp.MustCompile(`/assessments/([a-z2-7]{26})/resume\?token=([A-Za-z0-9_-]+)$`).FindStringSubmatch(j.text(brent, "#private-link"))
	if m == nil {
		j.fatalf(brent, "no private link for the health-check")
	}
	j.click(brent, "a.govuk-button", http.StatusOK)
	e.answerAll(m[1], m[2], 4)
	j.open(brent, "/assessments/"+m[1], http.StatusOK)
	j.submitAssessment(brent, false)
	// The health-check's report shows the kept action, carried, with its
	// question's score then (2) and now (4).
	j.open(brent, "/assessments/"+m[1]+"/report", http.StatusOK)
	j.check(brent, "report with carried own action")
	if got := j.text(brent, "main"); !strings.Contains(got, kept) || !strings.Contains(got, "Then (submitted") || !strings.Contains(got, "+2") {
		j.fatalf(brent, "the health-check's report does not show the carried action %q with then and now", kept)
	}

	// One of three: sealed, for the admin and for Brent, with no scores.
	for _, v := range []struct {
		tb   *tab
		path string
	}{{admin, "/partnerships/" + pid + "/comparison?round=2"}, {brent, "/assessments/" + m[1] + "/comparison?round=2"}} {
		j.open(v.tb, v.path, http.StatusOK)
		j.check(v.tb, "comparison sealed 1 of 3")
		got := j.text(v.tb, "main")
		if !strings.Contains(got, "1 of 3") || strings.Contains(got, "Scores by area") || !strings.Contains(got, "Southwark: not submitted yet") {
			j.fatalf(v.tb, "round 2 after one submit: want the sealed page with 1 of 3 and no scores")
		}
	}
	j.open(admin, "/partnerships/"+pid, http.StatusOK)
	if got := j.text(admin, "#sealed-2"); !strings.Contains(got, "1 of 3") || !strings.Contains(got, "Waiting for: Southwark, Lewisham") {
		t.Errorf("status page of round 2: %q", got)
	}

	// The other two submit their health-checks: the comparison opens with
	// each council's change since round 1.
	for _, i := range []int{0, 2} {
		hc, err := e.deps.Assessments.StartHealthCheck(ctx, e.lead(leads[i].id, leads[i].token), idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		e.answerAll(hc.ID, hc.Token, map[int]int{0: 2, 2: 3}[i])
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(hc.ID, hc.Token)); err != nil {
			t.Fatal(err)
		}
	}
	j.open(admin, "/partnerships/"+pid+"/comparison?round=2", http.StatusOK)
	j.check(admin, "comparison round 2 with trend")
	got := j.text(admin, "main")
	for _, want := range []string{"Change since round 1", "Answers that changed since round 1", "Southwark", "Brent", "Lewisham"} {
		if !strings.Contains(got, want) {
			t.Errorf("round 2 comparison has no %q", want)
		}
	}
	// Brent went from 2 to 4 on every answer, Southwark from 1 to 2,
	// Lewisham stayed at 3: the trend table says so per council.
	var rows []string
	j.eval(admin, `[...document.querySelectorAll("caption")].filter(c => /lowest score/.test(c.innerText)).slice(0, 1).flatMap(c => [...c.closest("table").querySelectorAll("tbody tr")].map(r => r.innerText.replace(/\s+/g, " ").trim()))`, &rows)
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "Southwark") || !strings.HasPrefix(rows[1], "Brent") || !strings.HasPrefix(rows[2], "Lewisham") ||
		!strings.HasSuffix(rows[2], " 0") || !strings.Contains(rows[1], "+") || !strings.Contains(rows[0], "+") {
		t.Errorf("trend rows of the first area: %q", rows)
	}
	for _, l := range leads {
		for _, msg := range l.tab.consoleErrors() {
			t.Errorf("%s: browser console error: %s", l.tab.name, msg)
		}
	}
	for _, msg := range admin.consoleErrors() {
		t.Errorf("admin: browser console error: %s", msg)
	}
}
