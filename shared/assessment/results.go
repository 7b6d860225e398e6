package assessment

import (
	"time"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/scoring"
)

// Started is the result of starting an assessment. Token is the only copy of
// the capability: the store keeps its hash. The JSON names are those of the
// sealed idempotency record (sealIdempotency), not of the API: records
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
	scoring.Result
}

// Report builds the score report of an assessment on the bank it was
// started on.
func Report(b *bank.Bank, a *Assessment) ScoreReport {
	form, _ := b.Form(a.Form)
	return ScoreReport{
		Assessment: a.ID, Council: a.Council, Provisional: a.Status != Submitted, Version: a.Version, Form: a.Form,
		Result: scoring.Score(b, form, Scores(a.Answers)),
	}
}
