package lambdas_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
)

// openRound takes an optional deadline: a bad one is 422 naming the field
// and saying what is allowed, with nothing written; a good one is stored on
// the round and shown in the reply, the partnership and the sealed problem.
func TestOpenRoundDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("Kent shared legal", "Dover", "Thanet")
	today := time.Now().UTC()
	day := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	cases := []struct {
		name, deadline, want string
	}{
		{"past", day(-1), "must be in the future"},
		{"today", day(0), "at least 8 days ahead"},
		{"too soon", day(7), "at least 8 days ahead"},
		{"too far", today.AddDate(0, 6, 1).Format("2006-01-02"), "within 6 months"},
		{"not a date", "2027-02-30", "must be a real date"},
		{"not numbers", "next week", "written in numbers"},
	}
	before := e.partnershipItems(p.ID)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, r := e.send("POST", "/api/partnerships/"+p.ID+"/rounds", p.AdminToken, api.OpenRound{Purpose: "health-check", After: 1, Deadline: c.deadline})
			var prob api.Problem
			r.json(t, &prob)
			if r.status != http.StatusUnprocessableEntity || len(prob.Errors) != 1 || prob.Errors[0].Field != "deadline" || !strings.Contains(prob.Errors[0].Message, c.want) {
				t.Fatalf("deadline %q: got %d %s, want 422 on deadline saying %q", c.deadline, r.status, r.body, c.want)
			}
		})
	}
	if after := e.partnershipItems(p.ID); after != before {
		t.Fatalf("bad deadlines wrote items: %d before, %d after", before, after)
	}
	if got := e.partnershipView(p.ID, p.AdminToken); got.CurrentRound != 1 || len(got.Rounds) != 1 || len(acts(got)) != 0 {
		t.Fatalf("after bad deadlines: round %d, %d rounds, acts %v; want round 1 alone and no acts", got.CurrentRound, len(got.Rounds), acts(got))
	}

	// At the edges of what is allowed: 8 days ahead, and 6 months.
	for i, deadline := range []string{day(8), today.AddDate(0, 6, 0).Format("2006-01-02")} {
		r := e.do("POST", "/api/partnerships/"+p.ID+"/rounds", p.AdminToken, api.OpenRound{Purpose: "health-check", After: 1 + i, Deadline: deadline})
		var opened api.RoundOpened
		r.json(t, &opened)
		if r.status != http.StatusCreated || opened.Deadline != deadline || opened.Number != 2+i {
			t.Fatalf("open with deadline %s: got %d %s", deadline, r.status, r.body)
		}
	}
	got := e.partnershipView(p.ID, p.AdminToken)
	if got.Rounds[1].Deadline != day(8) || got.Rounds[2].Deadline != today.AddDate(0, 6, 0).Format("2006-01-02") || got.Rounds[0].Deadline != "" {
		t.Errorf("rounds' deadlines: %+v", got.Rounds)
	}
	// Dover submits round 3; its sealed comparison says when it closes.
	dover := e.join(p, "Dover", "health-check")
	e.answerAll(dover, func(bank.Question) *int { return intp(2) })
	e.submit(dover)
	r := e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=3", p.AdminToken, nil)
	var prob api.Problem
	r.json(t, &prob)
	if r.status != http.StatusConflict || prob.Deadline != got.Rounds[2].Deadline || prob.Submitted == nil || *prob.Submitted != 1 {
		t.Errorf("sealed round 3: got %d %s, want 409 with its deadline", r.status, r.body)
	}
}
