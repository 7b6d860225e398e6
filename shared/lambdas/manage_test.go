package lambdas_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/api"
)

func (e *env) partnershipView(id, token string) api.Partnership {
	e.t.Helper()
	var out api.Partnership
	r := e.do("GET", "/api/partnerships/"+id, token, nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("get partnership: %d %s", r.status, r.body)
	}
	r.json(e.t, &out)
	return out
}

func acts(p api.Partnership) []string {
	var out []string
	for _, a := range p.Acts {
		out = append(out, a.Act+":"+a.Council)
	}
	return out
}

// Issue 15, seat management: the admin adds, renames and withdraws member
// councils through the one name rule; withdrawing unseals a round waiting
// only on that seat, keeps its past scores named as withdrawn, and on
// request erases its names and notes on joint actions; every act is in the
// log members read.
func TestSeatManagement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("South London shared ICT", "Southwark", "Brent", "Lewisham")
	southwark := e.submittedMember(p, "Southwark", 3)
	lewisham := e.join(p, "Lewisham", "readiness")
	e.noted(lewisham, 2, "Our finance lead is leaving in March.")
	if r := e.do("POST", "/api/assessments/"+lewisham.ID+"/submit", lewisham.Token, api.Submit{ShareNotes: true}); r.status != http.StatusOK {
		t.Fatalf("submit Lewisham: %d %s", r.status, r.body)
	}
	lewishamSeat := seat(t, p, "Lewisham")
	r := e.do("POST", "/api/partnerships/"+p.ID+"/actions", p.AdminToken, api.NewJointAction{Title: "Hire a change manager", Due: "2027-03-01",
		OwnerSeats: []string{lewishamSeat.Seat}, Owner: "Priya Shah"})
	if r.status != http.StatusCreated {
		t.Fatalf("create action: %d %s", r.status, r.body)
	}
	var act api.JointAction
	r.json(t, &act)
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/actions/"+act.ID+"/notes", p.AdminToken, api.NewProgressNote{Text: "Advert out."}); r.status != http.StatusCreated {
		t.Fatalf("add note: %d %s", r.status, r.body)
	}
	seats := "/api/partnerships/" + p.ID + "/seats"

	// Twins of an existing name, a bad code, and anyone but the admin are
	// refused, writing nothing.
	before := e.itemCount()
	for _, twin := range []string{"brent", " Brent ", "BRENT", "Bre\u200bnt", "\u200fBrent", "Ｂｒｅｎｔ"} {
		if r := e.do("POST", seats, p.AdminToken, api.NewSeat{Name: twin}); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"field":"name"`) {
			t.Errorf("add %q beside Brent: got %d %s, want 422 on name", twin, r.status, r.body)
		}
	}
	if r := e.do("POST", seats, p.AdminToken, api.NewSeat{Name: "Croydon", GSSCode: "E0900000"}); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"field":"gssCode"`) {
		t.Errorf("bad GSS code: got %d %s, want 422 on gssCode", r.status, r.body)
	}
	if r := e.do("POST", seats, southwark.Token, api.NewSeat{Name: "Croydon"}); r.status != http.StatusForbidden {
		t.Errorf("a member adds a seat: got %d, want 403", r.status)
	}
	if got := e.itemCount(); got != before {
		t.Errorf("refused additions wrote %d items", got-before)
	}

	// Added while round 1 is sealed: the round waits for it too. A retry
	// with the same key gets the same invitation and adds nothing.
	r = e.do("POST", seats, p.AdminToken, api.NewSeat{Name: "Croydon"}, "Idempotency-Key", "add-croydon")
	if r.status != http.StatusCreated {
		t.Fatalf("add Croydon: %d %s", r.status, r.body)
	}
	var croydon api.SeatInvitation
	r.json(t, &croydon)
	var again api.SeatInvitation
	e.do("POST", seats, p.AdminToken, api.NewSeat{Name: "Croydon"}, "Idempotency-Key", "add-croydon").json(t, &again)
	if again != croydon {
		t.Errorf("retried add: got %+v, want the first reply %+v", again, croydon)
	}
	view := e.partnershipView(p.ID, p.AdminToken)
	if len(view.Seats) != 4 || !slices.Contains(view.Rounds[0].Expected, croydon.Seat) {
		t.Fatalf("after adding Croydon: seats %+v, round 1 expects %v", view.Seats, view.Rounds[0].Expected)
	}
	var prob api.Problem
	e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=1", p.AdminToken, nil).json(t, &prob)
	if prob.Expected == nil || *prob.Expected != 4 || *prob.Submitted != 2 {
		t.Errorf("round 1 after adding Croydon: got %+v, want 2 of 4", prob)
	}
	// Its invitation works.
	e.seatStart(p, croydon, "")

	// Rename: to a taken name refused; to a new one applies everywhere.
	if r := e.do("PATCH", seats+"/"+croydon.Seat, p.AdminToken, api.SeatChange{Name: "lewisham"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("rename Croydon to lewisham: got %d %s, want 422", r.status, r.body)
	}
	r = e.do("PATCH", seats+"/"+croydon.Seat, p.AdminToken, api.SeatChange{Name: "  London Borough of   Croydon "})
	var renamed api.Seat
	r.json(t, &renamed)
	if r.status != http.StatusOK || renamed.Council != "London Borough of Croydon" {
		t.Errorf("rename Croydon: got %d %s", r.status, r.body)
	}
	// The old name is free again; the new one is taken.
	if r := e.do("POST", seats, p.AdminToken, api.NewSeat{Name: "london borough of croydon"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("add a twin of the new name: got %d, want 422", r.status)
	}

	// Withdrawing Brent and Croydon, which have not submitted, unseals
	// round 1: it waited only on them.
	for _, sid := range []string{seat(t, p, "Brent").Seat, croydon.Seat} {
		if r := e.do("POST", seats+"/"+sid+"/withdraw", p.AdminToken, nil); r.status != http.StatusOK {
			t.Fatalf("withdraw %s: %d %s", sid, r.status, r.body)
		}
	}
	if r := e.do("POST", seats+"/"+croydon.Seat+"/withdraw", p.AdminToken, nil); r.status != http.StatusConflict {
		t.Errorf("withdraw twice: got %d, want 409", r.status)
	}
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/seats/"+croydon.Seat+"/assessments", croydon.Token, api.StartSeatAssessment{Respondent: api.Respondent{Name: "Sam", Role: "Officer"}}); r.status != http.StatusNotFound {
		t.Errorf("a withdrawn seat's invitation: got %d, want 404", r.status)
	}
	var c api.Comparison
	r = e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=1", southwark.Token, nil)
	r.json(t, &c)
	if r.status != http.StatusOK || !slices.Equal(c.Councils, []string{"Southwark", "Lewisham"}) {
		t.Fatalf("round 1 after withdrawing the seats it waited on: %d %s", r.status, r.body)
	}

	// Withdrawing Lewisham, which submitted, with erasure: its scores stay,
	// named as withdrawn; its shared note and its names on actions go.
	if !strings.Contains(string(e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=1", southwark.Token, nil).body), "finance lead") {
		t.Fatal("Lewisham's shared note is not in the comparison before withdrawal")
	}
	if r := e.do("POST", seats+"/"+lewishamSeat.Seat+"/withdraw", p.AdminToken, api.WithdrawSeat{Erase: true}); r.status != http.StatusOK {
		t.Fatalf("withdraw Lewisham: %d %s", r.status, r.body)
	}
	r = e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=1", southwark.Token, nil)
	c = api.Comparison{}
	r.json(t, &c)
	if !slices.Equal(c.Councils, []string{"Southwark", "Lewisham (withdrawn)"}) || strings.Contains(string(r.body), "finance lead") {
		t.Errorf("round 1 after withdrawing Lewisham: councils %v, body has its note: %v", c.Councils, strings.Contains(string(r.body), "finance lead"))
	}
	r = e.do("GET", "/api/partnerships/"+p.ID+"/actions/"+act.ID, p.AdminToken, nil)
	if strings.Contains(string(r.body), "Priya Shah") || strings.Contains(string(r.body), "Advert out") {
		t.Errorf("action after erasure still names its owner or notes: %s", r.body)
	}
	// The withdrawn council's own link no longer opens the partnership.
	if r := e.do("GET", "/api/partnerships/"+p.ID, lewisham.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("withdrawn member reads the partnership: got %d, want 404", r.status)
	}

	// A new round expects only the seats left; opening and closing are
	// logged too, and members read the log.
	if r := e.openRound(p, 1); r.status != http.StatusCreated {
		t.Fatalf("open round 2: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/rounds/2/close", p.AdminToken, nil); r.status != http.StatusOK {
		t.Fatalf("close round 2: %d %s", r.status, r.body)
	}
	view = e.partnershipView(p.ID, southwark.Token)
	if got, want := view.Rounds[1].Expected, []string{seat(t, p, "Southwark").Seat}; !slices.Equal(got, want) {
		t.Errorf("round 2 expects %v, want only Southwark %v", got, want)
	}
	want := []string{"add-seat:Croydon", "rename-seat:London Borough of Croydon", "withdraw-seat:Brent", "withdraw-seat:London Borough of Croydon",
		"withdraw-seat:Lewisham", "open-round:", "close-round:"}
	if got := acts(view); !slices.Equal(got, want) {
		t.Errorf("acts log: got %v, want %v", got, want)
	}
	for _, a := range view.Acts {
		if a.At.IsZero() || a.Text == "" {
			t.Errorf("act %+v: want a date and words", a)
		}
	}
	if view.Acts[4].Text != "Withdrew Lewisham, and erased its names and progress notes on joint actions" || view.Acts[1].Previous != "Croydon" {
		t.Errorf("acts: %+v", view.Acts)
	}
}
