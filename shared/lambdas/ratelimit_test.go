package lambdas_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/ratelimit"
)

// limitedEnv is an env with small limits and the client's address taken
// from X-Test-Client, so one test can play several councils' networks.
func limitedEnv(t *testing.T, create int) *env {
	t.Helper()
	return newEnvWith(t, func(c *config.Config) {
		c.OutboxDir = t.TempDir()
		limits, err := ratelimit.ParseOverrides("create=" + strconv.Itoa(create) + "/10m,join=2/10m,join-code=3/1h,recover=4/1h,recover-target=2/1h")
		if err != nil {
			t.Fatal(err)
		}
		c.RateLimits, c.Edge.ClientIPHeader = limits, "X-Test-Client"
	})
}

// checkLimited asserts a 429 problem with a Retry-After inside the window.
func checkLimited(t *testing.T, what string, r response, window time.Duration) {
	t.Helper()
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("%s: got %d %s, want 429", what, r.status, r.body)
	}
	secs, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > window {
		t.Errorf("%s: Retry-After %q, want 1..%v seconds", what, r.header.Get("Retry-After"), window.Seconds())
	}
	if !strings.Contains(string(r.body), "too many times") {
		t.Errorf("%s: problem does not say why: %s", what, r.body)
	}
}

// Starting is limited per client address; another address is not held up,
// and a refused start writes nothing but its counter.
func TestStartIsLimitedPerClientAddress(t *testing.T) {
	t.Parallel()
	e := limitedEnv(t, 3)
	for i := range 3 {
		if r := e.do("POST", "/api/assessments", "", startBody("Brent", "combine"), "X-Test-Client", "203.0.113.10"); r.status != http.StatusCreated {
			t.Fatalf("start %d: %d %s", i+1, r.status, r.body)
		}
	}
	items, counters := e.itemCount(), ddbtest.RateCounters(t, e.table)
	checkLimited(t, "fourth start", e.do("POST", "/api/assessments", "", startBody("Brent", "combine"), "X-Test-Client", "203.0.113.10"), 10*time.Minute)
	checkLimited(t, "partnership from the same address", e.do("POST", "/api/partnerships", "", api.CreatePartnership{Name: "West London", IntendedForm: "collaborate",
		Councils: []api.NewSeat{{Name: "Ealing"}, {Name: "Hounslow"}}}, "X-Test-Client", "203.0.113.10"), 10*time.Minute)
	if got := e.itemCount(); got != items {
		t.Errorf("refused starts wrote %d items", got-items)
	}
	if got := ddbtest.RateCounters(t, e.table); got != counters {
		t.Errorf("refused starts changed the counters: %d → %d", counters, got)
	}
	if r := e.do("POST", "/api/assessments", "", startBody("Harrow", "combine"), "X-Test-Client", "198.51.100.7"); r.status != http.StatusCreated {
		t.Errorf("another address: got %d %s, want 201", r.status, r.body)
	}
	// The start page's form is the same limit, answered as a page.
	form := url.Values{"council": {"Brent"}, "name": {"Sam"}, "role": {"Programme manager"}, "purpose": {"readiness"}, "intendedForm": {"combine"}}
	req, _ := http.NewRequest("POST", e.url+"/assessments/new", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Test-Client", "203.0.113.10")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(page), "You have tried too many times") {
		t.Errorf("web form over the limit: got %d (Retry-After %q), want the 429 page:\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), page)
	}
}

// Join codes are limited per address, right or wrong, so guessing is slow;
// and per code, from anywhere.
func TestJoinCodesAreLimitedPerAddressAndPerCode(t *testing.T) {
	t.Parallel()
	e := limitedEnv(t, 10)
	p := e.partnership("North London", "Camden", "Islington")
	join := func(client, code string) response {
		in := startBody("Barnet", "collaborate")
		in.Purpose, in.JoinCode = "new-partner", code
		return e.do("POST", "/api/assessments", "", in, "X-Test-Client", client)
	}
	for i := range 2 {
		if r := join("192.0.2.1", "ABC-DEF-GH"+strconv.Itoa(i+2)); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: got %d %s", i+1, r.status, r.body)
		}
	}
	checkLimited(t, "right code after two wrong ones", join("192.0.2.1", p.JoinCode), 10*time.Minute)
	// The code itself: three tries from three addresses, the fourth refused.
	for i, client := range []string{"192.0.2.2", "192.0.2.3", "192.0.2.4"} {
		if r := join(client, p.JoinCode); r.status != http.StatusCreated {
			t.Fatalf("join %d: got %d %s", i+1, r.status, r.body)
		}
	}
	checkLimited(t, "fourth use of one code", join("192.0.2.5", strings.ToLower(p.JoinCode)), time.Hour)
	// A private start from the same address is not a join: not limited by it.
	if r := e.do("POST", "/api/assessments", "", startBody("Barnet", "collaborate"), "X-Test-Client", "192.0.2.1"); r.status != http.StatusCreated {
		t.Errorf("private start after the join limit: got %d %s", r.status, r.body)
	}
}

// "Send me a new link" is limited per address and per assessment asked
// about, so nobody fills a council's inbox from many addresses.
func TestRecoveryIsLimitedPerTarget(t *testing.T) {
	t.Parallel()
	e := limitedEnv(t, 3)
	in := startBody("Brent", "combine")
	in.Respondent.Email = "sam@brent.gov.uk"
	a := e.start(in)
	ask := func(client string) response {
		return e.do("POST", "/api/recover", "", api.Recover{Assessment: a.ID, Email: "sam@brent.gov.uk"}, "X-Test-Client", client)
	}
	for i, client := range []string{"192.0.2.1", "192.0.2.2"} {
		if r := ask(client); r.status != http.StatusAccepted {
			t.Fatalf("recovery %d: got %d %s", i+1, r.status, r.body)
		}
	}
	checkLimited(t, "third recovery of one assessment", ask("192.0.2.3"), time.Hour)
}

// bypassing sends a request as a caller that reached API Gateway without
// CloudFront would. It is not checked against the OpenAPI document, which
// describes the API at its public address (servers): the refusal is not
// part of the contract, only of the deployment.
func (e *env) bypassing(method, path string, body any, headers ...string) response {
	e.t.Helper()
	_, _, r := e.send(method, path, "", body, headers...)
	return r
}

// With the edge option, CloudFront adds a secret header to what it
// forwards: a request without it reached API Gateway some other way, past
// the WAF rules, and is refused before anything is counted or written; and
// the client-address header such a caller could write is never trusted.
func TestRequestsThatBypassTheEdgeAreRefused(t *testing.T) {
	t.Parallel()
	const secret = "origin-secret-for-the-test"
	e := newEnvWith(t, func(c *config.Config) {
		c.OutboxDir = t.TempDir()
		limits, err := ratelimit.ParseOverrides("create=1/10m")
		if err != nil {
			t.Fatal(err)
		}
		c.RateLimits = limits
		c.Edge = config.Edge{ClientIPHeader: "X-Test-Client", OriginSecret: secret}
	})
	items, counters := e.itemCount(), ddbtest.RateCounters(t, e.table)
	cases := []struct {
		name, method, path string
		body               any
		headers            []string
		wantType           string // content type of the refusal
	}{
		{"API start without the header", "POST", "/api/assessments", startBody("Brent", "combine"), []string{"X-Test-Client", "203.0.113.10"}, "application/problem+json"},
		{"API start with a wrong secret", "POST", "/api/assessments", startBody("Brent", "combine"), []string{"X-Origin-Verify", secret + "x"}, "application/problem+json"},
		{"question bank", "GET", "/api/questions", nil, nil, "application/problem+json"},
		{"start page", "GET", "/assessments/new", nil, []string{"X-Origin-Verify", ""}, "text/html"},
		{"unmatched page", "GET", "/nope", nil, nil, "text/html"},
		{"unmatched API path", "GET", "/api/nope", nil, nil, "application/problem+json"},
	}
	for _, c := range cases {
		r := e.bypassing(c.method, c.path, c.body, c.headers...)
		if r.status != http.StatusForbidden || !strings.HasPrefix(r.header.Get("Content-Type"), c.wantType) {
			t.Errorf("%s: got %d %s, want 403 %s", c.name, r.status, r.header.Get("Content-Type"), c.wantType)
		}
	}
	if got := e.itemCount(); got != items {
		t.Errorf("refused requests wrote %d items", got-items)
	}
	if got := ddbtest.RateCounters(t, e.table); got != counters {
		t.Errorf("refused requests were counted: %d → %d", counters, got)
	}
	// Through the edge: served, and limited per the address CloudFront saw.
	through := func(client string) response {
		return e.do("POST", "/api/assessments", "", startBody("Brent", "combine"), "X-Origin-Verify", secret, "X-Test-Client", client)
	}
	if r := through("203.0.113.10"); r.status != http.StatusCreated {
		t.Fatalf("start through the edge: got %d %s", r.status, r.body)
	}
	checkLimited(t, "second start from the same viewer", through("203.0.113.10"), 10*time.Minute)
	if r := through("198.51.100.7"); r.status != http.StatusCreated {
		t.Errorf("another viewer: got %d %s, want 201", r.status, r.body)
	}
}
