package lambdas_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/api"
)

// seatOf finds a council's invitation in a new partnership.
func seatOf(t *testing.T, p api.PartnershipCreated, council string) api.SeatInvitation {
	t.Helper()
	for _, s := range p.Seats {
		if s.Council == council {
			return s
		}
	}
	t.Fatalf("no seat %s", council)
	return api.SeatInvitation{}
}

// The joint action register: the admin adds an action from a finding,
// every member reads it, the owner council edits it and notes progress,
// another member council may read but not change it, a prospective partner
// may not read it, and a token of another partnership finds nothing.
func TestJointActionRegister(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("South London shared ICT", "Southwark", "Brent", "Lewisham")
	brentSeat, lewishamSeat := seatOf(t, p, "Brent"), seatOf(t, p, "Lewisham")
	brent := e.submittedMember(p, "Brent", 2)
	lewisham := e.submittedMember(p, "Lewisham", 3)
	prospect := e.join(p, "Croydon", "new-partner")
	other := e.partnership("Another partnership", "Merton")
	base := "/api/partnerships/" + p.ID + "/actions"
	q := library(t).Current().Questions()[0].ID
	due := time.Now().UTC().AddDate(0, 2, 0).Format("2006-01-02")

	// Bad input writes nothing and names each field.
	before := e.itemCount()
	r := e.do("POST", base, p.AdminToken, api.NewJointAction{Title: " ", Due: "2027-02-30", Questions: []string{"no.such"}, OwnerSeats: []string{"nope"}, Status: "finished"})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad action: got %d %s, want 422", r.status, r.body)
	}
	for _, f := range []string{`"title"`, `"due"`, `"questions"`, `"ownerSeats"`, `"status"`} {
		if !strings.Contains(string(r.body), f) {
			t.Errorf("bad action: problem does not name %s: %s", f, r.body)
		}
	}
	if got := e.itemCount(); got != before {
		t.Errorf("bad action wrote %d items", got-before)
	}

	r = e.do("POST", base, p.AdminToken, api.NewJointAction{Title: "Appoint a communications specialist", Questions: []string{q},
		OwnerSeats: []string{brentSeat.Seat}, OwnerRole: "Head of ICT", Owner: "Sam Jones", Due: due})
	if r.status != http.StatusCreated {
		t.Fatalf("create action: got %d %s", r.status, r.body)
	}
	var a api.JointAction
	r.json(t, &a)
	if a.Status != "planned" || a.Round != 1 || len(a.OwnerSeats) != 1 || a.OwnerSeats[0].Council != "Brent" || !a.Editable {
		t.Errorf("created: got %+v", a)
	}

	// Every member reads it; only the owner's and the admin's copy is editable.
	for _, tc := range []struct {
		who, token string
		editable   bool
	}{{"admin", p.AdminToken, true}, {"owner member", brent.Token, true}, {"owner seat", brentSeat.Token, true},
		{"other member", lewisham.Token, false}, {"other seat", lewishamSeat.Token, false}} {
		r := e.do("GET", base, tc.token, nil)
		var list api.JointActions
		r.json(t, &list)
		if r.status != http.StatusOK || len(list.Actions) != 1 || list.Actions[0].Editable != tc.editable || list.Actions[0].Title != a.Title {
			t.Errorf("%s reads the register: got %d %+v, want 1 action editable=%v", tc.who, r.status, list, tc.editable)
		}
	}

	// The owner council edits it and records progress.
	r = e.do("PATCH", base+"/"+a.ID, brent.Token, api.JointActionChange{Status: strp("in-progress")})
	if r.status != http.StatusOK {
		t.Fatalf("owner edits: got %d %s", r.status, r.body)
	}
	r = e.do("POST", base+"/"+a.ID+"/notes", brentSeat.Token, api.NewProgressNote{Text: "Job advert out"})
	if r.status != http.StatusCreated {
		t.Fatalf("owner notes progress: got %d %s", r.status, r.body)
	}
	r = e.do("GET", base+"/"+a.ID, lewisham.Token, nil)
	var got api.JointAction
	r.json(t, &got)
	if got.Status != "in-progress" || got.Title != a.Title || len(got.Notes) != 1 || got.Notes[0].Text != "Job advert out" || got.Notes[0].By != "Brent" {
		t.Errorf("after the owner's edit: got %+v", got)
	}

	// Who may not.
	for _, tc := range []struct {
		who, method, path, token string
		body                     any
		want                     int
	}{
		{"another member edits", "PATCH", base + "/" + a.ID, lewisham.Token, api.JointActionChange{Status: strp("done")}, http.StatusForbidden},
		{"another member notes", "POST", base + "/" + a.ID + "/notes", lewisham.Token, api.NewProgressNote{Text: "x"}, http.StatusForbidden},
		{"a member hands work to a partner", "POST", base, lewisham.Token, api.NewJointAction{Title: "Yours", Due: due, OwnerSeats: []string{brentSeat.Seat}}, http.StatusUnprocessableEntity},
		{"a prospective partner reads", "GET", base, prospect.Token, nil, http.StatusForbidden},
		{"a prospective partner adds", "POST", base, prospect.Token, api.NewJointAction{Title: "Mine", Due: due}, http.StatusForbidden},
		{"another partnership's admin reads", "GET", base, other.AdminToken, nil, http.StatusNotFound},
		{"another partnership's admin edits", "PATCH", base + "/" + a.ID, other.AdminToken, api.JointActionChange{Status: strp("done")}, http.StatusNotFound},
		{"no token", "GET", base, "", nil, http.StatusUnauthorized},
		{"an unknown action", "PATCH", base + "/nosuchaction", p.AdminToken, api.JointActionChange{Status: strp("done")}, http.StatusNotFound},
	} {
		if r := e.do(tc.method, tc.path, tc.token, tc.body); r.status != tc.want {
			t.Errorf("%s: got %d %s, want %d", tc.who, r.status, r.body, tc.want)
		}
	}
	r = e.do("GET", base+"/"+a.ID, p.AdminToken, nil)
	r.json(t, &got)
	if got.Status != "in-progress" || len(got.Notes) != 1 {
		t.Errorf("refused changes changed the action: %+v", got)
	}

	// A member adds an action it owns itself.
	r = e.do("POST", base, lewisham.Token, api.NewJointAction{Title: "Hire a change manager", Due: due, OwnerSeats: []string{lewishamSeat.Seat}})
	if r.status != http.StatusCreated {
		t.Errorf("member adds its own action: got %d %s", r.status, r.body)
	}

	// The CSV has both, with the guard on typed text.
	r = e.do("PATCH", base+"/"+a.ID, p.AdminToken, api.JointActionChange{Title: strp("=HYPERLINK(\"x\")")})
	if r.status != http.StatusOK {
		t.Fatalf("admin edits: got %d %s", r.status, r.body)
	}
	r = e.do("GET", base+".csv", brent.Token, nil)
	body := string(r.body)
	if r.status != http.StatusOK || strings.Count(body, "\n") < 3 || !strings.Contains(body, `'=HYPERLINK`) || !strings.Contains(body, "Hire a change manager") {
		t.Errorf("register CSV: got %d\n%s", r.status, body)
	}
}
