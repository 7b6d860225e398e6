package web_test

import (
	"context"
	"github.com/openrasp/rasp/shared/idempotency"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/partnership"
)

// seated is a partnership whose councils have each submitted: the admin's
// cookie, and each council's assessment id and cookie by name.
type seated struct {
	id      string
	admin   string // Cookie header
	members map[string]assessment.Started
	seats   map[string]string // council → seat id
}

func (s seated) member(council string) string {
	m := s.members[council]
	return "rasp_a_" + m.ID + "=" + m.Token
}

// seatedPartnership creates a partnership of councils, each of which
// submits every answer at its score.
func (e *env) seatedPartnership(scores map[string]int, councils ...string) seated {
	e.t.Helper()
	ctx := context.Background()
	in := partnership.CreateInput{Name: "South London shared ICT", Form: "collaborate", CadenceMonths: 6}
	for _, c := range councils {
		in.Councils = append(in.Councils, partnership.SeatInput{Name: c})
	}
	out, err := e.deps.Partnerships.Create(ctx, in, idempotency.Request{})
	if err != nil {
		e.t.Fatal(err)
	}
	s := seated{id: out.ID, admin: "rasp_p_" + out.ID + "=" + out.AdminToken, members: map[string]assessment.Started{}, seats: map[string]string{}}
	for _, inv := range out.Seats {
		pr, err := e.deps.Auth.Seat(ctx, out.ID, inv.Seat, inv.Token)
		if err != nil {
			e.t.Fatal(err)
		}
		st, err := e.deps.Assessments.StartForSeat(ctx, pr.SeatJoin(), assessment.SeatStartInput{Respondent: assessment.Respondent{Name: "Sam", Role: "Lead"}}, idempotency.Request{})
		if err != nil {
			e.t.Fatal(err)
		}
		e.answerAll(st.ID, st.Token, scores[inv.Council])
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(st.ID, st.Token)); err != nil {
			e.t.Fatal(err)
		}
		s.members[inv.Council], s.seats[inv.Council] = st, inv.Seat
	}
	return s
}

var actionLink = regexp.MustCompile(`href="(/partnerships/[a-z2-7]{26}/actions/new\?question=([a-z0-9.-]+)&amp;round=1)"`)

// From a finding of the comparison to an action in one click: the form
// comes pre-filled with the finding's action and question and the councils
// that scored low; bad input keeps what was typed; the owner council edits
// it from its own pages; another member reads it but cannot change it.
func TestActionPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sp := e.seatedPartnership(map[string]int{"Southwark": 3, "Brent": 1, "Lewisham": 3}, "Southwark", "Brent", "Lewisham")
	admin := sp.admin

	r := e.request("GET", "/partnerships/"+sp.id+"/comparison", nil, "Cookie", admin)
	m := actionLink.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("comparison: status %d, no link to add a finding to the register\n%.2000s", r.status, r.body)
	}
	r = e.request("GET", html.UnescapeString(m[1]), nil, "Cookie", admin)
	q := m[2]
	if r.status != http.StatusOK || !strings.Contains(r.body, `value="`+q+`" checked`) || !strings.Contains(r.body, `value="`+sp.seats["Brent"]+`" checked`) ||
		strings.Contains(r.body, `value="`+sp.seats["Southwark"]+`" checked`) || !regexp.MustCompile(`id="title" name="title" type="text" value="[^"]{10,}"`).MatchString(r.body) {
		t.Fatalf("pre-filled form: status %d\n%s", r.status, r.body)
	}
	title := regexp.MustCompile(`id="title" name="title" type="text" value="([^"]*)"`).FindStringSubmatch(r.body)[1]
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(r.body)
	if key == nil {
		t.Fatalf("the new-action form has no idempotency key")
	}

	// Bad input: an error summary linking to each field, input kept, nothing written.
	before := e.itemCount()
	bad := url.Values{"title": {"Keep me"}, "questions": {q}, "ownerSeats": {sp.seats["Brent"]}, "due-day": {"31"}, "due-month": {"2"}, "due-year": {"2027"}, "status": {"planned"}}
	r = e.request("POST", "/partnerships/"+sp.id+"/actions/new", bad, "Cookie", admin)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#due-day"`) || !strings.Contains(r.body, `value="Keep me"`) || !strings.Contains(r.body, `value="31"`) {
		t.Errorf("bad date: status %d\n%.3000s", r.status, r.body)
	}
	if got := e.itemCount(); got != before {
		t.Errorf("a refused form wrote %d items", got-before)
	}

	good := url.Values{"title": {html.UnescapeString(title)}, "questions": {q}, "ownerSeats": {sp.seats["Brent"]}, "ownerRole": {"Head of ICT"}, "owner": {"Sam Jones"},
		"due-day": {"31"}, "due-month": {"3"}, "due-year": {"2027"}, "status": {"planned"}, "key": {key[1]}}
	r = e.request("POST", "/partnerships/"+sp.id+"/actions/new", good, "Cookie", admin)
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/partnerships/"+sp.id+"/actions/") {
		t.Fatalf("create: status %d %s\n%.2000s", r.status, loc, r.body)
	}
	// The same form sent again (a double click) adds nothing: the same action.
	items := e.itemCount()
	if again := e.request("POST", "/partnerships/"+sp.id+"/actions/new", good, "Cookie", admin); again.status != http.StatusSeeOther || again.header.Get("Location") != loc || e.itemCount() != items {
		t.Errorf("form sent twice: %d %s, %d items more; want the same action", again.status, again.header.Get("Location"), e.itemCount()-items)
	}
	aid := strings.TrimPrefix(loc, "/partnerships/"+sp.id+"/actions/")

	// Brent, the owner, sees it under its own assessment and changes it.
	brent, brentCookie := sp.members["Brent"], sp.member("Brent")
	base := "/assessments/" + brent.ID + "/actions"
	r = e.request("GET", base, nil, "Cookie", brentCookie)
	if r.status != http.StatusOK || !strings.Contains(r.body, base+"/"+aid) {
		t.Fatalf("member's register: %d\n%.2000s", r.status, r.body)
	}
	change := url.Values{}
	for k, v := range good {
		change[k] = v
	}
	change.Set("status", "in-progress")
	r = e.request("POST", base+"/"+aid, change, "Cookie", brentCookie)
	if r.status != http.StatusSeeOther {
		t.Fatalf("owner edits: %d\n%.2000s", r.status, r.body)
	}
	r = e.request("POST", base+"/"+aid+"/notes", url.Values{"text": {""}}, "Cookie", brentCookie)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#text"`) {
		t.Errorf("empty note: %d\n%.2000s", r.status, r.body)
	}
	r = e.request("POST", base+"/"+aid+"/notes", url.Values{"text": {"Job advert out"}}, "Cookie", brentCookie)
	if r.status != http.StatusSeeOther {
		t.Fatalf("owner adds a note: %d\n%.2000s", r.status, r.body)
	}

	// Lewisham reads it, with no edit form, and cannot post one.
	lew := sp.members["Lewisham"]
	lbase := "/assessments/" + lew.ID + "/actions"
	r = e.request("GET", lbase+"/"+aid, nil, "Cookie", sp.member("Lewisham"))
	body := html.UnescapeString(r.body)
	if r.status != http.StatusOK || !strings.Contains(body, "In progress") || !strings.Contains(body, "Job advert out") || strings.Contains(body, `name="status"`) {
		t.Errorf("another member reads the action: %d\n%.3000s", r.status, r.body)
	}
	if r := e.request("POST", lbase+"/"+aid, change, "Cookie", sp.member("Lewisham")); r.status != http.StatusForbidden {
		t.Errorf("another member edits: got %d, want 403", r.status)
	}
	// Without the cookie, or with another assessment's, the pages are not found.
	if r := e.request("GET", lbase+"/"+aid, nil); r.status != http.StatusNotFound && r.status != http.StatusOK {
		t.Errorf("no cookie: got %d", r.status)
	}
	r = e.request("GET", "/partnerships/"+sp.id+"/actions.csv", nil, "Cookie", admin)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Job advert out") || !strings.Contains(r.body, "in-progress") {
		t.Errorf("CSV: %d\n%s", r.status, r.body)
	}
}
