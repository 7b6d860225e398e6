package partnership

import (
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/scoring"
)

// progressPartnership has two seats and two complete rounds: every answer
// at then[council] in round 1 and at now[council] in round 2, except that
// question q moves as given.
func progressPartnership(t *testing.T, lib *bank.Library, q string, then, now map[string]int) *Partnership {
	t.Helper()
	b := lib.Current()
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	p := &Partnership{ID: "p", Name: "P", Form: "collaborate", CurrentRound: 2,
		Seats: []Seat{{ID: "s1", Name: "Brent", Position: 0}, {ID: "s2", Name: "Lewisham", Position: 1}}}
	for n, scores := range []map[string]int{then, now} {
		r := Round{Number: n + 1, Purpose: HealthCheck, Status: Closed, Expected: []string{"s1", "s2"}}
		if n == 0 {
			r.Purpose = Readiness
		}
		for i, st := range p.Seats {
			ans := scoring.Answers{}
			for _, bq := range b.Questions() {
				v := 3
				if bq.ID == q {
					v = scores[st.Name]
				}
				ans[bq.ID] = &v
			}
			sub := at.AddDate(0, n*6, i)
			r.Members = append(r.Members, Member{Assessment: st.ID + r.Purpose, Council: st.Name, Seat: st.ID, Status: Submitted,
				SubmittedAt: &sub, Version: b.Version, Snapshot: scoring.EncodeSnapshot(b, ans)})
		}
		p.Rounds = append(p.Rounds, r)
	}
	return p
}

func TestProgressThenAndNow(t *testing.T) {
	t.Parallel()
	lib := bankyaml.MustEmbedded()
	q := lib.Current().Questions()[0].ID
	due := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		then, now map[string]int
		status    action.Status
		improved  bool
		followUp  string // "", "overdue" or "done-not-improved"
	}{
		{"the lowest score rose", map[string]int{"Brent": 1, "Lewisham": 3}, map[string]int{"Brent": 2, "Lewisham": 3}, action.Done, true, ""},
		{"only the strong council rose", map[string]int{"Brent": 1, "Lewisham": 3}, map[string]int{"Brent": 1, "Lewisham": 4}, action.Done, false, "done-not-improved"},
		{"it fell", map[string]int{"Brent": 2, "Lewisham": 3}, map[string]int{"Brent": 1, "Lewisham": 4}, action.Done, false, "done-not-improved"},
		{"open and past its date", map[string]int{"Brent": 1, "Lewisham": 3}, map[string]int{"Brent": 1, "Lewisham": 3}, action.InProgress, false, "overdue"},
		{"dropped", map[string]int{"Brent": 1, "Lewisham": 3}, map[string]int{"Brent": 1, "Lewisham": 3}, action.Dropped, false, ""},
	} {
		p := progressPartnership(t, lib, q, tc.then, tc.now)
		p.Actions = []action.Action{{ID: "a", Title: "x", Questions: []string{q}, Due: due, Status: tc.status, Round: 1}}
		ps := Progress(lib, p, 2)
		if len(ps) != 1 || !ps[0].Measured || len(ps[0].Questions) != 1 {
			t.Fatalf("%s: got %+v", tc.name, ps)
		}
		m := ps[0].Questions[0]
		if *m.Then["Brent"] != tc.then["Brent"] || *m.Now["Lewisham"] != tc.now["Lewisham"] || ps[0].Improved() != tc.improved {
			t.Errorf("%s: then %v now %v improved %v, want improved %v", tc.name, m.ThenLow, m.NowLow, ps[0].Improved(), tc.improved)
		}
		f := ActionFollowUp(lib, p, 2, due.AddDate(0, 0, 1))
		got := ""
		switch {
		case len(f.Overdue) == 1 && len(f.DoneNotImproved) == 0:
			got = "overdue"
		case len(f.DoneNotImproved) == 1 && len(f.Overdue) == 0:
			got = "done-not-improved"
		case len(f.Overdue)+len(f.DoneNotImproved) > 0:
			got = "both"
		}
		if got != tc.followUp {
			t.Errorf("%s: follow-up %q, want %q", tc.name, got, tc.followUp)
		}
		// In its own round there is nothing to compare yet.
		if ps := Progress(lib, p, 1); ps[0].Measured {
			t.Errorf("%s: measured in the round it was created in", tc.name)
		}
	}
}

// The board names at most scoring.BoardFollowUpMax actions of each list,
// the most overdue first, and counts them all; an action done whose
// questions did not improve carries its lowest scores then and now.
func TestWithFollowUpCapsAndOrders(t *testing.T) {
	t.Parallel()
	lib := bankyaml.MustEmbedded()
	q := lib.Current().Questions()[0]
	p := progressPartnership(t, lib, q.ID, map[string]int{"Brent": 1, "Lewisham": 3}, map[string]int{"Brent": 1, "Lewisham": 4})
	now := time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC)
	for i, day := range []int{20, 5, 30, 10, 1} {
		p.Actions = append(p.Actions, action.Action{ID: string(rune('a' + i)), Title: "late", OwnerSeats: []string{"s1"}, OwnerRole: "Head of ICT",
			Due: time.Date(2027, 5, day, 0, 0, 0, 0, time.UTC), Status: action.Planned, Round: 1})
	}
	p.Actions = append(p.Actions, action.Action{ID: "done", Title: "done", Questions: []string{q.ID}, Due: now.AddDate(0, 1, 0), Status: action.Done, Round: 1},
		action.Action{ID: "future", Title: "not yet", Due: now.AddDate(0, 0, 1), Status: action.Planned, Round: 2})
	c, err := CompareFor(lib, p, AdminAccess, "", 2, now)
	if err != nil {
		t.Fatal(err)
	}
	f := c.Board.FollowUp
	var got []string
	for _, a := range f.Overdue {
		got = append(got, a.ID)
	}
	if f.OverdueTotal != 5 || strings.Join(got, "") != "ebd" {
		t.Errorf("overdue: %v of %d, want [e b d] of 5 (most overdue first)", got, f.OverdueTotal)
	}
	if len(f.Overdue) > 0 && (len(f.Overdue[0].Owners) != 1 || f.Overdue[0].Owners[0] != "Brent") {
		t.Errorf("overdue owners: got %v, want [Brent]", f.Overdue[0].Owners)
	}
	if f.DoneNotImprovedTotal != 1 || len(f.DoneNotImproved) != 1 || len(f.DoneNotImproved[0].Moves) != 1 {
		t.Fatalf("done not improved: got %+v", f.DoneNotImproved)
	}
	if m := f.DoneNotImproved[0].Moves[0]; m.Text != q.Text || m.ThenLow != 1 || m.NowLow != 1 {
		t.Errorf("move: got %+v, want %q lowest 1 then and now", m, q.Text)
	}
}
