package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
)

// TestWelshColleaguePages drives the colleagues' pages in Welsh without a
// browser: the lead invites a colleague (with errors first), the colleague
// opens their link and answers, the lead shares the spread (with errors
// first), the colleague sees it, the lead sets the council's answers (with
// errors), hands the lead over, and another assessment is deleted; then the
// privacy notice, the cookies page and every stop-reminders page. Each is
// lang="cy", says what it should in Welsh and shows no English of the
// catalogue or the bank (welshPage): the spread once showed the levels'
// English.
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

	welshPage(t, "colleagues", e.request("GET", base+"/respondents", nil, lead...), http.StatusOK, fragments,
		"Cydweithwyr sy’n ateb", "Gwahodd cydweithiwr", "Eu cyfeiriad e-bost (dewisol)")
	welshPage(t, "invite with errors", e.request("POST", base+"/respondents", url.Values{"email": {"a@"}}, lead...), http.StatusUnprocessableEntity, fragments,
		"Gwall: Cydweithwyr sy’n ateb", "Rhowch enw eich cydweithiwr", "Dewiswch rôl eich cydweithiwr", "neu gadewch ef allan")
	r := e.request("POST", base+"/respondents", url.Values{"name": {"Siân Evans"}, "role": {b.Roles[0].ID}, "key": {"k1"}}, lead...)
	welshPage(t, "colleague invited", r, http.StatusOK, fragments, "Dolen breifat eich cydweithiwr", "Mae Siân Evans wedi cael gwahoddiad", "Anfonwch y ddolen hon at Siân Evans")
	m := regexp.MustCompile(`/assessments/` + id + `/respondents/([a-z2-7]{26})/resume\?token=[A-Za-z0-9_-]+`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no colleague's link on the page")
	}
	cid := m[1]
	welshPage(t, "colleagues with one", e.request("GET", base+"/respondents", nil, lead...), http.StatusOK, fragments,
		"Cydweithwyr a wahoddwyd", "Wedi ateb 0 o ", "Newid beth mae Siân Evans yn ei ateb", "Pennu atebion eich cyngor")

	resume := e.request("GET", m[0], nil, "Accept-Language", "cy")
	rc := resume.cookie("rasp_r_" + cid)
	if resume.status != http.StatusSeeOther || rc == nil {
		t.Fatalf("colleague's link: status %d, cookie %v", resume.status, rc)
	}
	colleague := []string{"Cookie", cookieHeader(rc), "Accept-Language", "cy"}
	home := base + "/respondents/" + cid
	welshPage(t, "colleague's home", e.request("GET", home, nil, colleague...), http.StatusOK, fragments,
		"Eich atebion ar gyfer Cyngor Gwynedd", "Gofynnodd arweinydd eich cyngor", "Heb ddechrau")
	if r := e.request("POST", home+"/areas/"+area.ID, url.Values{"answer-" + s1: {"1"}}, colleague...); r.status != http.StatusSeeOther {
		t.Fatalf("colleague's save: status %d\n%s", r.status, r.body)
	}

	welshPage(t, "spread not shared", e.request("GET", home+"/spread", nil, colleague...), http.StatusForbidden, fragments,
		"Nid yw arweinydd y cyngor wedi rhannu atebion eich cydweithwyr â chi")
	settings := base + "/respondents/" + cid + "/settings"
	welshPage(t, "settings", e.request("GET", settings, nil, lead...), http.StatusOK, fragments,
		"Pa gwestiynau maen nhw’n eu hateb gyntaf", "Y cyfan o ", "Trosglwyddo rôl yr arweinydd i Siân Evans", "Gwneud Siân Evans yn arweinydd")
	welshPage(t, "settings with errors", e.request("POST", settings, url.Values{"routing": {"chosen"}}, lead...), http.StatusUnprocessableEntity, fragments,
		"Ticiwch y meysydd neu’r cwestiynau y dylai Siân Evans eu hateb gyntaf")
	welshPage(t, "settings without a choice", e.request("POST", settings, url.Values{}, lead...), http.StatusUnprocessableEntity, fragments,
		"Dewiswch pa gwestiynau y mae Siân Evans yn eu hateb gyntaf")
	if r := e.request("POST", settings, url.Values{"routing": {"suggestion"}, "seesSpread": {"yes"}}, lead...); r.status != http.StatusSeeOther {
		t.Fatalf("save settings: status %d\n%s", r.status, r.body)
	}
	welshPage(t, "colleague's home, shared", e.request("GET", home, nil, colleague...), http.StatusOK, fragments, "Gweld atebion pob cydweithiwr", "Ar waith")
	welshPage(t, "spread", e.request("GET", home+"/spread", nil, colleague...), http.StatusOK, fragments,
		"Atebion eich cydweithwyr", "Atebion i gwestiwn 1", "Cydweithiwr", "Nid oes unrhyw gydweithiwr wedi ateb y cwestiwn hwn eto.")

	cons := base + "/consolidation/" + area.ID
	welshPage(t, "consolidation", e.request("GET", cons, nil, lead...), http.StatusOK, fragments,
		"Atebion eich cyngor: ", "Atebion eich cydweithwyr i gwestiwn 1", "Awgrym (y lefel ganol", "Cadw atebion y cyngor a pharhau", "Ddim yn gwybod")
	welshPage(t, "consolidation with errors", e.request("POST", cons, url.Values{"answer-" + s1: {"3"}, "why-" + s1: {strings.Repeat("x", 1001)}}, lead...),
		http.StatusUnprocessableEntity, fragments, "Mae problem wedi codi", "Rhaid i’r rheswm ar gyfer cwestiwn 1 fod yn 1,000 o nodau neu lai")

	welshPage(t, "consolidation without a reason", e.request("POST", cons, url.Values{"answer-" + s1: {"3"}}, lead...), http.StatusUnprocessableEntity, fragments,
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
	welshPage(t, "delete", e.request("GET", "/assessments/"+other+"/delete", nil, "Cookie", cookieHeader(oc), "Accept-Language", "cy"), http.StatusOK, fragments,
		"Ydych chi’n siŵr eich bod am ddileu’r asesiad hwn?", "Ydw, dileu’r asesiad hwn")
	if r := e.request("POST", "/assessments/"+other+"/delete", url.Values{}, "Cookie", cookieHeader(oc)); r.status != http.StatusSeeOther {
		t.Fatalf("delete: status %d", r.status)
	}
	welshPage(t, "deleted", e.request("GET", "/assessments/deleted", nil, "Accept-Language", "cy"), http.StatusOK, fragments, "Mae eich asesiad wedi’i ddileu", "Mynd i’r dudalen gychwyn")

	welshPage(t, "handed over", e.request("POST", base+"/respondents/"+cid+"/lead", url.Values{}, lead...), http.StatusOK, fragments,
		"Siân Evans yw’r arweinydd bellach", "ar gyfer asesiad Cyngor Gwynedd", "Dolen newydd yr arweinydd")

	welshPage(t, "privacy", e.request("GET", "/privacy", nil, "Accept-Language", "cy"), http.StatusOK, fragments,
		"Hysbysiad preifatrwydd", "Beth rydym yn ei gadw", "rasp_lang", "Swyddfa’r Comisiynydd Gwybodaeth", "Am ba hyd rydym yn ei gadw")
	welshPage(t, "cookies", e.request("GET", "/cookies", nil, "Accept-Language", "cy"), http.StatusOK, fragments, "rasp_lang", "Cwcis hanfodol")

	// Every kind of stop page with a wrong token says it is not valid.
	for _, p := range []string{base + "/stop-reminders", "/partnerships/" + id + "/stop-reminders", home + "/stop-reminders", "/partnerships/" + id + "/seats/" + cid + "/stop-reminders"} {
		welshPage(t, "stop "+p, e.request("GET", p+"?token=nope", nil, "Accept-Language", "cy"), http.StatusNotFound, fragments,
			"Nid yw’r ddolen hon yn ddilys", "Gwiriwch eich bod wedi copïo’r ddolen gyfan o’r e-bost.", "ni fyddwch yn cael rhagor o nodiadau atgoffa")
		welshPage(t, "stop "+p+" sent", e.request("POST", p, url.Values{"token": {"nope"}}, "Accept-Language", "cy"), http.StatusNotFound, fragments, "Nid yw’r ddolen hon yn ddilys")
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
		{"colleagues", base + "/respondents", []string{"Colleagues answering", "Answered 0 of ", "Change what Sue Adeyemi answers and sees, or hand the lead to them", "Remove<span class=\"govuk-visually-hidden\"> Sue Adeyemi and their answers</span>"}},
		{"settings", base + "/respondents/" + m[1] + "/settings", []string{"The questions suggested for their role (", "They get a new lead’s link, which we also email to them. Their own answers stay as they are.", "Make Sue Adeyemi the lead"}},
		{"consolidation", base + "/consolidation/" + b.Areas[0].ID, []string{"Your council&#39;s answers: ", "Area 1 of ", "No colleague has answered this question yet.", "Don&#39;t know"}},
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
