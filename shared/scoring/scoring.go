// Package scoring turns answers into area scores, bands, a readiness verdict
// and improvement actions. It is a pure function of (bank version, answers,
// intended form): every threshold comes from the question bank data.
package scoring

import (
	"cmp"
	"math"
	"slices"

	"github.com/openrasp/rasp/shared/bank"
)

// Answers maps question id to a score 0..4; a nil score is "don't know".
// A question absent from the map is unanswered.
type Answers map[string]*int

// Bands and verdicts.
const (
	Strength   = "strength"
	Developing = "developing"
	Weakness   = "weakness"

	Ready         = "ready"
	ReadyWithGaps = "ready-with-gaps"
	NotReady      = "not-ready"
)

// Area is one area's result.
type Area struct {
	ID, Title string
	Score     int
	Target    int
	Gap       int
	Band      string
}

// Weak is one of the weakest questions.
type Weak struct {
	Question bank.Question
	Score    int
}

// Result is a whole score report.
type Result struct {
	Overall   int
	Readiness string
	Areas     []Area
	Weakest   []Weak
	Unknown   []string // answered "don't know"
	Missing   []string // not answered at all
}

// Score scores answers against the targets of form. Unknown and missing
// answers count as 0: a gap you cannot evidence is a gap.
func Score(b *bank.Bank, form bank.Form, answers Answers) Result {
	r := Result{Areas: areaScores(b, form, dense(b, answers))}
	total := 0
	for _, a := range r.Areas {
		total += a.Score
	}
	if len(r.Areas) > 0 {
		r.Overall = int(math.Round(float64(total) / float64(len(r.Areas))))
	}
	r.Readiness = Readiness(b.Scoring, r.Areas)

	type ranked struct {
		q     *bank.Question
		score int
		order int
	}
	all := make([]ranked, 0, 64)
	for ai := range b.Areas {
		for qi := range b.Areas[ai].Questions {
			q := &b.Areas[ai].Questions[qi]
			a, answered := answers[q.ID]
			switch {
			case !answered:
				r.Missing = append(r.Missing, q.ID)
			case a == nil:
				r.Unknown = append(r.Unknown, q.ID)
			}
			all = append(all, ranked{q, value(a), len(all)})
		}
	}
	// Weakest: lowest score first; among equals the heavier question matters
	// more, then bank order keeps the list stable.
	slices.SortFunc(all, func(x, y ranked) int {
		if x.score != y.score {
			return x.score - y.score
		}
		if x.q.Weight != y.q.Weight {
			return cmp.Compare(y.q.Weight, x.q.Weight)
		}
		return x.order - y.order
	})
	for _, x := range all {
		if len(r.Weakest) == b.Scoring.WeakestCount || x.score >= b.Scoring.MaxScore {
			break // a fully-in-place question is not a weakness
		}
		r.Weakest = append(r.Weakest, Weak{Question: *x.q, Score: x.score})
	}
	return r
}

// dense lays answers out in bank order, so the many passes of a
// comparison index a slice instead of hashing question ids again.
func dense(b *bank.Bank, answers Answers) []*int {
	row := make([]*int, 0, 64)
	for ai := range b.Areas {
		for qi := range b.Areas[ai].Questions {
			row = append(row, answers[b.Areas[ai].Questions[qi].ID])
		}
	}
	return row
}

// areaScores is the per-area part of Score, all that a comparison needs.
// row holds the answers in bank order (see dense).
func areaScores(b *bank.Bank, form bank.Form, row []*int) []Area {
	out := make([]Area, 0, len(b.Areas))
	i := 0
	for ai := range b.Areas {
		area := &b.Areas[ai]
		var got, max float64
		for qi := range area.Questions {
			q := &area.Questions[qi]
			got += q.Weight * float64(value(row[i]))
			max += q.Weight * float64(b.Scoring.MaxScore)
			i++
		}
		score := 0
		if max > 0 {
			score = int(math.Round(100 * got / max))
		}
		target := form.Targets[area.ID]
		out = append(out, Area{ID: area.ID, Title: area.Title, Score: score, Target: target, Gap: target - score, Band: Band(b.Scoring, target-score)})
	}
	return out
}

// value is a score with "don't know" and unanswered counted as 0.
func value(s *int) int {
	if s == nil {
		return 0
	}
	return *s
}

// Band classifies the gap between target and score.
func Band(p bank.Scoring, gap int) string {
	switch {
	case gap <= 0:
		return Strength
	case gap <= p.DevelopingMaxGap:
		return Developing
	default:
		return Weakness
	}
}

// Readiness is the verdict over all areas.
func Readiness(p bank.Scoring, areas []Area) string {
	weak, developing := 0, 0
	for _, a := range areas {
		switch a.Band {
		case Weakness:
			weak++
		case Developing:
			developing++
		}
	}
	switch {
	case weak == 0 && developing <= p.ReadyMaxDeveloping:
		return Ready
	case weak >= 2:
		return NotReady
	default:
		return ReadyWithGaps
	}
}
