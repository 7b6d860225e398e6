package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/web"
)

func startForm(council string) url.Values {
	return url.Values{"council": {council}, "name": {"Sam Patel"}, "role": {"Programme manager"},
		"purpose": {"readiness"}, "intendedForm": {"collaborate"}}
}

// started starts an assessment through the form and returns its id and
// the cookie holding its token. Pairs of headers may follow, as for request.
func (e *env) started(form url.Values, headers ...string) (id string, cookie *http.Cookie) {
	e.t.Helper()
	r := e.request("POST", "/assessments/new", form, headers...)
	if r.status != http.StatusOK {
		e.t.Fatalf("start: status %d, want 200\n%s", r.status, r.body)
	}
	m := regexp.MustCompile(`/assessments/([a-z2-7]{26})/resume\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(r.body)
	if m == nil {
		e.t.Fatalf("start: no private link on the page\n%s", r.body)
	}
	c := r.cookie("rasp_a_" + m[1])
	if c == nil || c.Value != m[2] {
		e.t.Fatalf("start: cookie %v does not hold the token of the private link", c)
	}
	return m[1], c
}

func (e *env) answerAll(id, token string, score int) {
	e.t.Helper()
	answers := map[string]assessment.Answer{}
	for _, q := range library().Current().Questions() {
		s := score
		answers[q.ID] = assessment.Answer{Score: &s}
	}
	if _, err := e.deps.Assessments.SaveAnswers(context.Background(), e.lead(id, token), answers, nil); err != nil {
		e.t.Fatalf("save answers: %v", err)
	}
}

func cookieHeader(c *http.Cookie) string { return c.Name + "=" + c.Value }

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Brent"))
	for _, tc := range []struct {
		name, path string
		headers    []string
		hsts       bool
	}{
		{"start page", "/", nil, false},
		{"task list", "/assessments/" + id, []string{"Cookie", cookieHeader(c)}, false},
		{"task list over HTTPS", "/assessments/" + id, []string{"Cookie", cookieHeader(c), "X-Forwarded-Proto", "https"}, true},
		{"404 page", "/assessments/" + id + "/resume?token=wrong", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.request("GET", tc.path, nil, tc.headers...)
			if got := r.header.Get("Content-Security-Policy"); got != web.ContentSecurityPolicy {
				t.Errorf("content-security-policy = %q, want %q", got, web.ContentSecurityPolicy)
			}
			for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
				if got := r.header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			if got := r.header.Get("Strict-Transport-Security"); (got != "") != tc.hsts {
				t.Errorf("strict-transport-security = %q, want set: %v", got, tc.hsts)
			}
			if strings.Contains(r.body, "<script") || strings.Contains(r.body, "style=") {
				t.Errorf("page has a script or an inline style")
			}
		})
	}
	if r := e.request("GET", "/assessments/"+id, nil, "Cookie", cookieHeader(c)); r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("private page cache-control = %q, want no-store", r.header.Get("Cache-Control"))
	}
}

func TestStartFormErrorsKeepInputAndWriteNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name  string
		form  url.Values
		links []string // error summary links, in order
		kept  []string // values that must be back in the form
	}{
		{"empty", url.Values{}, []string{"#council", "#name", "#role", "#purpose", "#intendedForm"}, nil},
		{"bad email, rest kept", url.Values{"council": {"Lewisham"}, "name": {"Ada"}, "role": {"Head of ICT"}, "email": {"ada@"},
			"purpose": {"health-check"}, "intendedForm": {"combine"}}, []string{"#email"},
			[]string{`value="Lewisham"`, `value="Ada"`, `value="Head of ICT"`, `value="ada@"`, `value="health-check" checked`, `value="combine" checked`}},
		{"unknown join code", url.Values{"council": {"Brent"}, "name": {"Sam"}, "role": {"PM"}, "purpose": {"readiness"},
			"intendedForm": {"collaborate"}, "joinCode": {"ABC-DEF-GHJ"}}, []string{"#joinCode"}, []string{`value="ABC-DEF-GHJ"`}},
		{"too long and two lines", url.Values{"council": {strings.Repeat("x", 201)}, "name": {"a\nb"}, "role": {"PM"}, "purpose": {"readiness"},
			"intendedForm": {"collaborate"}}, []string{"#council", "#name"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.itemCount()
			r := e.request("POST", "/assessments/new", tc.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422\n%s", r.status, r.body)
			}
			if !strings.Contains(r.body, "<title>Error: ") {
				t.Errorf("title does not start with Error:")
			}
			if !strings.Contains(r.body, `class="govuk-error-summary"`) || !strings.Contains(r.body, `role="alert"`) {
				t.Errorf("no error summary with role=alert")
			}
			var got []string
			for _, m := range regexp.MustCompile(`<li><a href="(#[^"]+)">`).FindAllStringSubmatch(r.body, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, " ") != strings.Join(tc.links, " ") {
				t.Errorf("error summary links = %v, want %v", got, tc.links)
			}
			for _, link := range tc.links {
				id := link[1:]
				if !strings.Contains(r.body, `id="`+id+`-error"`) || !strings.Contains(r.body, `id="`+id+`"`) {
					t.Errorf("no inline error or field for %s", id)
				}
			}
			for _, k := range tc.kept {
				if !strings.Contains(r.body, k) {
					t.Errorf("input not kept: %s", k)
				}
			}
			if len(r.header.Values("Set-Cookie")) != 0 {
				t.Errorf("an error response set a cookie")
			}
			if after := e.itemCount(); after != before {
				t.Errorf("items in table: %d before, %d after: a form error wrote", before, after)
			}
		})
	}
}

func TestStartSetsCookieAndMailsLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name    string
		headers []string
		secure  bool
	}{
		{"http", nil, false},
		{"https", []string{"X-Forwarded-Proto", "https"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := startForm("Southwark")
			form.Set("email", "pm@southwark.gov.uk")
			form.Set("key", "key-"+tc.name)
			r := e.request("POST", "/assessments/new", form, tc.headers...)
			if r.status != http.StatusOK {
				t.Fatalf("status = %d, want 200\n%s", r.status, r.body)
			}
			m := regexp.MustCompile(`/assessments/([a-z2-7]{26})/resume\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(r.body)
			if m == nil {
				t.Fatalf("no private link on the page")
			}
			id, token := m[1], m[2]
			c := r.cookie("rasp_a_" + id)
			switch {
			case c == nil:
				t.Fatalf("no cookie rasp_a_%s", id)
			case c.Value != token:
				t.Errorf("cookie value is not the token")
			case !c.HttpOnly:
				t.Errorf("cookie is not HttpOnly")
			case c.SameSite != http.SameSiteStrictMode:
				t.Errorf("cookie SameSite = %v, want Strict", c.SameSite)
			case c.Path != "/assessments/"+id:
				t.Errorf("cookie Path = %q, want /assessments/%s", c.Path, id)
			case c.Secure != tc.secure:
				t.Errorf("cookie Secure = %v, want %v", c.Secure, tc.secure)
			}
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("private link page cache-control = %q, want no-store", r.header.Get("Cache-Control"))
			}
			var mailed bool
			for _, msg := range e.mail.Messages() {
				if msg.To == "pm@southwark.gov.uk" && strings.Contains(msg.Text, "http://rasp.test/assessments/"+id+"/resume?token="+token) {
					mailed = true
				}
			}
			if !mailed {
				t.Errorf("private link not mailed to the address given")
			}
			// The same form sent again (refresh, double click) is the same assessment.
			again := e.request("POST", "/assessments/new", form, tc.headers...)
			if !strings.Contains(again.body, "/assessments/"+id+"/resume?token="+token) {
				t.Errorf("resubmitting the form did not give the same assessment")
			}
		})
	}
}

func TestResume(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Camden"))
	for _, tc := range []struct {
		name, path string
		headers    []string
		status     int
		secure     bool
	}{
		{"right token", "/assessments/" + id + "/resume?token=" + url.QueryEscape(c.Value), nil, http.StatusSeeOther, false},
		{"right token over HTTPS", "/assessments/" + id + "/resume?token=" + url.QueryEscape(c.Value), []string{"X-Forwarded-Proto", "https"}, http.StatusSeeOther, true},
		{"wrong token", "/assessments/" + id + "/resume?token=nope", nil, http.StatusNotFound, false},
		{"no token", "/assessments/" + id + "/resume", nil, http.StatusNotFound, false},
		{"unknown id", "/assessments/aaaaaaaaaaaaaaaaaaaaaaaaaa/resume?token=" + url.QueryEscape(c.Value), nil, http.StatusNotFound, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.request("GET", tc.path, nil, tc.headers...)
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d", r.status, tc.status)
			}
			got := r.cookie("rasp_a_" + id)
			if tc.status != http.StatusSeeOther {
				if got != nil {
					t.Errorf("a failed resume set a cookie")
				}
				if !strings.Contains(r.body, "Page not found") {
					t.Errorf("not the friendly 404 page")
				}
				return
			}
			if loc := r.header.Get("Location"); loc != "/assessments/"+id {
				t.Errorf("Location = %q, want /assessments/%s (and no token)", loc, id)
			}
			if got == nil || got.Value != c.Value || !got.HttpOnly || got.SameSite != http.SameSiteStrictMode || got.Path != "/assessments/"+id || got.Secure != tc.secure {
				t.Errorf("cookie = %+v, want the token, HttpOnly, SameSite=Strict, Path=/assessments/%s, Secure=%v", got, id, tc.secure)
			}
		})
	}
	// Without the cookie the task list is the 404 page, except after a link
	// followed from another site, when the browser withholds the
	// SameSite=Strict cookie: then a page offers to continue from here.
	if r := e.request("GET", "/assessments/"+id, nil); r.status != http.StatusNotFound {
		t.Errorf("task list without cookie: status %d, want 404", r.status)
	}
	r := e.request("GET", "/assessments/"+id, nil, "Sec-Fetch-Site", "cross-site")
	if r.status != http.StatusOK || !strings.Contains(r.body, `href="/assessments/`+id+`"`) {
		t.Errorf("cross-site arrival without cookie: status %d, want 200 with a link to continue", r.status)
	}
}

func TestCrossOriginPostsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Haringey"))
	ck := cookieHeader(c)
	for _, tc := range []struct {
		name    string
		path    string
		form    url.Values
		headers []string
		status  int
	}{
		{"start, cross-site", "/assessments/new", startForm("Evil"), []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"start, same-site", "/assessments/new", startForm("Evil"), []string{"Sec-Fetch-Site", "same-site"}, http.StatusForbidden},
		{"start, other Origin (old browser)", "/assessments/new", startForm("Evil"), []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"save answers, cross-site", "/assessments/" + id + "/areas/vision", url.Values{"answer-vision-political-backing": {"3"}}, []string{"Cookie", ck, "Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"delete, other Origin", "/assessments/" + id + "/delete", url.Values{}, []string{"Cookie", ck, "Sec-Fetch-Site", "", "Origin", "http://evil.example"}, http.StatusForbidden},
		{"partnership, cross-site", "/partnerships/new", url.Values{"name": {"X"}, "intendedForm": {"combine"}, "cadenceMonths": {"12"}}, []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"start, same Origin (old browser)", "/assessments/new", startForm("Good"), []string{"Sec-Fetch-Site", ""}, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.itemCount()
			r := e.request("POST", tc.path, tc.form, tc.headers...)
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d", r.status, tc.status)
			}
			if tc.status == http.StatusForbidden {
				if !strings.Contains(r.body, "another website") {
					t.Errorf("not the cross-origin 403 page")
				}
				if after := e.itemCount(); after != before {
					t.Errorf("items: %d before, %d after: a refused post wrote", before, after)
				}
			}
		})
	}
	a, err := e.deps.Auth.Assessment(context.Background(), id, c.Value)
	if err != nil || len(a.Answers) != 0 {
		t.Errorf("assessment after refused posts: %v answers, err %v; want untouched", len(a.Answers), err)
	}
}

func TestAreaFormErrorsKeepInputAndSaveNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Islington"))
	ck := cookieHeader(c)
	area := library().Current().Areas[0]
	q1, q2 := area.Questions[0], area.Questions[1]
	s1, s2 := strings.ReplaceAll(q1.ID, ".", "-"), strings.ReplaceAll(q2.ID, ".", "-")
	long := strings.Repeat("é", assessment.MaxNote+1)
	for _, tc := range []struct {
		name string
		form url.Values
		errs []string
		kept []string
	}{
		{"note too long", url.Values{"answer-" + s1: {"2"}, "note-" + s1: {long}, "answer-" + s2: {"3"}},
			[]string{"#note-" + s1}, []string{long, `id="answer-` + s1 + `-2" name="answer-` + s1 + `" type="radio" value="2" checked`}},
		{"note without an answer", url.Values{"note-" + s2: {"Board paper due"}, "answer-" + s1: {"unknown"}},
			[]string{"#answer-" + s2}, []string{"Board paper due", `value="unknown" checked`}},
		{"not a level", url.Values{"answer-" + s1: {"7"}}, []string{"#answer-" + s1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.request("POST", "/assessments/"+id+"/areas/"+area.ID, tc.form, "Cookie", ck)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422", r.status)
			}
			for _, link := range tc.errs {
				if !strings.Contains(r.body, `<a href="`+link+`">`) {
					t.Errorf("error summary has no link to %s", link)
				}
			}
			for _, k := range tc.kept {
				if !strings.Contains(r.body, k) {
					t.Errorf("input not kept: %.80s", k)
				}
			}
			a, err := e.deps.Auth.Assessment(context.Background(), id, c.Value)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Answers) != 0 || a.Revision() != 0 {
				t.Errorf("after a form error: %d answers, revision %d; want nothing saved", len(a.Answers), a.Revision())
			}
		})
	}
	r := e.request("POST", "/assessments/"+id+"/areas/"+area.ID, url.Values{"answer-" + s1: {"4"}, "note-" + s1: {"Agreed by cabinet\r\nin May"}}, "Cookie", ck)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/assessments/"+id+"?saved="+area.ID {
		t.Fatalf("save: status %d to %q, want 303 to the task list saying what was saved", r.status, r.header.Get("Location"))
	}
	a, _ := e.deps.Auth.Assessment(context.Background(), id, c.Value)
	if got := a.Answers[q1.ID]; got.Score == nil || *got.Score != 4 || got.Note != "Agreed by cabinet\nin May" {
		t.Errorf("saved answer = %+v, want score 4 with the note", got)
	}
}

// TestAreaSaveSaysWhatHappened: after an area page the task list says
// what was saved, says so when nothing was (no answer chosen), and after
// "Save and come back later" how to come back.
func TestAreaSaveSaysWhatHappened(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Hackney"))
	ck := cookieHeader(c)
	area := library().Current().Areas[1]
	s1 := strings.ReplaceAll(area.Questions[0].ID, ".", "-")
	for _, tc := range []struct {
		name      string
		form      url.Values
		location  string
		want, not []string
	}{
		{"nothing chosen", url.Values{"then": {"continue"}}, "?unchanged=" + area.ID,
			[]string{"Nothing was saved for " + area.Title}, []string{"govuk-notification-banner--success", "To come back"}},
		{"saved", url.Values{"answer-" + s1: {"2"}, "then": {"continue"}}, "?saved=" + area.ID,
			[]string{"Your answers to " + area.Title + " have been saved", "govuk-notification-banner--success"}, []string{"To come back"}},
		{"saved, come back later", url.Values{"answer-" + s1: {"3"}, "then": {"later"}}, "?later=1&saved=" + area.ID,
			[]string{"have been saved", "To come back, use the private link"}, nil},
		{"nothing chosen, come back later", url.Values{"then": {"later"}}, "?later=1&unchanged=" + area.ID,
			[]string{"Nothing was saved", "To come back, use the private link"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.request("POST", "/assessments/"+id+"/areas/"+area.ID, tc.form, "Cookie", ck)
			if want := "/assessments/" + id + tc.location; r.status != http.StatusSeeOther || r.header.Get("Location") != want {
				t.Fatalf("save: status %d to %q, want 303 to %q", r.status, r.header.Get("Location"), want)
			}
			page := e.request("GET", r.header.Get("Location"), nil, "Cookie", ck)
			for _, w := range tc.want {
				if !strings.Contains(page.body, w) {
					t.Errorf("task list has no %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(page.body, w) {
					t.Errorf("task list has %q", w)
				}
			}
		})
	}
	if r := e.request("GET", "/assessments/"+id+"?saved=nope", nil, "Cookie", ck); strings.Contains(r.body, "govuk-notification-banner") {
		t.Errorf("an unknown area in the query shows a banner")
	}
	if r := e.request("GET", "/assessments/"+id+"/areas/"+area.ID, nil, "Cookie", ck); !strings.Contains(r.body, `value="later">Save and come back later</button>`) {
		t.Errorf("area page has no Save and come back later button")
	}
}

// TestPrivateLinkRuleAgrees: the private-link page and its e-mail say the
// same thing about who may use the link.
func TestPrivateLinkRuleAgrees(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	form := startForm("Haringey")
	form.Set("email", "pm@haringey.gov.uk")
	r := e.request("POST", "/assessments/new", form)
	rule := "Anyone with this link can see and change your answers, so keep it to yourself and do not forward it."
	if !strings.Contains(r.body, rule) {
		t.Errorf("private-link page does not say %q", rule)
	}
	if strings.Contains(r.body, "Share it") {
		t.Errorf("private-link page still invites sharing the link")
	}
	var mailed int
	for _, m := range e.mail.Messages() {
		if m.To == "pm@haringey.gov.uk" {
			mailed++
			if !strings.Contains(m.Text, rule) || !strings.Contains(m.HTML, rule) {
				t.Errorf("the e-mail does not say %q:\n%s", rule, m.Text)
			}
		}
	}
	if mailed != 1 {
		t.Errorf("%d e-mails, want 1", mailed)
	}
}

func TestSubmitAndReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Lewisham"))
	ck := cookieHeader(c)
	r := e.request("POST", "/assessments/"+id+"/submit", url.Values{}, "Cookie", ck)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#area-vision"`) {
		t.Fatalf("submit incomplete: status %d, want 422 with an error per area", r.status)
	}
	e.answerAll(id, c.Value, 2)
	r = e.request("POST", "/assessments/"+id+"/submit", url.Values{}, "Cookie", ck)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/assessments/"+id+"/report" {
		t.Fatalf("submit: status %d to %q, want 303 to the report", r.status, r.header.Get("Location"))
	}
	r = e.request("GET", "/assessments/"+id+"/report", nil, "Cookie", ck)
	for _, want := range []string{`class="rasp-chart__bar rasp-chart__bar--`, "<title>", "The deepest form you are ready for now", "Must-haves for", "What if you aimed for", "How this score is worked out", "Your answers, question by question", "What to work on first", `<table class="govuk-table">`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("report has no %q", want)
		}
	}
	for _, tc := range []struct{ path, ctype, want string }{
		{"/report.json", "application/json", `"readiness"`},
		{"/report.csv", "text/csv; charset=utf-8", "question_id"},
	} {
		got := e.request("GET", "/assessments/"+id+tc.path, nil, "Cookie", ck)
		if got.status != 200 || got.header.Get("Content-Type") != tc.ctype || !strings.Contains(got.body, tc.want) || !strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: status %d, type %q, disposition %q", tc.path, got.status, got.header.Get("Content-Type"), got.header.Get("Content-Disposition"))
		}
		if got := e.request("GET", "/assessments/"+id+tc.path, nil); got.status != http.StatusNotFound {
			t.Errorf("%s without cookie: status %d, want 404", tc.path, got.status)
		}
	}
	// Area pages of a submitted assessment go to the report.
	if r := e.request("GET", "/assessments/"+id+"/areas/vision", nil, "Cookie", ck); r.status != http.StatusSeeOther {
		t.Errorf("area of a submitted assessment: status %d, want 303", r.status)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Brent"))
	ck := cookieHeader(c)
	r := e.request("POST", "/assessments/"+id+"/delete", url.Values{}, "Cookie", ck)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/assessments/deleted" {
		t.Fatalf("delete: status %d to %q", r.status, r.header.Get("Location"))
	}
	if got := r.cookie("rasp_a_" + id); got == nil || got.MaxAge >= 0 || got.Path != "/assessments/"+id {
		t.Errorf("delete did not clear the cookie: %+v", got)
	}
	if _, err := e.deps.Auth.Assessment(context.Background(), id, c.Value); err == nil {
		t.Errorf("assessment still there after delete")
	}
	if r := e.request("GET", "/assessments/"+id, nil, "Cookie", ck); r.status != http.StatusNotFound {
		t.Errorf("task list after delete: status %d, want 404", r.status)
	}
}

func TestStylesheet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.request("GET", "/", nil)
	m := regexp.MustCompile(`href="(/assets/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no hashed stylesheet link on the start page")
	}
	css := e.request("GET", m[1], nil)
	if css.status != 200 || css.header.Get("Content-Type") != "text/css; charset=utf-8" || css.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("stylesheet: status %d, type %q, cache-control %q", css.status, css.header.Get("Content-Type"), css.header.Get("Cache-Control"))
	}
	if len(css.body) < 20000 || !strings.Contains(css.body, "govuk-button") {
		t.Errorf("stylesheet is %d bytes without GOV.UK styles: run make css", len(css.body))
	}
	if strings.Contains(css.body, "GDS Transport") || strings.Contains(css.body, "@font-face") {
		t.Errorf("stylesheet uses the GDS Transport font")
	}
	if r := e.request("GET", "/assets/app.000000000000.css", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown asset: status %d, want 404", r.status)
	}
}

// "Not applicable" is offered only where the profile allows it, needs a
// reason, and keeps what was typed when it is refused.
func TestNotApplicableOnTheAreaPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, c := e.started(startForm("Cardiff"))
	ck := cookieHeader(c)
	r := e.request("GET", "/assessments/"+id+"/areas/governance", nil, "Cookie", ck)
	if !strings.Contains(r.body, `id="answer-governance-welsh-language-na"`) || strings.Contains(r.body, `id="answer-governance-legal-basis-na"`) {
		t.Fatalf("governance page: want not applicable offered for Welsh language only, not for the legal basis (a must-have)")
	}
	r = e.request("POST", "/assessments/"+id+"/areas/governance", url.Values{"answer-governance-welsh-language": {"na"}, "reason-governance-welsh-language": {"  "}}, "Cookie", ck)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#reason-governance-welsh-language"`) {
		t.Fatalf("not applicable without a reason: status %d, want 422 pointing at the reason", r.status)
	}
	r = e.request("POST", "/assessments/"+id+"/areas/governance", url.Values{"answer-governance-legal-basis": {"na"}, "reason-governance-legal-basis": {"No"}}, "Cookie", ck)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("not applicable on a must-have: status %d, want 422", r.status)
	}
	r = e.request("POST", "/assessments/"+id+"/areas/governance", url.Values{"answer-governance-welsh-language": {"na"}, "reason-governance-welsh-language": {"Our council is in England."}}, "Cookie", ck)
	if r.status != http.StatusSeeOther {
		t.Fatalf("not applicable with a reason: status %d, want 303", r.status)
	}
	r = e.request("GET", "/assessments/"+id+"/areas/governance", nil, "Cookie", ck)
	if !strings.Contains(r.body, `value="na" aria-describedby="answer-governance-welsh-language-na-hint" checked`) || !strings.Contains(r.body, `value="Our council is in England."`) {
		t.Errorf("saved not applicable is not shown as chosen with its reason")
	}
	r = e.request("GET", "/assessments/"+id+"/report", nil, "Cookie", ck)
	if !strings.Contains(r.body, "Our council is in England.") || !strings.Contains(r.body, "Not applicable</h2>") {
		t.Errorf("report does not list the not-applicable answer with its reason")
	}
}

// TestUnmatchedPaths: what no route matches is answered by the web
// function, as API Gateway's $default route sends it (docs/design.md D5):
// GOV.UK pages with lang and a title outside /api/, problem documents
// under it; a known path with another method is 405 with Allow.
func TestUnmatchedPaths(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		method, path string
		status       int
		ctype, want  string
		allow        string
	}{
		{"GET", "/nope", 404, "text/html; charset=utf-8", "<title>Page not found – RASP</title>", ""},
		{"GET", "/assessments", 404, "text/html; charset=utf-8", "<title>Page not found – RASP</title>", ""},
		{"GET", "/partnerships", 404, "text/html; charset=utf-8", "<title>Page not found – RASP</title>", ""},
		{"GET", "/assessments/new/extra/bits", 404, "text/html; charset=utf-8", "<title>Page not found – RASP</title>", ""},
		{"DELETE", "/", 405, "text/html; charset=utf-8", "<title>You cannot do that on this page – RASP</title>", "GET, HEAD"},
		{"PUT", "/assessments/new", 405, "text/html; charset=utf-8", "You cannot do that on this page", "GET, HEAD, POST"},
		{"GET", "/api/nope", 404, "application/problem+json", `"status":404`, ""},
		{"GET", "/api", 404, "application/problem+json", `"status":404`, ""},
		{"POST", "/api/questions", 405, "application/problem+json", `"status":405`, "GET, HEAD"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := e.request(tc.method, tc.path, nil)
			if r.status != tc.status || r.header.Get("Content-Type") != tc.ctype {
				t.Fatalf("status %d %q, want %d %q\n%.300s", r.status, r.header.Get("Content-Type"), tc.status, tc.ctype, r.body)
			}
			if !strings.Contains(r.body, tc.want) {
				t.Errorf("body has no %q:\n%.500s", tc.want, r.body)
			}
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
			if strings.HasPrefix(tc.ctype, "text/html") {
				if !strings.Contains(r.body, `<html lang="en-GB"`) {
					t.Errorf("page has no lang")
				}
				if r.header.Get("Content-Security-Policy") == "" {
					t.Errorf("page has no Content-Security-Policy")
				}
			}
		})
	}
}
