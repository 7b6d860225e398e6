package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/openrasp/rasp/shared/idempotency"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// WCAG 2.2 success criterion 1.4.10 Reflow: content can be used at 320 CSS
// pixels wide without scrolling in two directions
// (https://www.w3.org/WAI/WCAG22/Understanding/reflow.html). Data tables
// may scroll inside their own labelled, focusable region; the page may not.
var reflowWidths = []int64{320, 375}

// notPages are the GET routes of the web function that are not pages a
// person reads: the stylesheet and the downloads. Every other GET route
// must be visited by TestReflow.
var notPages = map[string]string{
	"webAsset":               "the stylesheet, loaded by every page",
	"webReportJSON":          "a download",
	"webReportCSV":           "a download",
	"webMemberComparisonCSV": "a download",
	"webComparisonCSV":       "a download",
	"webActionsCSV":          "a download",
	"webMemberActionsCSV":    "a download",
	"webBoardHTML":           "a download (the committee-paper document)",
	"webMemberBoardHTML":     "a download (the committee-paper document)",
	"webWorkshopCSV":         "a download",
	"webMemberWorkshopCSV":   "a download",
	"webViewerReportCSV":     "a download",
	"webViewerComparisonCSV": "a download",
}

// Long data, the longest each field accepts: an e-mail address of 254
// characters (RFC 5321's limit, as assessment.MaxEmail), names of 200
// characters with a real 58-letter Welsh place name in them, and notes of
// 1,000 characters with an unbroken address in them.
func longEmail() string {
	label := strings.Repeat("l", 60)
	e := strings.Repeat("a", 64) + "@" + label + "." + label + "." + label + ".gov.uk"
	if len(e) != assessment.MaxEmail {
		panic(fmt.Sprintf("long e-mail has %d characters", len(e)))
	}
	return e
}

func longName(prefix string) string {
	s := prefix + " Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
	for len(s) < assessment.MaxName {
		s += " and Neighbouring Councils"
	}
	return strings.TrimSpace(s[:assessment.MaxName-1]) + "x"
}

func longNote() string {
	s := "See https://intranet.example.gov.uk/" + strings.Repeat("shared-services-programme-board-papers-", 5) + " for the board paper. "
	for len(s) < assessment.MaxNote {
		s += "The board agreed the business case in March. "
	}
	return s[:assessment.MaxNote]
}

// reflowData is what TestReflow seeds: a partnership of 50 councils with
// long names that have all submitted, a draft, and their links.
type reflowData struct {
	pid, adminLink, joinCode string
	action                   string // a joint action with the longest title and notes
	lead, leadLink           string // a member that submitted
	draft, draftLink         string
	colleagueLink, colleague string // a colleague of the draft with the longest name and notes
	ownAction                string // an own action of the draft with the longest title, owner and note
}

func seedReflow(t *testing.T, e *env) reflowData {
	t.Helper()
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: longName("Shared ICT of"), Form: "collaborate", ContactEmail: longEmail(), CadenceMonths: 6}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	d := reflowData{pid: p.ID, adminLink: "/partnerships/" + p.ID + "/admin?token=" + p.AdminToken, joinCode: p.JoinCode}
	qs := library().Current().Questions()
	for i := range 50 {
		st, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: longName(fmt.Sprintf("Council %02d", i+1)), Purpose: "readiness", Form: "collaborate",
			JoinCode: p.JoinCode, Respondent: assessment.Respondent{Name: longName("Sam"), Role: longName("Programme manager"), Email: longEmail()}}, idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		answers := map[string]assessment.Answer{}
		for n, q := range qs {
			s := (n*(i+2) + i) % 5
			a := assessment.Answer{Score: &s}
			if (n+i)%11 == 4 {
				a.Score = nil
			}
			if i == 0 {
				a.Note = longNote()
			}
			answers[q.ID] = a
		}
		if _, err := e.deps.Assessments.SaveAnswers(ctx, e.lead(st.ID, st.Token), answers, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(st.ID, st.Token)); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			d.lead, d.leadLink = st.ID, "/assessments/"+st.ID+"/resume?token="+st.Token
		}
	}
	st, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: longName("Draft Council"), Purpose: "readiness", Form: "coordinate",
		Respondent: assessment.Respondent{Name: longName("Ada"), Role: longName("Head of ICT"), Email: longEmail()}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	area := library().Current().Areas[0]
	answers := map[string]assessment.Answer{}
	for n, q := range area.Questions[:3] {
		s := n + 1
		answers[q.ID] = assessment.Answer{Score: &s, Note: longNote()}
	}
	if _, err := e.deps.Assessments.SaveAnswers(ctx, e.lead(st.ID, st.Token), answers, nil); err != nil {
		t.Fatal(err)
	}
	d.draft, d.draftLink = st.ID, "/assessments/"+st.ID+"/resume?token="+st.Token
	for n, role := range []string{"section-151-officer", "monitoring-officer"} {
		inv, err := e.deps.Assessments.Invite(ctx, e.lead(st.ID, st.Token), assessment.InviteInput{Name: longName(fmt.Sprintf("Colleague %d", n+1)), Role: role, Email: longEmail()}, idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		changes := map[string]assessment.Edit{}
		for i, q := range area.Questions {
			lv, note := (i+n*3)%5, longNote()
			changes[q.ID] = assessment.Edit{SetScore: true, Score: &lv, Note: &note}
		}
		if _, err := e.deps.Assessments.SaveColleague(ctx, e.lead(st.ID, st.Token), inv.ID, changes); err != nil {
			t.Fatal(err)
		}
		d.colleague, d.colleagueLink = inv.ID, "/assessments/"+st.ID+"/respondents/"+inv.ID+"/resume?token="+inv.Token
	}
	sees := true
	if _, err := e.deps.Assessments.UpdateColleague(ctx, e.lead(st.ID, st.Token), d.colleague, assessment.ColleagueSettings{SeesSpread: &sees}); err != nil {
		t.Fatal(err)
	}
	pt, err := e.deps.Store.LoadPartnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	admin := partnership.Actor{Access: partnership.AdminAccess, Name: "Administrator"}
	title, role, due := strings.Repeat("Agree one communications plan for every council ", 7)[:action.MaxTitle], longName("Head of ICT")[:action.MaxRole], "2027-03-31"
	qs2 := []string{qs[0].ID, qs[1].ID}
	a, err := e.deps.Partnerships.CreateAction(ctx, pt, admin, action.Input{Title: &title, OwnerRole: &role, Due: &due, Questions: &qs2}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	pt.Actions = append(pt.Actions, a)
	if _, err := e.deps.Partnerships.AddNote(ctx, pt, admin, a.ID, longNote()); err != nil {
		t.Fatal(err)
	}
	d.action = a.ID
	draft := e.lead(d.draft, strings.TrimPrefix(d.draftLink, "/assessments/"+d.draft+"/resume?token="))
	o, err := e.deps.Assessments.CreateOwnAction(ctx, draft, action.Input{Title: &title, OwnerRole: &role, Due: &due, Questions: &qs2}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.deps.Assessments.AddOwnActionNote(ctx, draft, o.ID, longNote()); err != nil {
		t.Fatal(err)
	}
	d.ownAction = o.ID
	return d
}

// setValues sets form fields by id in one DevTools call: typing 1,000
// characters key by key is slow on a busy machine, and what is measured is
// the page the form returns, not the typing.
func setValues(fields map[string]string) chromedp.Action {
	b, _ := json.Marshal(fields)
	return chromedp.Evaluate(`(() => { for (const [id, v] of Object.entries(`+string(b)+`)) document.getElementById(id).value = v; })()`, nil)
}

// reflow visits pages at one width and records overflow and the routes seen.
type reflow struct {
	*journey
	width   int64
	visited map[string]bool
}

// measure fails when the page is wider than the viewport, naming the
// elements that stick out (outside any scrolling region of their own).
func (r *reflow) measure(tb *tab, name string) {
	r.t.Helper()
	var m struct {
		Scroll, Inner int
		Wide          []string
	}
	r.eval(tb, `(() => {
		const inner = window.innerWidth;
		const wide = [];
		for (const el of document.querySelectorAll("body *")) {
			if (el.closest(".rasp-scroll") && !el.matches(".rasp-scroll")) continue;
			const b = el.getBoundingClientRect();
			if (b.right > inner + 0.5 || b.left < -0.5) {
				wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " right=" + Math.round(b.right));
			}
		}
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		const range = document.createRange();
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			if (!n.textContent.trim() || n.parentElement.closest(".rasp-scroll, .govuk-visually-hidden")) continue;
			range.selectNodeContents(n);
			const b = range.getBoundingClientRect();
			if (b.right > inner + 0.5) wide.push("text " + JSON.stringify(n.textContent.trim().slice(0, 30)) + " right=" + Math.round(b.right));
		}
		return {Scroll: document.documentElement.scrollWidth, Inner: inner, Wide: wide.slice(0, 8)};
	})()`, &m)
	if m.Inner != int(r.width) {
		r.t.Fatalf("%s at %d px: viewport is %d px wide", name, r.width, m.Inner)
	}
	if m.Scroll > m.Inner {
		r.t.Errorf("%s at %d px: the page is %d px wide (it scrolls sideways); widest: %s", name, r.width, m.Scroll, strings.Join(m.Wide, "; "))
	}
	var small []string
	r.eval(tb, `[...document.querySelectorAll("main *")].filter(el => {
		if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return false;
		const s = getComputedStyle(el);
		return s.display !== "none" && s.visibility !== "hidden" && !el.closest(".govuk-visually-hidden") && parseFloat(s.fontSize) < 14;
	}).slice(0, 5).map(el => el.tagName.toLowerCase() + "." + String(el.className).trim().split(/\s+/).join(".") + " " + getComputedStyle(el).fontSize + ": " + el.textContent.trim().slice(0, 40))`, &small)
	if len(small) > 0 {
		r.t.Errorf("%s at %d px: text smaller than 14 px: %s", name, r.width, strings.Join(small, "; "))
	}
}

// page opens a path, marks its route visited, and measures it.
func (r *reflow) page(tb *tab, name, path string, status int) {
	r.t.Helper()
	r.mark(path)
	r.open(tb, path, status)
	r.mark(r.location(tb))
	r.measure(tb, name)
}

// mark records the route of a path or URL as visited.
func (r *reflow) mark(path string) {
	u, err := url.Parse(path)
	if err != nil {
		r.t.Fatal(err)
	}
	if rt, _, ok := routes.Match(routes.Table(), http.MethodGet, u.EscapedPath()); ok {
		r.visited[rt.Name] = true
	}
}

// TestReflow visits every page of the web function at 320 and 375 CSS px
// with the longest data the fields accept, and fails when a page scrolls
// sideways, when text is smaller than 14 px, or when a GET page route in the
// route table was not visited.
func TestReflow(t *testing.T) {
	axe := needBrowser(t)
	t.Parallel()
	e := newEnv(t)
	d := seedReflow(t, e)
	for _, width := range reflowWidths {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			r := &reflow{journey: &journey{t: t, base: e.url, axe: axe, weights: map[string][2]int{}}, width: width, visited: map[string]bool{}}
			browser := newBrowser(t, int(width))
			tb := newTab(t, browser, fmt.Sprint(width), false)
			r.run(tb, chromedp.EmulateViewport(width, 900))

			r.page(tb, "start", "/", http.StatusOK)
			r.page(tb, "accessibility", "/accessibility", http.StatusOK)
			r.page(tb, "privacy", "/privacy", http.StatusOK)
			r.page(tb, "cookies", "/cookies", http.StatusOK)
			// The same pages in Welsh, whose texts run longer: the language
			// link at the top, then back to English for the rest.
			r.mark("/language")
			r.click(tb, `a[hreflang="cy"]`, http.StatusOK)
			r.measure(tb, "cookies in Welsh")
			for _, p := range []string{"/", "/accessibility", "/assessments/new"} {
				r.page(tb, "Welsh "+p, p, http.StatusOK)
			}
			r.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
			r.measure(tb, "Welsh start form with errors")
			r.click(tb, `a[hreflang="en-GB"]`, http.StatusOK)
			r.page(tb, "recover", "/recover", http.StatusOK)
			r.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
			r.measure(tb, "recover with errors")
			r.page(tb, "problem type", "/problems/rate-limited", http.StatusOK)
			r.page(tb, "not found", "/assessments/aaaaaaaaaaaaaaaaaaaaaaaaaa/report", http.StatusNotFound)
			r.page(tb, "deleted", "/assessments/deleted", http.StatusOK)
			r.open(tb, "/nope", http.StatusNotFound) // no route: the $default page
			r.measure(tb, "unmatched path")

			// Starting an assessment: the form, its errors, the private link.
			r.page(tb, "new assessment", "/assessments/new", http.StatusOK)
			r.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
			r.measure(tb, "new assessment with errors")
			r.run(tb, setValues(map[string]string{"council": longName("New Council"), "name": longName("Sam"), "role": longName("Programme manager"), "email": longEmail()}),
				chromedp.Click("#purpose", chromedp.ByQuery), chromedp.Click("#intendedForm-5", chromedp.ByQuery))
			r.click(tb, "form button.govuk-button", http.StatusOK)
			r.measure(tb, "private link")

			// The draft: task list, an area (and its errors), check answers.
			r.page(tb, "task list", d.draftLink, http.StatusOK)
			area := library().Current().Areas[0]
			r.page(tb, "area", "/assessments/"+d.draft+"/areas/"+area.ID, http.StatusOK)
			r.run(tb, setValues(map[string]string{"note-" + strings.ReplaceAll(area.Questions[4].ID, ".", "-"): longNote()}))
			r.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
			r.measure(tb, "area with errors")
			r.page(tb, "check answers", "/assessments/"+d.draft+"/check", http.StatusOK)
			r.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
			r.measure(tb, "check answers with errors")
			r.page(tb, "provisional report", "/assessments/"+d.draft+"/report", http.StatusOK)
			r.page(tb, "delete", "/assessments/"+d.draft+"/delete", http.StatusOK)
			r.page(tb, "own actions", "/assessments/"+d.draft+"/own-actions", http.StatusOK)
			r.page(tb, "own action", "/assessments/"+d.draft+"/own-actions/"+d.ownAction, http.StatusOK)
			r.page(tb, "colleagues answering", "/assessments/"+d.draft+"/respondents", http.StatusOK)
			r.run(tb, setValues(map[string]string{"name": longName("Kim"), "email": "not an address"}))
			r.click(tb, "form button.govuk-button:not(.govuk-button--warning)", http.StatusUnprocessableEntity)
			r.measure(tb, "invite with errors")
			r.run(tb, setValues(map[string]string{"name": longName("Kim"), "email": longEmail()}), chromedp.Click("#role-hr-lead", chromedp.ByQuery))
			r.click(tb, "form button.govuk-button:not(.govuk-button--warning)", http.StatusOK)
			r.measure(tb, "colleague invited")
			r.page(tb, "consolidation", "/assessments/"+d.draft+"/consolidation/"+area.ID, http.StatusOK)
			r.page(tb, "colleague's settings", "/assessments/"+d.draft+"/respondents/"+d.colleague+"/settings", http.StatusOK)
			r.page(tb, "colleague's page", d.colleagueLink, http.StatusOK)
			r.page(tb, "colleague's area", "/assessments/"+d.draft+"/respondents/"+d.colleague+"/areas/"+area.ID, http.StatusOK)
			r.page(tb, "colleague's spread", "/assessments/"+d.draft+"/respondents/"+d.colleague+"/spread", http.StatusOK)
			r.page(tb, "stop assessment reminders", "/assessments/"+d.draft+"/stop-reminders?token=wrong", http.StatusNotFound)
			r.page(tb, "stop colleague reminders", "/assessments/"+d.draft+"/respondents/"+d.colleague+"/stop-reminders?token=wrong", http.StatusNotFound)

			// A member of 50 councils, all submitted.
			r.mark(d.leadLink)
			r.open(tb, d.leadLink, http.StatusOK) // to the report
			r.measure(tb, "report")
			r.page(tb, "report", "/assessments/"+d.lead+"/report", http.StatusOK)
			r.page(tb, "member partnership", "/assessments/"+d.lead+"/partnership", http.StatusOK)
			r.page(tb, "member comparison", "/assessments/"+d.lead+"/comparison?round=1", http.StatusOK)
			r.page(tb, "member board summary", "/assessments/"+d.lead+"/board?round=1", http.StatusOK)
			r.page(tb, "member workshop pack", "/assessments/"+d.lead+"/workshop?round=1", http.StatusOK)
			// Its read-only link (issue 20), for a board member: the share
			// page, the link shown once, and the viewer's report.
			viewerLink := func(name string) string {
				r.run(tb, setValues(map[string]string{"label": longName(name)[:viewer.MaxLabel]}))
				r.click(tb, "form button.govuk-button", http.StatusOK)
				r.measure(tb, "read-only link made")
				var link string
				r.run(tb, chromedp.Text("#viewer-link", &link, chromedp.ByQuery))
				return strings.TrimPrefix(link, e.url)
			}
			r.page(tb, "share report", "/assessments/"+d.lead+"/share", http.StatusOK)
			reportLink := viewerLink("Audit committee of")
			r.page(tb, "share report with a live link", "/assessments/"+d.lead+"/share", http.StatusOK)
			r.page(tb, "viewer: report", reportLink, http.StatusOK)

			// Partnerships: the form, the created page, the admin's pages.
			r.page(tb, "new partnership", "/partnerships/new", http.StatusOK)
			r.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
			r.measure(tb, "new partnership with errors")
			r.run(tb, setValues(map[string]string{"name": longName("Shared legal of"), "contactEmail": longEmail(), "councils-0-name": longName("Council of")}),
				chromedp.Click("#intendedForm-5", chromedp.ByQuery), chromedp.Click("#cadenceMonths", chromedp.ByQuery))
			r.click(tb, "form button.govuk-button", http.StatusOK)
			r.measure(tb, "partnership created")
			// The seat's invitation leads to the seat's own page.
			var invite string
			r.run(tb, chromedp.Evaluate(`(document.body.innerHTML.match(/\/partnerships\/[a-z2-7]+\/seats\/[a-z2-7]+\/invitation\?token=[A-Za-z0-9_-]+/)||[""])[0]`, &invite))
			if invite == "" {
				t.Fatal("the created partnership page shows no seat invitation")
			}
			r.page(tb, "seat", invite, http.StatusOK)
			// The created partnership's admin (its cookie set by the created
			// page) manages the seat: rename or withdraw it, or add another.
			created := strings.TrimSuffix(invite[:strings.Index(invite, "?")], "/invitation")
			r.page(tb, "manage seat", created+"/manage", http.StatusOK)
			r.page(tb, "stop seat reminders", created+"/stop-reminders?token=wrong", http.StatusNotFound)
			r.page(tb, "new seat", created[:strings.Index(created, "/seats/")]+"/seats/new", http.StatusOK)
			r.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
			r.measure(tb, "new seat with errors")
			r.page(tb, "administrators", created[:strings.Index(created, "/seats/")]+"/admins", http.StatusOK)
			r.page(tb, "partnership", d.adminLink, http.StatusOK)
			// The open-round form with its deadline refused: nothing opens.
			r.run(tb, setValues(map[string]string{"deadline-day": "31", "deadline-month": "2", "deadline-year": "2027"}))
			r.click(tb, `form[action$="/rounds"] button.govuk-button`, http.StatusUnprocessableEntity)
			r.measure(tb, "open round with errors")
			r.page(tb, "comparison", "/partnerships/"+d.pid+"/comparison?round=1", http.StatusOK)
			r.page(tb, "share comparison", "/partnerships/"+d.pid+"/share?round=1", http.StatusOK)
			cmpLink := viewerLink("Joint scrutiny committee of")
			r.page(tb, "viewer: comparison", cmpLink, http.StatusOK)
			home := strings.SplitN(cmpLink, "/resume?", 2)[0]
			r.page(tb, "viewer: board summary", home+"/board", http.StatusOK)
			r.page(tb, "action register", "/partnerships/"+d.pid+"/actions", http.StatusOK)
			r.page(tb, "new action", "/partnerships/"+d.pid+"/actions/new?question="+library().Current().Questions()[0].ID+"&round=1", http.StatusOK)
			r.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
			r.measure(tb, "new action with errors")
			r.page(tb, "action", "/partnerships/"+d.pid+"/actions/"+d.action, http.StatusOK)
			r.page(tb, "member action register", "/assessments/"+d.lead+"/actions", http.StatusOK)
			r.page(tb, "member new action", "/assessments/"+d.lead+"/actions/new", http.StatusOK)
			r.page(tb, "member action", "/assessments/"+d.lead+"/actions/"+d.action, http.StatusOK)
			r.page(tb, "board summary", "/partnerships/"+d.pid+"/board?round=1", http.StatusOK)
			r.page(tb, "workshop pack", "/partnerships/"+d.pid+"/workshop?round=1", http.StatusOK)
			r.page(tb, "stop partnership reminders", "/partnerships/"+d.pid+"/stop-reminders?token=wrong", http.StatusNotFound)
			r.page(tb, "stop action reminders", "/partnerships/"+d.pid+"/actions/"+d.action+"/stop-reminders?token=wrong&for=admin", http.StatusNotFound)

			var missing []string
			for _, rt := range routes.For(routes.FnWeb) {
				if rt.Method == http.MethodGet && !r.visited[rt.Name] && notPages[rt.Name] == "" {
					missing = append(missing, rt.Name+" ("+rt.Path+")")
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("GET page routes not visited at %d px: %s", width, strings.Join(missing, ", "))
			}
			for _, msg := range tb.consoleErrors() {
				t.Errorf("browser console error: %s", msg)
			}
		})
	}
}
