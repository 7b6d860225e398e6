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
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
)

// englishLeftIn returns the fragments of the English catalogue (see
// englishFragments) that text, a Welsh page's words without their markup,
// shows outside the question bank's own text.
func englishLeftIn(text string, fragments []string) []string {
	for _, s := range bankTexts() {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			text = strings.ReplaceAll(text, s, " ")
		}
	}
	var out []string
	for _, f := range fragments {
		if containsPhrase(text, f) {
			out = append(out, f)
		}
	}
	return out
}

// pageWords is a page body's title and text, without markup or the link
// to the English page, in single spaces.
func pageWords(body string) string {
	text := html.UnescapeString(markup.ReplaceAllString(englishLink.ReplaceAllString(body, " "), " "))
	return strings.Join(strings.Fields(text), " ")
}

// TestWelshColleaguePages drives the colleagues' pages in Welsh without a
// browser: the lead invites a colleague (with errors first), the colleague
// opens their link and answers, the lead shares the spread (with errors
// first), the colleague sees it, the lead sets the council's answers (with
// errors), hands the lead over, and another assessment is deleted; then the
// privacy notice, the cookies page and every stop-reminders page. Each is
// lang="cy", says what it should in Welsh and shows no English text of the
// catalogue.
func TestWelshColleaguePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fragments := englishFragments(t)
	b := library().Current()
	area := b.Areas[0]
	s1 := strings.ReplaceAll(area.Questions[0].ID, ".", "-")
	id, c := e.started(startForm("Cyngor Gwynedd"))
	lead := []string{"Cookie", cookieHeader(c), "Accept-Language", "cy"}
	base := "/assessments/" + id

	check := func(name string, r reply, status int, want ...string) {
		t.Helper()
		if r.status != status {
			t.Errorf("%s: status %d, want %d\n%s", name, r.status, status, r.body)
		}
		if !strings.Contains(r.body, `<html lang="cy"`) {
			t.Errorf("%s: not lang=cy", name)
		}
		for _, w := range want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s: no %q", name, w)
			}
		}
		if strings.Contains(r.body, "[colleagues.") || strings.Contains(r.body, "[stop.") || strings.Contains(r.body, "[privacy.") {
			t.Errorf("%s: a catalogue key is missing", name)
		}
		if left := englishLeftIn(pageWords(r.body), fragments); len(left) > 0 {
			t.Errorf("%s: English left on the Welsh page: %q", name, left)
		}
	}

	check("colleagues", e.request("GET", base+"/respondents", nil, lead...), http.StatusOK,
		"<title>Cydweithwyr sy’n ateb", "Gwahodd cydweithiwr", "Eu cyfeiriad e-bost (dewisol)")
	check("invite with errors", e.request("POST", base+"/respondents", url.Values{"email": {"a@"}}, lead...), http.StatusUnprocessableEntity,
		"<title>Gwall: Cydweithwyr sy’n ateb", "Rhowch enw eich cydweithiwr", "Dewiswch rôl eich cydweithiwr", "neu gadewch ef allan")
	r := e.request("POST", base+"/respondents", url.Values{"name": {"Siân Evans"}, "role": {b.Roles[0].ID}, "key": {"k1"}}, lead...)
	check("colleague invited", r, http.StatusOK, "Dolen breifat eich cydweithiwr", "Mae Siân Evans wedi cael gwahoddiad", "Anfonwch y ddolen hon at Siân Evans")
	m := regexp.MustCompile(`/assessments/` + id + `/respondents/([a-z2-7]{26})/resume\?token=[A-Za-z0-9_-]+`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no colleague's link on the page")
	}
	cid := m[1]
	check("colleagues with one", e.request("GET", base+"/respondents", nil, lead...), http.StatusOK,
		"Cydweithwyr a wahoddwyd", "Wedi ateb 0 o ", "Newid beth mae Siân Evans yn ei ateb", "Pennu atebion eich cyngor")

	resume := e.request("GET", m[0], nil, "Accept-Language", "cy")
	rc := resume.cookie("rasp_r_" + cid)
	if resume.status != http.StatusSeeOther || rc == nil {
		t.Fatalf("colleague's link: status %d, cookie %v", resume.status, rc)
	}
	colleague := []string{"Cookie", cookieHeader(rc), "Accept-Language", "cy"}
	home := base + "/respondents/" + cid
	check("colleague's home", e.request("GET", home, nil, colleague...), http.StatusOK,
		"<title>Eich atebion ar gyfer Cyngor Gwynedd", "Gofynnodd arweinydd eich cyngor", "Heb ddechrau")
	if r := e.request("POST", home+"/areas/"+area.ID, url.Values{"answer-" + s1: {"1"}}, colleague...); r.status != http.StatusSeeOther {
		t.Fatalf("colleague's save: status %d\n%s", r.status, r.body)
	}

	check("spread not shared", e.request("GET", home+"/spread", nil, colleague...), http.StatusForbidden,
		"Nid yw arweinydd y cyngor wedi rhannu atebion eich cydweithwyr â chi")
	settings := base + "/respondents/" + cid + "/settings"
	check("settings", e.request("GET", settings, nil, lead...), http.StatusOK,
		"Pa gwestiynau maen nhw’n eu hateb gyntaf", "Y cyfan o ", "Trosglwyddo rôl yr arweinydd i Siân Evans", "Gwneud Siân Evans yn arweinydd")
	check("settings with errors", e.request("POST", settings, url.Values{"routing": {"chosen"}}, lead...), http.StatusUnprocessableEntity,
		"Ticiwch y meysydd neu’r cwestiynau y dylai Siân Evans eu hateb gyntaf")
	check("settings without a choice", e.request("POST", settings, url.Values{}, lead...), http.StatusUnprocessableEntity,
		"Dewiswch pa gwestiynau y mae Siân Evans yn eu hateb gyntaf")
	if r := e.request("POST", settings, url.Values{"routing": {"suggestion"}, "seesSpread": {"yes"}}, lead...); r.status != http.StatusSeeOther {
		t.Fatalf("save settings: status %d\n%s", r.status, r.body)
	}
	check("colleague's home, shared", e.request("GET", home, nil, colleague...), http.StatusOK, "Gweld atebion pob cydweithiwr", "Ar waith")
	check("spread", e.request("GET", home+"/spread", nil, colleague...), http.StatusOK,
		"<title>Atebion eich cydweithwyr", "Atebion i gwestiwn 1", "Cydweithiwr", "Nid oes unrhyw gydweithiwr wedi ateb y cwestiwn hwn eto.")

	cons := base + "/consolidation/" + area.ID
	check("consolidation", e.request("GET", cons, nil, lead...), http.StatusOK,
		"<title>Atebion eich cyngor: ", "Atebion eich cydweithwyr i gwestiwn 1", "Awgrym (y lefel ganol", "Cadw atebion y cyngor a pharhau", "Ddim yn gwybod")
	check("consolidation with errors", e.request("POST", cons, url.Values{"answer-" + s1: {"3"}, "why-" + s1: {strings.Repeat("x", 1001)}}, lead...),
		http.StatusUnprocessableEntity, "Mae problem wedi codi", "Rhaid i’r rheswm ar gyfer cwestiwn 1 fod yn 1,000 o nodau neu lai")

	check("consolidation without a reason", e.request("POST", cons, url.Values{"answer-" + s1: {"3"}}, lead...), http.StatusUnprocessableEntity,
		"Dywedwch pam mae ateb y cyngor yn wahanol i ateb pob cydweithiwr (lefel 1)")
	// The API's problem document says the same in Welsh, from the same
	// typed error.
	three := 3
	_, err := e.deps.Assessments.SaveChanges(context.Background(), e.lead(id, c.Value), map[string]assessment.Edit{area.Questions[0].ID: {SetScore: true, Score: &three}}, nil)
	if p := httpapi.Problem(err, "r1", locale.Welsh); !strings.Contains(p.Body, "Dywedwch pam mae ateb y cyngor yn wahanol i ateb pob cydweithiwr (lefel 1)") || !strings.Contains(p.Body, "Gwiriwch eich atebion") {
		t.Errorf("problem in Welsh: %s", p.Body)
	}
	if p := httpapi.Problem(err, "r1", locale.English); !strings.Contains(p.Body, "Say why the council's answer differs from every colleague's answer (level 1)") {
		t.Errorf("problem in English: %s", p.Body)
	}

	other, oc := e.started(startForm("Cyngor Sir Ddinbych"))
	check("delete", e.request("GET", "/assessments/"+other+"/delete", nil, "Cookie", cookieHeader(oc), "Accept-Language", "cy"), http.StatusOK,
		"Ydych chi’n siŵr eich bod am ddileu’r asesiad hwn?", "Ydw, dileu’r asesiad hwn")
	if r := e.request("POST", "/assessments/"+other+"/delete", url.Values{}, "Cookie", cookieHeader(oc)); r.status != http.StatusSeeOther {
		t.Fatalf("delete: status %d", r.status)
	}
	check("deleted", e.request("GET", "/assessments/deleted", nil, "Accept-Language", "cy"), http.StatusOK, "Mae eich asesiad wedi’i ddileu", "Mynd i’r dudalen gychwyn")

	check("handed over", e.request("POST", base+"/respondents/"+cid+"/lead", url.Values{}, lead...), http.StatusOK,
		"Siân Evans yw’r arweinydd bellach", "ar gyfer asesiad Cyngor Gwynedd", "Dolen newydd yr arweinydd")

	check("privacy", e.request("GET", "/privacy", nil, "Accept-Language", "cy"), http.StatusOK,
		"<title>Hysbysiad preifatrwydd", "Beth rydym yn ei gadw", "rasp_lang", "Swyddfa’r Comisiynydd Gwybodaeth", "Am ba hyd rydym yn ei gadw")
	check("cookies", e.request("GET", "/cookies", nil, "Accept-Language", "cy"), http.StatusOK, "rasp_lang", "Cwcis hanfodol")

	// Every kind of stop page with a wrong token says it is not valid.
	for _, p := range []string{base + "/stop-reminders", "/partnerships/" + id + "/stop-reminders", home + "/stop-reminders", "/partnerships/" + id + "/seats/" + cid + "/stop-reminders"} {
		check("stop "+p, e.request("GET", p+"?token=nope", nil, "Accept-Language", "cy"), http.StatusNotFound,
			"Nid yw’r ddolen hon yn ddilys", "Gwiriwch eich bod wedi copïo’r ddolen gyfan o’r e-bost.", "ni fyddwch yn cael rhagor o nodiadau atgoffa")
		check("stop "+p+" sent", e.request("POST", p, url.Values{"token": {"nope"}}, "Accept-Language", "cy"), http.StatusNotFound, "Nid yw’r ddolen hon yn ddilys")
	}
}

// TestEnglishColleaguePagesUnchanged: the same pages in English read as
// they did before the catalogue.
func TestEnglishColleaguePagesUnchanged(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library().Current()
	id, c := e.started(startForm("Lewisham"))
	lead := []string{"Cookie", cookieHeader(c)}
	base := "/assessments/" + id
	r := e.request("POST", base+"/respondents", url.Values{"name": {"Sue Adeyemi"}, "role": {b.Roles[0].ID}, "email": {"sue@lewisham.gov.uk"}, "key": {"k1"}}, lead...)
	m := regexp.MustCompile(`/respondents/([a-z2-7]{26})/resume`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil || !strings.Contains(r.body, "Sue Adeyemi is invited") {
		t.Fatalf("invited: %d\n%s", r.status, r.body)
	}
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"colleagues", base + "/respondents", []string{"<title>Colleagues answering", "Answered 0 of ", "Change what Sue Adeyemi answers and sees, or hand the lead to them", "Remove<span class=\"govuk-visually-hidden\"> Sue Adeyemi and their answers</span>"}},
		{"settings", base + "/respondents/" + m[1] + "/settings", []string{"The questions suggested for their role (", "They get a new lead’s link, which we also email to them. Their own answers stay as they are.", "Make Sue Adeyemi the lead"}},
		{"consolidation", base + "/consolidation/" + b.Areas[0].ID, []string{"<title>Your council&#39;s answers: ", "Area 1 of ", "No colleague has answered this question yet.", "Don&#39;t know"}},
		{"delete", base + "/delete", []string{"Are you sure you want to delete this assessment?", "No, keep it"}},
		{"privacy", "/privacy", []string{"What we keep", "Information Commissioner’s Office</a>"}},
	} {
		r := e.request("GET", tc.path, nil, lead...)
		if r.status != http.StatusOK || !strings.Contains(r.body, `<html lang="en-GB"`) {
			t.Errorf("%s: status %d", tc.name, r.status)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s: no %q", tc.name, w)
			}
		}
	}
}
