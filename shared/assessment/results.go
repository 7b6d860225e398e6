package assessment

import (
	"math"
	"time"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/scoring"
)

// Started is the result of starting an assessment. Token is the only copy of
// the capability: the store keeps its hash. The JSON names are those of the
// sealed idempotency record (shared/idempotency), not of the API: records
// sealed before the domain had its own type must still open.
type Started struct {
	ID            string    `json:"id"`
	Token         string    `json:"token"`
	Status        string    `json:"status"`
	Version       string    `json:"questionVersion"` // the question bank version it was started on
	CreatedAt     time.Time `json:"createdAt"`
	PartnershipID string    `json:"partnershipId,omitempty"`
	Round         int       `json:"round,omitempty"`
	Copied        int       `json:"copied,omitempty"` // answers copied forward by a health-check
}

// Saved is the result of saving answers.
type Saved struct {
	Revision int64
	Progress Progress
}

// Submission is the result of submitting.
type Submission struct {
	Status      string
	SubmittedAt time.Time
}

// AreaProgress counts answered questions in one area.
type AreaProgress struct {
	Answered, Total int
}

// Progress counts answered questions overall and per area id.
type Progress struct {
	Answered, Total int
	Areas           map[string]AreaProgress
}

// ProgressOf counts answers overall and per area.
func ProgressOf(b *bank.Bank, a *Assessment) Progress {
	p := Progress{Areas: map[string]AreaProgress{}}
	for _, area := range b.Areas {
		ap := AreaProgress{Total: len(area.Questions)}
		for _, q := range area.Questions {
			if _, ok := a.Answers[q.ID]; ok {
				ap.Answered++
			}
		}
		p.Areas[area.ID] = ap
		p.Answered += ap.Answered
		p.Total += ap.Total
	}
	return p
}

// ScoreReport is an assessment's score: provisional until it is submitted.
type ScoreReport struct {
	Assessment  string
	Council     string
	Provisional bool
	Version     string
	Form        string
	Model       string // the bank's scoring model: bank.ModelV1 or bank.ModelV2
	// Result is the v1 report; for a v2 bank it carries the v2 verdict as
	// Readiness, the v2 area scores and the overall percentage, so readers
	// of the v1 shape still get sensible figures.
	scoring.Result
	// V2 is the v2 report (verdict, must-haves, blockers, forms); nil on v1.
	V2 *scoring.Report
	// Bank is the version scored on, for the questions' text and actions.
	Bank *bank.Bank
	// Trend is the change since the assessment this one was copied from
	// (a health-check or a re-assessed self-review); nil when none.
	Trend *Change
	// Agreement is how far the council's colleagues agreed with each other
	// (nil with fewer than two). Private to the council: only the lead's
	// report carries it, never a partner's view.
	Agreement *Agreement
}

// ViewerReport is the report as a read-only link shows it (issue 20): the
// council's answers and scores, without how far its colleagues agreed,
// which is for the council's own working (docs/design.md D13).
func ViewerReport(b *bank.Bank, a *Assessment) ScoreReport {
	r := Report(b, a)
	r.Agreement = nil
	return r
}

// Report builds the score report of an assessment on the bank it was
// started on: v1 assessments keep v1 scoring for ever.
func Report(b *bank.Bank, a *Assessment) ScoreReport {
	out := ScoreReport{Assessment: a.ID, Council: a.Council, Provisional: a.Status != Submitted, Version: a.Version, Form: a.Form, Model: b.Model, Bank: b}
	if !b.UsesV2() {
		form, _ := b.Form(a.Form)
		out.Model = bank.ModelV1
		out.Result = scoring.Score(b, form, Scores(a.Answers))
		out.Agreement = AgreementOf(b, a)
		return out
	}
	r := scoring.Evaluate(b, a.Purpose, a.Form, Responses(a.Answers), scoring.Options{})
	out.V2 = &r
	out.Readiness = r.Verdict
	out.Unknown = r.Unknown
	out.Missing = r.Missing
	var got, max float64
	for _, ar := range r.Areas {
		out.Areas = append(out.Areas, scoring.Area{ID: ar.ID, Title: ar.Title, Score: ar.Score, Band: ar.Band})
		got += float64(ar.Score * ar.Applicable)
		max += float64(100 * ar.Applicable)
	}
	if max > 0 {
		out.Overall = int(math.Round(100 * got / max))
	}
	out.Agreement = AgreementOf(b, a)
	return out
}

// Responses turns stored answers into v2 scoring responses.
func Responses(answers map[string]Answer) scoring.Responses {
	out := make(scoring.Responses, len(answers))
	for id, a := range answers {
		out[id] = scoring.Response{Score: a.Score, NotApplicable: a.NotApplicable, Reason: a.Reason}
	}
	return out
}
