package routes_test

import (
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/routes"
)

// The table is well formed: unique names and keys, every route owned by a
// deployed HTTP function, API routes under /api with a JSON contract.
func TestTableIsWellFormed(t *testing.T) {
	names, keys := map[string]bool{}, map[string]bool{}
	fns := map[string]bool{}
	for _, f := range routes.Functions() {
		fns[f] = true
	}
	for _, r := range routes.Table() {
		if names[r.Name] || keys[r.Key()] {
			t.Errorf("duplicate route %s (%s)", r.Name, r.Key())
		}
		names[r.Name], keys[r.Key()] = true, true
		if !fns[r.Function] || r.Function == routes.FnReminders {
			t.Errorf("%s: function %q is not an HTTP function", r.Name, r.Function)
		}
		if r.Auth == "" || r.Summary == "" {
			t.Errorf("%s: auth %q, summary %q", r.Name, r.Auth, r.Summary)
		}
		if strings.HasPrefix(r.Path, "/api/") && r.Tag == "html" || !strings.HasPrefix(r.Path, "/api/") && r.Tag != "html" && r.Path != "/healthz" {
			t.Errorf("%s: path %s with tag %q", r.Name, r.Path, r.Tag)
		}
	}
}

func TestMatch(t *testing.T) {
	table := routes.Table()
	cases := []struct {
		method, path, wantName string
		wantParams             map[string]string
	}{
		{"GET", "/api/assessments/abc", "getAssessment", map[string]string{"id": "abc"}},
		{"GET", "/api/assessments/abc/score.csv", "scoreAssessmentCSV", map[string]string{"id": "abc"}},
		{"POST", "/api/partnerships/p1/rounds/2/close", "closeRound", map[string]string{"id": "p1", "n": "2"}},
		{"GET", "/api/partnerships/p1/comparison", "getComparison", map[string]string{"id": "p1"}},
		{"GET", "/api/partnerships/p1/comparison.csv", "getComparisonCSV", map[string]string{"id": "p1"}},
		{"GET", "/assessments/new", "webNewAssessment", nil},
		{"GET", "/api/assessments/a%2Fb", "getAssessment", map[string]string{"id": "a/b"}},
		{"GET", "/api/nothing", "", nil},
		{"PATCH", "/api/assessments/abc", "", nil},
	}
	for _, c := range cases {
		r, params, ok := routes.Match(table, c.method, c.path)
		if c.wantName == "" {
			if ok {
				t.Errorf("%s %s: matched %s, want no route", c.method, c.path, r.Name)
			}
			continue
		}
		if !ok || r.Name != c.wantName {
			t.Errorf("%s %s: got %q (ok=%v), want %s", c.method, c.path, r.Name, ok, c.wantName)
			continue
		}
		for k, v := range c.wantParams {
			if params[k] != v {
				t.Errorf("%s %s: param %s = %q, want %q", c.method, c.path, k, params[k], v)
			}
		}
	}
}

// Every route that creates (201) says where its reply points.
func TestCreatingRoutesHaveALocation(t *testing.T) {
	for _, r := range routes.Table() {
		if (r.Status == 201) != (r.Location != "") {
			t.Errorf("%s: status %d, Location %q", r.Name, r.Status, r.Location)
		}
	}
}

// Every POST anyone may send without a credential is rate-limited per
// client address (docs/design.md D8), except the stop-reminders links,
// which carry a stop-only capability and create nothing.
func TestEveryPublicPostIsRateLimited(t *testing.T) {
	for _, r := range routes.Table() {
		if r.Auth != routes.Public || r.Method != "POST" || strings.HasSuffix(r.Path, "/stop-reminders") {
			continue
		}
		if r.Limit.Name == "" || r.Limit.Limit <= 0 {
			t.Errorf("%s (%s) is public and not rate-limited", r.Name, r.Key())
		}
	}
}
