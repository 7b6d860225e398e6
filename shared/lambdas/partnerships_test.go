package lambdas_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
)

// partnership creates a partnership with a seat for each council named
// (none: a partnership as before seats, joined by the join code).
func (e *env) partnership(name string, councils ...string) api.PartnershipCreated {
	e.t.Helper()
	in := api.CreatePartnership{Name: name, IntendedForm: "collaborate"}
	for _, c := range councils {
		in.Councils = append(in.Councils, api.NewSeat{Name: c})
	}
	r := e.do("POST", "/api/partnerships", "", in)
	if r.status != http.StatusCreated {
		e.t.Fatalf("create partnership: %d %s", r.status, r.body)
	}
	var p api.PartnershipCreated
	r.json(e.t, &p)
	return p
}

// join starts council's assessment in p's current round: through its
// seat's invitation when it has one, else (a prospective partner, or a
// partnership without seats) with the join code.
func (e *env) join(p api.PartnershipCreated, council, purpose string) api.Started {
	e.t.Helper()
	for _, seat := range p.Seats {
		if seat.Council == council && purpose != "new-partner" {
			return e.seatStart(p, seat, "")
		}
	}
	in := startBody(council, "collaborate")
	in.Purpose, in.JoinCode = purpose, strings.ToLower(strings.ReplaceAll(p.JoinCode, "-", " "))
	s := e.start(in)
	if s.PartnershipID != p.ID {
		e.t.Fatalf("join: got partnership %q, want %q", s.PartnershipID, p.ID)
	}
	return s
}

// seatStart starts the seat's assessment for the current round.
func (e *env) seatStart(p api.PartnershipCreated, seat api.SeatInvitation, preferredForm string) api.Started {
	e.t.Helper()
	r := e.do("POST", "/api/partnerships/"+p.ID+"/seats/"+seat.Seat+"/assessments", seat.Token,
		api.StartSeatAssessment{Respondent: api.Respondent{Name: "Sam Lead", Role: "Programme manager"}, PreferredForm: preferredForm})
	if r.status != http.StatusCreated {
		e.t.Fatalf("start for seat %s: %d %s", seat.Council, r.status, r.body)
	}
	var s api.Started
	r.json(e.t, &s)
	if s.PartnershipID != p.ID {
		e.t.Fatalf("seat start: got partnership %q, want %q", s.PartnershipID, p.ID)
	}
	return s
}

// submittedMember joins council to p and submits every answer at score.
func (e *env) submittedMember(p api.PartnershipCreated, council string, score int) api.Started {
	e.t.Helper()
	s := e.join(p, council, "readiness")
	e.answerAll(s, func(bank.Question) *int { return intp(score) })
	e.submit(s)
	return s
}

func (e *env) submit(s api.Started) {
	e.t.Helper()
	if r := e.do("POST", "/api/assessments/"+s.ID+"/submit", s.Token, nil); r.status != http.StatusOK {
		e.t.Fatalf("submit: %d %s", r.status, r.body)
	}
}

// The Southwark, Brent and Lewisham story: three councils mark themselves,
// see where they align and differ, and find shared gaps in communication.
func TestPartnershipStory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	p := e.partnership("South London shared ICT", "Southwark", "Brent", "Lewisham")
	if len(strings.ReplaceAll(p.JoinCode, "-", "")) != 9 || strings.ContainsAny(p.JoinCode, "01ILO") {
		t.Errorf("join code %q: want 9 unambiguous characters", p.JoinCode)
	}
	southwark := e.join(p, "Southwark", "readiness")
	brent := e.join(p, "Brent", "readiness")
	lewisham := e.join(p, "Lewisham", "readiness")

	// Communication questions: everyone weak. Identity: they differ. The rest: aligned at 3.
	score := map[string]func(bank.Question) *int{
		"Southwark": func(q bank.Question) *int {
			switch {
			case slices.Contains(q.Concepts, "communication"):
				return intp(1)
			case slices.Contains(q.Concepts, "identity"):
				return intp(4)
			}
			return intp(3)
		},
		"Brent": func(q bank.Question) *int {
			switch {
			case slices.Contains(q.Concepts, "communication"):
				return intp(0)
			case slices.Contains(q.Concepts, "identity"):
				return intp(1)
			}
			return intp(3)
		},
		"Lewisham": func(q bank.Question) *int {
			switch {
			case slices.Contains(q.Concepts, "communication"):
				return nil // don't know
			case slices.Contains(q.Concepts, "identity"):
				return intp(2)
			}
			return intp(4)
		},
	}
	e.answerAll(southwark, score["Southwark"])
	e.answerAll(brent, score["Brent"])
	e.answerAll(lewisham, score["Lewisham"])

	e.submit(southwark)
	e.submit(brent)
	// Sealed until the third submits: nobody sees anyone's answers early.
	r := e.do("GET", "/api/partnerships/"+p.ID+"/comparison", southwark.Token, nil)
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), `"sealed":true,"round":1,"expected":3,"submitted":2,"members":3`) {
		t.Fatalf("sealed: got %d %s", r.status, r.body)
	}
	e.submit(lewisham)

	var c api.Comparison
	r = e.do("GET", "/api/partnerships/"+p.ID+"/comparison", brent.Token, nil)
	r.json(t, &c)
	if r.status != http.StatusOK || !slices.Equal(c.Councils, []string{"Southwark", "Brent", "Lewisham"}) {
		t.Fatalf("comparison: got %d councils %v", r.status, c.Councils)
	}
	status := map[string]string{}
	for _, q := range c.Questions {
		status[q.ID] = q.Status
	}
	for _, q := range b.Questions() {
		want := "aligned"
		switch {
		case slices.Contains(q.Concepts, "communication"):
			want = "shared-weakness"
		case slices.Contains(q.Concepts, "identity"):
			want = "divergent"
		}
		if status[q.ID] != want {
			t.Errorf("%s: got %s, want %s", q.ID, status[q.ID], want)
		}
	}
	if len(c.SharedWeaknesses) == 0 || len(c.Differences) == 0 || len(c.Actions) == 0 {
		t.Errorf("findings: got %d shared weaknesses, %d differences, %d actions", len(c.SharedWeaknesses), len(c.Differences), len(c.Actions))
	}
	for _, a := range c.Areas {
		lo, hi, sum := 101, -1, 0
		for _, s := range a.Scores {
			lo, hi, sum = min(lo, s), max(hi, s), sum+s
		}
		if a.Min != lo || a.Max != hi || a.Spread != hi-lo || a.Scores[a.WeakestCouncil] != lo {
			t.Errorf("area %s: got min %d max %d spread %d weakest %s, scores %v", a.ID, a.Min, a.Max, a.Spread, a.WeakestCouncil, a.Scores)
		}
		if want := float64(sum) / 3; a.Mean < want-0.05 || a.Mean > want+0.05 {
			t.Errorf("area %s: mean %v, want %.1f", a.ID, a.Mean, want)
		}
	}
	r = e.do("GET", "/api/partnerships/"+p.ID+"/comparison.csv", brent.Token, nil)
	if lines := strings.Count(string(r.body), "\n"); r.status != 200 || lines != 1+3*len(b.Questions()) {
		t.Errorf("csv: got %d with %d lines, want %d", r.status, lines, 1+3*len(b.Questions()))
	}

	// A health-check round: Brent improves on communication; trend shows it.
	var opened api.RoundOpened
	r = e.do("POST", "/api/partnerships/"+p.ID+"/rounds", p.AdminToken, api.OpenRound{Purpose: "health-check"})
	r.json(t, &opened)
	if r.status != http.StatusCreated || opened.Number != 2 {
		t.Fatalf("open round: %d %s", r.status, r.body)
	}
	var hc [3]api.Started
	for i, prev := range []api.Started{southwark, brent, lewisham} {
		r := e.do("POST", "/api/assessments/"+prev.ID+"/health-check", prev.Token, nil)
		r.json(t, &hc[i])
		if r.status != http.StatusCreated || hc[i].Round != 2 || hc[i].Copied != len(b.Questions()) {
			t.Fatalf("health-check: %d %s", r.status, r.body)
		}
	}
	// A repeated request must not leave a second draft in the round.
	if r := e.do("POST", "/api/assessments/"+southwark.ID+"/health-check", southwark.Token, nil); r.status != http.StatusConflict {
		t.Errorf("second health-check from the same assessment: got %d %s, want 409", r.status, r.body)
	}
	var copied api.Assessment
	e.do("GET", "/api/assessments/"+hc[1].ID, hc[1].Token, nil).json(t, &copied)
	for id, a := range copied.Answers {
		if !a.Stale {
			t.Errorf("copied answer %s not flagged stale", id)
			break
		}
	}
	// Brent confirms everything and improves communication to 3.
	e.answerAll(hc[1], func(q bank.Question) *int {
		if slices.Contains(q.Concepts, "communication") {
			return intp(3)
		}
		return score["Brent"](q)
	})
	e.do("GET", "/api/assessments/"+hc[1].ID, hc[1].Token, nil).json(t, &copied)
	for id, a := range copied.Answers {
		if a.Stale {
			t.Errorf("confirmed answer %s still stale", id)
			break
		}
	}
	for _, s := range hc {
		e.submit(s)
	}
	// A prospective fourth council joins the current round as a new partner.
	camden := e.join(p, "Camden", "new-partner")
	e.answerAll(camden, func(q bank.Question) *int { return intp(0) })
	e.submit(camden)

	r = e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=2", p.AdminToken, nil)
	r.json(t, &c)
	if r.status != http.StatusOK || c.Trend == nil || c.Trend.PreviousRound != 1 {
		t.Fatalf("round 2: %d trend %+v", r.status, c.Trend)
	}
	if slices.Contains(c.Councils, "Camden") || len(c.Councils) != 3 {
		t.Errorf("councils: got %v, want the three members only", c.Councils)
	}
	improved := false
	for _, ta := range c.Trend.Areas {
		if ta.Change["Brent"] > 0 {
			improved = true
		}
		if ta.Change["Southwark"] != 0 {
			t.Errorf("trend %s: Southwark changed by %d, want 0", ta.Area, ta.Change["Southwark"])
		}
	}
	if !improved {
		t.Errorf("trend: Brent's improvement not shown: %+v", c.Trend.Areas)
	}
	if len(c.Prospective) != 1 || c.Prospective[0].Council != "Camden" || len(c.Prospective[0].Divergent) == 0 {
		t.Errorf("prospective: got %+v", c.Prospective)
	}
	// Round 1 stays as it was.
	var c1 api.Comparison
	e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=1", southwark.Token, nil).json(t, &c1)
	if c1.Round != 1 || c1.Trend != nil {
		t.Errorf("round 1: got round %d trend %v", c1.Round, c1.Trend)
	}
	var view api.Partnership
	e.do("GET", "/api/partnerships/"+p.ID, camden.Token, nil).json(t, &view)
	// A prospective partner sees only its own membership.
	if len(view.Rounds) != 2 || view.Rounds[0].Status != "closed" || len(view.Rounds[0].Members) != 0 || len(view.Rounds[1].Members) != 1 || view.Rounds[1].Members[0].Council != "Camden" {
		t.Errorf("prospective partner's view: %+v", view)
	}
	e.do("GET", "/api/partnerships/"+p.ID, p.AdminToken, nil).json(t, &view)
	if len(view.Rounds[1].Members) != 4 || len(view.Seats) != 3 {
		t.Errorf("admin's view: %+v", view)
	}
}

// Every partnership route × every kind of caller.
func TestPartnershipAuthorisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("North")
	other := e.partnership("Elsewhere")
	member := e.submittedMember(p, "Camden", 2)
	prospect := e.join(p, "Barnet", "new-partner")

	callers := []struct {
		name, token string
	}{
		{"no token", ""},
		{"wrong token", "not-a-token"},
		{"other partnership's admin", other.AdminToken},
		{"prospective partner", prospect.Token},
		{"member", member.Token},
		{"admin", p.AdminToken},
	}
	routes := []struct {
		name, method, path string
		body               any
		want               []int // per caller, in order
	}{
		{"get", "GET", "/api/partnerships/" + p.ID, nil, []int{401, 404, 404, 200, 200, 200}},
		// A prospective partner that has not submitted has nothing to compare yet.
		{"comparison", "GET", "/api/partnerships/" + p.ID + "/comparison", nil, []int{401, 404, 404, 409, 200, 200}},
		{"comparison csv", "GET", "/api/partnerships/" + p.ID + "/comparison.csv", nil, []int{401, 404, 404, 409, 200, 200}},
		{"close round", "POST", "/api/partnerships/" + p.ID + "/rounds/1/close", nil, []int{401, 404, 404, 403, 403, 409}},
		{"open round", "POST", "/api/partnerships/" + p.ID + "/rounds", api.OpenRound{Purpose: "health-check"}, []int{401, 404, 404, 403, 403, 201}},
		// Last: the admin's call erases the partnership.
		{"delete", "DELETE", "/api/partnerships/" + p.ID, nil, []int{401, 404, 404, 403, 403, 204}},
	}
	for _, rt := range routes {
		for i, c := range callers {
			t.Run(fmt.Sprintf("%s/%s", rt.name, c.name), func(t *testing.T) {
				if rt.name == "close round" && c.name == "admin" {
					// The admin may close round 1; doing it twice is a conflict.
					if r := e.do(rt.method, rt.path, c.token, rt.body); r.status != http.StatusOK {
						t.Fatalf("first close: got %d %s", r.status, r.body)
					}
				}
				r := e.do(rt.method, rt.path, c.token, rt.body)
				if r.status != rt.want[i] {
					t.Errorf("got %d %s, want %d", r.status, r.body, rt.want[i])
				}
			})
		}
	}
}

// Erasing a health-check draft lets the council start it again.
func TestHealthCheckRestartAfterDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("East")
	s := e.submittedMember(p, "Havering", 2)
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/rounds", p.AdminToken, api.OpenRound{Purpose: "health-check"}); r.status != http.StatusCreated {
		t.Fatalf("open round: %d %s", r.status, r.body)
	}
	var hc api.Started
	e.do("POST", "/api/assessments/"+s.ID+"/health-check", s.Token, nil).json(t, &hc)
	if r := e.do("DELETE", "/api/assessments/"+hc.ID, hc.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/assessments/"+s.ID+"/health-check", s.Token, nil); r.status != http.StatusCreated {
		t.Errorf("restart after delete: got %d %s, want 201", r.status, r.body)
	}
}

// Erasing a partnership removes its rounds, snapshots, join code and
// contact; the councils keep their own assessments.
func TestDeletePartnership(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("West")
	s := e.submittedMember(p, "Ealing", 3)
	before := e.itemCount()
	if r := e.do("DELETE", "/api/partnerships/"+p.ID, p.AdminToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: got %d %s", r.status, r.body)
	}
	// META, round 1, Ealing's membership and the join code are gone.
	if got := e.itemCount(); got != before-4 {
		t.Errorf("items: got %d, want %d", got, before-4)
	}
	if r := e.do("GET", "/api/partnerships/"+p.ID, p.AdminToken, nil); r.status != http.StatusNotFound {
		t.Errorf("get after delete: got %d, want 404", r.status)
	}
	in := startBody("Hounslow", "collaborate")
	in.JoinCode = p.JoinCode
	if r := e.do("POST", "/api/assessments", "", in); r.status != http.StatusUnprocessableEntity {
		t.Errorf("join after delete: got %d, want 422", r.status)
	}
	if r := e.do("GET", "/api/assessments/"+s.ID+"/score", s.Token, nil); r.status != http.StatusOK {
		t.Errorf("the council's own assessment: got %d, want 200", r.status)
	}
}
