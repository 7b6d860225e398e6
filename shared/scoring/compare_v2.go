package scoring

import (
	"math"

	"github.com/openrasp/rasp/shared/bank"
)

// Seated is one council's responses in a v2 comparison.
type Seated struct {
	Name      string
	Responses Responses
}

// PartnershipReport is what the v2 model adds to a comparison: the
// partnership's verdict, each council's verdict and blockers, and each
// question's status per council.
type PartnershipReport struct {
	Purpose string // the profile: readiness or health-check
	PartnershipVerdict
	Seats []Seat
	// Statuses maps question id to council name to Met, Below, Unknown,
	// Unanswered, NotAccepted, NotApplicable or NotRequired.
	Statuses map[string]map[string]string
	// MappedOnly is set when the round spans question versions: only the
	// questions mapped from the previous version are scored, under v2.
	MappedOnly bool
	Scored     int // how many questions were scored
}

// CompareV2 scores each council under the v2 model for the partnership's
// form and combines their verdicts (see Partnership).
func CompareV2(b *bank.Bank, purpose, form string, seats []Seated, opt Options) PartnershipReport {
	out := PartnershipReport{Purpose: bank.ProfilePurpose(purpose), Statuses: make(map[string]map[string]string, b.NumQuestions()), MappedOnly: opt.Only != nil}
	// Each council is judged once: its statuses are those of its own
	// evaluation for the partnership's form, in bank order.
	judgedBy := make([][]judged, 0, len(seats))
	for _, s := range seats {
		r, cur := evaluate(b, purpose, form, s.Responses, opt)
		out.Seats = append(out.Seats, Seat{Council: s.Name, Report: r})
		judgedBy = append(judgedBy, cur)
	}
	for qi, q := range b.All() {
		if opt.Only == nil || opt.Only[q.ID] {
			out.Scored++
		}
		st := make(map[string]string, len(seats))
		for i, s := range seats {
			st[s.Name] = judgedBy[i][qi].status
		}
		out.Statuses[q.ID] = st
	}
	out.PartnershipVerdict = Partnership(out.Seats)
	return out
}

var bandRank = map[string]int{Weakness: 0, Developing: 1, Strength: 2, NoneApplicable: 3}

// WithV2 adds the v2 partnership report to a comparison of the same
// councils, and replaces its area figures with the v2 area scores (over the
// questions that apply to the form), so the chart and the trend read the
// same numbers as each council's report. Area targets do not exist in v2.
func WithV2(c *Comparison, b *bank.Bank, purpose, form string, seats []Seated, opt Options) {
	pr := CompareV2(b, purpose, form, seats, opt)
	c.V2 = &pr
	for ai := range c.Areas {
		a := &c.Areas[ai]
		a.Target, a.Min, a.Max, a.Band, a.WeakestCouncil = 0, math.MaxInt, 0, NoneApplicable, ""
		a.Scores = make(map[string]int, len(pr.Seats))
		sum := 0
		for _, s := range pr.Seats {
			ar := s.Report.Areas[ai]
			a.Scores[s.Council] = ar.Score
			sum += ar.Score
			if ar.Score < a.Min {
				a.Min, a.WeakestCouncil = ar.Score, s.Council
			}
			a.Max = max(a.Max, ar.Score)
			if bandRank[ar.Band] < bandRank[a.Band] {
				a.Band = ar.Band
			}
		}
		if len(pr.Seats) == 0 {
			a.Min = 0
			continue
		}
		a.Mean = math.Round(10*float64(sum)/float64(len(pr.Seats))) / 10
		a.Spread = a.Max - a.Min
	}
}
