package web_test

import (
	"context"
	"errors"
	"github.com/openrasp/rasp/shared/idempotency"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/web"
)

// Errors from handlers become HTML pages: internal errors show only the
// request id, and nothing of the cause.
func TestErrorPages(t *testing.T) {
	t.Parallel()
	site, err := web.New(web.Options{Bank: library(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		err    error
		panics bool
		status int
		want   string
	}{
		{"internal", failure.Wrap(failure.Internal, errors.New("table rasp-secret-name exploded"), "load"), false, 500, "Sorry, there is a problem with the service"},
		{"unknown error", errors.New("boom"), false, 500, "Sorry, there is a problem with the service"},
		{"panic", nil, true, 500, "Sorry, there is a problem with the service"},
		{"unavailable", failure.New(failure.Unavailable, "DynamoDB is throttling"), false, 503, "Sorry, the service is unavailable"},
		{"not found", failure.New(failure.NotFound, "no such assessment"), false, 404, "Page not found"},
		{"conflict", failure.New(failure.Conflict, "This assessment has been submitted; answers can no longer change."), false, 409, "answers can no longer change"},
		{"too many requests", &failure.Error{Code: failure.TooManyRequests, Message: "Wait 2 minutes and try again.", RetryAfter: 90 * time.Second}, false, 429, "Wait 2 minutes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Every page fails the same way; the router's one recovery and
			// error renderer turn it into the page for the route's kind.
			failing := map[string]httpapi.Handler{}
			for _, r := range routes.For(routes.FnWeb) {
				failing[r.Name] = func(context.Context, *httpapi.Request) (*httpapi.Response, error) {
					if tc.panics {
						panic("handler bug")
					}
					return nil, tc.err
				}
			}
			rt, err := httpapi.NewRouter(routes.FnWeb, failing, httpapi.Options{Auth: &auth.Resolver{}, Pages: site,
				Limiter: ratelimit.New(allowAll{}, nil, nil)})
			if err != nil {
				t.Fatal(err)
			}
			ev := events.APIGatewayV2HTTPRequest{RawPath: "/", Headers: map[string]string{"host": "127.0.0.1"}}
			ev.RequestContext.RequestID = "req-123"
			ev.RequestContext.HTTP.Method = "GET"
			resp, err := rt.Handle(context.Background(), ev)
			if err != nil {
				t.Fatalf("router returned an error: %v", err)
			}
			if resp.StatusCode != tc.status || !strings.Contains(resp.Body, tc.want) {
				t.Fatalf("status %d, want %d with %q:\n%.400s", resp.StatusCode, tc.status, tc.want, resp.Body)
			}
			if resp.Headers["content-type"] != "text/html; charset=utf-8" || resp.Headers["content-security-policy"] != web.ContentSecurityPolicy {
				t.Errorf("headers %v: want an HTML page with the CSP", resp.Headers)
			}
			if tc.status >= 500 && !strings.Contains(resp.Body, "req-123") {
				t.Errorf("no request id on the %d page", tc.status)
			}
			if strings.Contains(resp.Body, "exploded") || strings.Contains(resp.Body, "throttling") {
				t.Errorf("the page shows the cause of an internal error")
			}
			if tc.status == 503 && resp.Headers["retry-after"] == "" {
				t.Errorf("503 without retry-after")
			}
			if tc.status == 429 && resp.Headers["retry-after"] != "90" {
				t.Errorf("429: retry-after %q, want the limit's 90 seconds", resp.Headers["retry-after"])
			}
		})
	}
}

// allowAll is a rate-limit counter that never refuses: these pages are
// asked with GET, which the router does not count.
type allowAll struct{}

func (allowAll) CountUse(context.Context, string, time.Time, int, time.Time) (bool, error) {
	return true, nil
}

// A health-check round with a prospective partner: the comparison shows the
// trend since round 1 and the prospective partner; the admin and members
// see it, a prospective partner and strangers do not.
func TestComparisonTrendAndProspective(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "West shared revenues", Form: "coordinate", CadenceMonths: partnership.DefaultCadenceMonths}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	join := func(council, purpose string, score int) assessment.Started {
		t.Helper()
		st, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: council, Purpose: purpose, Form: "coordinate", JoinCode: p.JoinCode,
			Respondent: assessment.Respondent{Name: "Sam", Role: "PM"}}, idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		e.answerAll(st.ID, st.Token, score)
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(st.ID, st.Token)); err != nil {
			t.Fatal(err)
		}
		return st
	}
	a := join("Bath", "readiness", 1)
	join("Bristol", "readiness", 3)
	if _, err := e.deps.Partnerships.OpenRound(ctx, e.admin(p.ID, p.AdminToken), partnership.AdminAccess, partnership.RoundInput{Purpose: partnership.HealthCheck}, idempotency.Request{}); err != nil {
		t.Fatal(err)
	}
	admin := "rasp_p_" + p.ID + "=" + p.AdminToken
	// Bath's health-check through the web: from its report.
	r := e.request("POST", "/assessments/"+a.ID+"/health-check", url.Values{}, "Cookie", "rasp_a_"+a.ID+"="+a.Token)
	if r.status != http.StatusOK || !strings.Contains(r.body, "We copied 70 answers") {
		t.Fatalf("health-check: status %d\n%.600s", r.status, r.body)
	}
	var hc *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if strings.HasPrefix(c.Name, "rasp_a_") {
			hc = c
		}
	}
	bath2 := strings.TrimPrefix(hc.Name, "rasp_a_")
	e.answerAll(bath2, hc.Value, 2)
	if _, err := e.deps.Assessments.Submit(ctx, e.lead(bath2, hc.Value)); err != nil {
		t.Fatal(err)
	}
	join("Bristol", "health-check", 4)
	prospect := join("Somerset", "new-partner", 0)

	r = e.request("GET", "/partnerships/"+p.ID+"/comparison?round=2", nil, "Cookie", admin)
	if r.status != http.StatusOK {
		t.Fatalf("comparison: status %d\n%.600s", r.status, r.body)
	}
	for _, want := range []string{"Change since round 1", "&#43;25", "Prospective partners", "Somerset"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("comparison has no %q", want)
		}
	}
	for _, tc := range []struct {
		name, path, cookie string
		status             int
	}{
		{"member, own assessment's cookie", "/assessments/" + bath2 + "/comparison?round=2", "rasp_a_" + bath2 + "=" + hc.Value, http.StatusOK},
		{"member, round 1 assessment", "/assessments/" + a.ID + "/comparison?round=1", "rasp_a_" + a.ID + "=" + a.Token, http.StatusOK},
		{"prospective partner", "/assessments/" + prospect.ID + "/comparison", "rasp_a_" + prospect.ID + "=" + prospect.Token, http.StatusOK},
		{"no cookie", "/partnerships/" + p.ID + "/comparison", "", http.StatusNotFound},
		{"wrong admin cookie", "/partnerships/" + p.ID + "/comparison", "rasp_p_" + p.ID + "=nope", http.StatusNotFound},
		{"bad round", "/partnerships/" + p.ID + "/comparison?round=x", admin, http.StatusNotFound},
		{"CSV for the admin", "/partnerships/" + p.ID + "/comparison.csv?round=2", admin, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.cookie != "" {
				h = []string{"Cookie", tc.cookie}
			}
			if r := e.request("GET", tc.path, nil, h...); r.status != tc.status {
				t.Errorf("status %d, want %d", r.status, tc.status)
			}
		})
	}
	// A prospective partner sees its own result, never the members' names.
	for _, path := range []string{"/assessments/" + prospect.ID + "/comparison", "/assessments/" + prospect.ID + "/partnership"} {
		r := e.request("GET", path, nil, "Cookie", "rasp_a_"+prospect.ID+"="+prospect.Token)
		if r.status != http.StatusOK || strings.Contains(r.body, "Bath") || strings.Contains(r.body, "Bristol") || !strings.Contains(r.body, "Somerset") {
			t.Errorf("prospective partner's %s: status %d, names members: %v", path, r.status, strings.Contains(r.body, "Bath") || strings.Contains(r.body, "Bristol"))
		}
	}
	// Only the admin sees the round controls; a member's page has none.
	if r := e.request("GET", "/assessments/"+bath2+"/partnership", nil, "Cookie", "rasp_a_"+bath2+"="+hc.Value); r.status != 200 || strings.Contains(r.body, "/rounds") {
		t.Errorf("member partnership page: status %d, has round controls: %v", r.status, strings.Contains(r.body, "/rounds"))
	}
	if r := e.request("POST", "/partnerships/"+p.ID+"/rounds", url.Values{}, "Cookie", "rasp_p_"+p.ID+"=nope"); r.status != http.StatusNotFound {
		t.Errorf("open a round with a wrong admin cookie: status %d, want 404", r.status)
	}
}

// Every problem type the API sends has its page at its type URI, and an
// unknown type is the 404 page.
func TestEveryProblemTypeHasItsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, typ := range failure.Types() {
		r := e.request("GET", typ, nil)
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="meaning"`) || !strings.Contains(r.body, typ) {
			t.Errorf("%s: got %d", typ, r.status)
		}
		for _, l := range []string{"en", "cy"} {
			if r := e.request("GET", typ, nil, "Accept-Language", l); strings.Contains(r.body, "[problem.") {
				t.Errorf("%s in %s: a text is missing from the catalogue", typ, l)
			}
		}
	}
	if r := e.request("GET", "/problems/nope", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown type: got %d, want 404", r.status)
	}
}
