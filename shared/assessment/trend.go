package assessment

import (
	"context"
	"time"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/scoring"
)

// Change is a council's own trend: its previous assessment (the one this
// one was copied from, in a health-check or a re-assessed self-review)
// against this one, per area and per question. Both are scored with this
// assessment's bank and form, so across bank versions only the mapped
// questions count, under the newer rules.
type Change struct {
	Previous    string
	SubmittedAt *time.Time
	Areas       []AreaChange
	Questions   []QuestionChange
}

// AreaChange is one area's score then and now.
type AreaChange struct {
	Area, Title   string
	Previous, Now int
}

// QuestionChange is a question whose answer changed.
type QuestionChange struct {
	Question, Area string
	Previous, Now  *int
}

// Loader reads an assessment with its answers (one Query).
type Loader interface {
	Load(ctx context.Context, id string) (*Assessment, error)
}

// TrendOf returns the change since the assessment a was copied from, or nil
// when it was not copied or its predecessor has been erased. Holding a's
// token is enough to read its predecessor's scores: a was copied from it by
// whoever held that one's token.
func TrendOf(ctx context.Context, store Loader, b *bank.Bank, a *Assessment) (*Change, error) {
	if a.CopiedFrom == "" {
		return nil, nil
	}
	prev, err := store.Load(ctx, a.CopiedFrom)
	if failure.CodeOf(err) == failure.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if prev.Status != Submitted {
		return nil, nil
	}
	return Compare(b, a, prev), nil
}

// Compare is the change from prev to a, scored with a's bank and form.
func Compare(b *bank.Bank, a, prev *Assessment) *Change {
	form, _ := b.Form(a.Form)
	then := CopyForward(b, prev.Version, a.Form, prev.Answers)
	before, now := scoring.Score(b, form, Scores(then)), scoring.Score(b, form, Scores(a.Answers))
	c := &Change{Previous: prev.ID, SubmittedAt: prev.SubmittedAt, Areas: []AreaChange{}, Questions: []QuestionChange{}}
	for i, ar := range now.Areas {
		c.Areas = append(c.Areas, AreaChange{Area: ar.ID, Title: ar.Title, Previous: before.Areas[i].Score, Now: ar.Score})
	}
	for _, q := range b.Questions() {
		p, had := then[q.ID]
		n, has := a.Answers[q.ID]
		if !had || !has {
			continue // unmapped or unanswered: no like-for-like change
		}
		if (p.Score == nil) != (n.Score == nil) || (p.Score != nil && *p.Score != *n.Score) {
			c.Questions = append(c.Questions, QuestionChange{Question: q.ID, Area: q.Area, Previous: p.Score, Now: n.Score})
		}
	}
	return c
}
