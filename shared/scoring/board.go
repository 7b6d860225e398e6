package scoring

import (
	"cmp"
	"slices"
	"time"

	"github.com/openrasp/rasp/shared/bank"
)

// BoardDivergentMax is how many divergent questions the board summary
// names: twelve, each with three councils' wording, is what fits one A4
// page for a board paper; the rest are a link away in the comparison.
const BoardDivergentMax = 12

// Board is the summary at the top of a comparison, for a partnership board
// or a committee paper: the verdict and what blocks it, a form mismatch,
// the questions the councils answered far apart in each council's words,
// the shared weaknesses and where the councils align.
// FollowUp is what the joint action register asks of the board.
type Board struct {
	Round        int
	Purpose      string // of the round: readiness or health-check
	IntendedForm string
	OpenedAt     time.Time
	ClosedAt     *time.Time
	// LastSubmittedAt is when the last council of the round submitted.
	LastSubmittedAt *time.Time
	// Verdict is the partnership's v2 verdict for its form ("" on v1), and
	// HeldBack the councils that hold it there with their blockers.
	Verdict  string
	HeldBack []HeldBack
	// FormMismatches are councils that would go to another form.
	FormMismatches []PreferredForm
	// Divergent are the top BoardDivergentMax divergent questions:
	// must-haves for the form first, then the widest spread, then bank
	// order. DivergentTotal counts them all.
	Divergent      []BoardQuestion
	DivergentTotal int
	// SharedWeaknesses are questions every council scored low on.
	SharedWeaknesses []BoardQuestion
	// Aligned are the areas (ids, bank order) with no divergent question.
	Aligned []string
	// FollowUp is the action register's news: actions overdue and actions
	// done whose questions did not improve (partnership.WithFollowUp; the
	// zero value until then).
	FollowUp BoardFollowUp
}

// BoardFollowUpMax is how many actions of each follow-up list the board
// names: with twelve divergent questions the page has room for a few lines
// more, and the register is a link away for the rest.
const BoardFollowUpMax = 3

// BoardFollowUp lists the actions a board should chase, each capped at
// BoardFollowUpMax (most overdue first; then the register's order), with
// the totals.
type BoardFollowUp struct {
	Overdue              []BoardAction
	OverdueTotal         int
	DoneNotImproved      []BoardAction
	DoneNotImprovedTotal int
}

// BoardAction is one action on the board: what, who, by when and, for an
// action done, how its linked questions' lowest scores moved.
type BoardAction struct {
	ID, Title string
	Owners    []string // the owning councils' names
	OwnerRole string
	Due       time.Time
	Status    string
	Round     int // the round it was created in
	Moves     []BoardMove
}

// BoardMove is a linked question's lowest score then (in the action's
// round) and now (in the board's round).
type BoardMove struct {
	Question, Text  string
	ThenLow, NowLow int
}

// BoardQuestion is one question on the board, with each council's answer
// in the level's own words.
type BoardQuestion struct {
	Question, Area, Text string
	Spread               int
	MustHave             bool
	Answers              []CouncilAnswer
}

// CouncilAnswer is one council's answer to a question, in the bank's words.
type CouncilAnswer struct {
	Council string
	// Score is nil for "don't know" and for "not applicable".
	Score         *int
	NotApplicable bool
	// Wording is the level's descriptor, or "Don't know" / "Not applicable".
	Wording string
	// Note is the council's note, when it chose to share its notes.
	Note string
}

// Summarise builds the board summary of a comparison scored with bank b.
// Dates are the caller's (the partnership knows its rounds).
func Summarise(b *bank.Bank, c Comparison) Board {
	out := Board{Round: c.Round, IntendedForm: c.IntendedForm, FormMismatches: c.PreferredForms,
		Divergent: []BoardQuestion{}, SharedWeaknesses: []BoardQuestion{}, Aligned: []string{}}
	if c.V2 != nil {
		out.Verdict, out.HeldBack = c.V2.Verdict, c.V2.HeldBackBy
	}
	divergentIn := map[string]bool{}
	// The divergent questions are ranked first and only the top ones
	// written out in words: a large partnership diverges on many.
	type ranked struct {
		q        *ComparedQuestion
		mustHave bool
	}
	var divergent []ranked
	for i := range c.Questions {
		q := &c.Questions[i]
		switch q.Status {
		case Divergent:
			divergentIn[q.Area] = true
			bq, _ := b.Question(q.ID)
			divergent = append(divergent, ranked{q, bq.IsMustHave(c.IntendedForm)})
		case SharedWeakness:
			out.SharedWeaknesses = append(out.SharedWeaknesses, boardQuestion(b, &c, q))
		}
	}
	// Stable: bank order breaks ties, so the board reads the same each time.
	slices.SortStableFunc(divergent, func(x, y ranked) int {
		if x.mustHave != y.mustHave {
			if x.mustHave {
				return -1
			}
			return 1
		}
		return cmp.Compare(y.q.Spread, x.q.Spread)
	})
	out.DivergentTotal = len(divergent)
	for _, d := range divergent[:min(len(divergent), BoardDivergentMax)] {
		out.Divergent = append(out.Divergent, boardQuestion(b, &c, d.q))
	}
	for _, a := range c.Areas {
		if !divergentIn[a.ID] && len(c.Councils) > 1 {
			out.Aligned = append(out.Aligned, a.ID)
		}
	}
	return out
}

func boardQuestion(b *bank.Bank, c *Comparison, cq *ComparedQuestion) BoardQuestion {
	bq := BoardQuestion{Question: cq.ID, Area: cq.Area, Text: cq.Text, Spread: cq.Spread}
	q, ok := b.Question(cq.ID)
	if ok {
		bq.MustHave = q.IsMustHave(c.IntendedForm)
	}
	var statuses map[string]string
	if c.V2 != nil {
		statuses = c.V2.Statuses[cq.ID]
	}
	if len(c.Councils) > 0 {
		bq.Answers = make([]CouncilAnswer, 0, len(c.Councils))
	}
	for _, k := range c.Councils {
		bq.Answers = append(bq.Answers, answerOf(&q, c.V2 != nil && statuses[k] == NotApplicable, cq, k))
	}
	return bq
}

// answerOf is council k's answer to question q in the bank's words (na:
// it answered not applicable, under v2).
func answerOf(q *bank.Question, na bool, cq *ComparedQuestion, k string) CouncilAnswer {
	a := CouncilAnswer{Council: k, Score: cq.Scores[k], Note: cq.Notes[k], Wording: "Don't know"}
	switch {
	case na:
		a.Score, a.NotApplicable, a.Wording = nil, true, "Not applicable"
	case a.Score != nil && *a.Score >= 0 && *a.Score < len(q.Levels):
		a.Wording = q.Levels[*a.Score]
	}
	return a
}
