package apiclient_test

import (
	"net/http"
	"strings"
	"testing"
)

// councilApp is the one origin the test service lists in CORS_ORIGINS.
const councilApp = "https://app.council.gov.uk"

// CORS as docs/api-contract.md says: the public reads answer any origin,
// preflight included; every other API route only the configured origins,
// whose preflight gets the path's methods and the headers the API reads;
// any other origin's preflight is refused.
func TestCORS(t *testing.T) {
	t.Parallel()
	s := newService(t)
	a := startRaw(t, s, `{"council":"Ealing","respondent":{"name":"Sam","role":"Lead"},"purpose":"readiness","intendedForm":"combine"}`, "/api/assessments", "")
	other := "https://elsewhere.example"
	for _, tc := range []struct {
		name, method, path, origin, ask string
		status                          int
		allowOrigin, allowMethods       string
	}{
		{"public read, any origin", "OPTIONS", "/api/questions", other, "GET", 204, "*", "GET, HEAD"},
		{"public read", "GET", "/api/questions", other, "", 200, "*", ""},
		{"token route, listed origin", "OPTIONS", "/api/assessments/" + a["id"], councilApp, "GET", 204, councilApp, "DELETE, GET, HEAD"},
		{"token route, other origin", "OPTIONS", "/api/assessments/" + a["id"], other, "GET", 403, "", ""},
		{"public write, other origin", "OPTIONS", "/api/assessments", other, "POST", 403, "", ""},
		{"public write, listed origin", "OPTIONS", "/api/assessments", councilApp, "POST", 204, councilApp, "POST"},
		{"no method asked", "OPTIONS", "/api/questions", other, "", 400, "", ""},
		{"token read, listed origin", "GET", "/api/assessments/" + a["id"], councilApp, "", 200, councilApp, ""},
		{"token read, other origin", "GET", "/api/assessments/" + a["id"], other, "", 200, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Origin": {tc.origin}, "Authorization": {"Bearer " + a["token"]}}
			if tc.method == "OPTIONS" {
				h.Del("Authorization") // a preflight carries no credential
				if tc.ask != "" {
					h.Set("Access-Control-Request-Method", tc.ask)
				}
			}
			r := do(t, s, tc.method, tc.path, h)
			if r.status != tc.status {
				t.Fatalf("%s %s: %d %s, want %d", tc.method, tc.path, r.status, r.body, tc.status)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.allowOrigin)
			}
			if got := r.header.Get("Access-Control-Allow-Methods"); got != tc.allowMethods {
				t.Errorf("Access-Control-Allow-Methods %q, want %q", got, tc.allowMethods)
			}
			if tc.allowOrigin == councilApp && !strings.Contains(r.header.Get("Vary"), "Origin") {
				t.Errorf("Vary %q: a reply for one origin must vary by Origin", r.header.Get("Vary"))
			}
			if tc.status == 204 && tc.allowOrigin == councilApp && !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Errorf("Access-Control-Allow-Headers %q: want Authorization", r.header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}
