package lambdas_test

import (
	"net/http"
	"strings"
	"testing"
)

// Every bad request gets a clear 4xx and writes nothing.
func TestBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.start(startBody("Brent", "collaborate"))
	ok := `{"council":"Brent","respondent":{"name":"Sam","role":"PM"},"purpose":"readiness","intendedForm":"collaborate"}`
	longNote := strings.Repeat("é", 1001)
	cases := []struct {
		name, method, path, token, body string
		headers                         []string
		want                            int
		wantField                       string
	}{
		{"malformed JSON", "POST", "/api/assessments", "", `{"council":`, nil, 400, ""},
		{"not an object", "POST", "/api/assessments", "", `["council"]`, nil, 400, ""},
		{"empty body", "POST", "/api/assessments", "", ``, nil, 400, ""},
		{"two objects", "POST", "/api/assessments", "", ok + ok, nil, 400, ""},
		{"wrong content type", "POST", "/api/assessments", "", ok, []string{"Content-Type", "text/plain"}, 415, ""},
		{"unknown field", "POST", "/api/assessments", "", `{"council":"B","colour":"red"}`, nil, 422, "colour"},
		{"council a number", "POST", "/api/assessments", "", `{"council":7}`, nil, 422, "council"},
		{"respondent a string", "POST", "/api/assessments", "", `{"council":"B","respondent":"Sam"}`, nil, 422, "respondent"},
		{"empty council", "POST", "/api/assessments", "", strings.Replace(ok, `"Brent"`, `""`, 1), nil, 422, "council"},
		{"blank council", "POST", "/api/assessments", "", strings.Replace(ok, `"Brent"`, `"   "`, 1), nil, 422, "council"},
		{"council with newline", "POST", "/api/assessments", "", strings.Replace(ok, `"Brent"`, `"Brent\nEvil"`, 1), nil, 422, "council"},
		{"council too long", "POST", "/api/assessments", "", strings.Replace(ok, `"Brent"`, `"`+strings.Repeat("B", 201)+`"`, 1), nil, 422, "council"},
		{"missing name", "POST", "/api/assessments", "", strings.Replace(ok, `"name":"Sam"`, `"name":""`, 1), nil, 422, "respondent.name"},
		{"bad email", "POST", "/api/assessments", "", strings.Replace(ok, `"role":"PM"`, `"role":"PM","email":"sam@"`, 1), nil, 422, "respondent.email"},
		{"bad purpose", "POST", "/api/assessments", "", strings.Replace(ok, `"readiness"`, `"marriage"`, 1), nil, 422, "purpose"},
		{"bad form", "POST", "/api/assessments", "", strings.Replace(ok, `"collaborate"`, `"merge"`, 1), nil, 422, "intendedForm"},
		{"form wrong case", "POST", "/api/assessments", "", strings.Replace(ok, `"collaborate"`, `"Collaborate"`, 1), nil, 422, "intendedForm"},
		{"bad join code", "POST", "/api/assessments", "", strings.Replace(ok, `"readiness"`, `"readiness","joinCode":"0000"`, 1), nil, 422, "joinCode"},
		{"unknown join code", "POST", "/api/assessments", "", strings.Replace(ok, `"readiness"`, `"readiness","joinCode":"ABC-DEF-GHJ"`, 1), nil, 422, "joinCode"},
		{"body over 64 KB", "POST", "/api/assessments", "", `{"council":"` + strings.Repeat("x", 70<<10) + `"}`, nil, 413, ""},
		{"idempotency key too long", "POST", "/api/assessments", "", ok, []string{"Idempotency-Key", strings.Repeat("k", 256)}, 422, "Idempotency-Key"},
		{"save: no token", "PUT", "/api/assessments/" + s.ID + "/answers", "", `{"answers":{"vision.political-backing":{"score":1}}}`, nil, 401, ""},
		{"save: wrong token", "PUT", "/api/assessments/" + s.ID + "/answers", "wrong", `{"answers":{"vision.political-backing":{"score":1}}}`, nil, 404, ""},
		{"save: unknown id", "PUT", "/api/assessments/aaaaaaaaaaaaaaaaaaaaaaaaaa/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1}}}`, nil, 404, ""},
		{"save: junk id", "PUT", "/api/assessments/..%2F..%2Fetc/answers", s.Token, `{"answers":{}}`, nil, 404, ""},
		{"save: unknown question", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.nope":{"score":1}}}`, nil, 422, "answers.vision.nope"},
		{"save: score 5", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":5}}}`, nil, 422, "answers.vision.political-backing.score"},
		{"save: score -1", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":-1}}}`, nil, 422, "answers.vision.political-backing.score"},
		{"save: score 2.5", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":2.5}}}`, nil, 422, "answers.vision.political-backing.score"},
		{"save: score a string", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":"3"}}}`, nil, 422, "answers.vision.political-backing.score"},
		{"save: huge note", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1,"note":"` + longNote + `"}}}`, nil, 422, "answers.vision.political-backing.note"},
		{"save: one bad among good", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1},"ethos.nope":{"score":1}}}`, nil, 422, "answers.ethos.nope"},
		{"save: empty answers", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{}}`, nil, 422, "answers"},
		{"save: no answers field", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{}`, nil, 422, "answers"},
		{"save: unknown answer field", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1,"weight":9}}}`, nil, 422, "weight"},
		{"save: bad If-Match", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1}}}`, []string{"If-Match", "yesterday"}, 422, "If-Match"},
		{"score: no token", "GET", "/api/assessments/" + s.ID + "/score", "", "", nil, 401, ""},
		{"submit: wrong token", "POST", "/api/assessments/" + s.ID + "/submit", otherToken(s.Token), "", nil, 404, ""},
		{"delete: wrong token", "DELETE", "/api/assessments/" + s.ID, "nope", "", nil, 404, ""},
		{"unknown route", "GET", "/api/nothing", "", "", nil, 404, ""},
		{"wrong method", "PATCH", "/api/assessments", "", "", nil, 405, ""}, // a known path: 405 with Allow (docs/design.md D5)
		{"partnership: no name", "POST", "/api/partnerships", "", `{"name":"","intendedForm":"combine"}`, nil, 422, "name"},
		{"partnership: bad cadence", "POST", "/api/partnerships", "", `{"name":"P","intendedForm":"combine","cadenceMonths":5}`, nil, 422, "cadenceMonths"},
		{"questions: unknown version", "GET", "/api/questions?version=v99", "", "", nil, 422, "version"},
		// Issue 14: strict input, checked on the raw bytes.
		{"invalid UTF-8", "POST", "/api/assessments", "", strings.Replace(ok, `"Brent"`, "\"Br\xffent\"", 1), nil, 422, "council"},
		{"invalid UTF-8 in a note", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, "{\"answers\":{\"vision.political-backing\":{\"score\":1,\"note\":\"a\xc3\"}}}", nil, 422, "answers.vision.political-backing.note"},
		{"duplicate key", "POST", "/api/assessments", "", strings.Replace(ok, `"council":"Brent"`, `"council":"Brent","council":"Harrow"`, 1), nil, 422, "council"},
		{"duplicate question", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1},"vision.political-backing":{"score":4}}}`, nil, 422, "answers.vision.political-backing"},
		{"null council", "POST", "/api/assessments", "", strings.Replace(ok, `"Brent"`, `null`, 1), nil, 422, "council"},
		{"null respondent", "POST", "/api/assessments", "", strings.Replace(ok, `{"name":"Sam","role":"PM"}`, `null`, 1), nil, 422, "respondent"},
		{"null answers", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":null}`, nil, 422, "answers"},
		{"null note", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1,"note":null}}}`, nil, 422, "answers.vision.political-backing.note"},
		{"zero-width space in council", "POST", "/api/assessments", "", strings.Replace(ok, `"Brent"`, `"Bre\u200bnt"`, 1), nil, 422, "council"},
		{"right-to-left override in name", "POST", "/api/assessments", "", strings.Replace(ok, `"Sam"`, `"Sam\u202e"`, 1), nil, 422, "respondent.name"},
		{"control character in council", "POST", "/api/assessments", "", strings.Replace(ok, `"Brent"`, `"Brent\u0007"`, 1), nil, 422, "council"},
		{"partnership: invisible name", "POST", "/api/partnerships", "", `{"name":"North\u2060London","intendedForm":"combine"}`, nil, 422, "name"},
		{"partnership: cadence 0", "POST", "/api/partnerships", "", `{"name":"P","intendedForm":"combine","cadenceMonths":0}`, nil, 422, "cadenceMonths"},
		{"partnership: cadence null", "POST", "/api/partnerships", "", `{"name":"P","intendedForm":"combine","cadenceMonths":null}`, nil, 422, "cadenceMonths"},
		{"questions: empty version", "GET", "/api/questions?version=", "", "", nil, 422, "version"},
		{"save: server-owned stale", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1,"stale":false}}}`, nil, 422, "stale"},
		{"save: clear with a score", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"score":1,"clear":true}}}`, nil, 422, "answers.vision.political-backing.clear"},
		{"save: a note for an unanswered question", "PUT", "/api/assessments/" + s.ID + "/answers", s.Token, `{"answers":{"vision.political-backing":{"note":"later"}}}`, nil, 422, "answers.vision.political-backing.score"},
	}
	before := e.itemCount()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(c.method, c.path, c.token, []byte(c.body), c.headers...)
			if c.body == "" && c.method != "POST" {
				r = e.do(c.method, c.path, c.token, nil, c.headers...)
			}
			if r.status != c.want {
				t.Fatalf("got %d %s, want %d", r.status, r.body, c.want)
			}
			ct := r.header.Get("Content-Type")
			if c.want != http.StatusNotFound || strings.HasPrefix(c.path, "/api/assessments/") {
				if ct != "application/problem+json" {
					t.Errorf("content-type: got %q, want application/problem+json", ct)
				}
			}
			if c.wantField != "" && !strings.Contains(string(r.body), `"field":"`+c.wantField+`"`) {
				t.Errorf("body %s does not name field %q", r.body, c.wantField)
			}
		})
	}
	if got := e.itemCount(); got != before {
		t.Errorf("items: got %d after bad requests, want %d (nothing written)", got, before)
	}
}

// otherToken is token with its first character changed: a wrong token of the
// right shape (a fixed "x" prefix would equal a token that starts with x).
func otherToken(token string) string {
	if token[0] == 'x' {
		return "y" + token[1:]
	}
	return "x" + token[1:]
}
