package lambdas_test

import (
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/api"
)

// A problem document is in the language Accept-Language asks for (issue
// 21): its title and the domain's messages from the catalogue, with
// Content-Language saying which; without the header it stays English.
func TestProblemsInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.start(startBody("Conwy", "collaborate"))
	noCouncil := `{"council":"","respondent":{"name":"Sam","role":"PM"},"purpose":"readiness","intendedForm":"collaborate"}`
	// A message that quotes a council's name is said in the reader's
	// language too (failure.Text).
	twins := `{"name":"Partneriaeth y Gogledd","intendedForm":"collaborate","cadenceMonths":12,"councils":[{"name":"Cyngor Gwynedd"},{"name":"Cyngor Gwynedd"}]}`
	cases := []struct {
		name, method, path, token, body, accept string
		wantStatus                              int
		wantLang, wantTitle                     string
		wantField, wantMessage                  string
	}{
		{"invalid, Welsh", "POST", "/api/assessments", "", noCouncil, "cy", 422, "cy", "Ni ellir prosesu’r cynnwys", "council", "Rhowch enw eich cyngor"},
		{"invalid, cy-GB among others", "POST", "/api/assessments", "", noCouncil, "cy-GB, en;q=0.5", 422, "cy", "Ni ellir prosesu’r cynnwys", "council", "Rhowch enw eich cyngor"},
		{"invalid, English", "POST", "/api/assessments", "", noCouncil, "", 422, "en-GB", "Unprocessable Entity", "council", "Enter the name of your council"},
		{"own action invalid, Welsh", "POST", "/api/assessments/" + s.ID + "/own-actions", s.Token, `{"title":" ","due":"2027-02-30"}`, "cy", 422, "cy", "Ni ellir prosesu’r cynnwys", "due", "Rhaid i’r dyddiad cwblhau fod yn ddyddiad go iawn, fel 2027-03-31"},
		{"own action invalid, English", "POST", "/api/assessments/" + s.ID + "/own-actions", s.Token, `{"title":" ","due":"2027-02-30"}`, "", 422, "en-GB", "Unprocessable Entity", "title", "Enter what the action is"},
		{"a name twice, Welsh", "POST", "/api/partnerships", "", twins, "cy", 422, "cy", "Ni ellir prosesu’r cynnwys", "councils[1].name", "Mae Cyngor Gwynedd wedi’i enwi ddwywaith; mae gan bob cyngor un sedd"},
		{"a name twice, English", "POST", "/api/partnerships", "", twins, "", 422, "en-GB", "Unprocessable Entity", "councils[1].name", "Cyngor Gwynedd is named twice; each council has one seat"},
		{"not found, Welsh", "GET", "/api/assessments/" + s.ID + "/score", "wrong", "", "cy", 404, "cy", "Heb ei ganfod", "", ""},
		{"not found, English", "GET", "/api/assessments/" + s.ID + "/score", "wrong", "", "en", 404, "en-GB", "Not Found", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var headers []string
			if c.accept != "" {
				headers = []string{"Accept-Language", c.accept}
			}
			r := e.do(c.method, c.path, c.token, c.body, headers...)
			if r.status != c.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, c.wantStatus, r.body)
			}
			if got := r.header.Get("Content-Language"); got != c.wantLang {
				t.Errorf("Content-Language %q, want %q", got, c.wantLang)
			}
			var p api.Problem
			r.json(t, &p)
			if p.Title != c.wantTitle {
				t.Errorf("title %q, want %q", p.Title, c.wantTitle)
			}
			if c.wantField == "" {
				return
			}
			var got string
			for _, f := range p.Errors {
				if f.Field == c.wantField {
					got = f.Message
				}
			}
			if got != c.wantMessage {
				t.Errorf("errors[%s] = %q, want %q (all: %+v)", c.wantField, got, c.wantMessage, p.Errors)
			}
			if c.wantLang == "cy" && strings.Contains(p.Detail+p.Title, "Enter") {
				t.Errorf("Welsh problem has English: %+v", p)
			}
		})
	}
}
