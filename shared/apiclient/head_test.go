package apiclient_test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
)

// Every GET route of the table, API and pages, answers HEAD as it answers
// GET: the same status and headers (Content-Length included), and no body
// (RFC 9110 9.3.2). Each is asked with its real credential, so the 200s are
// compared, not only the 401s. A header that differs between two GETs (a
// page with a fresh form token has another length) is not compared.
func TestHeadIsGetWithoutTheBody(t *testing.T) {
	t.Parallel()
	s := newService(t)
	f := submittedPair(t, s)

	tested := 0
	for _, r := range routes.Table() {
		if r.Method != http.MethodGet {
			continue
		}
		if !slices.Contains(r.Methods(), http.MethodHead) {
			t.Errorf("%s: GET without HEAD", r.Name)
			continue
		}
		path, header := f.request(r)
		get := do(t, s, http.MethodGet, path, header)
		head := do(t, s, http.MethodHead, path, header)
		again := do(t, s, http.MethodGet, path, header)
		tested++
		if head.status != get.status {
			t.Errorf("%s %s: HEAD %d, GET %d", r.Name, path, head.status, get.status)
		}
		if len(head.body) != 0 {
			t.Errorf("%s: HEAD has a body of %d bytes", r.Name, len(head.body))
		}
		for _, k := range sortedKeys(union(get.header, head.header)) {
			if k == "Date" {
				continue
			}
			g, h := get.header.Values(k), head.header.Values(k)
			if !slices.Equal(g, again.header.Values(k)) {
				continue // differs from one GET to the next (a page's form token)
			}
			if (k == "Content-Length" || k == "Etag") && !bytes.Equal(get.body, again.body) {
				// The body differs from one GET to the next (a page's form
				// token), so its compressed length may or may not.
				continue
			}
			if !slices.Equal(g, h) {
				t.Errorf("%s %s: header %s: HEAD %q, GET %q", r.Name, path, k, h, g)
			}
		}
	}
	if tested < 25 {
		t.Errorf("only %d GET routes", tested)
	}
}

// fixture is a partnership whose two members have submitted (so the
// comparison is open), with a seat, and the credentials of each.
type fixture struct {
	partnership, admin               string
	seatPartnership, seat, seatToken string
	assessment, token                string
}

func submittedPair(t *testing.T, s *service) fixture {
	t.Helper()
	created := startRaw(t, s, `{"name":"West London","intendedForm":"collaborate"}`, "/api/partnerships", "")
	seat := firstSeat(t, s, `{"name":"South London","intendedForm":"collaborate","councils":[{"name":"Lambeth"}]}`)
	var first map[string]string
	for _, council := range []string{"Brent", "Harrow"} {
		a := startRaw(t, s, `{"council":"`+council+`","respondent":{"name":"Sam","role":"Lead"},"purpose":"readiness","intendedForm":"collaborate","joinCode":"`+created["joinCode"]+`"}`, "/api/assessments", "")
		answers := map[string]any{}
		for _, area := range lib().Current().Areas {
			for _, q := range area.Questions {
				answers[q.ID] = map[string]any{"score": 3, "note": "Agreed at cabinet"}
			}
		}
		if status, body := send(t, s, "PUT", "/api/assessments/"+a["id"]+"/answers", a["token"], js(map[string]any{"answers": answers})); status != http.StatusOK {
			t.Fatalf("answer %s: %d %s", council, status, body)
		}
		if status, body := send(t, s, "POST", "/api/assessments/"+a["id"]+"/submit", a["token"], ""); status != http.StatusOK {
			t.Fatalf("submit %s: %d %s", council, status, body)
		}
		if first == nil {
			first = a
		}
	}
	return fixture{partnership: created["id"], admin: created["adminToken"], seatPartnership: seat.partnership, seat: seat.id, seatToken: seat.token,
		assessment: first["id"], token: first["token"]}
}

// request fills a route's path and credential: a bearer token for the API,
// the cookie (or, on a private link, ?token=) for a page.
func (f fixture) request(r routes.Route) (string, http.Header) {
	id, token, cookie := f.assessment, f.token, httpapi.AssessmentCookie(f.assessment)
	switch r.Auth {
	case routes.Member, routes.Admin:
		id, token, cookie = f.partnership, f.admin, httpapi.PartnershipCookie(f.partnership)
	case routes.Seat:
		// The seat is of its own partnership (firstSeat).
		id, token, cookie = f.seatPartnership, f.seatToken, httpapi.SeatCookie(f.seat)
	}
	path := strings.NewReplacer("{id}", id, "{area}", "vision", "{file}", "app.css", "{seat}", f.seat).Replace(r.Path)
	h := http.Header{}
	switch {
	case r.Auth == routes.Public:
	case !r.Page():
		h.Set("Authorization", "Bearer "+token)
	case r.TokenInQuery:
		path += "?token=" + token
	default:
		h.Set("Cookie", cookie+"="+token)
	}
	return path, h
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, s *service, method, path string, h http.Header) reply {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h.Clone()
	req.Header.Set("Accept-Encoding", "gzip") // compared as sent, not undone
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, bytes.Clone(body)}
}

func union(a, b http.Header) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
