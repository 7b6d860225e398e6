package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Issue 19 in a browser, JavaScript off: the lead invites two colleagues,
// each answers through their own link in their own browser, the lead sets
// the council's answers beside theirs (a reason where the council differs
// from both) and submits. Every new page passes axe-core with 0 violations.
func TestBrowserRespondents(t *testing.T) {
	axe := needBrowser(t)
	t.Parallel()
	e := newEnv(t)
	j := &journey{t: t, base: e.url, axe: axe, weights: map[string][2]int{}}
	browser := newBrowser(t, 1280)
	lead := newTab(t, browser, "lead", false)
	leadLink := j.startAssessment(lead, "Lewisham", "", "5", false)
	id := idFromURL(j.location(lead))
	lu, err := url.Parse(leadLink)
	if err != nil {
		t.Fatal(err)
	}

	j.click(lead, `a[href$="/respondents"]`, http.StatusOK)
	j.check(lead, "colleagues answering")
	j.click(lead, "form button.govuk-button", http.StatusUnprocessableEntity)
	j.check(lead, "invite with errors")
	if got := j.text(lead, ".govuk-error-summary__list"); !strings.Contains(got, "Enter your colleague's name") || !strings.Contains(got, "Select your colleague's role") {
		j.fatalf(lead, "error summary %q", got)
	}
	invite := func(name, role string) string {
		j.run(lead, fill(map[string]string{"name": name}), chromedp.Click("#role-"+role, chromedp.ByQuery))
		j.click(lead, "form button.govuk-button:not(.govuk-button--warning)", http.StatusOK)
		link := j.text(lead, "#respondent-link")
		if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/assessments/` + id + `/respondents/[a-z2-7]{26}/resume\?token=[A-Za-z0-9_-]{43}$`).MatchString(link) {
			j.fatalf(lead, "colleague's link %q", link)
		}
		j.check(lead, "colleague invited")
		j.click(lead, "a.govuk-button", http.StatusOK)
		return link
	}
	sueLink := invite("Sue Adeyemi", "section-151-officer")
	moLink := invite("Mo Clarke", "monitoring-officer")

	// Each colleague answers every question from their own browser.
	answer := func(name, link string, level int) {
		tb := newTab(t, browser, name, true)
		j.navigate(tb, http.StatusOK, chromedp.Navigate(link))
		if strings.Contains(j.location(tb), "token=") {
			j.fatalf(tb, "the token stayed in the address bar: %s", j.location(tb))
		}
		j.check(tb, "colleague's page")
		for a := 0; a < 5; a++ {
			j.click(tb, fmt.Sprintf(".govuk-task-list__item:nth-child(%d) a.govuk-task-list__link", a+1), http.StatusOK)
			if a == 0 {
				j.check(tb, "colleague's area")
			}
			j.answerArea(tb, func(int) string { return "-" + fmt.Sprint(level) })
		}
		if got := j.text(tb, ".govuk-task-list"); strings.Count(got, "Completed") != 5 {
			j.fatalf(tb, "colleague's areas after answering: %q", got)
		}
	}
	answer("Sue", sueLink, 3)
	answer("Mo", moLink, 1)

	// The lead routes the governance area to Sue and shares the spread with
	// her; choosing "I tick" and ticking nothing is an error on the form.
	j.open(lead, "/assessments/"+id+"/respondents", http.StatusOK)
	j.click(lead, `a[href$="/settings"]`, http.StatusOK)
	j.check(lead, "colleague settings")
	j.run(lead, chromedp.Click("#routing-chosen", chromedp.ByQuery))
	j.click(lead, `form[action$="/settings"] button`, http.StatusUnprocessableEntity)
	j.check(lead, "colleague settings with errors")
	if got := j.text(lead, ".govuk-error-summary__list"); !strings.Contains(got, "Tick the areas or questions Sue Adeyemi should answer first") {
		j.fatalf(lead, "error summary %q", got)
	}
	j.run(lead, chromedp.Click("#routed-governance", chromedp.ByQuery), chromedp.Click("#seesSpread", chromedp.ByQuery))
	j.click(lead, `form[action$="/settings"] button`, http.StatusOK)
	if got := j.text(lead, "main"); !strings.Contains(got, "you routed to them") || !strings.Contains(got, "They can see every colleague’s answers") {
		j.fatalf(lead, "colleagues after routing: %q", got)
	}
	sue := newTab(t, browser, "Sue again", true)
	j.navigate(sue, http.StatusOK, chromedp.Navigate(sueLink))
	if got := j.text(sue, "main"); !strings.Contains(got, "questions are for you to answer first") {
		j.fatalf(sue, "Sue's page after routing: %q", got)
	}
	j.click(sue, `a[href$="/spread"]`, http.StatusOK)
	j.check(sue, "colleague's spread")
	if got := j.text(sue, "main"); !strings.Contains(got, "Mo Clarke") || strings.Contains(got, "Your council’s answer") {
		j.fatalf(sue, "Sue's view of the spread: %q", got)
	}

	// The lead consolidates: the suggestion (median of 1 and 3 is 2) is
	// pre-filled; the first question is set to 4, unlike both colleagues,
	// which needs a reason.
	j.open(lead, "/assessments/"+id+"/respondents", http.StatusOK)
	if got := j.text(lead, "main"); !strings.Contains(got, "Sue Adeyemi") || !strings.Contains(got, "Mo Clarke") {
		j.fatalf(lead, "colleagues table %q", got)
	}
	j.click(lead, `a[href$="/consolidation/vision"]`, http.StatusOK)
	j.check(lead, "consolidation")
	var checked []string
	j.eval(lead, `[...document.querySelectorAll("input[type=radio]:checked")].map(r => r.value)`, &checked)
	for _, v := range checked {
		if v != "2" {
			j.fatalf(lead, "pre-filled council answers %v, want level 2 everywhere", checked)
		}
	}
	var first string
	j.eval(lead, `document.querySelector("textarea[id^=why-]").id.replace(/^why-/, "")`, &first)
	j.run(lead, chromedp.Click("#answer-"+first+"-4", chromedp.ByQuery))
	j.click(lead, "form button.govuk-button", http.StatusUnprocessableEntity)
	j.check(lead, "consolidation with errors")
	if got := j.text(lead, ".govuk-error-summary__list"); !strings.Contains(got, "differs from every colleague") {
		j.fatalf(lead, "error summary %q", got)
	}
	j.run(lead, chromedp.SendKeys("#why-"+first, "The leader confirmed the budget in November", chromedp.ByQuery))
	j.click(lead, "form button.govuk-button", http.StatusOK)
	for a := 1; a < 5; a++ {
		if !strings.Contains(j.location(lead), "/consolidation/") {
			j.fatalf(lead, "after saving area %d: at %s, want the next area", a, j.location(lead))
		}
		j.click(lead, "form button.govuk-button", http.StatusOK)
	}
	if u, _, _ := strings.Cut(j.location(lead), "?"); u != e.url+"/assessments/"+id {
		j.fatalf(lead, "after the last area: at %s, want the task list", j.location(lead))
	}
	j.submitAssessment(lead, false)
	report := j.text(lead, "main")
	// The council's own report shows its agreement with itself: levels 3
	// and 1 are a spread of 2, a disagreement on every question.
	if got := j.text(lead, "#agreement-areas"); !strings.Contains(got, "Shared vision: your respondents agreed on 0 of the 11 questions they all answered") ||
		!strings.Contains(got, "(levels from 1 to 3)") {
		j.fatalf(lead, "the report's agreement: %q", got)
	}
	for _, secret := range []string{"Sue Adeyemi", "Mo Clarke"} {
		if strings.Contains(report, secret) {
			t.Errorf("the council's report names a colleague: %q", secret)
		}
	}
	// The submitted council answers are the consolidated ones.
	a := e.lead(id, lu.Query().Get("token"))
	fq := strings.Replace(first, "-", ".", 1)
	if got := a.Answers[fq]; got.Score == nil || *got.Score != 4 || got.Why == "" {
		t.Errorf("council's answer to %s: %+v, want level 4 with the reason", fq, got)
	}
	if len(a.Colleagues) != 2 || a.Status != "submitted" {
		t.Errorf("after submit: %d colleagues, status %s", len(a.Colleagues), a.Status)
	}
	// The lead hands over to Mo: the new lead's link is shown once and
	// works; the old one no longer does.
	j.open(lead, "/assessments/"+id+"/respondents", http.StatusOK)
	j.click(lead, `li:nth-child(2) a[href$="/settings"]`, http.StatusOK)
	j.click(lead, `form[action$="/lead"] button`, http.StatusOK)
	j.check(lead, "lead handed over")
	newLead := j.text(lead, "#lead-link")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/assessments/` + id + `/resume\?token=[A-Za-z0-9_-]{43}$`).MatchString(newLead) {
		j.fatalf(lead, "new lead's link %q", newLead)
	}
	j.navigate(lead, http.StatusNotFound, chromedp.Navigate(leadLink))
	mo := newTab(t, browser, "Mo the lead", true)
	j.navigate(mo, http.StatusOK, chromedp.Navigate(newLead))
	for _, tb := range []*tab{lead} {
		if errs := tb.consoleErrors(); len(errs) > 0 {
			t.Errorf("%s: console errors: %v", tb.name, errs)
		}
	}
}
