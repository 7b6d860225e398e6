package partnership

import (
	"slices"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/scoring"
)

// Compare on a loaded partnership: who may read it, which round 0 means,
// the trend of a health-check round, a council that prefers another form
// and the board's last submission.
func TestCompareRound(t *testing.T) {
	t.Parallel()
	lib := bankyaml.MustEmbedded()
	q := lib.Current().Questions()[0].ID
	p := progressPartnership(t, lib, q, map[string]int{"Brent": 1, "Lewisham": 3}, map[string]int{"Brent": 2, "Lewisham": 3})
	p.Rounds[1].Members[0].PreferredForm = "combine"
	for _, tc := range []struct {
		name          string
		access        Access
		n             int
		wantCode      failure.Code
		wantRound     int
		wantTrend     bool
		wantPreferred []scoring.PreferredForm
		wantLast      time.Time
	}{
		{"a prospective partner may not", ProspectiveAccess, 2, failure.Forbidden, 0, false, nil, time.Time{}},
		{"a member reads the current round", MemberAccess, 0, "", 2, true, []scoring.PreferredForm{{Council: "Brent", Form: "combine"}}, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)},
		{"an administrator reads round 1, a readiness round with no trend", AdminAccess, 1, "", 1, false, nil, time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Compare(lib, p, tc.access, tc.n)
			if got := failure.CodeOf(err); got != tc.wantCode {
				t.Fatalf("error: got %v (%q), want code %q", err, got, tc.wantCode)
			}
			if err != nil {
				return
			}
			if c.Round != tc.wantRound {
				t.Errorf("round: got %d, want %d", c.Round, tc.wantRound)
			}
			if (c.Trend != nil) != tc.wantTrend || c.Trend != nil && (c.Trend.PreviousRound != 1 || c.Trend.MappedOnly || len(c.Trend.Councils) != 2) {
				t.Errorf("trend: got %+v, want one against round 1 on the same version, both seats: %v", c.Trend, tc.wantTrend)
			}
			if !slices.Equal(c.PreferredForms, tc.wantPreferred) {
				t.Errorf("preferred forms: got %+v, want %+v", c.PreferredForms, tc.wantPreferred)
			}
			if len(tc.wantPreferred) > 0 && (len(c.Differences) == 0 || c.Differences[0].Kind != scoring.FindingForm) {
				t.Errorf("differences: got %+v, want the form first", c.Differences)
			}
			if c.Board == nil || c.Board.LastSubmittedAt == nil || !c.Board.LastSubmittedAt.Equal(tc.wantLast) {
				t.Errorf("last submitted: got %v, want %v", c.Board.LastSubmittedAt, tc.wantLast)
			}
		})
	}
}

// LatestComplete is the latest round every expected seat submitted in.
func TestLatestComplete(t *testing.T) {
	t.Parallel()
	lib := bankyaml.MustEmbedded()
	q := lib.Current().Questions()[0].ID
	for _, tc := range []struct {
		name  string
		draft []int // rounds (1-based) whose first seat did not submit
		want  int
	}{
		{"both rounds", nil, 2},
		{"the first only", []int{2}, 1},
		{"neither", []int{1, 2}, 0},
	} {
		p := progressPartnership(t, lib, q, map[string]int{"Brent": 1, "Lewisham": 3}, map[string]int{"Brent": 2, "Lewisham": 3})
		for _, n := range tc.draft {
			p.Rounds[n-1].Members[0].Status = Draft
		}
		if got := p.LatestComplete(); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
	}
}
