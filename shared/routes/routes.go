// Package routes is the one route table of RASP. It drives the in-Lambda
// router of every function, the local gateway, the CDK HTTP API routes and
// the OpenAPI document, so adding a route is one line here plus a handler.
package routes

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/openrasp/rasp/shared/ratelimit"
)

// Auth says which principal a route needs (docs/design.md D1). The router's
// one auth middleware (httpapi, resolving through shared/auth) enforces it
// before the handler runs; the route's kind says where the credential
// travels: Authorization: Bearer for the API, the HttpOnly cookie for pages.
type Auth string

const (
	Public     Auth = "public"     // anyone
	Assessment Auth = "assessment" // the lead of the assessment {id}
	Member     Auth = "member"     // the admin of the partnership {id}, or a member council's assessment
	Admin      Auth = "admin"      // the admin of the partnership {id}
	// Membership is the lead of the assessment {id} seeing its partnership:
	// the assessment's own membership says which, so no second token.
	Membership Auth = "membership"
	// Seat is the lead of a member council, with its seat's invitation
	// (partnership {id}, seat {seat}).
	Seat Auth = "seat"
	// Respondent is a colleague of the assessment {id} answering as
	// respondent {respondent} (issue 19), with their own token.
	Respondent Auth = "respondent"
	// ReportViewer and ComparisonViewer hold a read-only link (issue 20):
	// link {viewer} of the assessment {id}'s report, or of one round of the
	// partnership {id}'s comparison. Only read routes take them.
	ReportViewer     Auth = "report-viewer"
	ComparisonViewer Auth = "comparison-viewer"
)

// Page reports whether the route serves HTML to a browser (as opposed to
// the JSON API): its errors are HTML pages, its credential is a cookie and
// its form posts pass the cross-origin check.
func (r Route) Page() bool { return r.Tag == "html" }

// Functions deployed as Lambdas. Each owns a set of routes; reminders owns none
// (it runs on a schedule).
const (
	FnStart     = "start"
	FnAnswers   = "answers"
	FnScore     = "score"
	FnCompare   = "compare"
	FnWeb       = "web"
	FnReminders = "reminders"
)

// Functions lists every Lambda in deployment order.
func Functions() []string {
	return []string{FnStart, FnAnswers, FnScore, FnCompare, FnWeb, FnReminders}
}

// Route is one entry of the table.
type Route struct {
	Name     string // operationId and handler key; unique
	Method   string
	Path     string // API Gateway syntax: /api/assessments/{id}
	Function string
	Auth     Auth
	Summary  string
	// Request and Response are zero values of the JSON body types, read by the
	// OpenAPI generator. Nil means no JSON body (HTML, CSV or empty).
	// RequestOptional marks a request body that may be left out (a field
	// added to a route that had none: D6, additive changes only).
	RequestOptional bool
	Request         any
	Response        any
	Status          int // success status; 200 when zero
	// Tags group the route in the OpenAPI document ("html" routes are left out).
	Tag string
	// TokenInQuery marks a private link (a page): its credential comes once
	// in ?token=, and the page exchanges it for the cookie.
	TokenInQuery bool
	// Location is where a 201 reply points (its Location header): {name}
	// is filled from the reply's JSON field of that name, else from the
	// path parameter. Every creating route has one.
	Location string
	// Idempotent marks a creating POST that honours Idempotency-Key
	// (docs/design.md D2): the router checks the key and hands it to the
	// handler as Request.Idem; the document lists the header.
	Idempotent bool
	// Limit is the rate limit the router applies per client address before
	// the handler runs (docs/design.md D8); the zero Policy is none. The
	// document lists 429 for these routes.
	Limit ratelimit.Policy
}

// DefaultKey is API Gateway's route key for what no route matches. The web
// function owns it and answers 404 or 405 from the route table
// (docs/design.md D5).
const DefaultKey = "$default"

// Methods lists, sorted, the methods the table serves at an escaped path:
// none for an unknown path, so a 404; some for a known path asked with
// another method, so a 405 with Allow.
func Methods(table []Route, path string) []string {
	seen := map[string]bool{}
	for _, r := range table {
		if _, ok := matchPath(split(r.Path), split(path)); ok {
			for _, m := range r.Methods() {
				seen[m] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for m := range seen {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// Placeholder matches a {name} in a path or Location template.
var Placeholder = regexp.MustCompile(`\{[A-Za-z]+\}`)

// Key is the API Gateway route key, "METHOD /path".
func (r Route) Key() string { return r.Method + " " + r.Path }

// Methods lists the methods the route answers: a GET route answers HEAD too
// (the same handler, the body dropped by the router; RFC 9110 9.3.2), so the
// Lambda router, the local gateway, the CDK routes and the OpenAPI document
// all get the HEAD twin from here (docs/design.md D5).
func (r Route) Methods() []string {
	if r.Method == http.MethodGet {
		return []string{http.MethodGet, http.MethodHead}
	}
	return []string{r.Method}
}

// KeyFor is the route key of the route asked with method, one of Methods.
func (r Route) KeyFor(method string) string { return method + " " + r.Path }

// Answers reports whether the route answers method.
func (r Route) Answers(method string) bool { return slices.Contains(r.Methods(), method) }

// For returns the routes owned by one function.
func For(function string) []Route {
	var out []Route
	for _, r := range Table() {
		if r.Function == function {
			out = append(out, r)
		}
	}
	return out
}

// Match finds the route for a method and an escaped path (as sent on the
// wire) the way API Gateway HTTP APIs do: literal segments win over
// {params}, and an encoded slash stays inside its segment. It returns the
// decoded path parameters.
func Match(table []Route, method, path string) (route Route, params map[string]string, ok bool) {
	segs := split(path)
	best := -1
	for _, r := range sortedBySpecificity(table) {
		if !r.Answers(method) {
			continue
		}
		p, matched := matchPath(split(r.Path), segs)
		if matched {
			route, params, best = r, p, 1
			break
		}
	}
	return route, params, best == 1
}

func split(path string) []string {
	path = strings.Trim(path, "/")
	if path == "" {
		return nil
	}
	return strings.Split(path, "/")
}

func matchPath(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				return nil, false
			}
			params[p[1:len(p)-1]] = v
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// sortedBySpecificity orders routes so that, segment by segment, a literal
// beats a parameter, as API Gateway's route selection does.
func sortedBySpecificity(table []Route) []Route {
	out := append([]Route(nil), table...)
	literals := func(r Route) string {
		var b strings.Builder
		for _, s := range split(r.Path) {
			if strings.HasPrefix(s, "{") {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
		}
		return b.String()
	}
	sort.SliceStable(out, func(i, j int) bool { return literals(out[i]) < literals(out[j]) })
	return out
}
