package web_test

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/secret"
)

// TestLanguageFollowsAcceptLanguageThenTheChoice: a first visit follows the
// browser's Accept-Language; the link at the top of the page (a plain GET,
// no JavaScript) keeps the choice in the language cookie and returns to the
// same page, which then wins over Accept-Language.
func TestLanguageFollowsAcceptLanguageThenTheChoice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	en := e.request("GET", "/", nil)
	if !strings.Contains(en.body, `<html lang="en-GB"`) || !strings.Contains(en.body, "Start now") {
		t.Fatalf("no header: not the English start page")
	}
	if !strings.Contains(en.body, `href="/language?back=%2F&amp;to=cy" hreflang="cy" lang="cy" rel="alternate">Cymraeg`) {
		t.Errorf("no link to the Welsh page with hreflang:\n%s", en.body)
	}
	if got := en.header.Get("Content-Language"); got != "en-GB" {
		t.Errorf("Content-Language = %q", got)
	}

	cy := e.request("GET", "/", nil, "Accept-Language", "cy-GB, cy;q=0.9, en;q=0.5")
	if !strings.Contains(cy.body, `<html lang="cy"`) || !strings.Contains(cy.body, "Dechrau nawr") || strings.Contains(cy.body, "Start now") {
		t.Fatalf("Accept-Language: cy did not give the Welsh start page")
	}
	if !strings.Contains(cy.body, `hreflang="en-GB" lang="en-GB" rel="alternate">English`) {
		t.Errorf("the Welsh page does not link to English")
	}
	if got := cy.header.Get("Content-Language"); got != "cy" {
		t.Errorf("Content-Language = %q", got)
	}
	if v := cy.header.Get("Vary"); !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Cookie") {
		t.Errorf("Vary = %q, want Accept-Language and Cookie", v)
	}
	if en.header.Get("ETag") == "" || en.header.Get("ETag") == cy.header.Get("ETag") {
		t.Errorf("ETags %q and %q: want one per language", en.header.Get("ETag"), cy.header.Get("ETag"))
	}

	// Choose Welsh on the form page, against an English browser.
	sw := e.request("GET", "/language?"+url.Values{"to": {"cy"}, "back": {"/assessments/new?x=1"}}.Encode(), nil, "Accept-Language", "en-GB")
	if sw.status != http.StatusSeeOther || sw.header.Get("Location") != "/assessments/new?x=1" {
		t.Fatalf("switch: %d to %q, want 303 back to the page", sw.status, sw.header.Get("Location"))
	}
	c := sw.cookie("rasp_lang")
	if c == nil || c.Value != "cy" || c.Path != "/" || !c.HttpOnly || c.MaxAge < 300*24*3600 {
		t.Fatalf("language cookie = %+v", c)
	}
	form := e.request("GET", "/assessments/new", nil, "Accept-Language", "en-GB", "Cookie", cookieHeader(c))
	if !strings.Contains(form.body, `<html lang="cy"`) || !strings.Contains(form.body, "Enw eich cyngor") {
		t.Errorf("the cookie's choice did not win over Accept-Language")
	}
	// And back to English.
	back := e.request("GET", "/language?to=en&back=/", nil, "Cookie", cookieHeader(c))
	if c := back.cookie("rasp_lang"); c == nil || c.Value != "en" {
		t.Errorf("switching back set %+v", c)
	}
}

// TestLanguageSwitchStaysOnTheSite: the back address must be a path here.
func TestLanguageSwitchStaysOnTheSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, back := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "", "javascript:alert(1)", "evil", "/%0d%0aSet-Cookie:x=y"} {
		r := e.request("GET", "/language?"+url.Values{"to": {"cy"}, "back": {back}}.Encode(), nil)
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || (loc != "/" && back != "/%0d%0aSet-Cookie:x=y") || strings.ContainsAny(loc, "\r\n") {
			t.Errorf("back=%q: %d to %q, want 303 to /", back, r.status, loc)
		}
	}
	r := e.request("GET", "/language?to=fr&back=/cookies", nil, "Accept-Language", "cy")
	if c := r.cookie("rasp_lang"); c == nil || c.Value != "cy" {
		t.Errorf("an unknown language kept %+v, want the current one (cy)", c)
	}
}

// TestWelshPages: the pages converted so far say nothing in English.
func TestWelshPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Gwiriwch pa mor barod", "Neidio i’r prif gynnwys", "Datganiad hygyrchedd"}},
		{"/cookies", 200, []string{"rasp_lang", "Cwcis hanfodol", "Saesneg neu Gymraeg"}},
		{"/no-such-page", 404, []string{"Heb ddod o hyd i’r dudalen", "Mynd i’r dudalen gychwyn"}},
		{"/accessibility", 200, []string{"gan gyfieithydd Cymraeg cymwysedig", "make catalogues"}},
	} {
		r := e.request("GET", tc.path, nil, "Accept-Language", "cy")
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, r.status, tc.status)
		}
		if !strings.Contains(r.body, `<html lang="cy"`) {
			t.Errorf("%s: not lang=cy", tc.path)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s: no %q", tc.path, w)
			}
		}
	}
	// The English cookies page lists the language cookie too.
	if r := e.request("GET", "/cookies", nil); !strings.Contains(r.body, "rasp_lang") || !strings.Contains(r.body, "Essential cookies") {
		t.Errorf("the English cookies page does not list rasp_lang")
	}
}

// TestWelshStartFormErrors: the GOV.UK error summary and every message on
// the start form are in Welsh, with the input kept.
func TestWelshStartFormErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, form := range []url.Values{
		{},
		{"council": {"Cyngor Gwynedd\nx"}, "name": {strings.Repeat("x", 201)}, "role": {"Rheolwr"}, "email": {"a@"}, "purpose": {"readiness"}, "intendedForm": {"collaborate"}, "joinCode": {"nope"}},
	} {
		r := e.request("POST", "/assessments/new", form, "Accept-Language", "cy")
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", r.status)
		}
		for _, w := range []string{"<title>Gwall: Am eich asesiad", "Mae problem wedi codi", `<span class="govuk-visually-hidden">Gwall:</span>`} {
			if !strings.Contains(r.body, w) {
				t.Errorf("no %q", w)
			}
		}
		for _, english := range []string{"Enter ", "must ", "Select ", "There is a problem", "Error:"} {
			if strings.Contains(r.body, english) {
				t.Errorf("English %q left on the Welsh form:\n%s", english, r.body)
			}
		}
	}
}

// TestWelshJourneyPages walks the start, the task list, an area page with
// its errors, the check page and a submit with questions left, in Welsh.
func TestWelshJourneyPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cy := []string{"Accept-Language", "cy"}
	r := e.request("POST", "/assessments/new", startForm("Cyngor Sir Ceredigion"), cy...)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Eich dolen breifat") || !strings.Contains(r.body, "Mae’r asesiad ar gyfer Cyngor Sir Ceredigion wedi dechrau") {
		t.Fatalf("private link page: %d\n%s", r.status, r.body)
	}
	if strings.Contains(r.body, "/language?") {
		t.Errorf("the page that shows the private link once offers to switch language, which would lose the link")
	}
	id, c := e.started(startForm("Cyngor Sir Ceredigion"))
	ck := []string{"Cookie", cookieHeader(c), "Accept-Language", "cy"}
	// The pages show bank v2 in Welsh: its area, question and level texts.
	en := library().Current()
	area, english := en.In(locale.Welsh).Areas[0], en.Areas[0]
	s1 := strings.ReplaceAll(area.Questions[0].ID, ".", "-")
	esc := template.HTMLEscapeString
	for _, tc := range []struct {
		name, method, path string
		form               url.Values
		status             int
		want               []string
	}{
		{"task list", "GET", "/assessments/" + id, nil, 200, []string{"Eich asesiad parodrwydd", "Heb ddechrau", "Methu dechrau eto", "Parodrwydd ar gyfer gwasanaeth a rennir", "Dileu’r asesiad hwn", esc(area.Title)}},
		{"area", "GET", "/assessments/" + id + "/areas/" + area.ID, nil, 200, []string{"Maes 1 o 5", "Cadw a pharhau", "Ddim yn gwybod", "Canllawiau",
			esc(area.Title), esc(area.Description), esc(area.Questions[0].Text), esc(area.Questions[0].Guidance), esc(area.Questions[0].Levels[4])}},
		{"area errors", "POST", "/assessments/" + id + "/areas/" + area.ID, url.Values{"note-" + s1: {"Papur i’r bwrdd"}}, 422,
			[]string{"<title>Gwall: ", "Mae problem wedi codi", "Dewiswch ateb i gwestiwn 1 i gadw eich nodyn", "Papur i’r bwrdd"}},
		{"check", "GET", "/assessments/" + id + "/check", nil, 200, []string{"Gwiriwch eich atebion cyn cyflwyno", "Heb ei ateb", "Cyflwyno’r asesiad", esc(area.Title), esc(area.Questions[0].Text)}},
		{"submit with questions left", "POST", "/assessments/" + id + "/submit", url.Values{}, 422, []string{"Mae problem wedi codi", "Atebwch y "}},
	} {
		r := e.request(tc.method, tc.path, tc.form, ck...)
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, r.status, tc.status)
		}
		if !strings.Contains(r.body, `<html lang="cy"`) {
			t.Errorf("%s: not lang=cy", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s: no %q", tc.name, w)
			}
		}
		for _, english := range []string{"Not started", "Save and continue", "Don't know", "There is a problem", "Check your answers", "Answer the ",
			esc(english.Title), esc(english.Questions[0].Text), esc(english.Questions[0].Levels[4])} {
			if strings.Contains(r.body, english) {
				t.Errorf("%s: English %q left", tc.name, english)
			}
		}
	}
	// A saved area says so in Welsh on the task list.
	r = e.request("POST", "/assessments/"+id+"/areas/"+area.ID, url.Values{"answer-" + s1: {"2"}}, ck...)
	r = e.request("GET", r.header.Get("Location"), nil, ck...)
	if !strings.Contains(r.body, "Mae eich atebion wedi’u cadw: "+area.Title) || !strings.Contains(r.body, "Llwyddiant") {
		t.Errorf("no Welsh saved banner")
	}
}

// TestWelshPagesOfAV1Assessment: bank v1 has no Welsh, so a Welsh reader
// sees an assessment started on it in English, and its pages say so; an
// English reader is not told.
func TestWelshPagesOfAV1Assessment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	token := secret.NewToken()
	a := &assessment.Assessment{ID: secret.NewID(), Council: "Cyngor Sir Fynwy", Respondent: assessment.Respondent{Name: "Siân", Role: "Rheolwr"},
		Purpose: assessment.Readiness, Form: "collaborate", Version: "v1", Status: assessment.Draft, TokenHash: secret.Hash(token), CreatedAt: now, UpdatedAt: now}
	if err := e.deps.Store.Create(ctx, a, nil, nil); err != nil {
		t.Fatal(err)
	}
	v1, _ := library().Get("v1")
	answers := map[string]assessment.Answer{}
	for _, q := range v1.Questions() {
		s := 2
		answers[q.ID] = assessment.Answer{Score: &s}
	}
	if _, err := e.deps.Assessments.SaveAnswers(ctx, e.lead(a.ID, token), answers, nil); err != nil {
		t.Fatalf("save answers: %v", err)
	}
	cookie := "rasp_a_" + a.ID + "=" + token
	const englishOnly = "Cafodd yr asesiad hwn ei wneud gyda fersiwn 1 o’r banc cwestiynau, sydd ar gael yn Saesneg yn unig"
	q := template.HTMLEscapeString(v1.Areas[0].Questions[0].Text)
	page := func(name, path string, welsh bool) {
		t.Helper()
		headers := []string{"Cookie", cookie}
		if welsh {
			headers = append(headers, "Accept-Language", "cy")
		}
		r := e.request("GET", path, nil, headers...)
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d\n%.600s", name, r.status, r.body)
		}
		if got := strings.Contains(r.body, `id="english-only"`) && strings.Contains(r.body, englishOnly); got != welsh {
			t.Errorf("%s (Welsh %v): says it is in English only: %v, want %v", name, welsh, got, welsh)
		}
		if !strings.Contains(r.body, q) {
			t.Errorf("%s (Welsh %v): no English question %q", name, welsh, q)
		}
	}
	page("check answers", "/assessments/"+a.ID+"/check", true)
	if r := e.request("POST", "/assessments/"+a.ID+"/submit", url.Values{}, "Cookie", cookie, "Accept-Language", "cy"); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%.600s", r.status, r.body)
	}
	page("report", "/assessments/"+a.ID+"/report", true)
	page("report in English", "/assessments/"+a.ID+"/report", false)
}

// TestWelshBoardAndWorkshop: the comparison with its board summary, the
// board's print view, its committee-paper document and the workshop pack
// are in Welsh, bank text included, for a Welsh reader.
func TestWelshBoardAndWorkshop(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sp := e.seatedPartnership(map[string]int{"Cyngor Gwynedd": 4, "Cyngor Sir Ynys Môn": 0, "Cyngor Conwy": 2}, "Cyngor Gwynedd", "Cyngor Sir Ynys Môn", "Cyngor Conwy")
	fragments := englishFragments(t)
	cy := library().Current().In(locale.Welsh)
	base := "/partnerships/" + sp.id
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"comparison", base + "/comparison?round=1", []string{"Crynodeb i’r bwrdd", "Lle atebodd y cynghorau ymhell oddi wrth ei gilydd", cy.Areas[0].Title,
			cy.Areas[0].Questions[0].Text + " Mae’r sgorau’n amrywio o 0 (Cyngor Sir Ynys Môn) i 4 (Cyngor Gwynedd)."}},
		{"board", base + "/board?round=1", []string{"Crynodeb i’r bwrdd: rownd 1", "Argraffwyd ar", cy.Areas[0].Questions[0].Levels[4]}},
		{"board document", base + "/board.html?round=1", []string{"crynodeb i’r bwrdd, rownd 1", "Ffynhonnell: RASP", cy.Areas[0].Questions[0].Text}},
		{"workshop", base + "/workshop?round=1", []string{"Pecyn gweithdy: rownd 1", "Penderfyniad:", "Dargyfeiriol", cy.Areas[0].Questions[0].Text}},
	} {
		welshPage(t, tc.name, e.request("GET", tc.path, nil, "Cookie", sp.admin, "Accept-Language", "cy"), http.StatusOK, fragments, tc.want...)
	}
}
