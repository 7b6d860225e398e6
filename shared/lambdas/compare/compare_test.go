package compare

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/scoring"
	"github.com/openrasp/rasp/shared/secret"
)

var update = flag.Bool("update", false, "rewrite testdata/comparison-*.json from the handler's responses")

// memberToken proves the first member of every round of the fixture.
const memberToken = "fixture-member-token"

// fixedNow is the day the fixture's comparison is read on.
var fixedNow = time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC)

// loader hands out one partnership, as the store would after its Query.
type loader struct{ p *partnership.Partnership }

func (l loader) LoadPartnership(_ context.Context, id string) (*partnership.Partnership, error) {
	// A fresh copy per call: the handler must not depend on what an
	// earlier request did to it.
	p := *l.p
	return &p, nil
}

// fixture is a partnership of the given number of seats with two complete
// rounds (a readiness check, closed, then a health-check every seat has
// submitted), so the comparison carries everything it can: trend, board
// summary, shared notes, a council preferring another form, a member still
// on question bank v1, a prospective partner, and actions overdue and done
// without improvement. Names and notes hold characters JSON escapes.
func fixture(lib *bank.Library, seats int) *partnership.Partnership {
	b := lib.Current()
	v1, _ := lib.Get(b.Previous)
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	pid := "fixturepartnershipaaaaaaaa"
	p := &partnership.Partnership{ID: pid, Name: "Fixture partnership", Form: "collaborate", CurrentRound: 2, CreatedAt: at}
	for i := range seats {
		name := fmt.Sprintf("Council %02d", i+1)
		switch i {
		case 0:
			name = "Brent & Harrow <North>"
		case 1:
			name = "Ynys Môn \u2028 \"quoted\""
		}
		p.Seats = append(p.Seats, partnership.Seat{ID: fmt.Sprintf("seat%02d", i), Name: name, Position: i})
	}
	hash := secret.Hash(memberToken)
	qs := b.Questions()
	for n := range 2 {
		closed := at.AddDate(0, 1, 0)
		r := partnership.Round{Number: n + 1, Purpose: partnership.Readiness, Status: partnership.Closed, OpenedAt: at, ClosedAt: &closed}
		if n == 1 {
			r = partnership.Round{Number: 2, Purpose: partnership.HealthCheck, Status: partnership.Open, OpenedAt: at.AddDate(0, 6, 0),
				Deadline: at.AddDate(0, 8, 0)}
		}
		for i, st := range p.Seats {
			r.Expected = append(r.Expected, st.ID)
			sub := r.OpenedAt.Add(time.Duration(i+1) * time.Hour)
			m := partnership.Member{Assessment: fmt.Sprintf("assessment%d%02d", n+1, i), Council: st.Name, Seat: st.ID,
				Status: partnership.Submitted, JoinedAt: r.OpenedAt, SubmittedAt: &sub, Version: b.Version}
			if i == 0 {
				m.TokenHash = hash
			}
			rs := scoring.Responses{}
			for j, q := range qs {
				switch k := (i*7 + j*3 + n*5) % 13; {
				case k == 11:
					rs[q.ID] = scoring.Response{} // don't know
				case k == 12 && j%2 == 0:
					rs[q.ID] = scoring.Response{NotApplicable: true}
				case k == 12:
					// unanswered
				default:
					s := (k + i%3) % (b.Scoring.MaxScore + 1)
					rs[q.ID] = scoring.Response{Score: &s}
				}
			}
			m.Snapshot = scoring.EncodeResponses(b, rs)
			if i%4 == 1 {
				m.Notes = map[string]string{qs[0].ID: fmt.Sprintf("Board minutes <%d> & plan \u2029 \xff", i), qs[5].ID: "Shared note"}
			}
			if i == 2 {
				m.PreferredForm = "cooperate"
			}
			if i == 3 && n == 1 && v1 != nil {
				// A council still on the previous version of the bank.
				ans := scoring.Answers{}
				for j, q := range v1.Questions() {
					s := (i + j) % (v1.Scoring.MaxScore + 1)
					ans[q.ID] = &s
				}
				m.Version, m.Snapshot = v1.Version, scoring.EncodeSnapshot(v1, ans)
			}
			r.Members = append(r.Members, m)
		}
		if n == 1 {
			sub := r.OpenedAt.Add(90 * time.Minute)
			r.Members = append(r.Members, partnership.Member{Assessment: "prospect", Council: "Prospect council", Status: partnership.Submitted,
				Prospective: true, JoinedAt: r.OpenedAt, SubmittedAt: &sub, Version: b.Version, Snapshot: r.Members[0].Snapshot})
		}
		p.Rounds = append(p.Rounds, r)
	}
	p.Actions = []action.Action{
		{ID: "act-overdue", Title: "Agree a <joint> plan & budget", Questions: []string{qs[0].ID}, OwnerSeats: []string{"seat00"}, OwnerRole: "Head of ICT",
			Due: time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC), Status: action.InProgress, Round: 1},
		{ID: "act-done", Title: "Brief the members", Questions: []string{qs[1].ID, qs[2].ID}, OwnerSeats: []string{"seat01"},
			Due: time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC), Status: action.Done, Round: 1},
		{ID: "act-future", Title: "Not yet due", Due: time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC), Status: action.Planned, Round: 2},
	}
	return p
}

// handle runs GET /api/partnerships/{id}/comparison through the compare
// function's router, as Lambda would, with the fixture as the loaded item.
func handle(t testing.TB, lib *bank.Library, p *partnership.Partnership, query string) func() events.APIGatewayV2HTTPResponse {
	t.Helper()
	rt := New(Deps{Auth: &auth.Resolver{Partnerships: loader{p}, Now: func() time.Time { return fixedNow }}, Bank: lib,
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	path := "/api/partnerships/" + p.ID + "/comparison" + query
	r := httptest.NewRequest("GET", "http://127.0.0.1"+path, nil)
	r.Header.Set("Authorization", "Bearer "+memberToken)
	route, params, ok := routes.Match(routes.Table(), "GET", r.URL.EscapedPath())
	if !ok {
		t.Fatalf("no route for %s", path)
	}
	ev := localgateway.Event(r, route, params, nil)
	return func() events.APIGatewayV2HTTPResponse {
		resp, err := rt.Handle(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 {
			t.Fatalf("got %d %s, want 200", resp.StatusCode, resp.Body)
		}
		return resp
	}
}

// The comparison's body is byte for byte what it was when the golden files
// were written: faster encoding must not change the response.
func TestComparisonBodyUnchanged(t *testing.T) {
	t.Parallel()
	lib := bankyaml.MustEmbedded()
	for _, tc := range []struct {
		name  string
		seats int
		query string
	}{
		{"3", 3, ""},
		{"50", 50, ""},
		{"3-round1", 3, "?round=1"},
	} {
		got := handle(t, lib, fixture(lib, tc.seats), tc.query)().Body
		path := filepath.Join("testdata", "comparison-"+tc.name+".json")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			lo, hi := max(0, i-80), min(len(got), i+80)
			t.Errorf("%s councils%s: body differs from %s at byte %d (%d bytes, want %d):\n got …%s…", tc.name, tc.query, path, i, len(got), len(want), got[lo:hi])
		}
	}
}

// BenchmarkComparisonBody is the compare route's handler without DynamoDB:
// the work the handler adds to the floor's Query, to profile with
//
//	go test ./shared/lambdas/compare -run '^$' -bench ComparisonBody -benchmem -cpuprofile cpu.out
func BenchmarkComparisonBody(b *testing.B) {
	lib := bankyaml.MustEmbedded()
	for _, seats := range []int{3, 50} {
		p := fixture(lib, seats)
		b.Run(fmt.Sprintf("councils=%d", seats), func(b *testing.B) {
			call := handle(b, lib, p, "")
			b.ReportAllocs()
			for b.Loop() {
				call()
			}
		})
	}
}
