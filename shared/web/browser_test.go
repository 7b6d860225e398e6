package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/openrasp/rasp/shared/locale"
)

// The browser tests drive a real headless Chromium, with JavaScript turned
// off in every tab, through the whole service (every function behind the
// local gateway, on DynamoDB Local). Each page visited is checked with
// axe-core, which needs JavaScript: it is turned on in the tab only for the
// check, after the page has loaded and rendered without it.

const chromiumPath = "/usr/bin/chromium"

// axePath is axe-core from the front end's npm packages (make css installs them).
const axePath = "frontend/node_modules/axe-core/axe.min.js"

// maxPageWeight bounds HTML plus CSS, gzipped, of every page.
const maxPageWeight = 60 << 10

// needBrowser skips when Chromium or axe-core is missing on a developer's
// machine, and fails in CI, where both must be installed.
func needBrowser(t *testing.T) string {
	t.Helper()
	for _, p := range []string{chromiumPath, axePath} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: CI must run the browser tests (apt-get install chromium; make css installs axe-core)", p)
			}
			t.Skipf("browser test skipped: %s is missing (apt-get install chromium; make css installs axe-core). It runs whenever CI is set.", p)
		}
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	return string(axe)
}

// newBrowser starts headless Chromium with a fresh profile and returns the
// context to open tabs from.
func newBrowser(t *testing.T, width int) context.Context {
	t.Helper()
	// Not t.TempDir: Chromium's helper processes may still write to the
	// profile for a moment after the browser exits, which fails its check.
	profile, err := os.MkdirTemp("", "rasp-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("mute-audio", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, 900),
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	// The browser starts with the first Run of its first context; tabs are
	// opened from that context.
	ctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return ctx
}

// tab is one browser tab with JavaScript off. fresh gives it a new browser
// context: its own cookies, as another browser would have.
type tab struct {
	ctx    context.Context
	name   string
	mu     sync.Mutex
	errors []string // console errors: CSP violations, failed loads
	// expected are pages loaded with an error status on purpose (a form
	// with errors, the 404 page): the console reports those loads too.
	expected map[string]bool
}

// consoleErrors are the console errors not explained by an expected status.
func (tb *tab) consoleErrors() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []string
	for _, e := range tb.errors {
		if u, ok := strings.CutSuffix(e[strings.LastIndex(e, " (")+2:], ")"); ok && strings.HasPrefix(e, "network: ") && tb.expected[u] {
			continue
		}
		out = append(out, e)
	}
	return out
}

func newTab(t *testing.T, parent context.Context, name string, fresh bool) *tab {
	t.Helper()
	var opts []chromedp.ContextOption
	if fresh {
		// chromedp.WithNewBrowserContext opens its tab without a window,
		// which new-headless Chromium refuses ("no browser is open").
		var id target.ID
		err := chromedp.Run(parent, chromedp.ActionFunc(func(ctx context.Context) error {
			browser := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser)
			bc, err := target.CreateBrowserContext().WithDisposeOnDetach(true).Do(browser)
			if err != nil {
				return err
			}
			id, err = target.CreateTarget("about:blank").WithBrowserContextID(bc).WithNewWindow(true).Do(browser)
			return err
		}))
		if err != nil {
			t.Fatalf("new browser context for %s: %v", name, err)
		}
		opts = append(opts, chromedp.WithTargetID(id))
	}
	ctx, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx, name: name, expected: map[string]bool{}}
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok && e.Entry.Level == log.LevelError {
			tb.mu.Lock()
			tb.errors = append(tb.errors, fmt.Sprintf("%s: %s (%s)", e.Entry.Source, e.Entry.Text, e.Entry.URL))
			tb.mu.Unlock()
		}
	})
	// The first Run starts the tab; its life is bound to ctx.
	if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true)); err != nil {
		t.Fatalf("start tab %s: %v", name, err)
	}
	return tb
}

// journey holds what the visits found, for the report at the end.
type journey struct {
	t       *testing.T
	base    string
	axe     string
	css     int // gzipped bytes of the stylesheet
	weights map[string][2]int
	checked []string
	// lang is the language the pages must be in ("" is English).
	lang locale.Lang
}

func (j *journey) fatalf(tb *tab, format string, args ...any) {
	j.t.Helper()
	var html string
	_ = chromedp.Run(tb.ctx, chromedp.Evaluate(`(document.querySelector("main") || document.documentElement).outerHTML`, &html))
	j.t.Fatalf("%s: "+format+"\n--- page main ---\n%.3000s", append([]any{tb.name}, append(args, html)...)...)
}

// run runs actions with a time limit.
func (j *journey) run(tb *tab, actions ...chromedp.Action) {
	j.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		j.fatalf(tb, "%v", err)
	}
}

// navigate runs actions that end in a navigation (a link followed or a form
// sent) and checks the final response's status.
func (j *journey) navigate(tb *tab, status int, actions ...chromedp.Action) {
	j.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		j.fatalf(tb, "navigate: %v", err)
	}
	if resp == nil || int(resp.Status) != status {
		got := 0
		if resp != nil {
			got = int(resp.Status)
		}
		j.fatalf(tb, "status %d, want %d", got, status)
	}
	if status >= 400 {
		tb.mu.Lock()
		tb.expected[resp.URL] = true
		tb.mu.Unlock()
	}
}

func (j *journey) open(tb *tab, path string, status int) {
	j.t.Helper()
	j.navigate(tb, status, chromedp.Navigate(j.base+path))
}

func (j *journey) click(tb *tab, selector string, status int) {
	j.t.Helper()
	j.navigate(tb, status, chromedp.Click(selector, chromedp.ByQuery))
}

// Reads go through DevTools' JavaScript evaluation rather than DOM node
// ids, which go stale for a moment after each navigation.

func (j *journey) text(tb *tab, selector string) string {
	j.t.Helper()
	var s string
	sel, _ := json.Marshal(selector)
	j.eval(tb, `(document.querySelector(`+string(sel)+`) || {innerText: ""}).innerText`, &s)
	return strings.TrimSpace(s)
}

func (j *journey) location(tb *tab) string {
	j.t.Helper()
	var s string
	j.eval(tb, `location.href`, &s)
	return s
}

// eval evaluates JavaScript through DevTools (it runs even with page
// scripts off) and decodes the result.
func (j *journey) eval(tb *tab, expr string, v any) {
	j.t.Helper()
	j.run(tb, chromedp.Evaluate(expr, v))
}

// check checks the page now shown: one h1, lang, no scripts, the title
// prefix on errors, its weight, and axe-core with the WCAG 2.2 AA tags.
func (j *journey) check(tb *tab, name string) {
	j.t.Helper()
	var html string
	j.eval(tb, `document.documentElement.outerHTML`, &html)
	var h1s int
	j.eval(tb, `document.querySelectorAll("h1").length`, &h1s)
	if h1s != 1 {
		j.t.Errorf("%s: %d h1 elements, want 1", name, h1s)
	}
	want := locale.English
	if j.lang != "" {
		want = j.lang
	}
	if !strings.Contains(html, `<html lang="`+want.Tag()+`"`) {
		j.t.Errorf("%s: no lang=%s", name, want.Tag())
	}
	if strings.Contains(html, "<script") || strings.Contains(html, " style=") {
		j.t.Errorf("%s: page has a script or an inline style", name)
	}
	var title string
	j.eval(tb, `document.title`, &title)
	hasSummary := strings.Contains(html, "govuk-error-summary")
	if hasSummary != strings.HasPrefix(title, locale.Messages().T(want, "layout.errorPrefix", nil)+" ") {
		j.t.Errorf("%s: title %q, error summary shown: %v", name, title, hasSummary)
	}
	j.weights[name] = [2]int{gzipLen([]byte("<!DOCTYPE html>\n" + html)), j.css}
	j.axeCheck(tb, name)
	j.checked = append(j.checked, name)
}

var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeCheck runs axe-core in the page: scripts on, inject, run, scripts off.
func (j *journey) axeCheck(tb *tab, name string) {
	j.t.Helper()
	tags, _ := json.Marshal(axeTags)
	var violations []map[string]any
	ctx, cancel := context.WithTimeout(tb.ctx, 60*time.Second)
	defer cancel()
	err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(false),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, exc, err := runtime.Evaluate(j.axe).Do(ctx)
			if err == nil && exc != nil {
				err = fmt.Errorf("inject axe: %s", exc.Text)
			}
			return err
		}),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]}).then(r => r.violations)`,
			&violations, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		emulation.SetScriptExecutionDisabled(true),
	)
	if err != nil {
		j.fatalf(tb, "axe on %s: %v", name, err)
	}
	if len(violations) > 0 {
		full, _ := json.MarshalIndent(violations, "", "  ")
		j.t.Errorf("%s: %d axe-core violations (want 0):\n%s", name, len(violations), full)
	}
}

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Len()
}

// fill types into text fields by id.
func fill(fields map[string]string) chromedp.Action {
	var actions chromedp.Tasks
	ids := make([]string, 0, len(fields))
	for id := range fields {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		actions = append(actions, chromedp.Clear("#"+id, chromedp.ByQuery), chromedp.SendKeys("#"+id, fields[id], chromedp.ByQuery))
	}
	return actions
}

// answerArea chooses an answer for every question of the area page shown:
// choose(i) gives the radio suffix for question i ("" for level 0, "-1" ..
// "-4", or "-unknown").
func (j *journey) answerArea(tb *tab, choose func(i int) string) {
	j.t.Helper()
	var ids []string
	j.eval(tb, `[...document.querySelectorAll("textarea")].map(t => t.id.replace(/^note-/, ""))`, &ids)
	if len(ids) == 0 {
		j.fatalf(tb, "no questions on the area page")
	}
	var clicks chromedp.Tasks
	for i, slug := range ids {
		clicks = append(clicks, chromedp.Click("#answer-"+slug+choose(i), chromedp.ByQuery, chromedp.NodeVisible))
	}
	j.run(tb, clicks)
	j.click(tb, "form button.govuk-button", http.StatusOK)
}

func level(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("-%d", n)
}

// startAssessment fills the start form and returns the private link.
func (j *journey) startAssessment(tb *tab, council, joinCode, form string, checkPages bool) string {
	j.t.Helper()
	j.open(tb, "/assessments/new", http.StatusOK)
	if checkPages {
		j.check(tb, "new assessment")
		j.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
		j.check(tb, "new assessment with errors")
		if got := j.text(tb, ".govuk-error-summary__list"); !strings.Contains(got, "Enter the name of your council") {
			j.fatalf(tb, "error summary %q", got)
		}
	}
	j.run(tb, fill(map[string]string{"council": council, "name": "Sam Patel", "role": "Programme manager", "joinCode": joinCode}),
		chromedp.Click("#purpose", chromedp.ByQuery), chromedp.Click("#intendedForm-"+form, chromedp.ByQuery))
	j.click(tb, "form button.govuk-button", http.StatusOK)
	if checkPages {
		j.check(tb, "private link")
	}
	link := j.text(tb, "#private-link")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/assessments/[a-z2-7]{26}/resume\?token=[A-Za-z0-9_-]{43}$`).MatchString(link) {
		j.fatalf(tb, "private link %q", link)
	}
	j.click(tb, "a.govuk-button", http.StatusOK) // Continue to your assessment
	return link
}

// answerAreas answers the areas [from, to) from the task list.
func (j *journey) answerAreas(tb *tab, from, to int, choose func(area, q int) string) {
	j.t.Helper()
	for a := from; a < to; a++ {
		j.click(tb, fmt.Sprintf(".govuk-task-list__item:nth-child(%d) a.govuk-task-list__link", a+1), http.StatusOK)
		j.answerArea(tb, func(q int) string { return choose(a, q) })
		if u, _, _ := strings.Cut(j.location(tb), "?"); !strings.HasSuffix(u, "/assessments/"+idFromURL(u)) {
			j.fatalf(tb, "after saving an area: at %s, want the task list", j.location(tb))
		}
	}
}

func idFromURL(u string) string {
	m := regexp.MustCompile(`/assessments/([a-z2-7]{26})`).FindStringSubmatch(u)
	if m == nil {
		return ""
	}
	return m[1]
}

func (j *journey) submitAssessment(tb *tab, checkPages bool) {
	j.t.Helper()
	j.click(tb, `a[href$="/check"]`, http.StatusOK)
	if checkPages {
		j.check(tb, "check answers")
	}
	j.click(tb, "form button.govuk-button", http.StatusOK)
	if !strings.HasSuffix(j.location(tb), "/report") {
		j.fatalf(tb, "after submit: at %s, want the report", j.location(tb))
	}
}

func TestBrowserJourney(t *testing.T) {
	axe := needBrowser(t)
	t.Parallel()
	e := newEnv(t)
	j := &journey{t: t, base: e.url, axe: axe, weights: map[string][2]int{}}
	css := e.request("GET", "/", nil)
	m := regexp.MustCompile(`href="(/assets/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(css.body)
	if m == nil {
		t.Fatal("no stylesheet link")
	}
	j.css = gzipLen([]byte(e.request("GET", m[1], nil).body))

	browser := newBrowser(t, 1280)
	admin := newTab(t, browser, "admin", false)

	// Public pages.
	j.open(admin, "/", http.StatusOK)
	j.check(admin, "start")
	j.open(admin, "/accessibility", http.StatusOK)
	j.check(admin, "accessibility")
	j.open(admin, "/privacy", http.StatusOK)
	j.check(admin, "privacy")
	j.open(admin, "/assessments/aaaaaaaaaaaaaaaaaaaaaaaaaa/resume?token=wrong", http.StatusNotFound)
	j.check(admin, "404")

	// A partnership is created; its admin keeps the tab.
	j.open(admin, "/partnerships/new", http.StatusOK)
	j.check(admin, "partnership new")
	j.run(admin, chromedp.Click("#cadenceMonths-2", chromedp.ByQuery))
	j.click(admin, "form button.govuk-button", http.StatusUnprocessableEntity)
	j.check(admin, "partnership new with errors")
	j.run(admin, fill(map[string]string{"name": "Brent, Lewisham and Southwark shared ICT"}), chromedp.Click("#intendedForm-5", chromedp.ByQuery))
	j.click(admin, "form button.govuk-button", http.StatusOK)
	j.check(admin, "partnership created")
	joinCode := j.text(admin, "#join-code")
	if !regexp.MustCompile(`^[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}$`).MatchString(joinCode) {
		t.Fatalf("join code %q", joinCode)
	}
	adminLink := j.text(admin, "#admin-link")
	j.click(admin, "a.govuk-button", http.StatusOK)
	j.check(admin, "partnership status")
	// The admin link works in another browser, and leaves no token in the
	// address bar; that browser administers from here on.
	admin = newTab(t, browser, "admin elsewhere", true)
	j.navigate(admin, http.StatusOK, chromedp.Navigate(adminLink))
	pid := regexp.MustCompile(`/partnerships/([a-z2-7]{26})/admin`).FindStringSubmatch(adminLink)[1]
	if got := j.location(admin); got != e.url+"/partnerships/"+pid {
		t.Fatalf("after the admin link: at %s, want %s/partnerships/%s", got, e.url, pid)
	}
	// The join code was shown once, at creation, and is kept only as a
	// fingerprint: the admin page offers a new one, shown once in its turn,
	// and the councils below join with that.
	j.click(admin, `form[action$="/join-code"] button`, http.StatusOK)
	j.check(admin, "new join code")
	if got := j.text(admin, "#join-code"); got == "" || got == joinCode {
		t.Errorf("after making a new join code: %q, want a new code (the old was %q)", got, joinCode)
	} else {
		joinCode = got
	}

	// Council 1 goes through every page, from the start page.
	brent := newTab(t, browser, "Brent", true)
	j.open(brent, "/", http.StatusOK)
	j.click(brent, "a.govuk-button--start", http.StatusOK)
	link := j.startAssessment(brent, "Brent", joinCode, "5", true)
	j.check(brent, "task list")
	j.click(brent, ".govuk-task-list__item:nth-child(1) a.govuk-task-list__link", http.StatusOK)
	j.check(brent, "area")
	var firstNote string
	j.eval(brent, `document.querySelector("textarea").id`, &firstNote)
	j.run(brent, chromedp.SendKeys("#"+firstNote, "Board paper due in May", chromedp.ByQuery))
	j.click(brent, "form button.govuk-button", http.StatusUnprocessableEntity)
	j.check(brent, "area with errors")
	var note string
	j.eval(brent, `document.getElementById("`+firstNote+`").value`, &note)
	if note != "Board paper due in May" {
		t.Errorf("note after an error = %q, want it kept", note)
	}
	brentAnswer := func(a, q int) string {
		if (a+q)%7 == 3 {
			return "-unknown"
		}
		return level((a + q) % 5)
	}
	j.answerArea(brent, func(q int) string { return brentAnswer(0, q) })
	j.answerAreas(brent, 1, 2, brentAnswer)
	id := idFromURL(link)

	// The private link, in a fresh browser context without cookies, brings
	// the answers back; the address bar keeps no token.
	resumed := newTab(t, browser, "Brent resumed", true)
	j.navigate(resumed, http.StatusOK, chromedp.Navigate(link))
	if got := j.location(resumed); got != e.url+"/assessments/"+id {
		t.Fatalf("after the private link: at %s, want %s/assessments/%s", got, e.url, id)
	}
	if got := j.text(resumed, "main"); !strings.Contains(got, "You have completed 2 of 5 areas") {
		t.Fatalf("resumed task list does not show the saved progress:\n%s", got)
	}
	j.answerAreas(resumed, 2, 5, brentAnswer)
	j.submitAssessment(resumed, true)
	j.check(resumed, "report")

	// Two more councils join with the code.
	lewisham := newTab(t, browser, "Lewisham", true)
	j.startAssessment(lewisham, "Lewisham", joinCode, "5", false)
	j.answerAreas(lewisham, 0, 5, func(a, q int) string {
		if q%4 == 0 {
			return level(1)
		}
		return level(4 - (a+q)%3)
	})
	j.submitAssessment(lewisham, false)
	southwark := newTab(t, browser, "Southwark", true)
	j.startAssessment(southwark, "Southwark", joinCode, "5", false)
	j.answerAreas(southwark, 0, 5, func(a, q int) string {
		if q%4 == 0 {
			return level(0)
		}
		return level(2 + q%3)
	})

	// Two of three have submitted: the comparison is sealed.
	j.open(admin, "/partnerships/"+pid, http.StatusOK)
	j.check(admin, "partnership sealed")
	if got := j.text(admin, "#sealed-1"); !strings.Contains(got, "2 of 3 councils have submitted") {
		t.Errorf("sealed message %q, want 2 of 3 councils have submitted", got)
	}
	j.open(admin, "/partnerships/"+pid+"/comparison", http.StatusOK)
	j.check(admin, "comparison sealed")

	// The admin shares round 1 read-only with a scrutiny committee: a bad
	// date is refused with the input kept; the link, shown once, shows the
	// round sealed to its viewer too (issue 20).
	j.open(admin, "/partnerships/"+pid+"/share?round=1", http.StatusOK)
	j.check(admin, "share comparison")
	j.run(admin, fill(map[string]string{"label": "Joint scrutiny committee", "expires-day": "31", "expires-month": "2", "expires-year": "2027"}))
	j.click(admin, "form button.govuk-button", http.StatusUnprocessableEntity)
	j.check(admin, "share comparison with errors")
	j.run(admin, fill(map[string]string{"expires-day": "", "expires-month": "", "expires-year": ""}))
	j.click(admin, "form button.govuk-button", http.StatusOK)
	j.check(admin, "read-only link made")
	scrutinyLink := j.text(admin, "#viewer-link")
	scrutiny := newTab(t, browser, "scrutiny", true)
	j.navigate(scrutiny, http.StatusOK, chromedp.Navigate(scrutinyLink))
	if strings.Contains(j.location(scrutiny), "token=") {
		j.fatalf(scrutiny, "the token stayed in the address bar: %s", j.location(scrutiny))
	}
	j.check(scrutiny, "viewer: comparison sealed")
	if got := j.text(scrutiny, "main"); !strings.Contains(got, "The comparison is sealed") {
		j.fatalf(scrutiny, "the viewer of a sealed round sees %q", got)
	}
	readOnly := func(tb *tab) {
		t.Helper()
		var forms int
		j.eval(tb, `document.querySelectorAll("form, button, input, select, textarea").length`, &forms)
		if forms != 0 {
			j.fatalf(tb, "a read-only page has %d form controls", forms)
		}
	}
	readOnly(scrutiny)

	// The third submits: the comparison opens.
	j.submitAssessment(southwark, false)
	j.open(admin, "/partnerships/"+pid, http.StatusOK)
	j.click(admin, `a[href$="/comparison?round=1"]`, http.StatusOK)
	j.check(admin, "comparison")
	page := j.text(admin, "main")
	for _, want := range []string{"Brent", "Lewisham", "Southwark", "Shared weakness", "Divergent", "Actions for the partnership"} {
		if !strings.Contains(page, want) {
			t.Errorf("comparison page has no %q", want)
		}
	}

	// The scrutiny committee's link now shows the comparison, and its
	// print view, with nothing to change.
	j.open(scrutiny, strings.TrimPrefix(strings.SplitN(scrutinyLink, "/resume?", 2)[0], e.url), http.StatusOK)
	j.check(scrutiny, "viewer: comparison")
	readOnly(scrutiny)
	j.click(scrutiny, `a[href$="/board"]`, http.StatusOK)
	j.check(scrutiny, "viewer: board summary")
	readOnly(scrutiny)

	// From a finding to the joint action register in one click: the form
	// is pre-filled; without a date it says so and keeps the title.
	j.click(admin, `a[href*="/actions/new?question="]`, http.StatusOK)
	j.check(admin, "action new (from a finding)")
	prefilled := ""
	j.eval(admin, `document.getElementById("title").value`, &prefilled)
	if prefilled == "" {
		t.Error("the action form from a finding has no title")
	}
	j.click(admin, `form[action$="/actions/new"] button.govuk-button`, http.StatusUnprocessableEntity)
	j.check(admin, "action new with errors")
	j.run(admin, fill(map[string]string{"due-day": "31", "due-month": "3", "due-year": "2027", "ownerRole": "Head of ICT"}))
	j.click(admin, `form[action$="/actions/new"] button.govuk-button`, http.StatusOK)
	j.check(admin, "action")
	actionPath := strings.TrimPrefix(j.location(admin), e.url)
	// The admin edits it and notes progress.
	j.run(admin, chromedp.Click("#status-2", chromedp.ByQuery))
	j.click(admin, `form[action$="`+actionPath+`"] button.govuk-button`, http.StatusOK)
	j.run(admin, chromedp.SendKeys("#text", "Communications specialist post advertised", chromedp.ByQuery))
	j.click(admin, `form[action$="/notes"] button.govuk-button`, http.StatusOK)
	j.check(admin, "action edited")
	if got := j.text(admin, "main"); !strings.Contains(got, "In progress") || !strings.Contains(got, "Communications specialist post advertised") {
		t.Errorf("action after the edit:\n%s", got)
	}
	j.open(admin, "/partnerships/"+pid+"/actions", http.StatusOK)
	j.check(admin, "action register")

	// Brent shares its report with its audit committee from the report.
	j.open(resumed, "/assessments/"+id+"/report", http.StatusOK)
	j.click(resumed, "#share-link", http.StatusOK)
	j.check(resumed, "share report")
	j.run(resumed, fill(map[string]string{"label": "Brent audit committee"}))
	j.click(resumed, "form button.govuk-button", http.StatusOK)
	auditLink := j.text(resumed, "#viewer-link")
	audit := newTab(t, browser, "audit", true)
	j.navigate(audit, http.StatusOK, chromedp.Navigate(auditLink))
	j.check(audit, "viewer: report")
	readOnly(audit)
	j.open(resumed, "/assessments/"+id+"/share", http.StatusOK)
	j.check(resumed, "share report with a live link")
	j.click(resumed, "form button.govuk-button--warning", http.StatusOK)
	if got := j.text(resumed, "main"); !strings.Contains(got, "The link is revoked") {
		t.Errorf("after revoking: %q", got)
	}
	j.open(audit, strings.TrimPrefix(strings.SplitN(auditLink, "/resume?", 2)[0], e.url), http.StatusNotFound)

	// A member sees the partnership and the comparison from its report.
	j.open(resumed, "/assessments/"+id+"/report", http.StatusOK)
	j.click(resumed, `a[href$="/partnership"]`, http.StatusOK)
	j.check(resumed, "partnership (member)")
	j.open(resumed, "/assessments/"+id+"/report", http.StatusOK)
	j.click(resumed, `a[href*="/comparison?round=1"]`, http.StatusOK)
	if got := j.text(resumed, "h1"); got != "Comparison of round 1" {
		t.Errorf("member comparison h1 = %q", got)
	}

	// A health-check round: Brent starts it from its report, answers copied
	// forward and marked to confirm.
	j.open(admin, "/partnerships/"+pid, http.StatusOK)
	j.click(admin, `form[action$="/rounds"] button`, http.StatusOK)
	j.open(resumed, "/assessments/"+id+"/report", http.StatusOK)
	j.click(resumed, `form[action$="/health-check"] button`, http.StatusOK)
	if got := j.text(resumed, "main"); !strings.Contains(got, "We copied 70 answers") {
		t.Errorf("health-check private link page does not say the answers were copied:\n%.500s", got)
	}
	j.click(resumed, "a.govuk-button", http.StatusOK)
	j.click(resumed, ".govuk-task-list__item:nth-child(1) a.govuk-task-list__link", http.StatusOK)
	j.check(resumed, "area with copied answers")
	if got := j.text(resumed, "main"); !strings.Contains(got, "Copied from last round — confirm") {
		t.Errorf("copied answers are not marked to confirm")
	}

	// Brent confirms its answers and submits; the admin closes round 2.
	// The comparison of round 2 carries the action with its question's
	// scores then (round 1) and now.
	j.open(resumed, "/assessments/"+idFromURL(j.location(resumed)), http.StatusOK)
	j.answerAreas(resumed, 0, 5, brentAnswer)
	j.submitAssessment(resumed, false)
	j.open(admin, "/partnerships/"+pid, http.StatusOK)
	j.click(admin, `form[action$="/rounds/2/close"] button`, http.StatusOK)
	j.open(admin, "/partnerships/"+pid+"/comparison?round=2", http.StatusOK)
	j.check(admin, "comparison round 2 with carried actions")
	if got := j.text(admin, "main"); !strings.Contains(got, "did they move the score?") || !strings.Contains(got, "Then (round 1)") {
		t.Errorf("round 2 comparison does not carry the action:\n%.3000s", got)
	}
	j.open(admin, actionPath, http.StatusOK)
	j.check(admin, "action with then and now")
	if got := j.text(admin, "#then-now"); got == "" {
		t.Error("the action page shows no then and now after round 2")
	}

	// The private link followed from another site (webmail): the browser
	// withholds the SameSite=Strict cookie after the redirect, so a page
	// offers to continue from our own site.
	mailPage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><title>Mail</title><a id="link" href="%s">Your private link</a></html>`, link)
	}))
	t.Cleanup(mailPage.Close)
	inbox := newTab(t, browser, "webmail", true)
	j.navigate(inbox, http.StatusOK, chromedp.Navigate(strings.Replace(mailPage.URL, "127.0.0.1", "localhost", 1)))
	j.click(inbox, "#link", http.StatusOK)
	if !strings.HasSuffix(j.location(inbox), "/report") {
		if got := j.text(inbox, "h1"); got != "Continue to your assessment" {
			t.Fatalf("after a cross-site private link: h1 %q at %s", got, j.location(inbox))
		}
		j.check(inbox, "continue (link from another site)")
		j.click(inbox, "a.govuk-button", http.StatusOK)
	}
	if got := j.location(inbox); got != e.url+"/assessments/"+id+"/report" {
		t.Errorf("after a cross-site private link: at %s, want the report", got)
	}

	for _, tb := range []*tab{admin, brent, resumed, lewisham, southwark, inbox, scrutiny, audit} {
		for _, msg := range tb.consoleErrors() {
			t.Errorf("%s: browser console error: %s", tb.name, msg)
		}
	}
	j.report()
}

// report prints the weight of every page checked and fails over the bound.
func (j *journey) report() {
	j.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%-36s %8s %8s %8s\n", "page (gzip bytes)", "HTML", "CSS", "total")
	for _, name := range j.checked {
		w := j.weights[name]
		fmt.Fprintf(&b, "%-36s %8d %8d %8d\n", name, w[0], w[1], w[0]+w[1])
		if w[0]+w[1] > maxPageWeight {
			j.t.Errorf("%s weighs %d bytes gzipped, over %d", name, w[0]+w[1], maxPageWeight)
		}
	}
	j.t.Logf("page weights, %d pages checked with axe-core (%s):\n%s", len(j.checked), strings.Join(axeTags, ", "), b.String())
}
